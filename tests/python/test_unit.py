"""Unit tests of the client and the capture helpers that need no server."""
import json
import os
import subprocess
import sys
import tempfile
import types
import unittest

from helpers import BOOTSTRAP, CLIENT, PYTHON, Workspace, clean_env, reset_client

from mltrack import _config
from mltrack._batcher import MetricBatcher
from mltrack._http import dumps
from mltrack._summarize import summarize
from mltrack._decorator import params_of

import mltrack_args
import mltrack_autolog_llm
import mltrack_autolog_torch


class FakeState:
    """Stands in for mltrack_capture.CaptureState: records what capture would log."""

    def __init__(self):
        self.params = {}
        self.metrics = []
        self.warnings = []
        self.args_captured = False
        outer = self

        class _Client:
            def log_metrics(self, run_id, metrics, step=None):
                outer.metrics.append((dict(metrics), step))

            def log_metric(self, run_id, key, value, step=None):
                outer.metrics.append(({key: value}, step))

        self.client = _Client()
        self.run_id = "r" * 32

    def run_id_now(self):
        return self.run_id

    def log_params(self, params):
        for k, v in params.items():
            self.params.setdefault(k, summarize(v))

    def warn(self, what, exc=None):
        self.warnings.append(f"{what}: {exc}")


class SummarizeTests(unittest.TestCase):
    def test_scalars_and_small_collections(self):
        self.assertEqual(summarize(3), "3")
        self.assertEqual(summarize(0.5), "0.5")
        self.assertEqual(summarize(None), "None")
        self.assertEqual(summarize([64, 32]), "[64, 32]")
        self.assertEqual(summarize(list(range(1000))), "list(len=1000, item=int)")
        self.assertTrue(summarize("x" * 1000).endswith("…"))
        self.assertLessEqual(len(summarize("x" * 1000)), 500)

    def test_arrays_by_shape_never_values(self):
        try:
            import numpy as np
        except ImportError:
            self.skipTest("numpy not installed")
        self.assertEqual(summarize(np.zeros((100, 4))), "ndarray(shape=(100, 4), dtype=float64)")
        self.assertEqual(summarize(np.float64(0.25)), "0.25")
        self.assertNotIn("0.", summarize(np.random.rand(3, 3)))

    def test_frames_duck_typed(self):
        Frame = type("DataFrame", (), {"__module__": "pandas.core.frame", "shape": (10, 2), "columns": ["a", "b"]})
        self.assertEqual(summarize(Frame()), "DataFrame(shape=(10, 2), columns=[a, b])")


class ConfigTests(unittest.TestCase):
    def setUp(self):
        self.saved = {k: os.environ.get(k) for k in ("MLTRACK_TRACKING_URI", "MLTRACK_TOKEN", "MLTRACK_STORE", "MLTRACK_HOME")}
        for k in self.saved:
            os.environ.pop(k, None)
        self.ws = Workspace()

    def tearDown(self):
        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        self.ws.remove()

    def test_workspace_is_nearest_folder_with_mltrack_or_git(self):
        sub = os.path.join(self.ws.root, "a", "b")
        os.makedirs(sub)
        self.assertEqual(_config.find_workspace(sub), self.ws.root)
        self.assertEqual(_config.mltrack_folder(sub), self.ws.folder)

    def test_env_wins_then_server_json(self):
        with open(os.path.join(self.ws.folder, "server.json"), "w") as f:
            json.dump({"url": "http://127.0.0.1:1234", "pid": os.getpid(), "store": "x", "started": "now"}, f)
        with open(os.path.join(self.ws.folder, "token"), "w") as f:
            f.write("tok\n")
        c = _config.resolve(self.ws.root)
        self.assertEqual((c.uri, c.token, c.folder), ("http://127.0.0.1:1234", "tok", self.ws.folder))
        os.environ["MLTRACK_TRACKING_URI"] = "http://127.0.0.1:9/"
        os.environ["MLTRACK_TOKEN"] = "envtok"
        c = _config.resolve(self.ws.root)
        self.assertEqual((c.uri, c.token), ("http://127.0.0.1:9", "envtok"))

    def test_dead_server_json_means_no_server(self):
        p = subprocess.Popen(["true"])
        p.wait()
        with open(os.path.join(self.ws.folder, "server.json"), "w") as f:
            json.dump({"url": "http://127.0.0.1:1234", "pid": p.pid}, f)
        self.assertIsNone(_config.resolve(self.ws.root).uri)

    def test_store_env_names_the_folder(self):
        os.environ["MLTRACK_STORE"] = os.path.join(self.ws.root, "elsewhere", "s.db")
        self.assertEqual(_config.mltrack_folder("/"), os.path.join(self.ws.root, "elsewhere"))


