"""Nothing logged is lost: with no server the client spools; the server replays the spool at its next start, once."""
import os
import shutil
import subprocess
import time
import unittest

from helpers import CLIENT, PYTHON, Server, Workspace, sklearn_available, wait_for

SCRIPT = """
import mltrack
@mltrack.track(name="offline-train")
def train(lr=0.05, epochs=3):
    for i in range(1500):
        mltrack.log_metric("loss", 1.0 / (i + 1), step=i)
    mltrack.set_tag("where", "offline")
    model = None
    try:
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        X = np.arange(40, dtype=float).reshape(20, 2); y = (X[:, 0] > 19).astype(int)
        model = LogisticRegression().fit(X, y)
    except ImportError:
        pass
    return {"acc": 0.875, "model": model} if model is not None else {"acc": 0.875}
train()
"""


def spool_files(ws):
    if not os.path.isdir(ws.spool):
        return []
    return sorted(f for f in os.listdir(ws.spool) if f.endswith(".jsonl"))


class SpoolReplayTests(unittest.TestCase):
    def setUp(self):
        self.ws = Workspace()
        self.server = None

    def tearDown(self):
        if self.server is not None:
            self.server.stop()
        self.ws.remove()

    def run_offline(self):
        env = self.ws.env(PYTHONPATH=CLIENT)
        r = subprocess.run([PYTHON, "-c", SCRIPT], cwd=self.ws.root, env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        (name,) = spool_files(self.ws)
        return name[:-len(".jsonl")]

    def check_run(self, run_id):
        s = self.server
        info = s.run(run_id)["info"]
        self.assertEqual(info["status"], "FINISHED")
        self.assertEqual(info["run_name"], "offline-train")
        self.assertEqual(s.params(run_id), {"lr": "0.05", "epochs": "3"})
        self.assertEqual(s.tags(run_id)["where"], "offline")
        loss = s.history(run_id, "loss")
        self.assertEqual(len(loss), 1500)
        self.assertEqual(len({m["step"] for m in loss}), 1500)
        self.assertEqual(s.latest_metrics(run_id)["acc"], 0.875)
        if sklearn_available():
            self.assertIn("model/" + s.tags(run_id)["mltrack.model.path"].split("/", 1)[1], s.artifacts(run_id))

    def test_offline_run_is_replayed_at_next_start_exactly_once(self):
        run_id = self.run_offline()
        copy = os.path.join(self.ws.root, "spool-copy")
        shutil.copytree(self.ws.spool, copy)
        self.server = Server(self.ws)
        self.assertTrue(wait_for(lambda: not spool_files(self.ws), 30), "the server did not consume the spool")
        self.check_run(run_id)
        # the same spool again (e.g. a crash before the file was deleted): nothing doubles
        self.server.stop()
        shutil.rmtree(self.ws.spool, ignore_errors=True)
        shutil.copytree(copy, self.ws.spool)
        self.server = Server(self.ws)
        self.assertTrue(wait_for(lambda: not spool_files(self.ws), 30))
        self.check_run(run_id)

    def test_artifacts_of_a_run_created_offline_in_a_named_experiment_arrive_after_replay(self):
        # Offline, the client cannot learn the experiment's id: its uploads must still be accepted on replay.
        script = (
            "import mltrack\n"
            "with mltrack.start_run(name='offline-artifact', experiment='offline-exp'):\n"
            "    mltrack.log_text('hello from offline', 'notes/hello.txt')\n"
        )
        r = subprocess.run([PYTHON, "-c", script], cwd=self.ws.root, env=self.ws.env(PYTHONPATH=CLIENT),
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        (name,) = spool_files(self.ws)
        run_id = name[:-len(".jsonl")]
        self.server = Server(self.ws)
        self.assertTrue(wait_for(lambda: not spool_files(self.ws), 30), "the server did not consume the spool")
        self.assertIn("notes/hello.txt", self.server.artifacts(run_id, "notes"))
        log = open(os.path.join(self.ws.root, "server.log")).read()
        self.assertNotIn("refused", log)

    def test_server_killed_while_logging(self):
        self.server = Server(self.ws)
        phase1, go = (os.path.join(self.ws.root, n) for n in ("phase1", "go"))
        code = f"""
import os, time, mltrack
with mltrack.start_run(name="interrupted") as run:
    print(run.info.run_id, flush=True)
    for i in range(100):
        mltrack.log_metric("x", i, step=i)
    mltrack.flush()
    open({phase1!r}, "w").close()
    while not os.path.exists({go!r}):
        time.sleep(0.05)
    for i in range(100, 200):
        mltrack.log_metric("x", i, step=i)
    mltrack.log_param("late", "yes")
"""
        proc = subprocess.Popen([PYTHON, "-c", code], cwd=self.ws.root, env=self.ws.env(PYTHONPATH=CLIENT),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        run_id = proc.stdout.readline().strip()
        self.assertTrue(wait_for(lambda: os.path.exists(phase1), 60))
        self.assertEqual(len(self.server.history(run_id, "x")), 100)
        self.server.kill()
        open(go, "w").close()
        out, err = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn("spooling", err)
        self.assertEqual(spool_files(self.ws), [run_id + ".jsonl"])
        self.server = Server(self.ws)
        self.assertTrue(wait_for(lambda: not spool_files(self.ws), 30))
        points = self.server.history(run_id, "x")
        self.assertEqual(sorted(m["step"] for m in points), list(range(200)))
        self.assertEqual(self.server.params(run_id), {"late": "yes"})
        self.assertEqual(self.server.run(run_id)["info"]["status"], "FINISHED")


if __name__ == "__main__":
    unittest.main()
