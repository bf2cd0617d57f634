"""Fault: a tracking server killed with -9 in the middle of an artifact upload, and symbolic links out of a run folder.

A real `mltrack server` on a temp store. The upload is a slow chunked PUT (as a streaming client sends it); the
server dies mid-body. After a restart on the same store: no temporary upload file is left, nothing partial is served
or listed, and a complete upload of the same path is served byte for byte. Separately: a link from a run's artifact
folder to a folder outside is never followed by GET, list or PUT, and the outside folder is untouched.
"""
import hashlib
import http.client
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from faultlib import MLTRACK_BIN, REPO as ROOT, StandaloneServer
PROXY = "/api/2.0/mlflow-artifacts/artifacts"
TEMP_PREFIX = ".mltrack-upload-"
MB = 1024 * 1024


def setUpModule():
    if not os.environ.get("MLTRACK_BIN") and not os.access(MLTRACK_BIN, os.X_OK):
        subprocess.run([os.path.join(ROOT, "mltrack"), "--help"], check=True, stdout=subprocess.DEVNULL)


class Workspace:
    """A temp workspace with its own .mltrack folder."""

    def __init__(self):
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="mltrack-fault-artifacts-"))
        os.makedirs(os.path.join(self.root, ".git"))  # marks the workspace root
        self.folder = os.path.join(self.root, ".mltrack")
        os.makedirs(self.folder)
        self.store = os.path.join(self.folder, "mltrack.db")
        self.artifacts = os.path.join(self.folder, "artifacts")

    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("MLTRACK_") and not k.startswith("MLFLOW_")}
        env["MLTRACK_STORE"] = self.store
        return env

    def temp_files(self):
        found = []
        for dirpath, _dirs, files in os.walk(self.artifacts):
            found += [os.path.join(dirpath, f) for f in files if f.startswith(TEMP_PREFIX)]
        return found

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)


class Server(StandaloneServer):
    """`mltrack server` on a free loopback port, with raw HTTP helpers for streamed uploads."""

    def __init__(self, ws):
        super().__init__(ws)
        url = urllib.parse.urlsplit(self.url)
        self.host, self.port = url.hostname, url.port

    def connection(self, timeout=30):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, query=None):
        """(status, parsed JSON or raw bytes) of one request."""
        if query:
            path += "?" + urllib.parse.urlencode(query)
        c = self.connection()
        headers = {"Authorization": "Bearer " + self.token}
        if isinstance(body, dict):
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        data = r.read()
        c.close()
        if r.getheader("Content-Type", "").startswith("application/json"):
            return r.status, json.loads(data)
        return r.status, data

    def create_run(self):
        status, body = self.request("POST", "/api/2.0/mlflow/runs/create",
                                    {"experiment_id": "0", "start_time": int(time.time() * 1000)})
        assert status == 200, body
        return body["run"]["info"]["run_id"]

    def listing(self, run_id, path=""):
        status, body = self.request("GET", "/api/2.0/mlflow/artifacts/list", query={"run_id": run_id, "path": path})
        return status, body

    def start_chunked_put(self, path):
        """An open connection with the request line and headers of a chunked PUT sent; the body follows."""
        c = self.connection(timeout=60)
        c.putrequest("PUT", PROXY + "/" + path)
        c.putheader("Authorization", "Bearer " + self.token)
        c.putheader("Content-Type", "application/octet-stream")
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        return c

    def put_streamed(self, path, data, chunk=MB, pause=0.0):
        c = self.start_chunked_put(path)
        for i in range(0, len(data), chunk):
            send_chunk(c, data[i:i + chunk])
            if pause:
                time.sleep(pause)
        c.send(b"0\r\n\r\n")
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body


def send_chunk(conn, data):
    conn.send(b"%x\r\n" % len(data) + data + b"\r\n")