class BatcherTests(unittest.TestCase):
    def test_batches_of_at_most_1000_with_fresh_ids_in_order(self):
        sent = []
        b = MetricBatcher(lambda rid, points, batch_id: sent.append({"run_id": rid, "metrics": points, "mltrack_batch_id": batch_id}), interval=60)
        for i in range(2500):
            b.add("run1", "loss", float(i), i)
        b.add("run2", "acc", 1.0, 0)
        b.flush()
        sizes = [len(x["metrics"]) for x in sent]
        self.assertEqual(sum(sizes), 2501)
        self.assertTrue(all(s <= 1000 for s in sizes))
        ids = [x["mltrack_batch_id"] for x in sent]
        self.assertEqual(len(set(ids)), len(ids))
        steps = [m[3] for x in sent if x["run_id"] == "run1" for m in x["metrics"]]
        self.assertEqual(steps, list(range(2500)))
        b.close()

    def test_background_thread_flushes_by_time(self):
        import threading
        got = threading.Event()
        b = MetricBatcher(lambda rid, points, batch_id: got.set(), interval=0.1)
        b.add("r", "k", 1.0)
        self.assertTrue(got.wait(5))
        b.close()

    def test_nan_and_infinity_are_json(self):
        body = json.loads(dumps({"v": [float("nan"), float("inf"), -float("inf"), 1.5]}))
        self.assertEqual(body["v"], ["NaN", "Infinity", "-Infinity", 1.5])
        from mltrack._tracking import LazyBatch
        lazy = LazyBatch("r", [("a\"b", float("nan"), 1, 2), ("k", 0.1, 3, 4), ("k", float("inf"), 5, 6)], "id")
        self.assertEqual(json.loads(lazy.encode()), json.loads(dumps(lazy.to_dict())))


class DecoratorUnitTests(unittest.TestCase):
    def test_params_of_binds_defaults_skips_self_flattens_kwargs(self):
        import inspect

        class M:
            def fit(self, X, y=None, lr=0.1, *rest, **extra):
                pass

        sig = inspect.signature(M.fit)
        p = params_of(sig, (M(), [1, 2]), {"epochs": 3})
        self.assertEqual(p["X"], [1, 2])
        self.assertIsNone(p["y"])
        self.assertEqual(p["lr"], 0.1)
        self.assertEqual(p["epochs"], 3)
        self.assertNotIn("self", p)


class ArgvTests(unittest.TestCase):
    def test_from_argv(self):
        self.assertEqual(mltrack_args.from_argv(["pos", "--lr", "0.1", "--epochs=3", "--verbose", "--shift", "-2", "--batch-size", "8"]),
                         {"lr": "0.1", "epochs": "3", "verbose": "true", "shift": "-2", "batch_size": "8"})


