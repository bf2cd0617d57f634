"""The client and @track against a real `mltrack server` (temp store, free port)."""
import os
import unittest

from helpers import PYTHON, Server, Workspace, reset_client, run_script, sklearn_available, CLIENT

import mltrack
from mltrack import _tracking


class ServerTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ws = Workspace()
        cls.server = Server(cls.ws)

    @classmethod
    def tearDownClass(cls):
        reset_client()
        cls.server.stop()
        cls.ws.remove()

    def setUp(self):
        self._saved = {k: os.environ.get(k) for k in ("MLTRACK_TRACKING_URI", "MLTRACK_TOKEN", "MLTRACK_RUN_ID", "MLTRACK_EXPERIMENT_ID")}
        os.environ["MLTRACK_TRACKING_URI"] = self.server.url
        os.environ["MLTRACK_TOKEN"] = self.server.token
        os.environ.pop("MLTRACK_RUN_ID", None)
        os.environ.pop("MLTRACK_EXPERIMENT_ID", None)
        reset_client()

    def tearDown(self):
        reset_client()
        for k, v in self._saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class ClientApiTests(ServerTestCase):
    def test_start_run_logs_params_metrics_tags_artifacts(self):
        with mltrack.start_run(experiment="client-api", name="explicit") as run:
            mltrack.log_params({"lr": 0.01, "layers": [64, 32]})
            mltrack.log_param("optimizer", "adam")
            mltrack.set_tag("team", "vision")
            mltrack.set_tags({"stage": "dev"})
            for i in range(2500):
                mltrack.log_metric("loss", 1.0 / (i + 1), step=i)
            mltrack.log({"acc": 0.5})
            mltrack.log({"acc": 0.75})
            path = os.path.join(self.ws.root, "notes.txt")
            with open(path, "w") as f:
                f.write("hello")
            mltrack.log_artifact(path)
            mltrack.log_artifact(path, artifact_path="docs")
            run_id, exp_id = run.info.run_id, run.info.experiment_id
        info = self.server.run(run_id)["info"]
        self.assertEqual(info["status"], "FINISHED")
        self.assertEqual(info["run_name"], "explicit")
        self.assertEqual(self.server.get("/experiments/get", experiment_id=exp_id)["experiment"]["name"], "client-api")
        self.assertEqual(self.server.params(run_id), {"lr": "0.01", "layers": "[64, 32]", "optimizer": "adam"})
        tags = self.server.tags(run_id)
        self.assertEqual((tags["team"], tags["stage"]), ("vision", "dev"))
        loss = self.server.history(run_id, "loss")
        self.assertEqual(len(loss), 2500)
        self.assertEqual(sorted(m["step"] for m in loss), list(range(2500)))
        acc = sorted((m["step"], m["value"]) for m in self.server.history(run_id, "acc"))
        self.assertEqual(acc, [(0, 0.5), (1, 0.75)])
        self.assertEqual(self.server.artifacts(run_id), ["docs/notes.txt", "notes.txt"])
        self.assertEqual(self.server.download(run_id, exp_id, "docs/notes.txt"), b"hello")

    def test_changed_param_is_refused(self):
        with mltrack.start_run():
            mltrack.log_param("a", 1)
            mltrack.log_param("a", 1)  # same value again: fine
            with self.assertRaises(mltrack.MLTrackError):
                mltrack.log_param("a", 2)

    def test_failed_block_marks_run_failed_and_nested_runs_link(self):
        with self.assertRaises(ValueError):
            with mltrack.start_run(name="outer") as outer:
                with mltrack.start_run(name="inner", nested=True) as inner:
                    pass
                raise ValueError("x")
        self.assertEqual(self.server.run(outer.info.run_id)["info"]["status"], "FAILED")
        self.assertEqual(self.server.tags(inner.info.run_id)["mlflow.parentRunId"], outer.info.run_id)
        self.assertEqual(self.server.run(inner.info.run_id)["info"]["status"], "FINISHED")

    def test_log_model_sklearn_records_framework_and_example(self):
        if not sklearn_available():
            self.skipTest("scikit-learn not installed for /usr/bin/python3")
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        X = np.random.RandomState(0).rand(40, 3)
        y = (X[:, 0] > 0.5).astype(int)
        with mltrack.start_run() as run:
            meta = mltrack.log_model(LogisticRegression().fit(X, y), input_example=X)
        tags = self.server.tags(run.info.run_id)
        self.assertEqual(tags["mltrack.model.framework"], "sklearn")
        import sklearn
        self.assertEqual(tags["mltrack.model.framework_version"], sklearn.__version__)
        self.assertEqual(tags["mltrack.model.path"], "model/" + meta["file"])
        files = self.server.artifacts(run.info.run_id)
        self.assertIn("model/input_example.json", files)
        self.assertIn(tags["mltrack.model.path"], files)
        import io, json, joblib
        model = joblib.load(io.BytesIO(self.server.download(run.info.run_id, run.info.experiment_id, tags["mltrack.model.path"])))
        self.assertEqual(list(model.predict(X[:5])), list(LogisticRegression().fit(X, y).predict(X[:5])))
        example = json.loads(self.server.download(run.info.run_id, run.info.experiment_id, "model/input_example.json"))
        self.assertEqual(len(example["data"]), 5)
        self.assertEqual(example["shape"], [40, 3])


