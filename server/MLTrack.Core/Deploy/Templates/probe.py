"""MLTrack's model probe: loads a generated predictor, reports what the model says about its inputs and predicts on
an example. Usage: probe.py PREDICTOR_DIR MODEL_PATH [EXAMPLE_JSON]. Prints one line: MLTRACK_PROBE {json}."""
import importlib
import json
import sys

predictor_dir, model_path = sys.argv[1], sys.argv[2]
example_path = sys.argv[3] if len(sys.argv) > 3 else ""
sys.path.insert(0, predictor_dir)
import predictor  # noqa: E402

model = predictor.load(model_path)
result = {}
module = {"sklearn": "sklearn", "pytorch": "torch", "tensorflow": "tensorflow"}.get(predictor.FRAMEWORK)
try:
    result["installed_version"] = str(importlib.import_module(module).__version__)
except Exception:
    result["installed_version"] = ""

n_features = getattr(model, "n_features_in_", None)
names = getattr(model, "feature_names_in_", None)
if n_features is not None:
    result["n_features_in"] = int(n_features)
if names is not None:
    result["feature_names_in"] = [str(n) for n in names]

example = None
if example_path:
    with open(example_path, encoding="utf-8") as f:
        example = json.load(f)
elif n_features is not None:
    example = [[0.0] * int(n_features)]
if example is not None:
    result["example"] = example
    result["predictions"] = predictor.predict(example)

print("MLTRACK_PROBE " + json.dumps(result), flush=True)
