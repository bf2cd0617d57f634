"""log_model: scikit-learn (and other fit/predict objects) by joblib or pickle, PyTorch by torch.save.

Files go under the artifact folder ``<name>/``: the model file, ``mltrack_model.json`` (how to load it) and, when given,
``input_example.json``. Tags record ``mltrack.model.framework``, ``mltrack.model.framework_version``,
``mltrack.model.path`` (artifact path of the model file), ``mltrack.model.format`` and ``mltrack.model.class``.
"""
import json
import os
import pickle
import platform
import shutil
import sys
import tempfile
from typing import Any, Optional

from . import _tracking

EXAMPLE_ROWS = 5


def _mro_modules(obj):
    return [(c.__module__ or "") for c in type(obj).__mro__]


def is_torch_module(obj) -> bool:
    return any(m.startswith("torch.nn") and c.__name__ == "Module" for m, c in zip(_mro_modules(obj), type(obj).__mro__))


def is_model(obj) -> bool:
    """A fitted model: a torch.nn.Module, or an object with ``fit`` and ``predict`` (scikit-learn: fitted)."""
    if obj is None or isinstance(obj, type):
        return False
    if is_torch_module(obj):
        return True
    if callable(getattr(obj, "fit", None)) and callable(getattr(obj, "predict", None)):
        if hasattr(obj, "get_params"):  # scikit-learn's own test: fitted estimators have attributes ending in "_"
            try:
                return any(k.endswith("_") and not k.startswith("__") for k in vars(obj))
            except TypeError:
                return True
        return True
    return False


def _version(module_name: str) -> str:
    mod = sys.modules.get(module_name)
    if mod is None:
        try:
            mod = __import__(module_name)
        except Exception:
            return ""
    return str(getattr(mod, "__version__", ""))


def framework_of(model) -> str:
    if is_torch_module(model):
        return "pytorch"
    mods = _mro_modules(model)
    for prefix, name in (("sklearn", "sklearn"), ("xgboost", "xgboost"), ("lightgbm", "lightgbm"), ("catboost", "catboost")):
        if any(m == prefix or m.startswith(prefix + ".") for m in mods):
            return name
    return "python"


def example_json(data: Any, rows: int = EXAMPLE_ROWS) -> Optional[dict]:
    """A few rows of ``data`` as JSON: {"columns": [...]?, "data": [[...]], "shape": [...], "dtypes": ...}."""
    try:
        mod = type(data).__module__ or ""
        name = type(data).__name__
        if mod.startswith("pandas") and name == "DataFrame":
            head = data.head(rows)
            return {"columns": [str(c) for c in data.columns], "data": json.loads(head.to_json(orient="values")),
                    "shape": list(data.shape), "dtypes": {str(c): str(t) for c, t in data.dtypes.items()}}
        if mod.startswith("pandas") and name == "Series":
            return {"columns": [str(data.name)], "data": [[v] for v in json.loads(data.head(rows).to_json(orient="values"))],
                    "shape": list(data.shape)}
        if hasattr(data, "shape") and hasattr(data, "tolist"):
            head = data[:rows]
            if hasattr(head, "toarray"):  # scipy sparse
                head = head.toarray()
            values = head.tolist()
            if values and not isinstance(values[0], list):
                values = [[v] for v in values]
            return {"data": values, "shape": [int(x) for x in data.shape], "dtype": str(getattr(data, "dtype", ""))}
        if isinstance(data, dict):
            return {"data": json.loads(json.dumps(data, default=str))}
        if isinstance(data, (list, tuple)):
            values = list(data)[:rows]
            return {"data": json.loads(json.dumps(values, default=str))}
    except Exception:
        return None
    return None


def save_model(model, directory: str, input_example: Any = None) -> dict:
    """Writes the model into ``directory``; returns the metadata (also written as mltrack_model.json)."""
    os.makedirs(directory, exist_ok=True)
    framework = framework_of(model)
    meta = {"framework": framework, "framework_version": _version({"pytorch": "torch"}.get(framework, framework))
            if framework != "python" else platform.python_version(),
            "class": f"{type(model).__module__}.{type(model).__qualname__}",
            "python_version": platform.python_version()}
    if framework == "pytorch":
        import torch
        torch.save(model, os.path.join(directory, "model.pt"))
        try:
            torch.save(model.state_dict(), os.path.join(directory, "state_dict.pt"))
            meta["state_dict"] = "state_dict.pt"
        except Exception:
            pass
        meta["file"], meta["format"] = "model.pt", "torch"
    else:
        try:
            import joblib
            joblib.dump(model, os.path.join(directory, "model.joblib"))
            meta["file"], meta["format"] = "model.joblib", "joblib"
        except ImportError:
            with open(os.path.join(directory, "model.pkl"), "wb") as f:
                pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
            meta["file"], meta["format"] = "model.pkl", "pickle"
    if input_example is not None:
        ex = example_json(input_example)
        if ex is not None:
            with open(os.path.join(directory, "input_example.json"), "w", encoding="utf-8") as f:
                json.dump(ex, f)
            meta["input_example"] = "input_example.json"
            if "columns" in ex:
                meta["input_columns"] = ex["columns"]
            if "shape" in ex:
                meta["input_shape"] = ex["shape"]
    with open(os.path.join(directory, "mltrack_model.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
    return meta


def log_model(model, name: str = "model", input_example: Any = None, run_id: Optional[str] = None) -> dict:
    """Saves ``model`` and uploads it as the artifact folder ``name``; records the model tags. Returns the metadata."""
    c = _tracking.client()
    info = _resolve(run_id)
    name = (name or "model").strip("/")
    with _tracking.internal_io():
        tmp = tempfile.mkdtemp(prefix="mltrack-tmp-model-")
        try:
            meta = save_model(model, tmp, input_example)
            for f in sorted(os.listdir(tmp)):
                c.upload_file(info, os.path.join(tmp, f), f"{name}/{f}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    tags = {"mltrack.model.framework": meta["framework"],
            "mltrack.model.framework_version": meta["framework_version"],
            "mltrack.model.path": f"{name}/{meta['file']}",
            "mltrack.model.format": meta["format"],
            "mltrack.model.class": meta["class"]}
    if "input_shape" in meta:
        tags["mltrack.model.input_shape"] = json.dumps(meta["input_shape"])
    if "input_columns" in meta:
        tags["mltrack.model.input_columns"] = json.dumps(meta["input_columns"])[:5000]
    c.set_tags(info.run_id, tags)
    meta["artifact_path"] = name
    return meta


def _resolve(run_id: Optional[str]):
    return _tracking.info_for(run_id)
