"""kill -9 of `mltrack run` mid-run: the script and its children die with the launcher, the run ends CRASHED, and
nothing accepted well before the kill is lost — neither the points parsed from stdout nor those the client accepted.

Each of the runs below is killed at a random moment (the seed is printed, MLTRACK_FAULT_SEED replays it).
"""
import os
import random
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import MLTRACK_BIN, PYTHON, StandaloneServer, Workspace, alive, read_events, require_binary, wait_for  # noqa: E402

KILLS = 5
MARGIN = 0.2  # what was printed or accepted this long before the kill must be stored

# Prints a metric line every 20 ms and logs another metric through the client; notes when each was done.
SCRIPT = r'''
import os, subprocess, sys, time
import mltrack
events = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
def note(kind, value):
    os.write(events, f"{kind} {value} {time.time():.6f}\n".encode())
child = subprocess.Popen(["sleep", "1000"])
note("run", os.environ["MLTRACK_RUN_ID"])
note("pid", os.getpid())
note("child", child.pid)
i = 0
while True:
    print(f"step {i} loss={1.0 / (i + 1):.6f}", flush=True)
    note("print", i)
    mltrack.log_metric("client_loss", 1.0 / (i + 1), step=i)
    note("accept", i)
    i += 1
    time.sleep(0.02)
'''


class LauncherKillTests(unittest.TestCase):
    def setUp(self):
        require_binary(self)
        self.ws = Workspace()
        self.script = os.path.join(self.ws.root, "train.py")
        with open(self.script, "w") as f:
            f.write(SCRIPT)
        seed = int(os.environ.get("MLTRACK_FAULT_SEED") or time.time())
        print(f"\n{type(self).__name__}: seed {seed}", file=sys.stderr)
        self.random = random.Random(seed)

    def tearDown(self):
        self.ws.remove()

    def kill_mid_run(self, n: int):
        """Starts a run, kills its launcher with -9 at a random moment; returns (events, kill time)."""
        events_path = os.path.join(self.ws.root, f"events-{n}.txt")
        with open(os.path.join(self.ws.root, f"launcher-{n}.log"), "wb") as out:
            launcher = subprocess.Popen([MLTRACK_BIN, "run", "--system-interval", "0", "--", PYTHON, self.script, events_path],
                                        cwd=self.ws.root, env=self.ws.env(), stdout=out, stderr=out)
        try:
            started = wait_for(lambda: [e for e in read_events(events_path) if e[0] == "print"], 60, 0.02)
            self.assertTrue(started, "the script never printed its first step")
            time.sleep(self.random.uniform(0.3, 1.5))
            killed_at = time.time()
            launcher.send_signal(signal.SIGKILL)
            launcher.wait()
        finally:
            if launcher.poll() is None:
                launcher.kill()
                launcher.wait()
        return read_events(events_path), killed_at

    def test_killing_the_launcher_ends_the_script_marks_the_run_crashed_and_keeps_the_tail(self):
        for n in range(KILLS):
            with self.subTest(kill=n):
                events, killed_at = self.kill_mid_run(n)
                value = {kind: v for kind, v, _t in events if kind in ("run", "pid", "child")}
                run_id, script, child = value["run"], int(value["pid"]), int(value["child"])

                # The script and what it started die with their launcher, within a few seconds.
                self.assertTrue(wait_for(lambda: not alive(script) and not alive(child), 5, 0.05),
                                f"the script (alive: {alive(script)}) or its child (alive: {alive(child)}) outlived the launcher")

                # The next mltrack command marks the run CRASHED, and this server start replays the client's spool.
                server = StandaloneServer(self.ws)
                try:
                    run = server.run(run_id)
                    tags = {t["key"]: t["value"] for t in run["data"].get("tags", [])}
                    self.assertEqual((run["info"]["status"], tags.get("mltrack.status")), ("FAILED", "CRASHED"))

                    for metric, kind in (("loss", "print"), ("client_loss", "accept")):
                        stored = server.steps(run_id, metric)
                        self.assertEqual(len(stored), len(set(stored)), f"{metric}: duplicate points")
                        due = [int(v) for k, v, t in events if k == kind and t <= killed_at - MARGIN]
                        missing = sorted(set(due) - set(stored))
                        self.assertFalse(missing, f"{metric}: {len(missing)} of {len(due)} points done ≥ {MARGIN} s "
                                                  f"before the kill are missing: {missing[:20]}")
                finally:
                    server.stop()


if __name__ == "__main__":
    unittest.main()
