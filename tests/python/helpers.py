"""Shared fixtures: a real `mltrack server` on a temp store, REST helpers, client reset, script runner."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLIENT = os.path.join(ROOT, "clients", "python")
BOOTSTRAP = os.path.join(CLIENT, "mltrack_bootstrap")
MLTRACK = os.path.join(ROOT, "mltrack")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
if CLIENT not in sys.path:
    sys.path.insert(0, CLIENT)
if BOOTSTRAP not in sys.path:
    sys.path.append(BOOTSTRAP)

from mltrack import _tracking  # noqa: E402
from mltrack._http import HttpClient  # noqa: E402

API = "/api/2.0/mlflow"
_ENV_KEYS = ("MLTRACK_TRACKING_URI", "MLTRACK_TOKEN", "MLTRACK_STORE", "MLTRACK_HOME", "MLTRACK_RUN_ID",
             "MLTRACK_EXPERIMENT_ID", "MLFLOW_RUN_ID", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_TRACKING_URI",
             "MLFLOW_TRACKING_TOKEN", "MLTRACK_CAPTURE_PID")


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items() if k not in _ENV_KEYS and not k.startswith("MLTRACK_")}
    env.update(extra or {})
    return env


def reset_client():
    _tracking.reset()


class Workspace:
    """A temp workspace with its own .mltrack folder (store, token, server.json, spool)."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="mltrack-test-ws-")
        self.root = os.path.realpath(self.root)
        os.makedirs(os.path.join(self.root, ".git"))  # marks the workspace root for the client and the server
        self.folder = os.path.join(self.root, ".mltrack")
        os.makedirs(self.folder, exist_ok=True)
        self.store = os.path.join(self.folder, "mltrack.db")
        self.spool = os.path.join(self.folder, "spool")

    def env(self, **extra):
        env = clean_env({"MLTRACK_STORE": self.store})
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)


class Server:
    """`mltrack server` for a workspace's store, on a free loopback port; started and stopped by the test."""

    def __init__(self, ws: Workspace, timeout: float = 600, args=(), env=None, token_file=None):
        """args: extra `mltrack server` arguments (e.g. --store postgresql://…); env: extra environment;
        token_file: where the token is (default <ws>/.mltrack/token). A non-file store writes no server.json."""
        self.ws = ws
        self.log = open(os.path.join(ws.root, "server.log"), "ab")
        server_env = ws.env()
        server_env.update(env or {})
        self.proc = subprocess.Popen([MLTRACK, "server", *args], cwd=ws.root, env=server_env, stdout=subprocess.PIPE,
                                     stderr=self.log, text=True)
        line = ""
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if line.strip().startswith("http") or self.proc.poll() is not None:
                break
        if not line.strip().startswith("http"):
            self.stop()
            raise RuntimeError(f"mltrack server did not start: {self.stderr_text()[-2000:]}")
        self.url = line.strip()
        with open(token_file or os.path.join(ws.folder, "token")) as f:
            self.token = f.read().strip()
        self.http = HttpClient(self.url, self.token, retries=1)
        if token_file is None:
            # wait for server.json (the client finds the server through it)
            t0 = time.time()
            while not os.path.exists(os.path.join(ws.folder, "server.json")) and time.time() - t0 < 10:
                time.sleep(0.05)

    def stderr_text(self):
        try:
            with open(os.path.join(self.ws.root, "server.log"), "r", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(2)  # SIGINT: a clean stop
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.log.close()

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.log.close()

    # -- REST helpers -----------------------------------------------------------------------------------------
    def get(self, _path, **query):
        return self.http.request("GET", API + _path, query=query)

    def post(self, path, body):
        return self.http.request("POST", API + path, body=body)

    def run(self, run_id):
        return self.get("/runs/get", run_id=run_id)["run"]

    def params(self, run_id):
        return {p["key"]: p["value"] for p in self.run(run_id)["data"].get("params", [])}

    def tags(self, run_id):
        return {t["key"]: t["value"] for t in self.run(run_id)["data"].get("tags", [])}

    def latest_metrics(self, run_id):
        return {m["key"]: m["value"] for m in self.run(run_id)["data"].get("metrics", [])}

    def history(self, run_id, key):
        out, token = [], None
        while True:
            r = self.get("/metrics/get-history", run_id=run_id, metric_key=key, max_results=25000, page_token=token)
            out += r.get("metrics", [])
            token = r.get("next_page_token")
            if not token:
                return out

    def artifacts(self, run_id, path=None):
        """Every artifact file path of a run (recursive)."""
        out = []
        r = self.get("/artifacts/list", run_id=run_id, path=path)
        for f in r.get("files", []):
            if f.get("is_dir"):
                out += self.artifacts(run_id, f["path"])
            else:
                out.append(f["path"])
        return sorted(out)

    def download(self, run_id, experiment_id, relpath):
        import http.client
        u = urllib.parse.urlsplit(self.url)
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        c.request("GET", f"/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/{run_id}/artifacts/{relpath}",
                  headers={"Authorization": "Bearer " + self.token})
        r = c.getresponse()
        data = r.read()
        c.close()
        if r.status != 200:
            raise AssertionError(f"download {relpath}: HTTP {r.status} {data[:200]!r}")
        return data

    def search(self, experiment_ids=None, filter=None):
        body = {"experiment_ids": experiment_ids or ["0"], "max_results": 1000}
        if filter:
            body["filter"] = filter
        return self.post("/runs/search", body).get("runs", [])

    def create_run(self, experiment_id="0", name="launched"):
        r = self.post("/runs/create", {"experiment_id": experiment_id, "run_name": name, "start_time": int(time.time() * 1000)})
        return r["run"]["info"]

    def run_files(self, run_id):
        """The run's inputs/outputs if the server exposes them (mltrack extension), else None."""
        try:
            return self.http.request("GET", "/api/2.0/mltrack/runs/files", query={"run_id": run_id})
        except Exception:
            return None


def run_script(code_or_path, ws: Workspace, args=(), env=None, bootstrap=True, timeout=300, cwd=None):
    """Runs a Python script (a path, or source text) with /usr/bin/python3; returns CompletedProcess."""
    path = code_or_path
    if not os.path.exists(str(code_or_path)):
        path = os.path.join(ws.root, f"script_{int(time.time() * 1e6)}.py")
        with open(path, "w") as f:
            f.write(code_or_path)
    e = ws.env()
    e["PYTHONPATH"] = BOOTSTRAP if bootstrap else CLIENT
    if bootstrap:
        e["PYTHONPATH"] = BOOTSTRAP
    e.update(env or {})
    return subprocess.run([PYTHON, path, *args], cwd=cwd or ws.root, env=e, capture_output=True, text=True, timeout=timeout)


def sklearn_available():
    r = subprocess.run([PYTHON, "-c", "import sklearn, numpy"], capture_output=True)
    return r.returncode == 0


def wait_for(pred, timeout=15.0, interval=0.1):
    t0 = time.time()
    while time.time() - t0 < timeout:
        v = pred()
        if v:
            return v
        time.sleep(interval)
    return pred()
