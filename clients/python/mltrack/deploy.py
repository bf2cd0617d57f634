"""Deploy a run's model: to Modal (an HTTPS endpoint) or locally (a real server on 127.0.0.1). Standard library only.

    from mltrack.deploy import deploy_to_modal, DeploymentConfig
    config = DeploymentConfig(app_name="my-model", model_name="Random Forest", model_version="1.0.0", cpu=1.0, memory=512)
    deployment = deploy_to_modal(run_id, config)
    print(f"Model deployed at: {deployment['endpoint_url']}")

``deploy_local(run_id, config)`` answers the same dict. Both wait until the deployment is READY and raise
:class:`DeploymentError` (with the server's message) when it FAILED. The server is found as for tracking
(MLTRACK_TRACKING_URI / MLTRACK_TOKEN, else the workspace's ``.mltrack/server.json`` and ``.mltrack/token``).

A deployment is a dict: deployment_id, run_id, target, name, model_name, model_version, status, endpoint_url,
message, created_at, updated_at, config, stats. Its endpoint answers ``POST <endpoint_url>/predict`` with
``{"instances": [...]}`` → ``{"predictions": [...]}``, ``GET /health`` and ``GET /openapi.json``.
"""
import json
import os
import sys
import subprocess
import shutil
import math
import numbers
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from . import _config
from ._http import DEFAULT_TIMEOUT, ApiError, HttpClient, ServerUnavailable
from ._tracking import MLTrackError

__all__ = ["DeploymentConfig", "DeploymentError", "deploy", "deploy_to_modal", "deploy_local", "list_deployments",
           "get_deployment", "stop_deployment", "get_openapi", "predict", "TARGETS", "GPU_TYPES"]

API = "/api/deployments"
TARGETS = ("local", "modal")
TERMINAL = ("READY", "FAILED", "STOPPED")
# As the server's DeploymentConfig: Modal's GPU types, optionally ":count" (1-8).
GPU_TYPES = ("T4", "L4", "A10G", "A100", "A100-40GB", "A100-80GB", "L40S", "H100", "H200", "B200", "any")
SECRET_NAMES = ("MODAL_TOKEN_ID", "MODAL_TOKEN_SECRET", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "MLTRACK_TOKEN",
                "MLFLOW_TRACKING_TOKEN")
_APP_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DEFAULT_WAIT = 900.0  # seconds: a Modal build can take minutes
POLL_EVERY = 0.5


