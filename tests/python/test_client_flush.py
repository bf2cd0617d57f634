"""The client's buffer is bounded in time (≤ 200 ms) as well as size, and nothing it accepted is lost on SIGTERM or exit.

Needs no mltrack server: a small recording HTTP server stands in for it, and a closed port for a server that is gone.
"""
import json
import os
import signal
import socket
import subprocess
import tempfile
import textwrap
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from helpers import CLIENT, PYTHON, clean_env

from mltrack._batcher import MAX_DELAY, MetricBatcher

RUN_ID = "0123456789abcdef0123456789abcdef"


class Recorder:
    """A stand-in tracking server that records every log-batch body (and answers 200)."""

    def __init__(self, delay: float = 0.0):
        self.batches = []
        self.updates = []
        self.delay = delay
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if self.path.endswith("/runs/log-batch"):
                    if outer.delay:
                        time.sleep(outer.delay)
                    outer.batches.append(body)
                elif self.path.endswith("/runs/update"):
                    outer.updates.append(body)
                self._answer()

            def do_GET(self):
                self._answer()

            def _answer(self):
                data = b"{}"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def points(self):
        return [(m["key"], m["step"]) for b in self.batches for m in b.get("metrics", [])]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


class TimeBoundTests(unittest.TestCase):
    def test_the_time_bound_is_at_most_200_ms(self):
        self.assertLessEqual(MAX_DELAY, 0.2)

    def test_a_lone_point_is_sent_within_200_ms_without_any_flush(self):
        sent = []
        b = MetricBatcher(lambda rid, points, bid: sent.append(time.monotonic()))
        t0 = time.monotonic()
        b.add(RUN_ID, "loss", 0.5, 1)
        deadline = t0 + 2
        while not sent and time.monotonic() < deadline:
            time.sleep(0.005)
        self.assertTrue(sent, "the point was never sent")
        self.assertLessEqual(sent[0] - t0, 0.2 + 0.1)  # the bound, plus scheduling slack on a loaded machine
        b.close()

    def test_under_steady_logging_no_point_waits_much_longer_than_the_bound(self):
        queued, sent_at = {}, {}
        lock = threading.Lock()

        def send(rid, points, bid):
            now = time.monotonic()
            with lock:
                for key, _v, _ts, step in points:
                    sent_at[step] = now

        b = MetricBatcher(send)
        for step in range(100):  # one point every 10 ms for a second
            queued[step] = time.monotonic()
            b.add(RUN_ID, "loss", 1.0 / (step + 1), step)
            time.sleep(0.01)
        b.flush()
        waits = sorted(sent_at[s] - queued[s] for s in queued)
        self.assertLessEqual(waits[len(waits) // 2], 0.2)
        self.assertLessEqual(waits[-2], 0.2 + 0.1)  # all but the slowest within the bound plus slack
        b.close()

    def test_a_batch_being_sent_is_handed_over_with_its_id(self):
        entered, release = threading.Event(), threading.Event()
        ids = []

        def slow_send(rid, points, bid):
            ids.append(bid)
            entered.set()
            release.wait(5)

        b = MetricBatcher(slow_send, interval=0.01)
        b.add(RUN_ID, "loss", 0.5, 1)
        self.assertTrue(entered.wait(2))
        b.add(RUN_ID, "loss", 0.4, 2)
        unsent = b.take_unsent()
        release.set()
        self.assertEqual(sorted(step for _rid, points, _bid in unsent for (_k, _v, _t, step) in points), [1, 2])
        self.assertIn(ids[0], [bid for _rid, _points, bid in unsent])
        self.assertEqual(b.pending(), 0)
        b.close()


SCRIPT = textwrap.dedent("""
    import os, signal, sys, time
    {before}
    import mltrack
    from mltrack import _tracking
    _tracking.client().batcher._interval = 3600  # only SIGTERM or exit can send these
    for step in range({points}):
        mltrack.log_metric("loss", 1.0 / (step + 1), step=step)
    print("ready", flush=True)
    {after}
""")


class ExitFlushTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="mltrack-flush-")
        self.folder = os.path.join(self.dir, ".mltrack")
        os.makedirs(self.folder)
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.close()
        import shutil
        shutil.rmtree(self.dir, ignore_errors=True)

    def recorder(self, delay=0.0):
        r = Recorder(delay)
        self.servers.append(r)
        return r

    def start(self, url, points=250, before="", after="time.sleep(30)", run_id=RUN_ID):
        path = os.path.join(self.dir, "script.py")
        with open(path, "w") as f:
            f.write(SCRIPT.format(before=before, after=after, points=points))
        env = clean_env({"PYTHONPATH": CLIENT, "MLTRACK_TRACKING_URI": url, "MLTRACK_TOKEN": "t",
                         "MLTRACK_HOME": self.folder})
        if run_id:
            env["MLTRACK_RUN_ID"] = run_id
        p = subprocess.Popen([PYTHON, path], cwd=self.dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(p.stdout.readline().strip(), "ready", p.stderr.read() if p.poll() is not None else "")
        return p

    def spooled_points(self, run_id=RUN_ID):
        out = []
        path = os.path.join(self.folder, "spool", run_id + ".jsonl")
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    rec = json.loads(line)
                    out += [(m["key"], m["step"]) for m in rec.get("body", {}).get("metrics", [])]
        return out

    def finish(self, p, timeout=10):
        try:
            p.wait(timeout)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stdout.close()
            p.stderr.close()
        return p.returncode

    def test_sigterm_sends_the_waiting_points_then_the_process_dies_of_sigterm(self):
        server = self.recorder()
        p = self.start(server.url)
        p.send_signal(signal.SIGTERM)
        self.assertEqual(self.finish(p), -signal.SIGTERM)
        self.assertEqual(sorted(server.points()), [("loss", s) for s in range(250)])

    def test_sigterm_with_the_server_gone_spools_the_waiting_points_quickly(self):
        p = self.start(closed_port_url())
        t0 = time.monotonic()
        p.send_signal(signal.SIGTERM)
        self.assertEqual(self.finish(p), -signal.SIGTERM)
        self.assertLess(time.monotonic() - t0, 1.5)  # well within a watchdog's 2 s grace
        self.assertEqual(sorted(self.spooled_points()), [("loss", s) for s in range(250)])

    def test_sigterm_runs_the_handler_the_script_had_installed_after_flushing(self):
        server = self.recorder()
        before = "signal.signal(signal.SIGTERM, lambda *a: (print('own handler', flush=True), os._exit(3)))"
        p = self.start(server.url, before=before)
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.stdout.readline().strip(), "own handler")
        self.assertEqual(self.finish(p), 3)
        self.assertEqual(len(server.points()), 250)

    def test_an_ignored_sigterm_stays_ignored_but_the_points_are_sent_at_once(self):
        server = self.recorder()
        before = "signal.signal(signal.SIGTERM, signal.SIG_IGN)"
        p = self.start(server.url, before=before, after="time.sleep(1.0); print('still here', flush=True); time.sleep(30)")
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.stdout.readline().strip(), "still here")
        self.assertEqual(len(server.points()), 250)  # sent on SIGTERM, not only at exit
        p.kill()
        self.finish(p)

    def test_a_run_the_script_started_itself_is_marked_killed_on_sigterm(self):
        server = self.recorder()
        p = self.start(server.url, run_id=None, before="", after="time.sleep(30)")
        p.send_signal(signal.SIGTERM)
        self.assertEqual(self.finish(p), -signal.SIGTERM)
        self.assertEqual([u["status"] for u in server.updates], ["KILLED"])
        self.assertEqual(len(server.points()), 250)


if __name__ == "__main__":
    unittest.main()
