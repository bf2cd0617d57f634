"""mltrack.deploy: DeploymentConfig validation, and deployments through a real `mltrack server` (local target for real:
train → log_model → deploy_local → POST /predict answers the model's predictions → stop), the examples and the
local-target benchmark script."""
import json
import os
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.request

from helpers import CLIENT, PYTHON, ROOT, Server, Workspace, reset_client, run_script, sklearn_available

import mltrack
from mltrack import deploy as mdeploy
from mltrack.deploy import DeploymentConfig, DeploymentError, deploy_local, deploy_to_modal, list_deployments, \
    stop_deployment

BENCH = os.path.join(ROOT, "bench", "python", "local_target_bench.py")
EXAMPLES = os.path.join(ROOT, "examples")


class DeploymentConfigTests(unittest.TestCase):
    def test_documented_config_is_valid_and_serialises_memory_as_mb(self):
        config = DeploymentConfig(app_name="my-model", model_name="Random Forest", model_version="1.0.0", cpu=1.0, memory=512)
        self.assertEqual(config.to_json(), {"app_name": "my-model", "model_name": "Random Forest", "model_version": "1.0.0",
                                             "cpu": 1.0, "memory_mb": 512, "gpu": None, "min_containers": 0,
                                             "timeout_seconds": 300, "env": {}})
        full = DeploymentConfig(app_name="m2", cpu=0.5, memory=2048, gpu="A10G:2", min_containers=1, timeout_seconds=60,
                                env={"LOG_LEVEL": "debug", "WORKERS": 2})
        self.assertEqual(full.to_json()["gpu"], "A10G:2")
        self.assertEqual(full.to_json()["env"], {"LOG_LEVEL": "debug", "WORKERS": "2"})
        self.assertIsNone(DeploymentConfig(app_name="m3", gpu="").to_json()["gpu"])

    def test_invalid_fields_raise_value_error_naming_the_field(self):
        cases = [
            ({"app_name": ""}, "app_name"),
            ({"app_name": "My Model"}, "app_name"),
            ({"app_name": "-lead"}, "app_name"),
            ({"app_name": "a" * 64}, "app_name"),
            ({"model_name": "x" * 201}, "model_name"),
            ({"model_version": 1.0}, "model_version"),
            ({"model_version": "1\n0"}, "model_version"),
            ({"cpu": 0}, "cpu"),
            ({"cpu": 65}, "cpu"),
            ({"cpu": "1"}, "cpu"),
            ({"cpu": float("nan")}, "cpu"),
            ({"memory": 64}, "memory"),
            ({"memory": 512.5}, "memory"),
            ({"memory": True}, "memory"),
            ({"gpu": "RTX4090"}, "gpu"),
            ({"gpu": "T4:9"}, "gpu"),
            ({"gpu": "T4:1:2"}, "gpu"),
            ({"min_containers": -1}, "min_containers"),
            ({"min_containers": 101}, "min_containers"),
            ({"timeout_seconds": 0}, "timeout_seconds"),
            ({"timeout_seconds": 86401}, "timeout_seconds"),
            ({"env": ["A=1"]}, "env"),
            ({"env": {"1BAD": "x"}}, "env"),
            ({"env": {"MODAL_TOKEN_SECRET": "s"}}, "env"),
            ({"env": {"OK": None}}, "env"),
        ]
        for overrides, field_name in cases:
            kwargs = {"app_name": "ok-name"}
            kwargs.update(overrides)
            with self.subTest(**{k: repr(v) for k, v in overrides.items()}):
                with self.assertRaises(ValueError) as cm:
                    DeploymentConfig(**kwargs)
                self.assertIn(field_name, str(cm.exception))

    def test_fields_changed_after_creation_are_checked_before_sending(self):
        config = DeploymentConfig(app_name="ok")
        config.memory = 10
        with self.assertRaises(ValueError) as cm:
            config.to_json()
        self.assertIn("memory", str(cm.exception))

    def test_bad_target_and_run_id_and_config_type(self):
        with self.assertRaises(ValueError):
            mdeploy.deploy("abc", DeploymentConfig(app_name="x"), target="kubernetes")
        with self.assertRaises(ValueError):
            deploy_local("", DeploymentConfig(app_name="x"))
        with self.assertRaises(ValueError):
            deploy_local("abc", {"app_name": "x"})

    def test_no_server_raises_deployment_error_saying_so(self):
        saved = {k: os.environ.pop(k, None) for k in ("MLTRACK_TRACKING_URI", "MLTRACK_TOKEN", "MLTRACK_STORE")}
        home = tempfile.mkdtemp(prefix="mltrack-test-noserver-")
        os.environ["MLTRACK_HOME"] = home
        os.environ["MLTRACK_NO_AUTOSTART"] = "1"
        try:
            with self.assertRaises(DeploymentError) as cm:
                deploy_local("0123abcd", DeploymentConfig(app_name="x"))
            self.assertIn("no MLTrack server", str(cm.exception))
            with self.assertRaises(DeploymentError):
                list_deployments()
        finally:
            os.environ.pop("MLTRACK_HOME", None)
            os.environ.pop("MLTRACK_NO_AUTOSTART", None)
            for k, v in saved.items():
                if v is not None:
                    os.environ[k] = v
            os.rmdir(home)

    def test_bench_percentiles(self):
        import importlib.util
        spec = importlib.util.spec_from_file_location("local_target_bench", BENCH)
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
        values = list(range(1, 101))
        self.assertEqual((bench.percentile(values, 50), bench.percentile(values, 99), bench.percentile(values, 100)), (50, 99, 100))
        self.assertEqual(bench.percentile([7.0], 99), 7.0)
        self.assertIsNone(bench.percentile([], 50))


