"""kill -9 of a standalone `mltrack server` while a Python client logs batches: every point the server acknowledged
(HTTP 200 received) is stored exactly once after the client's retries, its spool and the replays at each restart.

The server is killed at random moments (the seed is printed, MLTRACK_FAULT_SEED replays it) and restarted each time.
"""
import os
import random
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import CLIENT, PYTHON, StandaloneServer, Workspace, read_events, require_binary, wait_for  # noqa: E402

KILLS = 5

# Logs one point per step through the client's normal batching (each batch carries its mltrack_batch_id) and notes
# the steps of every log-batch the server answered with 200; stops when the stop file appears.
SCRIPT = r'''
import os, sys, time
import mltrack
from mltrack import _tracking
events = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
stop = sys.argv[2]
def note(kind, value):
    os.write(events, f"{kind} {value} {time.time():.6f}\n".encode())
plain_call = _tracking.Client.call
def call(self, run_id, method, path, body=None, query=None, spool=True):
    answer = plain_call(self, run_id, method, path, body, query, spool)
    if answer is not None and isinstance(body, _tracking.LazyBatch):  # None: spooled, not acknowledged
        os.write(events, "".join(f"ack {p[3]} {time.time():.6f}\n" for p in body.points).encode())
    return answer
_tracking.Client.call = call
with mltrack.start_run(name="under-fire") as run:
    note("run", run.info.run_id)
    step = 0
    while not os.path.exists(stop):
        for _ in range(50):
            mltrack.log_metric("x", step * 0.5, step=step)
            step += 1
        time.sleep(0.01)
    note("last", step - 1)
'''


class ServerKillTests(unittest.TestCase):
    def setUp(self):
        require_binary(self)
        self.ws = Workspace()
        seed = int(os.environ.get("MLTRACK_FAULT_SEED") or time.time())
        print(f"\n{type(self).__name__}: seed {seed}", file=sys.stderr)
        self.random = random.Random(seed)

    def tearDown(self):
        self.ws.remove()

    def test_every_acknowledged_point_survives_repeated_server_kills_exactly_once(self):
        events_path = os.path.join(self.ws.root, "events.txt")
        stop = os.path.join(self.ws.root, "stop")
        script = os.path.join(self.ws.root, "logger.py")
        with open(script, "w") as f:
            f.write(SCRIPT)
        server = StandaloneServer(self.ws)
        err_path = os.path.join(self.ws.root, "client.err")
        with open(err_path, "wb") as err:
            client = subprocess.Popen([PYTHON, script, events_path, stop], cwd=self.ws.root,
                                      env=self.ws.env(PYTHONPATH=CLIENT), stdout=subprocess.DEVNULL, stderr=err)
        try:
            self.assertTrue(wait_for(lambda: any(k == "ack" for k, _v, _t in read_events(events_path)), 30, 0.02),
                            "the client never got a batch acknowledged")
            for _ in range(KILLS):
                time.sleep(self.random.uniform(0.2, 1.2))  # logging, batches in flight
                server.kill()
                time.sleep(self.random.uniform(0.0, 0.5))  # no server: the client spools
                server = StandaloneServer(self.ws)  # replays the spool
            time.sleep(0.5)
            open(stop, "w").close()
            client.wait(60)
            with open(err_path, errors="replace") as f:
                self.assertEqual(client.returncode, 0, f.read()[-2000:])
            # Whatever the client spooled after the last replay: the next start replays it.
            server.stop()
            server = StandaloneServer(self.ws)

            events = read_events(events_path)
            run_id = next(v for k, v, _t in events if k == "run")
            last = int(next(v for k, v, _t in events if k == "last"))
            acked = {int(v) for k, v, _t in events if k == "ack"}
            stored = server.steps(run_id, "x")

            self.assertEqual(len(stored), len(set(stored)), f"{len(stored) - len(set(stored))} points stored twice")
            missing = sorted(acked - set(stored))
            self.assertFalse(missing, f"{len(missing)} of {len(acked)} acknowledged points are missing: {missing[:20]}")
            self.assertEqual(sorted(stored), list(range(last + 1)), "points the client accepted are missing")
        finally:
            if client.poll() is None:
                client.kill()
                client.wait()
            server.stop()


if __name__ == "__main__":
    unittest.main()