class DeploymentError(MLTrackError):
    """A deployment the server refused or that FAILED; ``message`` is the server's reason, ``deployment`` the
    deployment dict when there is one (status FAILED), ``error_code`` the server's error code when it refused."""

    def __init__(self, message: str, deployment: Optional[dict] = None, error_code: Optional[str] = None,
                 status: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.deployment = deployment
        self.error_code = error_code
        self.status = status


def _number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _integer(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


@dataclass
class DeploymentConfig:
    """How to deploy: validated when created (``ValueError`` naming the field), and again before sending.

    app_name: app (and endpoint) name, 1-63 lowercase letters, digits or dashes, starting with a letter or digit.
    model_name / model_version: shown in the endpoint's OpenAPI document (defaults: the app name, "1.0.0").
    cpu: cores, 0.125-64. memory: MB, 128-262144. gpu: one of GPU_TYPES, optionally ":1"-":8"; None for CPU only.
    min_containers: warm containers, 0-100. timeout_seconds: per request, 1-86400.
    env: environment variables of the serving container (not credentials: pass those as Modal secrets).
    """
    app_name: str
    model_name: Optional[str] = None
    model_version: Optional[str] = None
    cpu: float = 1.0
    memory: int = 512
    gpu: Optional[str] = None
    min_containers: int = 0
    timeout_seconds: int = 300
    env: Dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.validate()

    def validate(self) -> "DeploymentConfig":
        """Raises ValueError naming the first invalid field; returns self when all are valid."""
        if not isinstance(self.app_name, str) or not self.app_name.strip():
            raise ValueError("app_name is required (1-63 lowercase letters, digits or dashes)")
        if not _APP_NAME.match(self.app_name):
            raise ValueError(f"app_name {self.app_name!r} must be 1-63 lowercase letters, digits or dashes, "
                             "starting with a letter or digit")
        if self.model_name is not None:
            if not isinstance(self.model_name, str):
                raise ValueError(f"model_name must be a string, got {type(self.model_name).__name__}")
            if len(self.model_name) > 200:
                raise ValueError(f"model_name must be at most 200 characters (got {len(self.model_name)})")
        if self.model_version is not None:
            if not isinstance(self.model_version, str):
                raise ValueError(f"model_version must be a string such as '1.0.0', got {type(self.model_version).__name__}")
            if len(self.model_version) > 64 or any(ord(ch) < 32 or ord(ch) == 127 for ch in self.model_version):
                raise ValueError("model_version must be at most 64 printable characters")
        if not _number(self.cpu) or not math.isfinite(float(self.cpu)) or not 0.125 <= float(self.cpu) <= 64:
            raise ValueError(f"cpu must be a number of cores between 0.125 and 64 (got {self.cpu!r})")
        if not _integer(self.memory) or not 128 <= int(self.memory) <= 262144:
            raise ValueError(f"memory must be an integer number of MB between 128 and 262144 (got {self.memory!r})")
        if self.gpu is not None and not (isinstance(self.gpu, str) and self.gpu.strip() == ""):
            if not isinstance(self.gpu, str) or not _gpu_ok(self.gpu):
                raise ValueError(f"gpu {self.gpu!r} must be one of {', '.join(GPU_TYPES)} (optionally with :1-8 for the "
                                 "count), or None for CPU only")
        if not _integer(self.min_containers) or not 0 <= int(self.min_containers) <= 100:
            raise ValueError(f"min_containers must be an integer between 0 and 100 (got {self.min_containers!r})")
        if not _integer(self.timeout_seconds) or not 1 <= int(self.timeout_seconds) <= 86400:
            raise ValueError(f"timeout_seconds must be an integer between 1 and 86400 (got {self.timeout_seconds!r})")
        if self.env is None:
            self.env = {}
        if not isinstance(self.env, dict):
            raise ValueError(f"env must be a dict of environment variables, got {type(self.env).__name__}")
        for name, value in self.env.items():
            if not isinstance(name, str) or not _ENV_NAME.match(name):
                raise ValueError(f"env: variable name {name!r} must be letters, digits and underscores, not starting "
                                 "with a digit")
            if name.upper() in SECRET_NAMES:
                raise ValueError(f"env: {name} is a credential; pass it as a secret, not as a deployment setting")
            if not isinstance(value, (str, numbers.Real)) or isinstance(value, bool):
                raise ValueError(f"env: the value of {name} must be a string, got {type(value).__name__}")
        return self

    def to_json(self) -> dict:
        """The ``config`` object of ``POST /api/deployments``."""
        self.validate()
        return {"app_name": self.app_name, "model_name": self.model_name, "model_version": self.model_version,
                "cpu": float(self.cpu), "memory_mb": int(self.memory),
                "gpu": self.gpu if self.gpu and self.gpu.strip() else None,
                "min_containers": int(self.min_containers), "timeout_seconds": int(self.timeout_seconds),
                "env": {k: str(v) for k, v in self.env.items()}}


def _gpu_ok(gpu: str) -> bool:
    parts = gpu.split(":")
    if len(parts) > 2 or parts[0].lower() not in (g.lower() for g in GPU_TYPES):
        return False
    if len(parts) == 2:
        return parts[1].isdigit() and 1 <= int(parts[1]) <= 8
    return True


# -- server -----------------------------------------------------------------------------------------------------------
def _mltrack_executable() -> Optional[str]:
    """$MLTRACK_EXECUTABLE, else `mltrack` on PATH, else the repository's ./mltrack beside clients/python."""
    exe = os.environ.get("MLTRACK_EXECUTABLE") or shutil.which("mltrack")
    if exe:
        return exe
    repo = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
    candidate = os.path.join(repo, "mltrack")
    return candidate if os.path.isfile(candidate) and os.access(candidate, os.X_OK) else None


def _start_server(conn) -> Optional[Any]:
    """Starts `mltrack server` for the workspace store in the background, so a deployment has a process to live in
    (a local deployment runs inside the server that created it). Off with MLTRACK_NO_AUTOSTART=1."""
    if os.environ.get("MLTRACK_NO_AUTOSTART") == "1" or os.environ.get("MLTRACK_TRACKING_URI"):
        return None
    exe = _mltrack_executable()
    if not exe or not conn.folder:
        return None
    os.makedirs(conn.folder, mode=0o700, exist_ok=True)
    store = os.environ.get("MLTRACK_STORE") or os.path.join(conn.folder, "mltrack.db")
    log_path = os.path.join(conn.folder, "server.log")
    with os.fdopen(os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab") as log:
        proc = subprocess.Popen([exe, "--store", store, "server"], cwd=os.path.dirname(conn.folder), stdin=subprocess.DEVNULL,
                                stdout=log, stderr=log, start_new_session=True)
    deadline = time.time() + 180  # the first start may build the backend
    while time.time() < deadline:
        started = _config.resolve()
        if started.uri:
            sys.stderr.write(f"mltrack: started a tracking server in the background (pid {proc.pid}, log {log_path}); "
                             f"it keeps local deployments running — stop it with `kill {proc.pid}`\n")
            return started
        if proc.poll() is not None:
            return None
        time.sleep(0.25)
    return None


def _http(timeout: float = DEFAULT_TIMEOUT, retries: Optional[int] = None) -> HttpClient:
    conn = _config.resolve()
    if not conn.uri:
        conn = _start_server(conn) or conn
    if not conn.uri:
        raise DeploymentError("no MLTrack server is running: start one (`mltrack server`, or the VS Code extension) or "
                              "set MLTRACK_TRACKING_URI and MLTRACK_TOKEN")
    return HttpClient(conn.uri, conn.token, timeout=timeout) if retries is None else \
        HttpClient(conn.uri, conn.token, timeout=timeout, retries=retries)


def _call(method: str, path: str, body: Any = None, query: Optional[dict] = None, timeout: float = DEFAULT_TIMEOUT,
          retries: Optional[int] = None) -> dict:
    http = _http(timeout)
    try:
        return http.request(method, path, body=body, query=query, retries=retries)
    except ApiError as e:
        msg = e.message.strip() if e.message else ""
        raise DeploymentError(msg or f"{method} {path}: HTTP {e.status} {e.error_code}", error_code=e.error_code,
                              status=e.status) from None
    except ServerUnavailable as e:
        raise DeploymentError(f"the MLTrack server did not answer: {e}") from None
    finally:
        http.close()


def _run_id_of(run) -> str:
    """A run id from a string, an ActiveRun/RunInfo, or a runs/search run dict."""
    if isinstance(run, str) and run.strip():
        return run.strip()
    if isinstance(run, dict):
        info = run.get("info", run)
        rid = info.get("run_id") or info.get("run_uuid")
        if rid:
            return str(rid)
    rid = getattr(run, "run_id", None)
    if isinstance(rid, str) and rid:
        return rid
    raise ValueError(f"run_id must be a run id string (or a run), got {run!r}")


def _id_of(deployment) -> str:
    if isinstance(deployment, dict):
        deployment = deployment.get("deployment_id")
    if not isinstance(deployment, str) or not deployment.strip():
        raise ValueError(f"deployment_id must be a deployment id string (or a deployment dict), got {deployment!r}")
    return deployment.strip()


def _path(deployment_id: str, suffix: str = "") -> str:
    return f"{API}/{urllib.parse.quote(deployment_id, safe='')}{suffix}"


def deploy(run_id, config: Optional[DeploymentConfig] = None, target: str = "local", wait: bool = True,
           timeout: float = DEFAULT_WAIT) -> dict:
    """Deploys the model of run ``run_id`` to ``target`` ("local" or "modal"); returns the deployment dict.

    With ``wait`` (the default) returns once it is READY and raises DeploymentError with the server's message when it
    FAILED (or was not READY within ``timeout`` seconds). A run without a model, an unknown run or invalid settings
    raise DeploymentError at once.
    """
    rid = _run_id_of(run_id)
    if target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)} (got {target!r})")
    if config is None:
        config = DeploymentConfig(app_name=f"run-{re.sub('[^a-z0-9]', '', rid.lower())[:12] or 'model'}")
    if not isinstance(config, DeploymentConfig):
        raise ValueError(f"config must be a DeploymentConfig, got {type(config).__name__}")
    body = {"run_id": rid, "target": target, "config": config.to_json()}
    deadline = time.monotonic() + timeout
    # No retries: a create that reached the server but whose answer was lost must not deploy twice.
    d = _call("POST", API, body=body, query={"wait": "true"} if wait else None, timeout=max(timeout, 1.0), retries=0)
    if not wait:
        return d
    while d.get("status") not in TERMINAL:
        if time.monotonic() >= deadline:
            raise DeploymentError(f"deployment {d.get('deployment_id')} is still {d.get('status')} after {timeout:g}s"
                                  f"{': ' + d['message'] if d.get('message') else ''}", deployment=d)
        time.sleep(POLL_EVERY)
        d = get_deployment(d["deployment_id"])
    if d.get("status") != "READY":
        msg = d.get("message") or f"deployment {d.get('deployment_id')} is {d.get('status')}"
        raise DeploymentError(f"deployment of run {rid} to {target} failed: {msg}", deployment=d)
    return d


def deploy_to_modal(run_id, config: DeploymentConfig, wait: bool = True, timeout: float = DEFAULT_WAIT) -> dict:
    """Deploys the run's model to Modal (the server runs ``modal deploy``); ``endpoint_url`` is the HTTPS endpoint."""
    return deploy(run_id, config, "modal", wait, timeout)


def deploy_local(run_id, config: Optional[DeploymentConfig] = None, wait: bool = True,
                 timeout: float = DEFAULT_WAIT) -> dict:
    """Serves the run's model on 127.0.0.1 (a process of the server); ``endpoint_url`` is ``http://127.0.0.1:PORT``."""
    return deploy(run_id, config, "local", wait, timeout)


def list_deployments(run_id=None) -> List[dict]:
    """Every deployment the server knows (newest first as the server orders them), or only those of ``run_id``."""
    query = {"run_id": _run_id_of(run_id)} if run_id is not None else None
    return list(_call("GET", API, query=query).get("deployments", []))


def get_deployment(deployment_id) -> dict:
    return _call("GET", _path(_id_of(deployment_id)))


def stop_deployment(deployment_id, missing_ok: bool = True) -> Optional[dict]:
    """Stops a deployment (local: the serving process ends; Modal: ``modal app stop``) with ``DELETE
    /api/deployments/{id}``. Stopping twice is harmless: when the server no longer knows the deployment (already
    stopped and removed) this returns None, or raises DeploymentError with ``missing_ok=False``. Otherwise returns the
    server's answer (the deployment, STOPPED, when it sends one; else {})."""
    try:
        return _call("DELETE", _path(_id_of(deployment_id)), retries=0)
    except DeploymentError as e:
        if missing_ok and (e.status == 404 or e.error_code == "RESOURCE_DOES_NOT_EXIST"):
            return None
        raise


def get_openapi(deployment_id) -> dict:
    """The OpenAPI 3.1 document of a deployment's endpoint."""
    return _call("GET", _path(_id_of(deployment_id), "/openapi"))


def predict(deployment, instances: list, timeout: float = DEFAULT_TIMEOUT) -> list:
    """POSTs ``{"instances": instances}`` to ``<endpoint_url>/predict``; returns the predictions.
    ``deployment`` is a deployment dict or an endpoint URL. A 4xx answer (wrong schema) raises DeploymentError."""
    url = deployment.get("endpoint_url") if isinstance(deployment, dict) else deployment
    if not isinstance(url, str) or not url:
        raise ValueError("the deployment has no endpoint_url (is it READY?)")
    http = HttpClient(url, None, timeout=timeout, retries=0)
    try:
        r = http.request("POST", "/predict", body={"instances": instances})
    except ApiError as e:
        reason = e.message
        try:
            reason = json.loads(reason).get("error") or reason
        except (ValueError, AttributeError):
            pass
        raise DeploymentError(f"{url}/predict: HTTP {e.status}: {reason}", error_code=e.error_code, status=e.status) from None
    except ServerUnavailable as e:
        raise DeploymentError(f"{url}/predict did not answer: {e}") from None
    finally:
        http.close()
    if not isinstance(r, dict) or "predictions" not in r:
        raise DeploymentError(f"{url}/predict answered without predictions: {json.dumps(r)[:300]}")
    return r["predictions"]
