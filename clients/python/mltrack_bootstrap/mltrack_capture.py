"""Orchestrates zero-config capture in a process launched by ``mltrack run`` (see sitecustomize).

Switches (environment, "0"/"false"/"no"/"off" turns a capture off): MLTRACK_CAPTURE (all), MLTRACK_CAPTURE_ARGS,
MLTRACK_AUTOLOG_SKLEARN, MLTRACK_AUTOLOG_TORCH, MLTRACK_AUTOLOG_LLM, MLTRACK_CAPTURE_FILES.
"""
import atexit
import os
import sys

_OFF = ("0", "false", "no", "off")
STARTED = False
state = None


def enabled(var: str) -> bool:
    return os.environ.get(var, "1").strip().lower() not in _OFF


class CaptureState:
    """What one process captured; ``warn`` reports a capture failure without raising."""

    def __init__(self, run_id: str):
        from mltrack import _tracking
        self.run_id = run_id
        self.tracking = _tracking
        self.client = _tracking.client()
        self.args_captured = False
        self.files = None

    def run_id_now(self) -> str:
        info = self.tracking.current_run_info(create=False)
        return info.run_id if info is not None else self.run_id

    def warn(self, what: str, exc: BaseException = None) -> None:
        msg = what if exc is None else f"{what}: {type(exc).__name__}: {exc}"
        try:
            self.client.warn(msg, self.run_id_now())
        except Exception:
            try:
                sys.stderr.write(f"mltrack: warning: {msg}\n")
            except Exception:
                pass

    def log_params(self, params: dict) -> None:
        """Logs captured params; a key the server would refuse (an odd argparse dest) is dropped with a warning."""
        from mltrack._names import key_problem
        good = {}
        for k, v in params.items():
            problem = key_problem(str(k)[:250])
            if problem is None:
                good[k] = v
            else:
                self.warn(f"param {str(k)[:60]!r} not captured: {problem}")
        if good:
            self.client.log_params(self.run_id_now(), good, skip_existing=True)


def start() -> None:
    """Installs the enabled captures (once, in the process the launcher started — not in Pythons it spawns)."""
    global STARTED, state
    run_id = os.environ.get("MLTRACK_RUN_ID")
    if STARTED or not run_id or not enabled("MLTRACK_CAPTURE"):
        return
    owner = os.environ.get("MLTRACK_CAPTURE_PID")
    if owner and owner != str(os.getpid()):
        return  # a Python started by the captured script (multiprocessing, a tool): the parent captures
    os.environ["MLTRACK_CAPTURE_PID"] = str(os.getpid())
    STARTED = True
    state = CaptureState(run_id)
    import mltrack_import_hooks as hooks

    def guarded(what, fn):
        try:
            fn()
        except Exception as e:
            state.warn(f"{what} capture failed", e)

    def on_error(what):
        return lambda e: state.warn(f"{what} autolog failed", e)

    if enabled("MLTRACK_CAPTURE_ARGS"):
        import mltrack_args
        guarded("argparse", lambda: mltrack_args.install(state))
    if enabled("MLTRACK_AUTOLOG_SKLEARN"):
        import mltrack_autolog_sklearn
        hooks.on_import("sklearn.base", lambda m: mltrack_autolog_sklearn.patch(m, state), on_error("scikit-learn"))
    if enabled("MLTRACK_AUTOLOG_TORCH"):
        import mltrack_autolog_torch
        hooks.on_import("torch.optim.optimizer", lambda m: mltrack_autolog_torch.patch(m, state), on_error("PyTorch"))
    if enabled("MLTRACK_AUTOLOG_LLM"):
        import mltrack_autolog_llm
        hooks.on_import("openai", lambda m: mltrack_autolog_llm.patch_openai(m, state), on_error("OpenAI"))
        hooks.on_import("anthropic", lambda m: mltrack_autolog_llm.patch_anthropic(m, state), on_error("Anthropic"))
    if enabled("MLTRACK_CAPTURE_FILES"):
        import mltrack_files
        guarded("file", lambda: mltrack_files.install(state))
    atexit.register(at_exit)  # registered after mltrack's own handler, so it runs before it (LIFO)


def at_exit() -> None:
    """Sends what is only known at the end; the run's status is the launcher's to set."""
    if state is None:
        return
    if enabled("MLTRACK_CAPTURE_ARGS") and not state.args_captured:
        try:
            import mltrack_args
            params = mltrack_args.from_argv(sys.argv[1:])
            if params:
                state.log_params(params)
        except Exception as e:
            state.warn("command-line options capture failed", e)
    try:
        captures = [name for name, var in (("args", "MLTRACK_CAPTURE_ARGS"), ("sklearn", "MLTRACK_AUTOLOG_SKLEARN"),
                    ("torch", "MLTRACK_AUTOLOG_TORCH"), ("llm", "MLTRACK_AUTOLOG_LLM"), ("files", "MLTRACK_CAPTURE_FILES")) if enabled(var)]
        state.client.set_tags(state.run_id, {"mltrack.capture": ",".join(captures),
                                             "mltrack.capture.python": sys.version.split()[0]})
    except Exception as e:
        state.warn("could not record the capture tags", e)
    if state.files is not None:
        try:
            state.files.send()
        except Exception as e:
            state.warn("file capture failed", e)
    try:
        state.client.flush()
    except Exception as e:
        state.warn("flushing metrics failed", e)
