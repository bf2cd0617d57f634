"""Fault: the team server's PostgreSQL database lost mid-run, then back.

A private PostgreSQL cluster (never the shared one: it is crashed here) and `mltrack server --store postgresql://…`
on it. The cluster is stopped as a crash would (pg_ctl -m immediate) while clients log, then started again on the
same port. Meanwhile: every request answers 503 TEMPORARILY_UNAVAILABLE with MLflow's JSON error naming the
unreachable PostgreSQL server (no 500, no stack trace, never the URI's password) and /health answers 503; once the
database is back the same mltrack process serves again, with no restart. Every write acknowledged with 200 (before,
during or after) is stored, and a log-batch is all or nothing. A Python script logging through the outage with
MLTrack's client loses nothing it logged.
"""
import json
import os
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import CLIENT, PYTHON, PrivateCluster, TeamServer, clean_env, read_events, require_binary, wait_for  # noqa: E402

PASSWORD = "s3cret-pw"  # the cluster trusts every local connection, so any password is accepted; none may be shown


def batch_body(run_id, tag, n):
    """Log-batch n of a writer: two params, a tag and a metric point, all named by (tag, n)."""
    return {"run_id": run_id,
            "params": [{"key": f"{tag}_{n}_a", "value": str(n)}, {"key": f"{tag}_{n}_b", "value": str(-n)}],
            "tags": [{"key": f"{tag}_{n}", "value": "v"}],
            "metrics": [{"key": tag, "value": n * 0.5, "timestamp": int(time.time() * 1000), "step": n}]}