class TrackDecoratorTests(ServerTestCase):
    def _runs(self, name):
        return [r for r in self.server.search(["0"]) if r["info"]["run_name"] == name]

    def test_bare_decorator_params_defaults_and_metrics(self):
        @mltrack.track
        def train_plain(epochs, lr=0.1, **extra):
            return {"acc": 0.9, "loss": 0.1, "note": "not a number"}

        self.assertEqual(train_plain(3, momentum=0.5), {"acc": 0.9, "loss": 0.1, "note": "not a number"})
        (run,) = self._runs("train_plain")
        rid = run["info"]["run_id"]
        self.assertEqual(run["info"]["status"], "FINISHED")
        self.assertEqual(self.server.params(rid), {"epochs": "3", "lr": "0.1", "momentum": "0.5"})
        self.assertEqual(self.server.latest_metrics(rid), {"acc": 0.9, "loss": 0.1})

    def test_decorator_with_arguments_and_methods(self):
        class Trainer:
            @mltrack.track(experiment="track-exp", name="method-run")
            def fit(self, data, depth=2):
                return {"score": 1}

        Trainer().fit([1.0] * 1000)
        exp = self.server.get("/experiments/get-by-name", experiment_name="track-exp")["experiment"]
        (run,) = self.server.search([exp["experiment_id"]])
        self.assertEqual(run["info"]["run_name"], "method-run")
        self.assertEqual(self.server.params(run["info"]["run_id"]), {"data": "list(len=1000, item=float)", "depth": "2"})

    def test_arrays_summarised_and_model_returned(self):
        if not sklearn_available():
            self.skipTest("scikit-learn not installed for /usr/bin/python3")
        import numpy as np

        @mltrack.track
        def train_model(X, y):
            from sklearn.ensemble import RandomForestClassifier
            model = RandomForestClassifier(n_estimators=5)
            model.fit(X, y)
            return model

        X = np.random.RandomState(1).rand(100, 4)
        y = (X[:, 1] > 0.5).astype(int)
        train_model(X, y)
        (run,) = self._runs("train_model")
        rid = run["info"]["run_id"]
        self.assertEqual(self.server.params(rid), {"X": "ndarray(shape=(100, 4), dtype=float64)", "y": "ndarray(shape=(100,), dtype=int64)"})
        tags = self.server.tags(rid)
        self.assertEqual(tags["mltrack.model.framework"], "sklearn")
        self.assertIn(tags["mltrack.model.path"], self.server.artifacts(rid))

    def test_exception_fails_run_with_traceback_and_reraises(self):
        @mltrack.track
        def broken_step(x):
            raise KeyError("missing column")

        with self.assertRaises(KeyError):
            broken_step(1)
        (run,) = self._runs("broken_step")
        self.assertEqual(run["info"]["status"], "FAILED")
        self.assertIn("error.txt", self.server.artifacts(run["info"]["run_id"]))
        text = self.server.download(run["info"]["run_id"], run["info"]["experiment_id"], "error.txt").decode()
        self.assertIn("KeyError: 'missing column'", text)
        self.assertIn("Traceback", text)

    def test_nested_calls_are_child_runs(self):
        @mltrack.track
        def child_step(i):
            return {"v": i}

        @mltrack.track
        def parent_pipeline():
            child_step(1)
            child_step(2)
            return {"done": 1}

        parent_pipeline()
        (parent,) = self._runs("parent_pipeline")
        children = self._runs("child_step")
        self.assertEqual(len(children), 2)
        for c in children:
            self.assertEqual(self.server.tags(c["info"]["run_id"])["mlflow.parentRunId"], parent["info"]["run_id"])
        self.assertIsNone(_tracking.active_run_info())

    def test_outermost_track_joins_launcher_run(self):
        launched = self.server.create_run(name="launched-by-cli")
        code = (
            "import mltrack\n"
            "@mltrack.track\n"
            "def step(k=1):\n"
            "    return {'inner': k}\n"
            "@mltrack.track\n"
            "def main(alpha=0.5):\n"
            "    step()\n"
            "    return {'m': 1.5}\n"
            "main()\n"
            "main(alpha=0.5)\n"
        )
        r = run_script(code, self.ws, bootstrap=False, env={
            "MLTRACK_TRACKING_URI": self.server.url, "MLTRACK_TOKEN": self.server.token,
            "MLTRACK_RUN_ID": launched["run_id"], "MLTRACK_EXPERIMENT_ID": launched["experiment_id"]})
        self.assertEqual(r.returncode, 0, r.stderr)
        rid = launched["run_id"]
        self.assertEqual(self.server.params(rid), {"alpha": "0.5"})
        self.assertEqual(self.server.latest_metrics(rid), {"m": 1.5})
        self.assertEqual(self.server.run(rid)["info"]["status"], "RUNNING")  # the launcher sets the end status
        children = [x for x in self.server.search(["0"]) if self.server.tags(x["info"]["run_id"]).get("mlflow.parentRunId") == rid]
        self.assertEqual(sorted(c["info"]["run_name"] for c in children), ["main", "step"])  # 1st step + 2nd main


if __name__ == "__main__":
    unittest.main()