def wait_for(predicate, timeout=30, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


class ArtifactUploadKillTest(unittest.TestCase):
    def setUp(self):
        self.ws = Workspace()
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.proc.poll() is None:
                s.stop()
        self.ws.remove()

    def start_server(self):
        server = Server(self.ws)
        self.servers.append(server)
        return server

    def test_a_server_killed_mid_upload_leaves_no_temp_file_and_serves_nothing_partial_after_restart(self):
        server = self.start_server()
        run_id = server.create_run()
        path = f"0/{run_id}/artifacts/model/weights.bin"

        upload = server.start_chunked_put(path)
        block = os.urandom(MB)
        for _ in range(12):  # 12 of 30 MB, slowly
            send_chunk(upload, block)
            time.sleep(0.02)
        temp = wait_for(lambda: [p for p in self.ws.temp_files() if os.path.getsize(p) >= 8 * MB],
                        what="the upload's temporary file to hold 8 MB")
        server.kill()
        upload.close()
        self.assertTrue(os.path.exists(temp[0]), "the kill should leave the temporary file behind")

        server = self.start_server()

        # Removed in the background right after the server starts listening (never served or listed meanwhile).
        wait_for(lambda: not self.ws.temp_files(), what="the abandoned temporary file to be removed")
        self.assertEqual([], self.ws.temp_files())
        status, body = server.request("GET", PROXY + "/" + path)
        self.assertEqual(404, status, body)
        self.assertEqual("RESOURCE_DOES_NOT_EXIST", body["error_code"])
        status, listing = server.listing(run_id, "model")
        self.assertEqual(200, status)
        self.assertEqual([], listing.get("files", []))
        status, root = server.listing(run_id)
        self.assertNotIn(TEMP_PREFIX, json.dumps(root))

        data = os.urandom(30 * MB)
        status, body = server.put_streamed(path, data)
        self.assertEqual(200, status, body)
        status, served = server.request("GET", PROXY + "/" + path)
        self.assertEqual(200, status)
        self.assertEqual(hashlib.sha256(data).hexdigest(), hashlib.sha256(served).hexdigest())
        self.assertEqual(len(data), len(served))

    def test_a_link_out_of_the_run_folder_is_refused_for_get_list_and_put_and_the_outside_is_untouched(self):
        server = self.start_server()
        run_id = server.create_run()
        run_folder = os.path.join(self.ws.artifacts, run_id)
        os.makedirs(run_folder, exist_ok=True)
        outside = os.path.join(self.ws.root, "outside")
        os.makedirs(outside)
        with open(os.path.join(outside, "secret.txt"), "w") as f:
            f.write("secret")
        os.symlink(outside, os.path.join(run_folder, "link_out"))
        os.symlink("/etc/passwd", os.path.join(run_folder, "passwd"))

        status, got = server.request("GET", f"{PROXY}/0/{run_id}/artifacts/link_out/secret.txt")
        self.assertEqual(400, status, got)
        self.assertEqual("INVALID_PARAMETER_VALUE", got["error_code"])
        self.assertIn("link_out/secret.txt", got["message"])
        self.assertIn("symbolic link", got["message"])

        status, passwd = server.request("GET", f"{PROXY}/0/{run_id}/artifacts/passwd")
        self.assertEqual(400, status, passwd)
        self.assertNotIn("root:", json.dumps(passwd))

        status, root = server.listing(run_id)
        self.assertEqual(200, status)
        self.assertEqual([], [f["path"] for f in root.get("files", [])])
        status, through = server.listing(run_id, "link_out")
        self.assertEqual(400, status, through)
        self.assertNotIn("secret.txt", json.dumps(through))

        status, put = server.put_streamed(f"0/{run_id}/artifacts/link_out/x.txt", b"evil")
        self.assertEqual(400, status, put)

        self.assertEqual(["secret.txt"], os.listdir(outside))
        with open(os.path.join(outside, "secret.txt")) as f:
            self.assertEqual("secret", f.read())


if __name__ == "__main__":
    unittest.main()
