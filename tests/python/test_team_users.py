"""People on the team server: `mltrack server --auth users` on a fresh PostgreSQL database ($MLTRACK_TEST_POSTGRES),
set up with the operator CLI (users, teams, tokens), used the way MLflow code uses it — MLflow's REST API with
`Authorization: Bearer $MLFLOW_TRACKING_TOKEN` — and checked for who may see and change what, and for the audit log."""
import json
import os
import subprocess
import unittest
import urllib.error
import urllib.request

from helpers import MLTRACK, Server, Workspace
from team import PostgresDatabase, postgres_server

API = "/api/2.0/mlflow"


class TeamUsersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        server_uri = postgres_server()
        if server_uri is None:
            raise unittest.SkipTest("MLTRACK_TEST_POSTGRES is not set (./test.sh starts a test cluster)")
        cls.ws = Workspace()
        cls.database = PostgresDatabase(server_uri)
        cls.state = os.path.join(cls.ws.root, "team-state")
        try:
            for email, admin in [("admin@example.com", True), ("editor@example.com", False), ("viewer@example.com", False),
                                 ("outsider@example.com", False)]:
                cls.cli("users", "add", email, *(["--admin"] if admin else []))
            cls.cli("teams", "create", "vision")
            cls.cli("teams", "add", "vision", "editor@example.com", "--role", "editor")
            cls.cli("teams", "add", "vision", "viewer@example.com", "--role", "viewer")
            cls.tokens = {name: cls.cli("tokens", "create", "--user", f"{name}@example.com", "--name", "tests").strip()
                          for name in ("admin", "editor", "viewer", "outsider")}
            cls.server = Server(cls.ws, args=["--store", cls.database.uri, "--state-dir", cls.state, "--auth", "users",
                                              "--http", "127.0.0.1:0"], token_file=os.path.join(cls.state, "token"))
        except BaseException:
            cls._release()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls._release()

    @classmethod
    def _release(cls):
        cls.database.drop()
        cls.ws.remove()

    @classmethod
    def cli(cls, *args):
        """stdout of an operator command on the team store; fails the test with stderr when it fails."""
        r = subprocess.run([MLTRACK, "--store", cls.database.uri, "--state-dir", cls.state, *args], cwd=cls.ws.root,
                           env=cls.ws.env(), capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise AssertionError(f"mltrack {' '.join(args)} exited {r.returncode}: {r.stderr}")
        return r.stdout

    def call(self, token, method, path, body=None, base=None):
        """(status, JSON answer) of one request as MLflow's client sends it (to `base`, default the first replica)."""
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request((base or self.server.url) + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            raw = e.read()
            return e.code, json.loads(raw) if raw else {}

    def ok(self, token, method, path, body=None):
        status, answer = self.call(token, method, path, body)
        self.assertEqual(200, status, f"{method} {path}: {answer}")
        return answer

    def team_run(self, name):
        """A run the editor made in an experiment of the team "vision"; its id."""
        exp = self.ok(self.tokens["editor"], "POST", API + "/experiments/create",
                      {"name": f"{name}-{os.urandom(4).hex()}", "tags": [{"key": "mltrack.team", "value": "vision"}]})["experiment_id"]
        return self.ok(self.tokens["editor"], "POST", API + "/runs/create", {"experiment_id": exp, "run_name": name})["run"]["info"]["run_id"]

    def test_without_a_valid_token_every_route_answers_401_and_the_servers_own_token_grants_nothing(self):
        with open(os.path.join(self.state, "token")) as f:
            local_token = f.read().strip()
        for token in (None, "mlt_not-a-real-token", local_token):
            for method, path, body in [("POST", API + "/experiments/create", {"name": "x"}), ("POST", API + "/runs/search", {}),
                                       ("GET", API + "/experiments/search", None), ("GET", "/api/2.0/mltrack/analytics/summary", None)]:
                status, answer = self.call(token, method, path, body)
                self.assertEqual(401, status, f"{method} {path} with {token!r}: {answer}")
                self.assertEqual("UNAUTHENTICATED", answer.get("error_code"))
        self.assertNotIn("x", [e["name"] for e in self.ok(self.tokens["admin"], "GET", API + "/experiments/search").get("experiments", [])])

    def test_mlflow_code_with_a_personal_token_logs_a_run_recorded_as_that_user(self):
        run_id = self.team_run("logged")
        self.ok(self.tokens["editor"], "POST", API + "/runs/log-batch",
                {"run_id": run_id, "metrics": [{"key": "loss", "value": 0.25, "timestamp": 1, "step": 0}], "params": [{"key": "lr", "value": "0.1"}]})

        run = self.ok(self.tokens["editor"], "GET", API + f"/runs/get?run_id={run_id}")["run"]

        self.assertEqual("editor@example.com", run["info"]["user_id"])
        self.assertEqual([("loss", 0.25)], [(m["key"], m["value"]) for m in run["data"]["metrics"]])

    def test_the_teams_viewer_sees_the_editors_run_but_cannot_change_or_delete_it(self):
        run_id = self.team_run("shared")
        viewer = self.tokens["viewer"]

        self.assertEqual(run_id, self.ok(viewer, "GET", API + f"/runs/get?run_id={run_id}")["run"]["info"]["run_id"])
        for method, path, body in [("POST", API + "/runs/log-metric", {"run_id": run_id, "key": "loss", "value": 1, "timestamp": 1, "step": 0}),
                                   ("POST", API + "/runs/set-tag", {"run_id": run_id, "key": "k", "value": "v"}),
                                   ("POST", API + "/runs/delete", {"run_id": run_id})]:
            status, answer = self.call(viewer, method, path, body)
            self.assertEqual(403, status, f"{path}: {answer}")
            self.assertEqual("PERMISSION_DENIED", answer.get("error_code"))
        run = self.ok(self.tokens["editor"], "GET", API + f"/runs/get?run_id={run_id}")["run"]
        self.assertEqual("active", run["info"]["lifecycle_stage"])
        self.assertEqual([], run["data"].get("metrics", []))
        self.assertNotIn("k", {t["key"] for t in run["data"].get("tags", [])})

    def test_deploying_a_run_needs_write_on_it_a_viewer_gets_403_and_an_outsider_404(self):
        run_id = self.team_run("to-deploy")

        viewer = self.call(self.tokens["viewer"], "POST", "/api/deployments", {"run_id": run_id, "target": "local"})
        outsider = self.call(self.tokens["outsider"], "POST", "/api/deployments", {"run_id": run_id, "target": "local"})

        self.assertEqual((403, "PERMISSION_DENIED"), (viewer[0], viewer[1].get("error_code")), viewer)
        self.assertEqual((404, "RESOURCE_DOES_NOT_EXIST"), (outsider[0], outsider[1].get("error_code")), outsider)
        self.assertEqual([], self.ok(self.tokens["admin"], "GET", f"/api/deployments?run_id={run_id}")["deployments"])

    def test_a_viewers_artifact_upload_is_403_and_leaves_the_editors_file_as_it_was(self):
        run_id = self.team_run("artifacts")
        path = f"/api/2.0/mlflow-artifacts/artifacts/0/{run_id}/artifacts/notes.txt"
        self.assertEqual(200, self.raw(self.tokens["editor"], "PUT", path, b"the editor's")[0])

        status, body = self.raw(self.tokens["viewer"], "PUT", path, b"the viewer's")

        self.assertEqual(403, status, body)
        self.assertEqual((200, b"the editor's"), self.raw(self.tokens["viewer"], "GET", path))

    def raw(self, token, method, path, data=None):
        """(status, body bytes) of a request with a raw body (artifact uploads and downloads)."""
        req = urllib.request.Request(self.server.url + path, data=data, method=method, headers={"Authorization": "Bearer " + token})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def test_someone_outside_the_team_gets_404_for_its_run_and_does_not_find_it(self):
        run_id = self.team_run("private")
        outsider = self.tokens["outsider"]

        status, answer = self.call(outsider, "GET", API + f"/runs/get?run_id={run_id}")
        found = self.ok(outsider, "POST", API + "/runs/search", {"experiment_ids": [], "max_results": 1000}).get("runs", [])

        self.assertEqual(404, status, answer)
        self.assertEqual("RESOURCE_DOES_NOT_EXIST", answer.get("error_code"))
        self.assertNotIn(run_id, [r["info"]["run_id"] for r in found])
        self.assertEqual(404, self.call(outsider, "POST", API + "/runs/delete", {"run_id": run_id})[0])

    def test_a_revoked_token_is_refused_at_once_on_every_replica_and_no_secret_is_logged(self):
        other_ws = Workspace()
        self.addCleanup(other_ws.remove)
        other_state = os.path.join(other_ws.root, "team-state")
        other = Server(other_ws, args=["--store", self.database.uri, "--state-dir", other_state, "--auth", "users", "--http", "127.0.0.1:0"],
                       token_file=os.path.join(other_state, "token"))
        self.addCleanup(other.stop)
        secret = self.cli("tokens", "create", "--user", "editor@example.com", "--name", "to-revoke", "--expires", "1d").strip()
        for url in (self.server.url, other.url):
            self.assertEqual(200, self.call(secret, "POST", API + "/runs/search", {}, base=url)[0], url)
        token_id = next(t["token_id"] for t in json.loads(self.cli("tokens", "list", "--user", "editor@example.com", "--json"))["tokens"]
                        if t["name"] == "to-revoke")

        self.cli("tokens", "revoke", token_id)

        for url in (self.server.url, other.url):
            self.assertEqual(401, self.call(secret, "POST", API + "/runs/search", {}, base=url)[0], url)
        for log in (self.server.stderr_text(), other.stderr_text()):
            self.assertNotIn(secret, log)
            for token in self.tokens.values():
                self.assertNotIn(token, log)

    def test_the_audit_log_shows_who_created_and_who_deleted(self):
        run_id = self.team_run("audited")
        self.ok(self.tokens["admin"], "POST", API + "/runs/delete", {"run_id": run_id})

        entries = json.loads(self.cli("audit", "--json"))["entries"]

        by_subject = [(e["actor"], e["action"]) for e in entries if e["subject"] == run_id]
        self.assertEqual([("admin@example.com", "run.delete"), ("editor@example.com", "run.create")], by_subject)
        self.assertTrue(all(e["address"] == "127.0.0.1" for e in entries if e["subject"] == run_id), entries[:3])


if __name__ == "__main__":
    unittest.main()
