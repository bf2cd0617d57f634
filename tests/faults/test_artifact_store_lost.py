"""Fault: the team server's S3 artifact store lost mid-run, then back.

`mltrack server --store postgresql://… --artifacts s3://bucket/prefix` over s3rver, which is killed (SIGKILL) while
a run logs, then started again on the same port with the same objects. Meanwhile: artifact uploads, listings and
downloads of what the replica has not cached answer 503 TEMPORARILY_UNAVAILABLE naming the S3 endpoint (no 500, no
stack trace), what it has cached (known by the sha256 the database records) is still served, /health answers 503
naming the artifact store while the database check stays ok, and params, metrics and tags keep being stored. Once S3
is back the same process serves artifacts again, with no restart: what was uploaded before the loss is still there.
"""
import http.client
import os
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from faultlib import REPO, TeamServer, require_binary  # noqa: E402

sys.path.insert(0, os.path.join(REPO, "tests", "python"))
from team import PostgresDatabase, S3rver, postgres_server  # noqa: E402

PREFIX = "team-artifacts"


class ArtifactStoreLostTest(unittest.TestCase):
    def setUp(self):
        require_binary(self)
        server_uri = postgres_server()
        if server_uri is None:
            self.fail("MLTRACK_TEST_POSTGRES is not set: ./test.sh starts a PostgreSQL cluster for this suite")
        self.db = PostgresDatabase(server_uri)
        self.addCleanup(self.db.drop)
        self.s3 = S3rver()
        self.addCleanup(self.s3.stop)
        self.root = tempfile.mkdtemp(prefix="mltrack-s3-lost-")
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.root]))
        self.server = TeamServer(self.db.uri, self.root, artifacts=f"s3://{self.s3.bucket}/{PREFIX}", env=self.s3.env())
        self.addCleanup(self.server.stop)
        self.run_id = self.server.api("/runs/create", {"experiment_id": "0", "run_name": "s3-lost"})["run"]["info"]["run_id"]

    def artifact(self, method, path, data=None, server=None):
        """(status, body text) of a proxied-artifact request for this run's `path` ("" lists the root)."""
        server = server or self.server
        target = "/api/2.0/mlflow-artifacts/artifacts"
        target += f"/0/{self.run_id}/artifacts/{path}" if method != "LIST" else f"?path=0/{self.run_id}/artifacts"
        c = http.client.HTTPConnection(server.host, server.port, timeout=60)
        try:
            c.request("GET" if method == "LIST" else method, target, body=data, headers={"Authorization": "Bearer " + server.token})
            r = c.getresponse()
            return r.status, r.read().decode("utf-8", "replace")
        finally:
            c.close()

    def assert_unavailable_naming_s3(self, status, body, what):
        self.assertEqual(503, status, f"{what}: {body[:300]}")
        self.assertIn('"error_code":"TEMPORARILY_UNAVAILABLE"', body.replace(" ", ""), what)
        self.assertIn(self.s3.url, body, f"{what}: the message does not name the S3 endpoint")
        self.assertNotIn("   at ", body, f"{what}: a stack trace")

    def test_while_s3_is_down_uncached_artifacts_answer_503_naming_it_health_is_503_and_the_run_keeps_logging(self):
        # a second replica on the same database and bucket, with its own (empty) cache and the same token
        other_root = os.path.join(self.root, "b")
        os.makedirs(os.path.join(other_root, "state"))
        with open(os.path.join(other_root, "state", "token"), "w") as f:
            f.write(self.server.token)
        other = TeamServer(self.db.uri, other_root, artifacts=f"s3://{self.s3.bucket}/{PREFIX}", env=self.s3.env())
        self.addCleanup(other.stop)
        self.assertEqual(200, self.artifact("PUT", "before.txt", b"kept")[0])
        self.s3.kill()

        for what, (method, path, data, server) in {
                "upload": ("PUT", "model.bin", b"\0" * 1000, self.server), "list": ("LIST", "", None, self.server),
                "download of what the replica has not cached": ("GET", "before.txt", None, other)}.items():
            status, body = self.artifact(method, path, data, server)
            self.assert_unavailable_naming_s3(status, body, what)
        self.assertEqual((200, "kept"), self.artifact("GET", "before.txt"), "the uploading replica's cached copy")
        self.server.api("/runs/log-parameter", {"run_id": self.run_id, "key": "lr", "value": "0.1"})
        self.server.api("/runs/log-metric", {"run_id": self.run_id, "key": "loss", "value": 0.5, "timestamp": 1, "step": 0})
        self.server.api("/runs/set-tag", {"run_id": self.run_id, "key": "stage", "value": "while-s3-down"})
        status, health = self.server.request("GET", "/health")

        self.assertEqual(503, status, health)
        self.assertEqual({"status": "ok"}, health["checks"]["database"])
        self.assertEqual("unavailable", health["checks"]["artifacts"]["status"])
        data = self.server.api("/runs/get", query={"run_id": self.run_id})["run"]["data"]
        self.assertEqual({"lr": "0.1"}, {p["key"]: p["value"] for p in data["params"]})
        self.assertEqual([0.5], [m["value"] for m in data["metrics"] if m["key"] == "loss"])
        self.assertEqual("while-s3-down", {t["key"]: t["value"] for t in data["tags"]}["stage"])

    def test_once_s3_is_back_the_same_server_serves_artifacts_again_and_keeps_what_was_uploaded(self):
        self.assertEqual(200, self.artifact("PUT", "before.txt", b"kept")[0])
        self.s3.kill()
        self.assertEqual(503, self.artifact("PUT", "during.txt", b"refused")[0])

        self.s3.start()
        back = time.monotonic()
        status = None
        while time.monotonic() - back < 30:
            status, _ = self.artifact("PUT", "after.txt", b"stored")
            if status == 200:
                break
            time.sleep(0.05)
        self.assertEqual(200, status, "the server did not store artifacts again within 30 s of S3's return")
        print(f"\n  mltrack stored artifacts again {time.monotonic() - back:.3f} s after s3rver was up", file=sys.stderr)

        self.assertEqual((200, "kept"), self.artifact("GET", "before.txt"))
        self.assertEqual((200, "stored"), self.artifact("GET", "after.txt"))
        listed = self.artifact("LIST", "")[1]
        self.assertIn('"before.txt"', listed)
        self.assertIn('"after.txt"', listed)
        self.assertNotIn('"during.txt"', listed)
        self.assertEqual(sorted(f"{PREFIX}/{self.run_id}/{name}" for name in ("after.txt", "before.txt")),
                         [k for k in self.s3.keys(PREFIX + "/") if not k.endswith("/")])
        status, health = self.server.request("GET", "/health")
        self.assertEqual(200, status, health)


if __name__ == "__main__":
    unittest.main()
