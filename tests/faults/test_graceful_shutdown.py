"""Fault: SIGTERM (a service manager, a rolling deploy) or Ctrl+C to `mltrack server` while requests are in flight.

A real `mltrack server`; requests whose bodies stream slowly (an artifact upload, log-batch calls) are mid-body when
the signal comes. The stop drains: every request in flight completes with 200 and its data is stored (read back
after a restart), new connections are refused once the stop began, and the process exits 0 within its drain
timeout (`--drain-timeout`, seconds). A request still running when the drain timeout ends is cut off, stores
nothing (no partial artifact), and does not keep the process alive.
"""
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultlib import MLTRACK_BIN, StandaloneServer, Workspace, require_binary  # noqa: E402

PROXY = "/api/2.0/mlflow-artifacts/artifacts"
API = "/api/2.0/mlflow"
MB = 1024 * 1024


class SlowRequest(threading.Thread):
    """One request whose body is sent in `parts` pieces `pause` seconds apart; status and body once answered."""

    def __init__(self, server, method, path, body: bytes, content_type, parts=20, pause=0.15):
        super().__init__(daemon=True)
        u = urllib.parse.urlsplit(server.url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        self.conn.putrequest(method, path)
        self.conn.putheader("Authorization", "Bearer " + server.token)
        self.conn.putheader("Content-Type", content_type)
        self.conn.putheader("Content-Length", str(len(body)))
        self.conn.endheaders()  # the request has begun: the server is reading its body
        self.body, self.parts, self.pause = body, parts, pause
        self.started_body = threading.Event()
        self.status, self.answer, self.error = None, None, None

    def run(self):
        try:
            step = -(-len(self.body) // self.parts)
            for i in range(0, len(self.body), step):
                self.conn.send(self.body[i:i + step])
                self.started_body.set()
                time.sleep(self.pause)
            r = self.conn.getresponse()
            self.status, self.answer = r.status, r.read()
        except (OSError, http.client.HTTPException) as e:
            self.error = e
        finally:
            self.started_body.set()
            self.conn.close()


def refuses_connections(port) -> bool:
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect(("127.0.0.1", port))
        return False
    except ConnectionRefusedError:
        return True
    finally:
        s.close()


class GracefulShutdownTest(unittest.TestCase):
    def setUp(self):
        require_binary(self)
        self.ws = Workspace()
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.proc.poll() is None:
                s.kill()
        self.ws.remove()

    def start(self, *args):
        server = StandaloneServer(self.ws, args=args)
        self.servers.append(server)
        return server

    def create_run(self, server):
        return server.http.request("POST", API + "/runs/create", body={"experiment_id": "0"})["run"]["info"]["run_id"]

    def in_flight(self, server, run_id, batches=4, parts=35, pause=0.2):
        """A 6 MB artifact upload and `batches` log-batch calls whose bodies take parts × pause seconds (7 s: past
        the 5 s a stop used to allow), each with its body partly sent."""
        data = os.urandom(6 * MB)
        upload = SlowRequest(server, "PUT", f"{PROXY}/0/{run_id}/artifacts/model/weights.bin", data, "application/octet-stream",
                             parts, pause)
        calls = []
        for b in range(batches):
            body = {"run_id": run_id, "params": [{"key": f"p{b}_{i}", "value": str(i)} for i in range(50)],
                    "tags": [{"key": f"t{b}", "value": "x" * 2000}]}
            calls.append(SlowRequest(server, "POST", API + "/runs/log-batch", json.dumps(body).encode(), "application/json",
                                     parts, pause))
        for r in [upload, *calls]:
            r.start()
        for r in [upload, *calls]:
            self.assertTrue(r.started_body.wait(10), "a request never began sending its body")
        time.sleep(0.5)  # every body partly sent, none complete
        return data, upload, calls

    def drains(self, sig):
        server = self.start()
        run_id = self.create_run(server)
        port = urllib.parse.urlsplit(server.url).port
        data, upload, calls = self.in_flight(server, run_id)
        self.assertTrue(all(r.status is None for r in [upload, *calls]), "the requests finished before the signal")

        signalled = time.monotonic()
        server.proc.send_signal(sig)
        time.sleep(0.5)
        refused_during_drain = refuses_connections(port)
        still_draining = server.proc.poll() is None
        exit_code = server.proc.wait(30)
        took = time.monotonic() - signalled
        for r in [upload, *calls]:
            r.join(30)
        server.stop()

        self.assertTrue(still_draining, "the server exited before the requests in flight were done")
        self.assertTrue(refused_during_drain, "a new connection was accepted after the stop began")
        self.assertEqual(0, exit_code, server.log_text()[-2000:])
        self.assertLess(took, 10 + 3, f"exit took {took:.1f} s, past the default drain timeout")
        for r in [upload, *calls]:
            self.assertIsNone(r.error, f"a request in flight was cut off: {r.error}")
            self.assertEqual(200, r.status, r.answer)

        again = self.start()
        stored = again.run(run_id)
        params = {p["key"] for p in stored["data"].get("params", [])}
        self.assertEqual({f"p{b}_{i}" for b in range(len(calls)) for i in range(50)}, params)
        self.assertEqual({f"t{b}" for b in range(len(calls))} - {t["key"] for t in stored["data"]["tags"]}, set())
        u = urllib.parse.urlsplit(again.url)
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        c.request("GET", f"{PROXY}/0/{run_id}/artifacts/model/weights.bin", headers={"Authorization": "Bearer " + again.token})
        r = c.getresponse()
        served = r.read()
        c.close()
        self.assertEqual(200, r.status, served[:300])
        self.assertEqual(hashlib.sha256(data).hexdigest(), hashlib.sha256(served).hexdigest())
        again.stop()

    def test_sigterm_lets_requests_in_flight_finish_and_store_refuses_new_connections_and_exits_0(self):
        self.drains(signal.SIGTERM)

    def test_ctrl_c_drains_the_same_way(self):
        self.drains(signal.SIGINT)

    def test_a_request_longer_than_the_drain_timeout_is_cut_off_storing_nothing_and_the_server_exits_in_time(self):
        server = self.start("--drain-timeout", "1")
        run_id = self.create_run(server)
        data = os.urandom(6 * MB)
        upload = SlowRequest(server, "PUT", f"{PROXY}/0/{run_id}/artifacts/model/slow.bin", data, "application/octet-stream",
                             parts=60, pause=0.2)  # ~12 s
        upload.start()
        self.assertTrue(upload.started_body.wait(10))
        time.sleep(0.5)

        signalled = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        exit_code = server.proc.wait(30)
        took = time.monotonic() - signalled
        upload.join(30)
        log = server.log_text()
        server.stop()

        self.assertEqual(0, exit_code, log[-2000:])
        self.assertLess(took, 1 + 3, f"exit took {took:.1f} s with a 1 s drain timeout")
        self.assertIn("the drain timeout (1 s) passed with 1 request(s) still running", log)
        self.assertNotEqual(200, upload.status)
        again = self.start()
        listing = again.http.request("GET", API + "/artifacts/list", query={"run_id": run_id, "path": "model"})
        self.assertEqual([], listing.get("files", []))
        again.stop()

    def test_a_drain_timeout_that_is_not_a_number_of_seconds_is_a_usage_error_naming_it(self):
        r = subprocess.run([MLTRACK_BIN, "server", "--drain-timeout", "soon"], cwd=self.ws.root, env=self.ws.env(),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(2, r.returncode, r.stderr)
        self.assertIn("--drain-timeout", r.stderr)
        self.assertIn("soon", r.stderr)


if __name__ == "__main__":
    unittest.main()