class LlmAutologTests(unittest.TestCase):
    def setUp(self):
        self.saved = os.environ.pop("MLTRACK_LLM_PRICES", None)

    def tearDown(self):
        os.environ.pop("MLTRACK_LLM_PRICES", None)
        if self.saved is not None:
            os.environ["MLTRACK_LLM_PRICES"] = self.saved

    def test_cost_by_longest_prefix_and_env_override(self):
        self.assertAlmostEqual(mltrack_autolog_llm.cost_usd("gpt-4o-mini-2024-07-18", 1_000_000, 0), 0.15)
        self.assertAlmostEqual(mltrack_autolog_llm.cost_usd("gpt-4o-2024-08-06", 0, 1_000_000), 10.0)
        self.assertIsNone(mltrack_autolog_llm.cost_usd("my-local-model", 10, 10))
        os.environ["MLTRACK_LLM_PRICES"] = json.dumps({"my-local": {"input": 1, "output": 2}, "gpt-4o": [5, 20]})
        self.assertAlmostEqual(mltrack_autolog_llm.cost_usd("my-local-model", 1_000_000, 1_000_000), 3.0)
        self.assertAlmostEqual(mltrack_autolog_llm.cost_usd("gpt-4o", 1_000_000, 0), 5.0)

    def _fake_openai(self):
        Usage = types.SimpleNamespace

        class Completions:
            def create(self, **kwargs):
                return types.SimpleNamespace(model=kwargs["model"], usage=Usage(prompt_tokens=100, completion_tokens=20))

        class AsyncCompletions:
            async def create(self, **kwargs):
                return {"model": kwargs["model"], "usage": {"prompt_tokens": 7, "completion_tokens": 3}}

        openai = types.ModuleType("openai")
        resources = types.ModuleType("openai.resources")
        chat = types.ModuleType("openai.resources.chat")
        completions = types.ModuleType("openai.resources.chat.completions")
        completions.Completions, completions.AsyncCompletions = Completions, AsyncCompletions
        openai.resources, resources.chat, chat.completions = resources, chat, completions
        return openai, Completions, AsyncCompletions

    def test_openai_fake_module(self):
        openai, Completions, AsyncCompletions = self._fake_openai()
        saved = {k: sys.modules.get(k) for k in ("openai",)}
        sys.modules["openai"] = openai
        try:
            state = FakeState()
            self.assertEqual(mltrack_autolog_llm.patch_openai(openai, state), 2)
            Completions().create(model="gpt-4o-mini", messages=[])
            import asyncio
            asyncio.run(AsyncCompletions().create(model="claude-3-haiku-x"))
            self.assertEqual(len(state.metrics), 2)
            m0, step0 = state.metrics[0]
            self.assertEqual((m0["llm/prompt_tokens"], m0["llm/completion_tokens"], step0), (100, 20, state.metrics[0][1]))
            self.assertAlmostEqual(m0["llm/cost_usd"], (100 * 0.15 + 20 * 0.60) / 1e6)
            self.assertEqual(state.metrics[1][0]["llm/prompt_tokens"], 7)
            self.assertEqual(mltrack_autolog_llm.patch_openai(openai, state), 0)  # patched once
        finally:
            for k, v in saved.items():
                if v is None:
                    sys.modules.pop(k, None)
                else:
                    sys.modules[k] = v

    def test_anthropic_fake_module_and_failures_do_not_raise(self):
        class Messages:
            def create(self, **kwargs):
                return types.SimpleNamespace(model="claude-sonnet-4-0", usage=types.SimpleNamespace(input_tokens=1000, output_tokens=100))

        class Broken:
            def create(self, **kwargs):
                return types.SimpleNamespace(usage=types.SimpleNamespace(input_tokens="x", output_tokens=None))

        anthropic = types.ModuleType("anthropic")
        anthropic.resources = types.SimpleNamespace(messages=types.SimpleNamespace(Messages=Messages, AsyncMessages=Broken))
        state = FakeState()
        self.assertEqual(mltrack_autolog_llm.patch_anthropic(anthropic, state), 2)
        r = Messages().create(model="claude-sonnet-4-0", messages=[])
        self.assertEqual(r.usage.input_tokens, 1000)
        self.assertAlmostEqual(state.metrics[0][0]["llm/cost_usd"], (1000 * 3 + 100 * 15) / 1e6)
        Broken().create()  # bad usage: a warning, not an exception
        self.assertEqual(len(state.warnings), 1)


class TorchAutologTests(unittest.TestCase):
    def test_fake_optimizer(self):
        class Param:
            def __init__(self, n):
                self.n = n

            def numel(self):
                return self.n

        class Optimizer:
            def __init__(self, params, defaults):
                self.defaults = defaults
                self.param_groups = [{"params": list(params), **defaults}]

        class SGD(Optimizer):
            def __init__(self, params, lr=0.01, momentum=0.9):
                super().__init__(params, {"lr": lr, "momentum": momentum, "nesterov": False, "foreach": None})

        module = types.ModuleType("torch.optim.optimizer")
        module.Optimizer = Optimizer
        state = FakeState()
        mltrack_autolog_torch.patch(module, state)
        SGD([Param(10), Param(5)], lr=0.05)
        self.assertEqual(state.params["optimizer"], "SGD")
        self.assertEqual(state.params["optimizer.lr"], "0.05")
        self.assertEqual(state.params["optimizer.momentum"], "0.9")
        self.assertEqual(state.params["model_parameter_count"], "15")


class FileRecorderTests(unittest.TestCase):
    def test_classifies_reads_writes_and_skips_noise(self):
        import mltrack_files
        rec = mltrack_files.FileRecorder(FakeState())
        d = tempfile.mkdtemp(prefix="files-test-")
        data, out, both = (os.path.join(d, n) for n in ("data.csv", "out.csv", "both.csv"))
        for p in (data, both):
            with open(p, "w") as f:
                f.write("a,b\n1,2\n")
        rec.hook("open", (data, "r", 0))
        rec.hook("open", (out, "w", 0))
        rec.hook("open", (both, "r+", 0))
        rec.hook("open", (os.path.join(d, "mod.py"), "r", 0))
        rec.hook("open", (os.path.join(d, ".mltrack", "spool", "x.jsonl"), None, os.O_WRONLY | os.O_APPEND))
        rec.hook("open", ("/proc/self/status", "r", 0))
        rec.hook("open", (os.__file__, "r", 0))
        rec.hook("open", (3, "r", 0))
        rec.hook("other.event", (data,))
        with open(out, "w") as f:
            f.write("x\n")
        inputs, outputs = rec.collect()
        self.assertEqual([i["path"] for i in inputs], [data])
        self.assertEqual(sorted(o["path"] for o in outputs), sorted([out, both]))
        import hashlib
        self.assertEqual(inputs[0]["sha256"], hashlib.sha256(b"a,b\n1,2\n").hexdigest())
        self.assertEqual(inputs[0]["size"], 8)


