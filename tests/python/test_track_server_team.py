"""test_track_server's client and @track suites against the team server: `mltrack server` on a fresh PostgreSQL
database ($MLTRACK_TEST_POSTGRES) with artifacts in an s3rver bucket. Skipped only when there is no test cluster."""
import os
import unittest

import test_track_server as sqlite_suites
from helpers import Server, Workspace, reset_client
from team import PostgresDatabase, S3rver, postgres_server


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
        try:
            state = os.path.join(cls.ws.root, "team-state")
            cls.server = Server(cls.ws, args=["--store", cls.database.uri, "--artifacts", f"s3://{cls.s3.bucket}/runs",
                                              "--state-dir", state, "--http", "127.0.0.1:0"],
                                env=cls.s3.env(), token_file=os.path.join(state, "token"))
        except BaseException:
            cls._release()
            raise

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


# Imported under other names so that unittest does not run the SQLite classes a second time from this module.
class TeamClientApiTests(TeamServerTestCase, sqlite_suites.ClientApiTests):
    def test_artifacts_are_stored_in_the_s3_bucket(self):
        import mltrack
        path = os.path.join(self.ws.root, "in-bucket.txt")
        with open(path, "w") as f:
            f.write("bucket bytes")
        with mltrack.start_run() as run:
            mltrack.log_artifact(path, artifact_path="team")
        stored = [os.path.relpath(os.path.join(d, n), self.s3.dir) for d, _, names in os.walk(self.s3.dir) for n in names]
        self.assertTrue([p for p in stored if run.info.run_id in p and "in-bucket.txt" in p], stored)
        self.assertEqual(self.server.download(run.info.run_id, run.info.experiment_id, "team/in-bucket.txt"), b"bucket bytes")


class TeamTrackDecoratorTests(TeamServerTestCase, sqlite_suites.TrackDecoratorTests):
    pass


if __name__ == "__main__":
    unittest.main()
