"""Two `mltrack server` for one store started at the same instant: exactly one runs; the other names it and exits 1."""
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import MLTRACK_BIN, Workspace, require_binary  # noqa: E402

TRIES = 6


class ServerLockTests(unittest.TestCase):
    def setUp(self):
        require_binary(self)
        self.ws = Workspace()

    def tearDown(self):
        self.ws.remove()

    def start_two_at_once(self):
        """Both servers held at a barrier in this process, then exec'd together."""
        procs = [None, None]
        go = threading.Barrier(2)

        def start(i):
            go.wait()
            procs[i] = subprocess.Popen([MLTRACK_BIN, "server"], cwd=self.ws.root, env=self.ws.env(),
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        threads = [threading.Thread(target=start, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return procs

    def test_of_two_servers_started_at_the_same_instant_exactly_one_runs(self):
        for attempt in range(TRIES):
            with self.subTest(attempt=attempt):
                procs = self.start_two_at_once()
                try:
                    # Each prints a URL: the winner its own once listening, the loser the winner's (then exits 1).
                    urls = [p.stdout.readline().strip() for p in procs]
                    deadline = time.time() + 20
                    while time.time() < deadline and all(p.poll() is None for p in procs):
                        time.sleep(0.05)
                    time.sleep(0.5)  # a second server that also started would still be running now
                    running = [p for p in procs if p.poll() is None]
                    self.assertEqual(len(running), 1, f"{len(running)} servers running; stdout {urls}")
                    loser = next(p for p in procs if p.poll() is not None)
                    err = loser.stderr.read()
                    self.assertEqual(loser.returncode, 1, err)
                    self.assertIn("already running", err)
                    self.assertIn(f"pid {running[0].pid}", err)
                    self.assertEqual(urls[procs.index(loser)], urls[procs.index(running[0])])
                finally:
                    for p in procs:
                        if p.poll() is None:
                            p.send_signal(signal.SIGINT)
                            try:
                                p.wait(20)
                            except subprocess.TimeoutExpired:
                                p.kill()
                                p.wait()
                        p.stdout.close()
                        p.stderr.close()


if __name__ == "__main__":
    unittest.main()