class OfflineSpoolTests(unittest.TestCase):
    """No server: every request lands in .mltrack/spool/<run>.jsonl, artifacts copied beside it."""

    def test_track_without_server_spools_requests_and_files(self):
        ws = Workspace()
        try:
            code = (
                "import mltrack\n"
                "@mltrack.track(experiment='offline', name='t')\n"
                "def train(lr=0.1):\n"
                "    mltrack.log_metric('loss', 0.5)\n"
                "    mltrack.log_metric('loss', 0.25)\n"
                "    return {'acc': 0.9}\n"
                "train()\n"
            )
            env = {"MLTRACK_TRACKING_URI": "http://127.0.0.1:9", "PYTHONPATH": CLIENT}
            r = subprocess.run([PYTHON, "-c", code], cwd=ws.root, env=clean_env(env), capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("spooling", r.stderr)
            files = [f for f in os.listdir(ws.spool) if f.endswith(".jsonl")]
            self.assertEqual(len(files), 1)
            run_id = files[0][:-6]
            lines = [json.loads(l) for l in open(os.path.join(ws.spool, files[0]))]
            self.assertEqual(lines[0]["path"], "/api/2.0/mlflow/runs/create")
            self.assertEqual(lines[0]["body"]["run_id"], run_id)
            self.assertEqual(lines[0]["body"].get("mltrack_experiment_name"), "offline")
            batches = [l["body"] for l in lines if l["path"].endswith("/runs/log-batch") and "metrics" in l["body"]]
            self.assertTrue(all(len(b["mltrack_batch_id"]) == 32 for b in batches))
            points = sorted((m["key"], m["step"], m["value"]) for b in batches for m in b["metrics"])
            self.assertEqual(points, [("acc", 0, 0.9), ("loss", 0, 0.5), ("loss", 1, 0.25)])
            params = [p for l in lines if "params" in (l.get("body") or {}) for p in l["body"]["params"]]
            self.assertEqual(params, [{"key": "lr", "value": "0.1"}])
            self.assertEqual(lines[-1]["body"]["status"], "FINISHED")
        finally:
            ws.remove()

    def test_exception_spools_error_txt_attachment(self):
        ws = Workspace()
        try:
            code = "import mltrack\n@mltrack.track\ndef f():\n    raise RuntimeError('nope')\nf()\n"
            r = subprocess.run([PYTHON, "-c", code], cwd=ws.root, env=clean_env({"PYTHONPATH": CLIENT}), capture_output=True, text=True, timeout=60)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("RuntimeError: nope", r.stderr)
            (name,) = [f for f in os.listdir(ws.spool) if f.endswith(".jsonl")]
            lines = [json.loads(l) for l in open(os.path.join(ws.spool, name))]
            put = [l for l in lines if l["method"] == "PUT"][0]
            self.assertTrue(put["path"].endswith("/artifacts/error.txt"))
            self.assertEqual(put["file"], "files/error.txt")
            with open(os.path.join(ws.spool, name[:-6], put["file"])) as f:
                self.assertIn("RuntimeError: nope", f.read())
            self.assertEqual(lines[-1]["body"]["status"], "FAILED")
        finally:
            ws.remove()


class BootstrapTests(unittest.TestCase):
    def test_no_run_id_means_no_capture_and_debian_sitecustomize_still_runs(self):
        ws = Workspace()
        try:
            code = "import sys, argparse; argparse.ArgumentParser().parse_args([]); print('mltrack_capture' in sys.modules)"
            r = subprocess.run([PYTHON, "-c", code], cwd=ws.root, env=clean_env({"PYTHONPATH": BOOTSTRAP}), capture_output=True, text=True, timeout=60)
            self.assertEqual((r.returncode, r.stdout.strip()), (0, "False"), r.stderr)
            self.assertFalse(os.path.exists(ws.spool))
        finally:
            ws.remove()

    def test_capture_failure_never_breaks_the_script(self):
        ws = Workspace()
        try:
            # a broken mltrack package on the path: the bootstrap warns and the script runs
            broken = os.path.join(ws.root, "broken")
            os.makedirs(os.path.join(broken, "mltrack_capture_dir"))
            with open(os.path.join(broken, "mltrack_capture.py"), "w") as f:
                f.write("raise ImportError('boom')\n")
            env = clean_env({"PYTHONPATH": broken + os.pathsep + BOOTSTRAP, "MLTRACK_RUN_ID": "a" * 32,
                             "MLTRACK_TRACKING_URI": "http://127.0.0.1:9"})
            r = subprocess.run([PYTHON, "-c", "print('script ran')"], cwd=ws.root, env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("script ran", r.stdout)
            self.assertIn("mltrack:", r.stderr)
        finally:
            ws.remove()


if __name__ == "__main__":
    unittest.main()
