"""test_track_server's client and @track suites against the team server: `mltrack server` on a fresh PostgreSQL
database ($MLTRACK_TEST_POSTGRES) with artifacts in an s3rver bucket; and two replicas of it on one database and
bucket. Skipped only when there is no test cluster."""
import os
import unittest

import test_track_server as sqlite_suites
from helpers import Server, Workspace, reset_client
from mltrack._http import ApiError
from team import PostgresDatabase, S3rver, postgres_server

ARTIFACT_PREFIX = "runs"


class TeamServerTestCase(sqlite_suites.ServerTestCase):
    """Starts `mltrack server --store postgresql://… --artifacts s3://…` instead of the SQLite one."""

    @classmethod
    def setUpClass(cls):
        server_uri = postgres_server()
        if server_uri is None:
            raise unittest.SkipTest("MLTRACK_TEST_POSTGRES is not set (./test.sh starts a test cluster)")
        cls.ws = Workspace()
        cls.database = PostgresDatabase(server_uri)
        cls.s3 = S3rver()
        cls.token_file = os.path.join(cls.ws.root, "team-state", "token")
        try:
            cls.server = cls.start_replica(cls.ws)
        except BaseException:
            cls._release()
            raise

    @classmethod
    def start_replica(cls, ws):
        """A replica on the class's database and bucket, with its own state folder in ws and the shared token file."""
        return Server(ws, args=["--store", cls.database.uri, "--artifacts", f"s3://{cls.s3.bucket}/{ARTIFACT_PREFIX}",
                                "--state-dir", os.path.join(ws.root, "team-state"), "--token-file", cls.token_file,
                                "--http", "127.0.0.1:0"],
                      env=cls.s3.env(), token_file=cls.token_file)

    @classmethod
    def tearDownClass(cls):
        reset_client()
        cls.server.stop()
        cls._release()

    @classmethod
    def _release(cls):
        cls.s3.stop()
        cls.database.drop()
        cls.ws.remove()

    def write_file(self, name, text):
        path = os.path.join(self.ws.root, name)
        with open(path, "w") as f:
            f.write(text)
        return path


# Imported under other names so that unittest does not run the SQLite classes a second time from this module.
class TeamClientApiTests(TeamServerTestCase, sqlite_suites.ClientApiTests):
    def test_artifacts_are_stored_in_the_s3_bucket(self):
        import mltrack
        path = self.write_file("in-bucket.txt", "bucket bytes")
        with mltrack.start_run() as run:
            mltrack.log_artifact(path, artifact_path="team")
        keys = self.s3.keys(ARTIFACT_PREFIX + "/")
        self.assertTrue([k for k in keys if run.info.run_id in k and k.endswith("/team/in-bucket.txt")], keys)
        self.assertEqual(self.server.download(run.info.run_id, run.info.experiment_id, "team/in-bucket.txt"), b"bucket bytes")


class TeamTrackDecoratorTests(TeamServerTestCase, sqlite_suites.TrackDecoratorTests):
    pass


class TeamReplicaTests(TeamServerTestCase):
    """Replica A (self.server) takes the client's writes; replica B, another process with an empty state folder of
    its own (as on another machine), serves the same runs from the shared database and bucket."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ws_b = Workspace()
        try:
            cls.replica_b = cls.start_replica(cls.ws_b)
        except BaseException:
            cls.server.stop()
            cls.ws_b.remove()
            cls._release()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.replica_b.stop()
        cls.ws_b.remove()
        super().tearDownClass()

    def test_a_run_logged_through_one_replica_is_read_and_searched_through_the_other(self):
        import mltrack
        with mltrack.start_run(experiment="replicas", name="through-a") as run:
            mltrack.log_params({"lr": 0.1, "layers": 3})
            mltrack.set_tag("team", "vision")
            for step in range(300):
                mltrack.log_metric("loss", 1.0 / (step + 1), step=step)
        run_id, exp_id = run.info.run_id, run.info.experiment_id
        b = self.replica_b
        self.assertEqual(b.run(run_id)["info"]["status"], "FINISHED")
        self.assertEqual(b.params(run_id), {"lr": "0.1", "layers": "3"})
        self.assertEqual(b.tags(run_id)["team"], "vision")
        self.assertEqual(sorted(m["step"] for m in b.history(run_id, "loss")), list(range(300)))
        found = b.search([exp_id], filter="params.lr = '0.1' and metrics.loss < 0.01")
        self.assertEqual([r["info"]["run_id"] for r in found], [run_id])

    def test_artifacts_logged_through_one_replica_are_listed_and_downloaded_through_the_other(self):
        import mltrack
        path = self.write_file("shared.txt", "one bucket for every replica")
        with mltrack.start_run() as run:
            mltrack.log_artifact(path, artifact_path="docs")
            mltrack.log_artifact(path)
        b = self.replica_b
        self.assertEqual(b.artifacts(run.info.run_id), ["docs/shared.txt", "shared.txt"])
        self.assertEqual(b.download(run.info.run_id, run.info.experiment_id, "docs/shared.txt"), b"one bucket for every replica")

    def test_a_param_set_through_one_replica_cannot_be_changed_through_the_other(self):
        a, b = self.server, self.replica_b
        run_id = a.create_run(name="param-across-replicas")["run_id"]
        a.post("/runs/log-parameter", {"run_id": run_id, "key": "seed", "value": "1"})
        b.post("/runs/log-parameter", {"run_id": run_id, "key": "seed", "value": "1"})  # the same value again: fine
        with self.assertRaises(ApiError) as refused:
            b.post("/runs/log-parameter", {"run_id": run_id, "key": "seed", "value": "2"})
        self.assertEqual(refused.exception.error_code, "INVALID_PARAMETER_VALUE")
        self.assertIn("seed", refused.exception.message)
        self.assertEqual(a.params(run_id), {"seed": "1"})


if __name__ == "__main__":
    unittest.main()
