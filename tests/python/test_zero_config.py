"""Zero-config capture of unmodified scripts: the bootstrap on PYTHONPATH with the launcher's environment, and the
real `mltrack run` (once the launcher wires the bootstrap in)."""
import hashlib
import json
import os
import subprocess
import unittest

from helpers import BOOTSTRAP, MLTRACK, PYTHON, ROOT, Server, Workspace, run_script, sklearn_available

EXAMPLES = os.path.join(ROOT, "examples")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def impact_json(ws, path):
    r = subprocess.run([MLTRACK, "impact", path, "--json"], cwd=ws.root, env=ws.env(), capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise AssertionError(f"mltrack impact failed: {r.stderr}")
    return r.stdout


def lineage_json(ws, run_id):
    r = subprocess.run([MLTRACK, "lineage", run_id, "--json"], cwd=ws.root, env=ws.env(), capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise AssertionError(f"mltrack lineage failed: {r.stderr}")
    return r.stdout


class ZeroConfigTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ws = Workspace()
        cls.server = Server(cls.ws)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.ws.remove()

    def launch(self, script, args=(), **env):
        """Runs a script as `mltrack run` would: a run created first, its id and the server in the environment."""
        # Scripts given as source text get a plain name: run names may not hold newlines.
        info = self.server.create_run(name=os.path.basename(str(script)) if os.path.exists(str(script)) else "inline-script")
        e = {"MLTRACK_RUN_ID": info["run_id"], "MLTRACK_EXPERIMENT_ID": info["experiment_id"],
             "MLTRACK_TRACKING_URI": self.server.url, "MLTRACK_TOKEN": self.server.token}
        e.update(env)
        r = run_script(script, self.ws, args=args, env=e)
        return info["run_id"], r

    def test_argparse_sklearn_script(self):
        if not sklearn_available():
            self.skipTest("scikit-learn not installed for /usr/bin/python3")
        data = os.path.join(self.ws.root, "data", "train.csv")
        preds = os.path.join(self.ws.root, "out", "predictions.csv")
        r = subprocess.run([PYTHON, os.path.join(EXAMPLES, "prepare_data.py"), "--out", data, "--rows", "200"],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        run_id, r = self.launch(os.path.join(EXAMPLES, "sklearn_train.py"),
                                ["--data", data, "--n-estimators", "12", "--predictions", preds])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("mltrack: warning", r.stderr)
        s = self.server
        params = s.params(run_id)
        self.assertEqual(params["n_estimators"], "12")          # argparse (and the estimator agrees)
        self.assertEqual(params["data"], data)
        self.assertEqual(params["model"], "forest")
        self.assertEqual(params["max_depth"], "None")
        self.assertEqual(params["estimator_class"], "sklearn.ensemble.RandomForestClassifier")
        self.assertEqual(params["criterion"], "gini")           # get_params()
        metrics = s.latest_metrics(run_id)
        self.assertGreater(metrics["training_score"], 0.8)
        tags = s.tags(run_id)
        self.assertEqual(tags["mltrack.model.framework"], "sklearn")
        self.assertEqual(tags["mltrack.training_data.shape"], "(150, 4)")
        self.assertIn("args", tags["mltrack.capture"])
        files = s.artifacts(run_id)
        self.assertIn(tags["mltrack.model.path"], files)
        self.assertIn("model/input_example.json", files)
        self.assertEqual(s.run(run_id)["info"]["status"], "RUNNING")  # the launcher, not the bootstrap, ends it
        graph = impact_json(self.ws, data)  # the run read data/train.csv and wrote the predictions
        self.assertIn(run_id, graph)
        self.assertIn(sha256(preds), graph)
        self.assertNotIn("site-packages", graph)

    def test_argv_options_without_argparse_and_switches(self):
        code = "import sys\nprint('args', sys.argv[1:])\n"
        run_id, r = self.launch(code, ["--lr=0.3", "--epochs", "4", "--dry-run"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.server.params(run_id), {"lr": "0.3", "epochs": "4", "dry_run": "true"})
        run_id, r = self.launch(code, ["--lr=0.3"], MLTRACK_CAPTURE_ARGS="0", MLTRACK_CAPTURE_FILES="0")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.server.params(run_id), {})
        self.assertEqual(self.server.tags(run_id)["mltrack.capture"], "sklearn,torch,llm")

    def test_autolog_switched_off(self):
        if not sklearn_available():
            self.skipTest("scikit-learn not installed for /usr/bin/python3")
        code = ("import numpy as np\nfrom sklearn.linear_model import LinearRegression\n"
                "X = np.arange(20.).reshape(10, 2); LinearRegression().fit(X, X[:, 0])\n")
        run_id, r = self.launch(code, MLTRACK_AUTOLOG_SKLEARN="0")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("training_score", self.server.latest_metrics(run_id))
        run_id, r = self.launch(code)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.server.latest_metrics(run_id)["training_score"], 1.0)
        self.assertEqual(self.server.params(run_id)["estimator_class"], "sklearn.linear_model.LinearRegression")

    def test_failure_inside_capture_is_a_warning(self):
        if not sklearn_available():
            self.skipTest("scikit-learn not installed for /usr/bin/python3")
        code = ("import numpy as np\nfrom sklearn.base import BaseEstimator\n"
                "class Odd(BaseEstimator):\n"
                "    def fit(self, X, y):\n        self.k_ = 1\n        return self\n"
                "    def predict(self, X):\n        return X[:, 0]\n"
                "    def score(self, X, y):\n        raise RuntimeError('score exploded')\n"
                "Odd().fit(np.ones((3, 2)), np.ones(3))\nprint('script finished')\n")
        run_id, r = self.launch(code)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("script finished", r.stdout)
        self.assertIn("mltrack: warning", r.stderr)
        self.assertIn("score exploded", self.server.tags(run_id)["mltrack.warnings"])

    def test_mlflow_style_env_only_child_python_processes_are_not_captured_twice(self):
        code = ("import subprocess, sys\n"
                "subprocess.run([sys.executable, '-c', 'import argparse; p=argparse.ArgumentParser(); p.add_argument(\"--child\"); p.parse_args([\"--child\", \"1\"])'], check=True)\n"
                "import argparse; p = argparse.ArgumentParser(); p.add_argument('--parent', default='p'); p.parse_args([])\n")
        run_id, r = self.launch(code)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.server.params(run_id), {"parent": "p"})


class LauncherTests(unittest.TestCase):
    """`mltrack run -- /usr/bin/python3 script.py`: needs the launcher to put the bootstrap on PYTHONPATH and pass
    MLTRACK_TRACKING_URI / MLTRACK_TOKEN (skipped until the launcher source mentions mltrack_bootstrap)."""

    @classmethod
    def setUpClass(cls):
        src = ""
        for d, _, files in os.walk(os.path.join(ROOT, "server")):
            if "/bin" in d or "/obj" in d:
                continue
            for f in files:
                if f.endswith(".cs"):
                    with open(os.path.join(d, f), errors="replace") as fh:
                        src += fh.read()
        if "mltrack_bootstrap" not in src:
            raise unittest.SkipTest("the launcher does not put clients/python/mltrack_bootstrap on PYTHONPATH yet")
        cls.ws = Workspace()

    @classmethod
    def tearDownClass(cls):
        cls.ws.remove()

    def mltrack_run(self, *args):
        r = subprocess.run([MLTRACK, "run", "--system-interval", "0", "--", PYTHON, *args], cwd=self.ws.root, env=self.ws.env(),
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        import re
        m = re.search(r"run ([0-9a-f]{32}) started", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        return m.group(1), r

    def test_two_script_lineage(self):
        if not sklearn_available():
            self.skipTest("scikit-learn not installed for /usr/bin/python3")
        prep_id, _ = self.mltrack_run(os.path.join(EXAMPLES, "prepare_data.py"), "--out", "data/train.csv", "--rows", "300")
        train_id, r = self.mltrack_run(os.path.join(EXAMPLES, "sklearn_train.py"), "--data", "data/train.csv",
                                       "--model", "logistic", "--predictions", "out/pred.csv")
        server = Server(self.ws)
        try:
            self.assertEqual(server.params(prep_id)["rows"], "300")
            params = server.params(train_id)
            self.assertEqual((params["model"], params["estimator_class"]), ("logistic", "sklearn.linear_model.LogisticRegression"))
            self.assertIn("training_score", server.latest_metrics(train_id))
            tags = server.tags(train_id)
            self.assertIn(tags["mltrack.model.path"], server.artifacts(train_id))
            self.assertEqual(server.run(train_id)["info"]["status"], "FINISHED")
        finally:
            server.stop()
        graph = lineage_json(self.ws, train_id)
        self.assertIn(prep_id, graph)
        self.assertIn(sha256(os.path.join(self.ws.root, "data", "train.csv")), graph)


if __name__ == "__main__":
    unittest.main()
