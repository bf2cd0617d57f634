"""@track: a function call becomes a run (arguments → params, returned metrics dict → metrics, returned model → model,
exception → FAILED with error.txt). Nested calls become child runs; in a process launched by ``mltrack run`` the
first outermost call joins the launcher's run."""
import functools
import inspect
import numbers
import traceback
from typing import Any, Optional

from . import _models, _tracking

_SKIP_FIRST = ("self", "cls")


def track(func=None, *, experiment: Optional[str] = None, name: Optional[str] = None,
          log_args: bool = True, log_result: bool = True):
    """Use as ``@track`` or ``@track(experiment="x", name="y")``."""
    if isinstance(func, str):  # @track("name")
        name, func = func, None
    if func is not None and not callable(func):
        raise TypeError("@track decorates a function")

    def decorate(f):
        try:
            sig = inspect.signature(f)
        except (TypeError, ValueError):
            sig = None
        run_name = name or getattr(f, "__qualname__", getattr(f, "__name__", "run")).split("<locals>.")[-1]

        if inspect.iscoroutinefunction(f):
            @functools.wraps(f)
            async def awrapper(*args, **kwargs):
                state = _begin(f, sig, args, kwargs, experiment, run_name, log_args)
                try:
                    result = await f(*args, **kwargs)
                except BaseException as e:
                    _fail(state, e)
                    raise
                _finish(state, result, log_result)
                return result
            return awrapper

        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            state = _begin(f, sig, args, kwargs, experiment, run_name, log_args)
            try:
                result = f(*args, **kwargs)
            except BaseException as e:
                _fail(state, e)
                raise
            _finish(state, result, log_result)
            return result
        return wrapper

    return decorate(func) if func is not None else decorate


def params_of(sig: Optional[inspect.Signature], args, kwargs) -> dict:
    """The call's arguments by name, defaults included; ``self``/``cls`` skipped; ``**kwargs`` flattened."""
    if sig is None:
        out = {f"arg{i}": a for i, a in enumerate(args)}
        out.update(kwargs)
        return out
    bound = sig.bind_partial(*args, **kwargs)
    bound.apply_defaults()
    out = {}
    names = list(sig.parameters)
    for i, (k, v) in enumerate(bound.arguments.items()):
        p = sig.parameters[k]
        if i == 0 and names and names[0] == k and k in _SKIP_FIRST:
            continue
        if p.kind is inspect.Parameter.VAR_KEYWORD:
            for kk, vv in v.items():
                out[kk] = vv
        else:
            out[k] = v
    return out


class _State:
    __slots__ = ("info", "pushed")

    def __init__(self, info, pushed):
        self.info = info
        self.pushed = pushed


def _begin(f, sig, args, kwargs, experiment, run_name, log_args) -> Optional[_State]:
    try:
        c = _tracking.client()
        stack = _tracking._stack()
        if not stack:
            joined = _tracking.claim_launcher_for_track()
            if joined is not None:
                _tracking.push(joined)
                info = joined
            elif _tracking.launcher_run() is not None:
                info = _tracking.start_run(nested=True, experiment=experiment, name=run_name).info
            else:
                info = _tracking.start_run(experiment=experiment, name=run_name).info
        else:
            info = _tracking.start_run(nested=True, experiment=experiment, name=run_name).info
        state = _State(info, True)
    except Exception as e:
        _tracking.client().warn(f"@track could not start a run for {run_name}: {e}", None)
        return None
    try:
        c.set_tags(info.run_id, {"mltrack.source.function": f"{getattr(f, '__module__', '')}.{getattr(f, '__qualname__', '')}"})
        if log_args:
            c.log_params(info.run_id, params_of(sig, args, kwargs), skip_existing=info.attached)
    except Exception as e:
        c.warn(f"@track could not log the arguments of {run_name}: {e}", info.run_id)
    return state


def _is_number(v) -> bool:
    if isinstance(v, bool):
        return True
    if isinstance(v, numbers.Number):
        return not isinstance(v, complex)
    return type(v).__module__ == "numpy" and getattr(v, "shape", None) == () and hasattr(v, "item")


def _log_result(info, result, depth=0):
    c = _tracking.client()
    if isinstance(result, dict):
        metrics = {str(k): v for k, v in result.items() if _is_number(v)}
        if metrics:
            c.log_metrics(info.run_id, metrics)
        for v in result.values():
            if _models.is_model(v):
                _models.log_model(v, run_id=info.run_id)
                break
    elif _models.is_model(result):
        _models.log_model(result, run_id=info.run_id)
    elif depth == 0 and isinstance(result, tuple) and len(result) <= 5:  # e.g. return model, {"acc": ...}
        for item in result:
            if isinstance(item, dict) or _models.is_model(item):
                _log_result(info, item, depth + 1)


def _finish(state: Optional[_State], result: Any, log_result: bool):
    if state is None:
        return
    c = _tracking.client()
    try:
        if log_result:
            _log_result(state.info, result)
    except Exception as e:
        c.warn(f"@track could not log the result: {e}", state.info.run_id)
    _end(state, "FINISHED")


def _fail(state: Optional[_State], exc: BaseException):
    if state is None:
        return
    c = _tracking.client()
    status = "KILLED" if isinstance(exc, KeyboardInterrupt) else "FAILED"
    try:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        c.log_text(state.info, text, "error.txt")
        c.set_tags(state.info.run_id, {"mltrack.error": f"{type(exc).__name__}: {exc}"[:5000]})
    except Exception as e:
        c.warn(f"@track could not record the error: {e}", state.info.run_id)
    _end(state, status)


def _end(state: _State, status: str):
    try:
        if _tracking.active_run_info() is state.info:
            _tracking.end_run(status)
    except Exception as e:
        _tracking.client().warn(f"@track could not end the run: {e}", None)
