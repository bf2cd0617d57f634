"""What the durability fault tests share: the mltrack binary, a standalone server they can kill, process checks.

The binary is $MLTRACK_BIN, else <repo>/out/mltrack/mltrack (build it with `./mltrack --help`). Workspace, the REST
client and wait_for come from tests/python/helpers.py.
"""
import json
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "python"))

from helpers import API, CLIENT, PYTHON, Workspace, wait_for  # noqa: E402,F401
from mltrack._http import HttpClient  # noqa: E402

MLTRACK_BIN = os.environ.get("MLTRACK_BIN") or os.path.join(ROOT, "out", "mltrack", "mltrack")


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


class StandaloneServer:
    """`mltrack server` for a workspace; killed with -9 or stopped with SIGINT by the test."""

    def __init__(self, ws: Workspace, timeout: float = 60):
        self.ws = ws
        self.log_path = os.path.join(ws.root, "server.log")
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([MLTRACK_BIN, "server"], cwd=ws.root, env=ws.env(), stdout=subprocess.PIPE,
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
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._close()

    def _close(self):
        if self.proc.stdout:
            self.proc.stdout.close()
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