class DatabaseLostTest(unittest.TestCase):
    def setUp(self):
        require_binary(self)
        self.cluster = PrivateCluster()
        self.addCleanup(self.cluster.remove)
        self.root = os.path.realpath(self.cluster.dir + "-ws")
        os.makedirs(os.path.join(self.root, ".git"))  # the Python client's workspace: its spool lives under it
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.root]))
        self.store = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{self.cluster.port}/postgres"
        self.server = TeamServer(self.store, self.root)
        self.addCleanup(self.server.stop)

    def create_run(self, name="lost"):
        return self.server.api("/runs/create", {"experiment_id": "0", "run_name": name})["run"]["info"]["run_id"]

    def stored(self, run_id, tag):
        """(params, tags, metric steps) of the run, the metric being `tag`'s."""
        data = self.server.api("/runs/get", query={"run_id": run_id})["run"]["data"]
        history = self.server.api("/metrics/get-history", query={"run_id": run_id, "metric_key": tag, "max_results": 25000})
        return ({p["key"] for p in data.get("params", [])}, {t["key"] for t in data.get("tags", [])},
                [int(m["step"]) for m in history.get("metrics", [])])

    def assert_unavailable(self, status, answer, what):
        self.assertEqual(503, status, f"{what}: {answer}")
        self.assertIsInstance(answer, dict, f"{what}: not MLflow's JSON error: {answer!r}")
        self.assertEqual("TEMPORARILY_UNAVAILABLE", answer.get("error_code"), what)
        message = answer.get("message", "")
        self.assertIn(f"PostgreSQL server at 127.0.0.1:{self.cluster.port}", message, what)
        self.assertNotIn(PASSWORD, message, what)
        self.assertNotIn("   at ", message, f"{what}: a stack trace")

    def test_while_the_database_is_down_every_request_answers_503_naming_it_and_health_is_503(self):
        run_id = self.create_run()
        self.cluster.crash()

        for what, (method, path, body, query) in {
            "log-batch": ("POST", "/runs/log-batch", batch_body(run_id, "w", 0), None),
            "log-parameter": ("POST", "/runs/log-parameter", {"run_id": run_id, "key": "k", "value": "1"}, None),
            "set-tag": ("POST", "/runs/set-tag", {"run_id": run_id, "key": "k", "value": "1"}, None),
            "log-metric": ("POST", "/runs/log-metric", {"run_id": run_id, "key": "m", "value": 1, "timestamp": 0, "step": 0}, None),
            "runs/create": ("POST", "/runs/create", {"experiment_id": "0"}, None),
            "runs/get": ("GET", "/runs/get", None, {"run_id": run_id}),
            "runs/search": ("POST", "/runs/search", {"experiment_ids": ["0"]}, None),
            "get-history": ("GET", "/metrics/get-history", None, {"run_id": run_id, "metric_key": "m"}),
        }.items():
            status, answer = self.server.request(method, "/api/2.0/mlflow" + path, body, query)
            self.assert_unavailable(status, answer, what)
        status, health = self.server.request("GET", "/health")
        self.assertEqual(503, status, health)
        self.assertEqual({"status": "unavailable", "reason": "the database cannot be reached"}, health["checks"]["database"])
        self.assertNotIn(PASSWORD, self.server.log_text())

    def test_once_the_database_is_back_the_same_server_serves_again_and_keeps_every_acknowledged_write(self):
        run_id = self.create_run()
        before = [n for n in range(5) if self.server.request("POST", "/api/2.0/mlflow/runs/log-batch", batch_body(run_id, "w", n))[0] == 200]
        self.assertEqual(list(range(5)), before)
        self.cluster.crash()
        refused = []
        for n in range(5, 10):
            status, answer = self.server.request("POST", "/api/2.0/mlflow/runs/log-batch", batch_body(run_id, "w", n))
            self.assert_unavailable(status, answer, f"log-batch {n}")
            refused.append(n)

        back = time.monotonic()
        self.cluster.restart()
        restarted = time.monotonic()
        first = None
        while first is None and time.monotonic() - restarted < 30:
            if self.server.request("POST", "/api/2.0/mlflow/runs/log-batch", batch_body(run_id, "w", 10))[0] == 200:
                first = time.monotonic()
            else:
                time.sleep(0.02)
        self.assertIsNotNone(first, "the server did not serve again within 30 s of the database's return")
        print(f"\n  PostgreSQL restart took {restarted - back:.2f} s; mltrack served again {first - restarted:.3f} s after it was up",
              file=sys.stderr)
        after = [n for n in range(11, 15) if self.server.request("POST", "/api/2.0/mlflow/runs/log-batch", batch_body(run_id, "w", n))[0] == 200]
        self.assertEqual(list(range(11, 15)), after)
        status, health = self.server.request("GET", "/health")
        self.assertEqual(200, status, health)

        params, tags, steps = self.stored(run_id, "w")
        acknowledged = before + [10] + after
        self.assertEqual(sorted(acknowledged), steps)
        self.assertEqual({f"w_{n}_{s}" for n in acknowledged for s in "ab"}, params)
        self.assertEqual({f"w_{n}" for n in acknowledged}, tags & {f"w_{n}" for n in range(15)})
        self.assertNotIn(PASSWORD, self.server.log_text())

    def test_a_log_batch_caught_by_the_crash_is_stored_whole_or_not_at_all(self):
        writers, stop = [], threading.Event()
        window = {}

        def write(tag, run_id, results):
            n = 0
            while not stop.is_set():
                sent = time.monotonic()
                status, _ = self.server.request("POST", "/api/2.0/mlflow/runs/log-batch", batch_body(run_id, tag, n))
                results.append((n, status, sent, time.monotonic()))
                n += 1

        for i in range(4):
            tag, run_id, results = f"w{i}", self.create_run(f"writer-{i}"), []
            writers.append((tag, run_id, results, threading.Thread(target=write, args=(tag, run_id, results), daemon=True)))
        for *_, t in writers:
            t.start()
        time.sleep(0.7)
        self.cluster.crash()
        window["down"] = time.monotonic()
        time.sleep(1.0)
        window["up"] = time.monotonic()
        self.cluster.restart()
        time.sleep(1.0)
        stop.set()
        for *_, t in writers:
            t.join(30)

        for tag, run_id, results, _ in writers:
            params, tags, steps = self.stored(run_id, tag)
            self.assertEqual(len(steps), len(set(steps)), f"{tag}: a point stored twice")
            statuses = {status for _, status, _, _ in results}
            self.assertLessEqual(statuses, {200, 503}, f"{tag}: answers other than 200 and 503")
            self.assertIn(503, statuses, f"{tag}: no request met the outage")
            for n, status, sent, answered in results:
                parts = [f"{tag}_{n}_a" in params, f"{tag}_{n}_b" in params, f"{tag}_{n}" in tags, n in steps]
                self.assertIn(parts, ([True] * 4, [False] * 4), f"{tag} batch {n} ({status}) half-written: {parts}")
                if status == 200:
                    self.assertTrue(all(parts), f"{tag} batch {n} acknowledged but not stored")
                if sent > window["down"] and answered < window["up"]:
                    self.assertFalse(any(parts), f"{tag} batch {n} got {status} while the database was down, yet is stored")

    def test_a_python_script_logging_through_the_outage_loses_nothing_it_logged(self):
        events = os.path.join(self.root, "events.txt")
        stop = os.path.join(self.root, "stop")
        script = os.path.join(self.root, "train.py")
        with open(script, "w") as f:
            f.write(SCRIPT)
        env = clean_env({"PYTHONPATH": CLIENT, "MLTRACK_TRACKING_URI": self.server.url, "MLTRACK_TOKEN": self.server.token})
        with open(os.path.join(self.root, "client.err"), "wb") as err:
            client = subprocess.Popen([PYTHON, script, events, stop], cwd=self.root, env=env, stdout=subprocess.DEVNULL, stderr=err)
        try:
            self.assertTrue(wait_for(lambda: sum(k == "logged" for k, _, _ in read_events(events)) >= 20, 30, 0.05),
                            "the script never got going")
            self.cluster.crash()
            time.sleep(4)  # longer than the client's retries: it has to spool, or wait
            self.cluster.restart()
            logged_at_return = sum(k == "logged" for k, _, _ in read_events(events))
            self.assertTrue(wait_for(lambda: sum(k == "logged" for k, _, _ in read_events(events)) >= logged_at_return + 50, 60, 0.05),
                            "the script stopped logging after the database came back")
            open(stop, "w").close()
            self.assertEqual(0, client.wait(120), open(os.path.join(self.root, "client.err")).read()[-3000:])
        finally:
            if client.poll() is None:
                client.kill()
                client.wait()

        noted = read_events(events)
        run_id = next(v for k, v, _ in noted if k == "run")
        last = int(next(v for k, v, _ in noted if k == "last"))
        run = self.server.api("/runs/get", query={"run_id": run_id})["run"]
        params = {p["key"]: p["value"] for p in run["data"].get("params", [])}
        tags = {t["key"] for t in run["data"].get("tags", [])}
        steps = [int(m["step"]) for m in self.server.api(
            "/metrics/get-history", query={"run_id": run_id, "metric_key": "loss", "max_results": 25000}).get("metrics", [])]
        missing_params = [i for i in range(last + 1) if params.get(f"p{i}") != str(i)]
        self.assertEqual([], missing_params[:20], f"{len(missing_params)} of {last + 1} params lost")
        self.assertEqual([], [i for i in range(0, last + 1, 10) if f"t{i}" not in tags][:20], "tags lost")
        self.assertEqual(list(range(last + 1)), steps, "metric points lost or doubled")
        self.assertEqual("FINISHED", run["info"]["status"])
        spool = os.path.join(self.root, ".mltrack", "spool")
        self.assertEqual([], [f for f in (os.listdir(spool) if os.path.isdir(spool) else []) if f.startswith(run_id)],
                         "spooled requests left unsent")
        client_err = open(os.path.join(self.root, "client.err")).read()
        self.assertNotIn(PASSWORD, client_err)
        print(f"\n  the script logged {last + 1} steps through the outage; client said: {client_err.strip()[:300]!r}", file=sys.stderr)


# Logs a param, a metric point and (every 10th step) a tag per step, noting each step once its calls returned; stops
# when the stop file appears.
SCRIPT = r'''
import os, sys, time
import mltrack
events = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
def note(kind, value):
    os.write(events, f"{kind} {value} {time.time():.6f}\n".encode())
with mltrack.start_run(name="through-the-outage") as run:
    note("run", run.info.run_id)
    i = 0
    while not os.path.exists(sys.argv[2]):
        mltrack.log_param(f"p{i}", i)
        mltrack.log_metric("loss", 1.0 / (i + 1), step=i)
        if i % 10 == 0:
            mltrack.set_tag(f"t{i}", "v")
        note("logged", i)
        i += 1
        time.sleep(0.01)
    note("last", i - 1)
'''

if __name__ == "__main__":
    unittest.main()
