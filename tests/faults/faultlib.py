"""What the fault tests share: the mltrack binary, a `mltrack ui` on a temp store (REST + /rpc on one port), raw HTTP
that shows exactly what the server answered, and LSP-framed stdio for `mltrack rpc --stdio`."""
import http.client
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
import urllib.parse

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MLTRACK = os.environ.get("MLTRACK_BIN") or os.path.join(REPO, "out", "mltrack", "mltrack")


def clean_env(extra=None):
    """The environment without any MLTrack/MLflow settings of the calling shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLTRACK_", "MLFLOW_"))}
    env.update(extra or {})
    return env


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
        if self.proc.poll() is None:
            self.proc.send_signal(2)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
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
