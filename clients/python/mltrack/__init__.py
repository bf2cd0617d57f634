"""MLTrack's Python client (standard library only).

    import mltrack
    with mltrack.start_run(experiment="demo"):
        mltrack.log_params({"lr": 0.01})
        mltrack.log({"loss": 0.3}, step=1)

    @mltrack.track
    def train(X, y): ...   # args → params, returned dict → metrics, returned model → model

Connection: MLTRACK_TRACKING_URI / MLTRACK_TOKEN, else the workspace's .mltrack/server.json and .mltrack/token.
With no server answering (or a 503), a run's requests are spooled under .mltrack/spool/ and sent by the client once
the server answers again; what is left at exit is replayed by the next local server at its start.
"""
from typing import Any, Dict, Optional

from . import _tracking
from ._decorator import track
from ._models import log_model as _log_model
from ._tracking import ActiveRun, MLTrackError, RunInfo, end_run, start_run

__version__ = "0.1.0"
__all__ = ["track", "start_run", "end_run", "active_run", "log_metric", "log_metrics", "log", "log_param",
           "log_params", "set_tag", "set_tags", "log_artifact", "log_text", "log_model", "flush", "ActiveRun",
           "RunInfo", "MLTrackError"]


def active_run() -> Optional[ActiveRun]:
    """The active run (the launcher's run in a process started by ``mltrack run``), or None."""
    info = _tracking.active_run_info() or _tracking.launcher_run()
    return ActiveRun(info) if info is not None else None


def _run_id(run_id: Optional[str]) -> str:
    return run_id or _tracking.current_run_info().run_id


def log_metric(key: str, value: float, step: Optional[int] = None, timestamp: Optional[int] = None,
               run_id: Optional[str] = None) -> None:
    """Queues one metric point (sent in batches by a background thread). ``step`` defaults to the key's next step."""
    _tracking.client().log_metric(_run_id(run_id), key, value, step, timestamp)


def log_metrics(metrics: Dict[str, float], step: Optional[int] = None, timestamp: Optional[int] = None,
                run_id: Optional[str] = None) -> None:
    _tracking.client().log_metrics(_run_id(run_id), metrics, step, timestamp)


log = log_metrics


def log_param(key: str, value: Any, run_id: Optional[str] = None) -> None:
    _tracking.client().log_params(_run_id(run_id), {key: value})


def log_params(params: Dict[str, Any], run_id: Optional[str] = None) -> None:
    _tracking.client().log_params(_run_id(run_id), params)


def set_tag(key: str, value: Any, run_id: Optional[str] = None) -> None:
    _tracking.client().set_tags(_run_id(run_id), {key: value})


def set_tags(tags: Dict[str, Any], run_id: Optional[str] = None) -> None:
    _tracking.client().set_tags(_run_id(run_id), tags)


def log_artifact(local_path: str, artifact_path: Optional[str] = None, run_id: Optional[str] = None) -> None:
    """Uploads a file (or a folder's files) into the run's artifacts, under ``artifact_path`` when given."""
    _tracking.client().log_artifact(_tracking.info_for(run_id), local_path, artifact_path)


def log_text(text: str, artifact_file: str, run_id: Optional[str] = None) -> None:
    _tracking.client().log_text(_tracking.info_for(run_id), text, artifact_file)


def log_model(model: Any, name: str = "model", input_example: Any = None, run_id: Optional[str] = None) -> dict:
    """Saves a scikit-learn (joblib/pickle) or PyTorch (torch.save) model as the artifact folder ``name``."""
    return _log_model(model, name, input_example, run_id)


def flush() -> None:
    """Sends every queued metric point now."""
    _tracking.client().flush()
