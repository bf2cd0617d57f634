"""What the fault tests share: the mltrack binary, servers they can kill (`mltrack server`, `mltrack ui` with REST and
/rpc on one port), LSP-framed stdio for `mltrack rpc --stdio`, process checks.

The binary is $MLTRACK_BIN, else <repo>/out/mltrack/mltrack (build it with `./mltrack --help`). Workspace, the REST
client, clean_env and wait_for come from tests/python/helpers.py.
"""
import http.client
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "python"))

from helpers import API, CLIENT, PYTHON, Workspace, clean_env, wait_for  # noqa: E402,F401
from mltrack._http import HttpClient  # noqa: E402

MLTRACK = MLTRACK_BIN = os.environ.get("MLTRACK_BIN") or os.path.join(REPO, "out", "mltrack", "mltrack")


def require_binary(test):
    if not os.access(MLTRACK_BIN, os.X_OK):
        test.fail(f"{MLTRACK_BIN} is missing: build it with ./mltrack --help (or set MLTRACK_BIN)")


def alive(pid: int) -> bool:
    """True when the process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split(" ")[0] != "Z"


def interrupt(proc, grace=20):
    """Stops a process as Ctrl+C would (SIGINT), killing it when it does not end within `grace` seconds."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class StandaloneServer:
    """`mltrack server` for a workspace; killed with -9 or stopped with SIGINT by the test."""

    def __init__(self, ws: Workspace, timeout: float = 60, args=()):
        self.ws = ws
        self.log_path = os.path.join(ws.root, "server.log")
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([MLTRACK_BIN, "server", *args], cwd=ws.root, env=ws.env(), stdout=subprocess.PIPE,
                                     stderr=self.log, text=True)
        line = self.proc.stdout.readline().strip()  # the URL, printed once listening, the spool replayed
        if not line.startswith("http"):
            self.stop()
            raise RuntimeError(f"mltrack server did not start: {self.log_text()[-2000:]}")
        self.url = line
        with open(os.path.join(ws.folder, "token")) as f:
            self.token = f.read().strip()
        self.http = HttpClient(self.url, self.token, retries=2)
        wait_for(lambda: os.path.exists(os.path.join(ws.folder, "server.json")), timeout)

    def log_text(self) -> str:
        with open(self.log_path, "r", errors="replace") as f:
            return f.read()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._close()

    def stop(self):
        interrupt(self.proc)
        self._close()

    def _close(self):
        if self.proc.stdout:
            self.proc.stdout.close()
        if getattr(self, "http", None):  # absent when the server never started
            self.http.close()
        self.log.close()

    def run(self, run_id):
        return self.http.request("GET", API + "/runs/get", query={"run_id": run_id})["run"]

    def steps(self, run_id, key):
        """Every stored step of a metric, in order, duplicates kept."""
        out, token = [], None
        while True:
            r = self.http.request("GET", API + "/metrics/get-history",
                                  query={"run_id": run_id, "metric_key": key, "max_results": 25000, "page_token": token})
            out += [int(m["step"]) for m in r.get("metrics", [])]
            token = r.get("next_page_token")
            if not token:
                return out


def read_events(path: str):
    """Lines ``kind value time`` a script wrote with one os.write each (a torn last line is dropped)."""
    events = []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and line.endswith("\n"):
                    events.append((parts[0], parts[1], float(parts[2])))
    except FileNotFoundError:
        pass
    return events


def dump(obj) -> str:
    return json.dumps(obj, indent=1, sort_keys=True)[:3000]


class TempStore:
    """A workspace folder with its .mltrack store, removed on close."""

    def __init__(self, prefix="mltrack-faults-"):
        self.root = tempfile.mkdtemp(prefix=prefix)
        self.folder = os.path.join(self.root, ".mltrack")
        self.db = os.path.join(self.folder, "mltrack.db")

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


class Ui:
    """`mltrack ui --port 0` on a store: the tracking REST API and /rpc on one loopback port, with the store's token."""

    def __init__(self, store: TempStore, timeout=60):
        self.store = store
        self.log_path = os.path.join(store.root, "ui.log")
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([MLTRACK, "--store", store.db, "ui", "--port", "0"], cwd=store.root, env=clean_env(),
                                     stdout=subprocess.PIPE, stderr=self._log, text=True)
        deadline, line = time.time() + timeout, ""
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if line.startswith("http") or self.proc.poll() is not None:
                break
        if not line.startswith("http"):
            self.stop()
            raise RuntimeError(f"mltrack ui did not start: {self.log_text()[-2000:]}")
        u = urllib.parse.urlsplit(line.strip())
        self.host, self.port = u.hostname, u.port
        with open(os.path.join(store.folder, "token")) as f:
            self.token = f.read().strip()

    def log_text(self):
        with open(self.log_path, "r", errors="replace") as f:
            return f.read()

    def request(self, method, path, body=None, headers=None, auth=True, timeout=15):
        """(status, headers dict with lower-case names, body text) of one request, sent as given."""
        h = {"Host": f"127.0.0.1:{self.port}"}
        if auth:
            h["Authorization"] = "Bearer " + self.token
        if body is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        c = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            data = body.encode() if isinstance(body, str) else body
            if data is not None:
                h["Content-Length"] = str(len(data))
            for k, v in h.items():
                c.putheader(k, v)
            c.endheaders(data)
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
        finally:
            c.close()

    def api(self, path, body):
        status, _, text = self.request("POST", "/api/2.0/mlflow" + path, json.dumps(body))
        if status != 200:
            raise AssertionError(f"{path}: HTTP {status} {text[:300]}")
        return json.loads(text)

    def stop(self):
        interrupt(self.proc)
        if self.proc.stdout:
            self.proc.stdout.close()
        self._log.close()


