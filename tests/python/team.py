"""Team-store fixtures for the Python suites: a fresh PostgreSQL database on the test cluster ($MLTRACK_TEST_POSTGRES,
started by ./test.sh) and an s3rver bucket, so a suite can run `mltrack server` on PostgreSQL + S3."""
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ElementTree

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
S3RVER = os.path.join(ROOT, "tests", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js")
S3RVER_KEY = "S3RVER"  # s3rver's built-in account


def postgres_server():
    """The test cluster's URI, or None when there is none (the suite then skips; CI counts a skip as a failure)."""
    return os.environ.get("MLTRACK_TEST_POSTGRES") or None


def _psql(server_uri, sql):
    subprocess.run(["psql", server_uri, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], check=True, capture_output=True, text=True)


class PostgresDatabase:
    """A uniquely named, empty database on the test cluster; dropped by drop()."""

    def __init__(self, server_uri):
        self.server_uri = server_uri
        self.name = "py_" + uuid.uuid4().hex[:16]
        _psql(server_uri, f"CREATE DATABASE {self.name}")
        self.uri = server_uri[: server_uri.rindex("/") + 1] + self.name

    def drop(self):
        _psql(self.server_uri, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


class S3rver:
    """npm s3rver on a loopback port (a free one unless given) with one bucket; env() gives the AWS variables mltrack
    reads. kill() stops it as a crash would and start() brings it back on the same port with the same objects."""

    def __init__(self, bucket="mltrack-team", port=0):
        if not os.path.exists(S3RVER):
            subprocess.run(["bash", os.path.join(ROOT, ".ci", "install-s3rver.sh")], check=True, capture_output=True)
        self.bucket = bucket
        self.dir = tempfile.mkdtemp(prefix="mltrack-s3rver-")
        self.port = port
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen([os.environ.get("MLTRACK_NODE", "node"), S3RVER, "-d", self.dir, "-a", "127.0.0.1",
                                      "-p", str(self.port), "--configure-bucket", self.bucket],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 60
        port = None
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line and self.proc.poll() is not None:
                break
            m = re.search(r"listening on [^\s:]+:(\d+)", re.sub(r"\x1b\[[0-9;]*m", "", line))
            if m:
                port = int(m.group(1))
                break
        if port is None:
            self.stop()
            raise RuntimeError("s3rver did not start")
        self.port = port
        self.url = f"http://127.0.0.1:{self.port}"
        # s3rver logs every request: keep reading, or a full pipe would stall it
        stdout = self.proc.stdout
        threading.Thread(target=lambda: [None for _ in stdout], daemon=True).start()

    def kill(self):
        """Gone at once (SIGKILL); its folder, and so the bucket's objects, stay for start()."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def env(self):
        return {"AWS_ENDPOINT_URL": self.url, "AWS_ACCESS_KEY_ID": S3RVER_KEY, "AWS_SECRET_ACCESS_KEY": S3RVER_KEY,
                "AWS_REGION": "us-east-1"}

    def keys(self, prefix=""):
        """The bucket's object keys under prefix, through S3's ListObjectsV2 (s3rver takes unsigned requests)."""
        keys, token = [], None
        while True:
            query = {"list-type": "2", "prefix": prefix, **({"continuation-token": token} if token else {})}
            with urllib.request.urlopen(f"{self.url}/{self.bucket}?{urllib.parse.urlencode(query)}", timeout=30) as r:
                root = ElementTree.fromstring(r.read())
            named = lambda name: [e.text for e in root.iter() if e.tag.rsplit("}", 1)[-1] == name]  # any namespace
            keys += named("Key")  # only objects (<Contents>) have a Key
            token = next(iter(named("NextContinuationToken")), None)
            if not token:
                return sorted(keys)

    def stop(self):
        if self.proc is not None:
            self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