@unittest.skipUnless(sklearn_available(), "scikit-learn not installed for /usr/bin/python3")
class DeployServerTests(unittest.TestCase):
    """Against a real server: the local target really serves the run's model."""

    @classmethod
    def setUpClass(cls):
        cls.ws = Workspace()
        cls.server = Server(cls.ws)
        cls._saved = {k: os.environ.get(k) for k in ("MLTRACK_TRACKING_URI", "MLTRACK_TOKEN", "MLTRACK_RUN_ID", "MLTRACK_EXPERIMENT_ID")}
        os.environ["MLTRACK_TRACKING_URI"] = cls.server.url
        os.environ["MLTRACK_TOKEN"] = cls.server.token
        os.environ.pop("MLTRACK_RUN_ID", None)
        os.environ.pop("MLTRACK_EXPERIMENT_ID", None)
        reset_client()
        import numpy as np
        from sklearn.ensemble import RandomForestClassifier
        rng = np.random.RandomState(0)
        cls.X = rng.rand(120, 4)
        cls.y = (cls.X[:, 0] + cls.X[:, 2] > 1.0).astype(int)
        cls.model = RandomForestClassifier(n_estimators=10, random_state=0).fit(cls.X, cls.y)
        with mltrack.start_run(experiment="deploy-tests", name="forest") as run:
            mltrack.log_metrics({"accuracy": float(cls.model.score(cls.X, cls.y))})
            mltrack.log_model(cls.model, input_example=cls.X)
        cls.run_id = run.info.run_id
        cls.deployments = []

    @classmethod
    def tearDownClass(cls):
        try:
            for d in list_deployments():
                if d.get("status") not in ("STOPPED", "FAILED"):
                    stop_deployment(d["deployment_id"])
        except Exception:
            pass
        reset_client()
        for k, v in cls._saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        cls.server.stop()
        cls.ws.remove()

    def _deploy(self, app_name):
        d = deploy_local(self.run_id, DeploymentConfig(app_name=app_name, model_name="Random Forest",
                                                       model_version="1.0.0", cpu=1.0, memory=512), timeout=300)
        self.deployments.append(d["deployment_id"])
        return d

    @staticmethod
    def _post(url, body):
        req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def test_deploy_local_serves_the_runs_model_then_stops(self):
        d = self._deploy("forest-local")
        for key in ("deployment_id", "run_id", "target", "name", "model_name", "model_version", "status", "endpoint_url",
                    "message", "created_at", "updated_at", "config", "stats"):
            self.assertIn(key, d)
        self.assertEqual((d["status"], d["target"], d["run_id"]), ("READY", "local", self.run_id))
        self.assertEqual((d["model_name"], d["model_version"]), ("Random Forest", "1.0.0"))
        self.assertTrue(d["endpoint_url"].startswith("http://127.0.0.1:"), d["endpoint_url"])

        sample = self.X[:7].tolist()
        status, body = self._post(d["endpoint_url"] + "/predict", {"instances": sample})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["predictions"], self.model.predict(self.X[:7]).tolist())
        self.assertEqual(mdeploy.predict(d, sample), self.model.predict(self.X[:7]).tolist())
        status, body = self._post(d["endpoint_url"] + "/predict", {"instances": [[1.0, 2.0]]})  # wrong schema
        self.assertEqual(status, 400, body)
        with self.assertRaises(DeploymentError) as cm:
            mdeploy.predict(d, [["a", "b", "c", "d"]])
        self.assertIn("400", str(cm.exception))

        self.assertIn(d["deployment_id"], [x["deployment_id"] for x in list_deployments(run_id=self.run_id)])
        self.assertIn(d["deployment_id"], [x["deployment_id"] for x in list_deployments()])
        self.assertEqual(mdeploy.get_deployment(d["deployment_id"])["status"], "READY")
        spec = mdeploy.get_openapi(d["deployment_id"])
        self.assertTrue(str(spec.get("openapi", "")).startswith("3.1"), spec)
        self.assertIn("/predict", spec["paths"])

        stop_deployment(d["deployment_id"])
        try:  # DELETE stops the deployment and may remove its record
            self.assertEqual(mdeploy.get_deployment(d["deployment_id"])["status"], "STOPPED")
        except DeploymentError as e:
            self.assertEqual(e.status, 404, str(e))
        self.assertNotIn(d["deployment_id"], [x["deployment_id"] for x in list_deployments(run_id=self.run_id)
                                              if x["status"] not in ("STOPPED", "FAILED")])
        with self.assertRaises(OSError):
            urllib.request.urlopen(d["endpoint_url"] + "/health", timeout=5)
        stop_deployment(d["deployment_id"])  # stopping twice is harmless
        with self.assertRaises(DeploymentError):
            stop_deployment("0" * 32, missing_ok=False)

    def test_run_without_model_raises_deployment_error_with_reason(self):
        with mltrack.start_run(experiment="deploy-tests", name="no-model") as run:
            mltrack.log_metrics({"accuracy": 0.5})
        with self.assertRaises(DeploymentError) as cm:
            deploy_local(run.info.run_id, DeploymentConfig(app_name="no-model"))
        self.assertIn("model", str(cm.exception).lower())
        with self.assertRaises(DeploymentError):
            deploy_local("ffffffffffffffffffffffffffffffff", DeploymentConfig(app_name="ghost"))

    def test_modal_failure_raises_with_the_servers_message(self):
        # `modal` is not installed here (nor logged in): the server's Modal path ends FAILED with how to fix it.
        config = DeploymentConfig(app_name="my-model", model_name="Random Forest", model_version="1.0.0", cpu=1.0, memory=512)
        with self.assertRaises(DeploymentError) as cm:
            deploy_to_modal(self.run_id, config, timeout=300)
        e = cm.exception
        self.assertTrue(e.message.strip())
        if e.deployment is not None:
            self.assertEqual(e.deployment["status"], "FAILED")
            self.assertEqual(e.deployment["target"], "modal")
            self.assertIn(e.deployment["message"], str(e))

    def test_bench_script_measures_a_bounded_load_from_another_process(self):
        d = self._deploy("forest-bench")
        r = subprocess.run([PYTHON, BENCH, d["endpoint_url"], "-n", "300", "-c", "4", "--warmup", "10"],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        result = json.loads(r.stdout.strip().splitlines()[-1])
        self.assertEqual((result["requests"], result["ok"], result["errors"], result["concurrency"]), (300, 300, 0, 4))
        self.assertGreater(result["requests_per_s"], 0)
        self.assertLessEqual(result["p50_ms"], result["p99_ms"])
        stop_deployment(d["deployment_id"])

    def _script_env(self):
        return {"MLTRACK_TRACKING_URI": self.server.url, "MLTRACK_TOKEN": self.server.token, "PYTHONPATH": CLIENT}

    def test_example_deploy_model_trains_deploys_and_predicts(self):
        r = run_script(os.path.join(EXAMPLES, "deploy_model.py"), self.ws, args=["--stop"], bootstrap=False,
                       env=self._script_env(), timeout=600)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"Model deployed at: http://127\.0\.0\.1:\d+")
        preds = json.loads(r.stdout.split("predictions: ", 1)[1].splitlines()[0])
        self.assertEqual(len(preds), 3)
        self.assertTrue(all(p in (0, 1, 2) for p in preds), preds)
        # --latest finds that run again
        r = run_script(os.path.join(EXAMPLES, "deploy_model.py"), self.ws, args=["--latest", "--stop"], bootstrap=False,
                       env=self._script_env(), timeout=600)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("Model deployed at: http://127.0.0.1:", r.stdout)

    def test_example_batch_deploy_picks_the_best_run_of_each_experiment(self):
        r = run_script(os.path.join(EXAMPLES, "batch_deploy_models.py"), self.ws, args=["--train-demo"], bootstrap=False,
                       env=self._script_env(), timeout=900)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        summary = json.loads(r.stdout.strip().splitlines()[-1])
        self.assertEqual(summary["target"], "local")
        self.assertEqual(sorted(s["experiment"] for s in summary["deployments"]), ["demo-breast-cancer", "demo-iris", "demo-wine"])
        for s in summary["deployments"]:
            best = max(self.server.latest_metrics(x["info"]["run_id"])["accuracy"]
                       for x in self.server.search([self.server.get("/experiments/get-by-name", experiment_name=s["experiment"])
                                                    ["experiment"]["experiment_id"]]))
            self.assertEqual(s["accuracy"], best)
            self.assertEqual(s["status"], "READY")
            self.assertEqual(mdeploy.get_deployment(s["deployment_id"])["run_id"], s["run_id"])
            stop_deployment(s["deployment_id"])


if __name__ == "__main__":
    unittest.main()
