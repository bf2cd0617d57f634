"""Param values as short strings: arrays, frames, tensors and long collections by shape and type, never their values."""
import json
import math
from typing import Any

MAX_LEN = 500
_SMALL = 10


def _type_name(v) -> str:
    return type(v).__name__


def _shape(v):
    try:
        s = tuple(int(x) for x in v.shape)
    except Exception:
        return None
    return s


def _is_scalar(v) -> bool:
    return v is None or isinstance(v, (bool, int, float, str))


def _scalar_str(v) -> str:
    if isinstance(v, float) and math.isfinite(v) and v == int(v) and abs(v) < 1e16:
        return repr(v)  # keep 1.0 as "1.0"
    return str(v)


def _truncate(s: str) -> str:
    return s if len(s) <= MAX_LEN else s[: MAX_LEN - 1] + "…"


def summarize(value: Any) -> str:
    """The string to log as a param for ``value``."""
    try:
        return _truncate(_summarize(value))
    except Exception:
        return _type_name(value)


def _summarize(v: Any) -> str:
    if v is None or isinstance(v, (bool, int, float, str)):
        return _scalar_str(v)
    mod = type(v).__module__ or ""
    name = _type_name(v)
    # numpy scalars (np.float64(0.1), np.int64(3)) read as plain numbers
    if mod == "numpy" and _shape(v) == () and hasattr(v, "item"):
        return _scalar_str(v.item())
    if mod.startswith("pandas"):
        shape = _shape(v)
        if name == "DataFrame":
            cols = [str(c) for c in list(v.columns)[:_SMALL]]
            more = ", …" if len(v.columns) > _SMALL else ""
            return f"DataFrame(shape={shape}, columns=[{', '.join(cols)}{more}])"
        if name == "Series":
            return f"Series(shape={shape}, dtype={v.dtype}, name={v.name})"
        if shape is not None:
            return f"{name}(shape={shape})"
    if mod.startswith("torch") and name in ("Tensor", "Parameter"):
        return f"Tensor(shape={_shape(v)}, dtype={v.dtype})"
    if hasattr(v, "shape") and hasattr(v, "dtype") and _shape(v) is not None:  # numpy, jax, cupy, scipy sparse …
        return f"{name}(shape={_shape(v)}, dtype={v.dtype})"
    if isinstance(v, (list, tuple, set, frozenset)):
        items = list(v)
        if len(items) <= _SMALL and all(_is_scalar(x) for x in items):
            text = json.dumps(items, default=str) if isinstance(v, list) else repr(type(v)(items) if not isinstance(v, (set, frozenset)) else sorted(map(str, items)))
            if len(text) <= 250:
                return text
        inner = _type_name(items[0]) if items and all(type(x) is type(items[0]) for x in items) else "mixed"
        return f"{name}(len={len(items)}, item={inner})" if items else f"{name}(len=0)"
    if isinstance(v, dict):
        if len(v) <= _SMALL and all(isinstance(k, str) and _is_scalar(x) for k, x in v.items()):
            text = json.dumps(v, default=str)
            if len(text) <= 250:
                return text
        return f"dict(len={len(v)})"
    if isinstance(v, (bytes, bytearray)):
        return f"{name}(len={len(v)})"
    if callable(v) and hasattr(v, "__qualname__"):
        return f"{getattr(v, '__module__', '') or ''}.{v.__qualname__}".lstrip(".")
    if hasattr(v, "get_params") and hasattr(v, "fit"):  # an estimator
        return name
    if hasattr(v, "name") and isinstance(getattr(v, "name"), str) and hasattr(v, "read"):  # an open file (argparse.FileType)
        return v.name
    if hasattr(v, "__fspath__"):
        return str(v)
    return name