def frame(message) -> bytes:
    """One LSP-framed JSON-RPC message."""
    body = json.dumps(message).encode() if not isinstance(message, (bytes, str)) else (
        message.encode() if isinstance(message, str) else message)
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class StdioRpc:
    """`mltrack rpc --stdio` as the extension runs it, with a reader that never blocks past its deadline."""

    def __init__(self, store: TempStore):
        self.proc = subprocess.Popen([MLTRACK, "rpc", "--stdio"], cwd=store.root, env=clean_env(),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._buf = b""

    def send(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def read_message(self, timeout=10.0):
        """The next framed message (parsed JSON), or None when none came before the deadline or the stream ended."""
        deadline = time.time() + timeout
        while True:
            head_end = self._buf.find(b"\r\n\r\n")
            if head_end >= 0:
                length = None
                for line in self._buf[:head_end].split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length is not None and len(self._buf) >= head_end + 4 + length:
                    body = self._buf[head_end + 4:head_end + 4 + length]
                    self._buf = self._buf[head_end + 4 + length:]
                    return json.loads(body)
            left = deadline - time.time()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return None
            self._buf += chunk

    def answer_to(self, request_id, timeout=10.0):
        """The response with this id (notifications and other answers are skipped), or None."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.read_message(deadline - time.time())
            if m is None:
                return None
            if "method" not in m and m.get("id") == request_id:
                return m
        return None

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        stderr = self.proc.stderr.read().decode("utf-8", "replace")
        self.proc.stderr.close()
        self.proc.stdout.close()
        return stderr


CLUSTER_SH = os.path.join(REPO, "tests", "postgres", "cluster.sh")


class PrivateCluster:
    """A PostgreSQL cluster of the test's own (tests/postgres/cluster.sh), which it may crash and restart on the same
    port: never the shared one. Commits are crash-safe (synchronous_commit on), so an acknowledged write survives."""

    def __init__(self):
        if not os.access("/usr/lib/postgresql/15/bin/pg_ctl", os.X_OK):
            raise unittest.SkipTest("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin)")
        self.dir = tempfile.mkdtemp(prefix="mltrack-faults-pg-")
        os.chmod(self.dir, 0o755)  # the cluster runs as user postgres when the tests run as root
        self.uri = self._cluster("start", self.dir)
        self.port = urllib.parse.urlsplit(self.uri).port

    def _cluster(self, *args):
        r = subprocess.run(["bash", CLUSTER_SH, *args], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "MLTRACK_PG_CRASH_SAFE": "1"})
        if r.returncode != 0:
            raise RuntimeError(f"cluster.sh {' '.join(args)} failed: {r.stderr[-2000:]}")
        return r.stdout.strip()

    def crash(self):
        """Stops it at once, as a crash would: open connections are cut, nothing is checkpointed."""
        self._cluster("crash", self.dir)

    def restart(self):
        """Starts it again on the same port (recovering from its WAL)."""
        self._cluster("start", self.dir, str(self.port))

    def psql(self, sql, database="postgres"):
        r = subprocess.run(["psql", f"postgresql://postgres@127.0.0.1:{self.port}/{database}", "-v", "ON_ERROR_STOP=1",
                            "-qAtc", sql], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f"psql: {r.stderr}")
        return r.stdout

    def remove(self):
        try:
            self._cluster("stop", self.dir)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class TeamServer:
    """`mltrack server --store postgresql://… --artifacts … --state-dir …` (a team replica: no server.json, no lock)."""

    def __init__(self, store_uri: str, root: str, args=(), timeout: float = 60, artifacts=None, env=None):
        self.root = root
        self.state = os.path.join(root, "state")
        self.log_path = os.path.join(root, "server.log")
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([MLTRACK_BIN, "server", "--store", store_uri, "--artifacts", artifacts or os.path.join(root, "artifacts"),
                                      "--state-dir", self.state, *args], cwd=root, env=clean_env(env),
                                     stdout=subprocess.PIPE, stderr=self.log, text=True)
        deadline, line = time.time() + timeout, ""
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if line.startswith("http") or self.proc.poll() is not None:
                break
        if not line.startswith("http"):
            self.stop()
            raise RuntimeError(f"mltrack server did not start: {self.log_text()[-2000:]}")
        self.url = line.strip()
        u = urllib.parse.urlsplit(self.url)
        self.host, self.port = u.hostname, u.port
        with open(os.path.join(self.state, "token")) as f:
            self.token = f.read().strip()

    def log_text(self) -> str:
        with open(self.log_path, "r", errors="replace") as f:
            return f.read()

    def request(self, method, path, body=None, query=None, timeout=30):
        """(status, parsed JSON or text) of one request on a fresh connection; no retries."""
        if query:
            path += "?" + urllib.parse.urlencode(query)
        c = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            headers = {"Authorization": "Bearer " + self.token}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            c.request(method, path, body=data, headers=headers)
            r = c.getresponse()
            raw = r.read().decode("utf-8", "replace")
            try:
                return r.status, json.loads(raw)
            except ValueError:
                return r.status, raw
        finally:
            c.close()

    def api(self, path, body=None, query=None):
        """The JSON answer of a request that must succeed."""
        status, answer = self.request("POST" if body is not None else "GET", "/api/2.0/mlflow" + path, body, query)
        if status != 200:
            raise AssertionError(f"{path}: HTTP {status} {str(answer)[:500]}")
        return answer

    def stop(self):
        interrupt(self.proc)
        if self.proc.stdout:
            self.proc.stdout.close()
        self.log.close()
