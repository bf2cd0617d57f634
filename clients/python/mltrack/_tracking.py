"""Runs: creation (online or spooled), nesting, attaching to a run launched by ``mltrack run``, logging, exit handling."""
import atexit
import getpass
import json
import math
import numbers
import os
import signal
import sys
import threading
import time
import urllib.parse
import uuid
from typing import Any, Dict, List, Optional

from . import _config
from ._batcher import MetricBatcher
from ._names import check_key, check_name
from ._http import ApiError, HttpClient, ServerUnavailable
from ._spool import Spool
from ._summarize import summarize

API = "/api/2.0/mlflow"
ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts"
PARENT_TAG = "mlflow.parentRunId"
WARNINGS_TAG = "mltrack.warnings"
DEFAULT_EXPERIMENT_ID = "0"
MAX_PARAMS_PER_BATCH = 100
MAX_TAGS_PER_BATCH = 100
MAX_TAG_VALUE = 5000
PROBE_EVERY = 5.0
FINAL_TIMEOUT = 0.5  # per request of the SIGTERM flush: whoever sent SIGTERM waits only so long before SIGKILL


class MLTrackError(Exception):
    """A tracking call the server refused (bad value, unknown run, param changed …)."""


class RunInfo:
    def __init__(self, run_id: str, experiment_id: Optional[str], run_name: Optional[str] = None,
                 artifact_uri: Optional[str] = None, parent_run_id: Optional[str] = None, attached: bool = False):
        self.run_id = run_id
        self.run_uuid = run_id
        self.experiment_id = experiment_id
        self.run_name = run_name
        self.artifact_uri = artifact_uri
        self.parent_run_id = parent_run_id
        self.experiment_name: Optional[str] = None
        self.attached = attached  # a run we joined (launcher's, or resumed): we never set its terminal status
        self.status = "RUNNING"

    def __repr__(self):
        return f"<RunInfo run_id={self.run_id} experiment_id={self.experiment_id} name={self.run_name!r}>"


class ActiveRun:
    """What ``start_run`` returns; a context manager that ends the run (FAILED when the block raised)."""

    def __init__(self, info: RunInfo):
        self.info = info

    @property
    def run_id(self):
        return self.info.run_id

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if active_run_info() is self.info:
            end_run("FAILED" if exc_type is not None and not issubclass(exc_type, (KeyboardInterrupt,)) else
                    ("KILLED" if exc_type is not None else "FINISHED"))
        return False

    def __repr__(self):
        return f"<ActiveRun {self.info.run_id}>"


def _now_ms() -> int:
    return int(time.time() * 1000)


def _metric_value(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, numbers.Number):
        return float(value)
    try:
        return float(value)  # numpy scalars, 0-d arrays and tensors
    except Exception:
        raise TypeError(f"metric value must be a number, got {type(value).__name__}") from None


class Client:
    """The process-wide connection: HTTP when a server answers, the spool when not."""

    def __init__(self):
        self._lock = threading.RLock()
        # Held while a spooled run appends to its spool or replays it and goes live: no line may land in the spool
        # after the replay found it empty (nobody would send it).
        self._switch = threading.RLock()
        self._conn: Optional[_config.Connection] = None
        self._http: Optional[HttpClient] = None
        self._spool: Optional[Spool] = None
        self._spooled: Dict[str, bool] = {}
        self._down_until = 0.0
        self._last_probe = 0.0
        self._warned_spool = False
        self._experiments: Dict[str, str] = {}
        self._params: Dict[str, Dict[str, str]] = {}
        self._steps: Dict[tuple, int] = {}
        self._warnings: Dict[str, List[str]] = {}
        self._suppress = threading.local()
        self._pid = os.getpid()  # a forked child holds a copy of our queue: only this process may flush it
        self.batcher = MetricBatcher(self._send_batch, on_error=lambda e: self.warn(f"sending metrics failed: {e}", None))

    # -- connection -------------------------------------------------------------------------------------------
    def connection(self) -> _config.Connection:
        with self._lock:
            if self._conn is None:
                self._conn = _config.resolve()
                self._spool = Spool(self._conn.folder)
                self._http = None
                if self._conn.uri:
                    try:
                        self._http = HttpClient(self._conn.uri, self._conn.token)
                    except ValueError as e:
                        self.warn(str(e), None)
            return self._conn

    def reset_connection(self):
        with self._lock:
            if self._http is not None:
                self._http.close()
            self._conn = None
            self._http = None

    @property
    def spool(self) -> Spool:
        self.connection()
        return self._spool

    def http(self) -> Optional[HttpClient]:
        self.connection()
        return self._http

    def _probe(self) -> bool:
        """Re-reads the connection (the server may have restarted elsewhere) and checks that it answers."""
        now = time.monotonic()
        if now - self._last_probe < 0.5:
            return False
        self._last_probe = now
        self.reset_connection()
        http = self.http()
        if http is None:
            return False
        try:
            http.request("GET", API + "/experiments/get", query={"experiment_id": DEFAULT_EXPERIMENT_ID}, retries=0)
            return True
        except ApiError:
            return True  # it answered
        except ServerUnavailable:
            return False

    def is_spooled(self, run_id: str) -> bool:
        return self._spooled.get(run_id, False)

    def call(self, run_id: Optional[str], method: str, path: str, body: Any = None, query: Optional[dict] = None,
             spool: bool = True) -> Optional[dict]:
        """Sends a request for a run; when no server answers, spools it (a run, once spooled, keeps spooling until
        the server has replayed its spool file, which keeps the run's requests in order). Returns None when spooled."""
        if run_id is not None and self._spooled.get(run_id):
            with self._switch:
                if self._spooled.get(run_id) and not self._back_online(run_id):
                    return self._to_spool(run_id, method, path, body, query)
        http = self.http()
        if http is None and time.monotonic() >= self._down_until:
            if self._probe():
                http = self.http()
        if http is not None:
            try:
                retries = 0 if time.monotonic() < self._down_until else None
                return http.request(method, path, body=body, query=query, retries=retries)
            except ServerUnavailable as e:
                self._down_until = time.monotonic() + PROBE_EVERY
                if not spool or run_id is None:
                    raise
                self._note_spooling(str(e))
        else:
            if not spool or run_id is None:
                raise ServerUnavailable("no MLTrack server is running (no MLTRACK_TRACKING_URI, no .mltrack/server.json)")
            self._note_spooling("no server running")
        self._spooled[run_id] = True
        return self._to_spool(run_id, method, path, body, query)

    def _to_spool(self, run_id, method, path, body, query):
        if query:
            path = path + "?" + urllib.parse.urlencode(query)
        if isinstance(body, LazyBatch):
            body = body.to_dict()
        with self._switch, internal_io():
            self._spooled[run_id] = True
            self.spool.append(run_id, method, path, body)
        return None

    def _back_online(self, run_id: str) -> bool:
        """For a spooled run (under ``_switch``): whether it may log live again, i.e. the server answers and the run's
        spool is sent. A server elsewhere (a team server) never sees our spool, so we replay it ourselves, in order;
        a local server may have replayed it at its start already."""
        if not self._probe():
            return False
        http = self.http()
        if http is None:
            return False

        def send(record, folder):
            if record.get("file"):
                http.request(record["method"], record["path"], file=os.path.join(folder, *record["file"].split("/")))
            else:
                http.request(record["method"], record["path"], body=record.get("body"))

        def refused(record, e):
            if isinstance(e, ApiError):  # the server refused the line: a retry cannot fix it
                self.warn(f"a spooled {record.get('method')} {record.get('path')} was refused: {e}", None)
                return True
            if isinstance(e, OSError) and record.get("file"):
                return True  # its attachment is gone: skip it, keep the rest
            return False

        with internal_io():
            if not self.spool.replay(run_id, send, refused):
                self._down_until = time.monotonic() + PROBE_EVERY
                return False
        self._spooled[run_id] = False
        self._down_until = 0.0
        if self._warned_spool:
            sys.stderr.write(f"mltrack: server reachable again; run {run_id}'s spooled requests are sent\n")
        return True

    def _note_spooling(self, why: str):
        if not self._warned_spool:
            self._warned_spool = True
            sys.stderr.write(f"mltrack: server unavailable ({why}); spooling to {self.spool.folder} "
                             f"(sent once it answers again, or replayed by the next local server)\n")

    def _send_batch(self, run_id: str, points: list, batch_id: str):
        """One log-batch of metric points; encoded by hand (the hot path), spooled as a normal JSON body."""
        body = LazyBatch(run_id, points, batch_id)
        self.call(run_id, "POST", API + "/runs/log-batch", body)

    def final_flush(self, end_runs: Optional[List[str]] = None) -> None:
        """Sends (once, briefly) or spools every point not yet acknowledged or spooled, the batches being sent by the
        background thread included (same batch ids: applied once), then marks ``end_runs`` KILLED. For SIGTERM, when
        there is no time for retries."""
        if os.getpid() != self._pid:
            return
        requests = [(rid, API + "/runs/log-batch", LazyBatch(rid, points, bid)) for rid, points, bid in self.batcher.take_unsent()]
        requests += [(rid, API + "/runs/update", {"run_id": rid, "status": "KILLED", "end_time": _now_ms()}) for rid in end_runs or []]
        if not requests:
            return
        final = None
        conn = self.connection()
        if conn.uri and time.monotonic() >= self._down_until:
            try:
                final = HttpClient(conn.uri, conn.token, timeout=FINAL_TIMEOUT, retries=0)  # not a connection in use
            except ValueError:
                final = None
        for run_id, path, body in requests:
            if final is not None and not self._spooled.get(run_id):
                try:
                    final.request("POST", path, body=body)
                    continue
                except ServerUnavailable:
                    final.close()
                    final = None  # down: spool the rest without trying again
                    self._down_until = time.monotonic() + PROBE_EVERY
                except ApiError as e:
                    self.warn(f"sending metrics failed: {e}", None)
                    continue
            self._spooled[run_id] = True
            self._to_spool(run_id, "POST", path, body, None)
        if final is not None:
            final.close()

    def send_spooled_at_exit(self) -> None:
        """A last try to send what our runs spooled (the server may be back since their last call); says what stays."""
        for run_id in [r for r, spooled in self._spooled.items() if spooled]:
            with self._switch:
                self._last_probe = 0.0  # one probe now, whatever the rate limit
                if self._back_online(run_id) or not self.spool.has_pending(run_id):
                    continue
            sys.stderr.write(f"mltrack: warning: run {run_id}: the server is still unavailable; its last requests stay "
                             f"spooled in {self.spool.folder}, which only a local `mltrack server` replays (at its start)\n")

    # -- warnings ---------------------------------------------------------------------------------------------
    def warn(self, message: str, run_id: Optional[str] = "current") -> None:
        """Reports a capture failure without raising: a stderr line and the run's ``mltrack.warnings`` tag."""
        try:
            sys.stderr.write(f"mltrack: warning: {message}\n")
        except Exception:
            pass
        if run_id == "current":
            info = current_run_info(create=False)
            run_id = info.run_id if info else None
        if not run_id:
            return
        lst = self._warnings.setdefault(run_id, [])
        lst.append(message.replace("\n", " ")[:1000])
        value = "\n".join(lst)[-MAX_TAG_VALUE:]
        try:
            self.call(run_id, "POST", API + "/runs/set-tag", {"run_id": run_id, "key": WARNINGS_TAG, "value": value})
        except Exception:
            pass

    # -- experiments and runs ---------------------------------------------------------------------------------
    def experiment_id(self, name: str) -> Optional[str]:
        """The id of experiment ``name`` (created when missing); None when no server answers."""
        if name in self._experiments:
            return self._experiments[name]
        try:
            try:
                r = self.call(None, "GET", API + "/experiments/get-by-name", query={"experiment_name": name})
                eid = r["experiment"]["experiment_id"]
            except ApiError as e:
                if e.error_code != "RESOURCE_DOES_NOT_EXIST" and e.status != 404:
                    raise
                try:
                    r = self.call(None, "POST", API + "/experiments/create", {"name": name})
                    eid = r["experiment_id"]
                except ApiError as e2:
                    if e2.error_code != "RESOURCE_ALREADY_EXISTS":
                        raise
                    r = self.call(None, "GET", API + "/experiments/get-by-name", query={"experiment_name": name})
                    eid = r["experiment"]["experiment_id"]
        except ServerUnavailable:
            return None
        eid = str(eid)
        self._experiments[name] = eid
        return eid

    def create_run(self, experiment: Optional[str] = None, name: Optional[str] = None,
                   tags: Optional[Dict[str, Any]] = None, parent_run_id: Optional[str] = None,
                   experiment_id: Optional[str] = None) -> RunInfo:
        check_name(name, "run name")
        check_name(experiment, "experiment name")
        run_id = uuid.uuid4().hex
        exp_name = experiment
        exp_id = experiment_id if experiment is None else None
        if exp_name is None and exp_id is None:
            exp_id = os.environ.get("MLTRACK_EXPERIMENT_ID") or None
            if exp_id is None:
                exp_name = os.environ.get("MLFLOW_EXPERIMENT_NAME") or None
            if exp_id is None and exp_name is None:
                exp_id = DEFAULT_EXPERIMENT_ID
        if exp_id is None:
            exp_id = self.experiment_id(exp_name) if exp_name != "Default" else DEFAULT_EXPERIMENT_ID
        all_tags = {
            "mlflow.user": _user(),
            "mlflow.source.name": os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else "",
            "mlflow.source.type": "LOCAL",
        }
        if name:
            all_tags["mlflow.runName"] = name
        if parent_run_id:
            all_tags[PARENT_TAG] = parent_run_id
        for k, v in (tags or {}).items():
            all_tags[check_key(k, "tag")] = str(v)
        body = {"run_id": run_id, "start_time": _now_ms(), "user_id": _user(),
                "tags": [{"key": k, "value": v[:MAX_TAG_VALUE]} for k, v in all_tags.items()]}
        if name:
            body["run_name"] = name
        if exp_id is not None:
            body["experiment_id"] = exp_id
        else:
            body["mltrack_experiment_name"] = exp_name  # offline: the server resolves (creates) it at replay
        info = RunInfo(run_id, exp_id, name, None, parent_run_id)
        info.experiment_name = exp_name
        r = self.call(run_id, "POST", API + "/runs/create", body)
        if r and isinstance(r.get("run"), dict):
            ri = r["run"].get("info", {})
            info.run_id = ri.get("run_id") or ri.get("run_uuid") or run_id
            info.experiment_id = str(ri.get("experiment_id", exp_id))
            info.artifact_uri = ri.get("artifact_uri")
            info.run_name = ri.get("run_name") or name
        return info

    def update_run(self, run_id: str, status: str, end_time: Optional[int] = None):
        body = {"run_id": run_id, "status": status}
        if status in ("FINISHED", "FAILED", "KILLED"):
            body["end_time"] = end_time or _now_ms()
        self.call(run_id, "POST", API + "/runs/update", body)

    # -- logging ----------------------------------------------------------------------------------------------
    def log_metric(self, run_id: str, key: str, value, step=None, timestamp=None):
        key = check_key(key, "metric")
        v = float(value) if type(value) in (float, int) else _metric_value(value)
        if step is None:
            k = (run_id, key)
            step = self._steps.get(k, -1) + 1
            self._steps[k] = step
        else:
            step = int(step)
            k = (run_id, key)
            if step > self._steps.get(k, -1):
                self._steps[k] = step
        self.batcher.add(run_id, key, v, step, timestamp)

    def log_metrics(self, run_id: str, metrics: Dict[str, Any], step=None, timestamp=None):
        # Hot path of training loops: plain floats/ints skip the general conversion, locals avoid attribute lookups.
        ts = timestamp if timestamp is not None else _now_ms()
        steps = self._steps
        fixed = None if step is None else int(step)
        points = []
        append = points.append
        for key in metrics:  # every key before any point: a bad one refuses the call, not a later batch
            check_key(key, "metric")
        for key, value in metrics.items():
            t = type(value)
            v = value if t is float else float(value) if t is int else _metric_value(value)
            k = (run_id, key)
            if fixed is None:
                s = steps.get(k, -1) + 1
                steps[k] = s
            else:
                s = fixed
                if s > steps.get(k, -1):
                    steps[k] = s
            append((key if type(key) is str else str(key), v, ts, s))
        if points:
            self.batcher.add_many(run_id, points)

    def log_params(self, run_id: str, params: Dict[str, Any], skip_existing: bool = False):
        """Logs params (values summarised). Already-logged identical values are not re-sent; with ``skip_existing``
        keys logged before with another value are dropped instead of raising."""
        known = self._params.setdefault(run_id, {})
        todo = []
        for k, v in params.items():
            k = check_key(str(k)[:250], "param")
            s = summarize(v)
            if k in known:
                if known[k] == s or skip_existing:
                    continue
            todo.append({"key": k, "value": s})
        for i in range(0, len(todo), MAX_PARAMS_PER_BATCH):
            chunk = todo[i:i + MAX_PARAMS_PER_BATCH]
            self._checked(run_id, "POST", API + "/runs/log-batch", {"run_id": run_id, "params": chunk})
            for p in chunk:
                known[p["key"]] = p["value"]

    def set_tags(self, run_id: str, tags: Dict[str, Any]):
        items = [{"key": check_key(k, "tag"), "value": str(v)[:MAX_TAG_VALUE]} for k, v in tags.items()]
        for i in range(0, len(items), MAX_TAGS_PER_BATCH):
            self._checked(run_id, "POST", API + "/runs/log-batch", {"run_id": run_id, "tags": items[i:i + MAX_TAGS_PER_BATCH]})

    def _checked(self, run_id, method, path, body):
        try:
            return self.call(run_id, method, path, body)
        except ApiError as e:
            raise MLTrackError(str(e)) from None

    def artifact_path(self, info: RunInfo, relpath: str) -> str:
        rel = "/".join(urllib.parse.quote(p) for p in relpath.replace(os.sep, "/").split("/") if p)
        uri = info.artifact_uri or ""
        if uri.startswith("mlflow-artifacts:"):
            rest = uri[len("mlflow-artifacts:"):]
            if rest.startswith("//"):
                rest = urllib.parse.urlsplit(uri).path
            return ARTIFACTS_API + "/" + rest.strip("/") + "/" + rel
        if info.experiment_id is None:
            # Created offline: the experiment id is not known yet, and the server accepts the run-only form.
            return f"{ARTIFACTS_API}/{info.run_id}/artifacts/{rel}"
        return f"{ARTIFACTS_API}/{info.experiment_id}/{info.run_id}/artifacts/{rel}"

    def upload_file(self, info: RunInfo, local_file: str, relpath: str):
        with internal_io():
            return self._upload_file(info, local_file, relpath)

    def _upload_file(self, info: RunInfo, local_file: str, relpath: str):
        relpath = relpath.replace(os.sep, "/").strip("/")
        path = self.artifact_path(info, relpath)
        run_id = info.run_id
        if not self._spooled.get(run_id):
            http = self.http()
            if http is not None:
                try:
                    http.request("PUT", path, file=local_file, retries=0 if time.monotonic() < self._down_until else None)
                    return
                except ServerUnavailable as e:
                    self._down_until = time.monotonic() + PROBE_EVERY
                    self._note_spooling(str(e))
                except ApiError as e:
                    raise MLTrackError(str(e)) from None
            else:
                self._note_spooling("no server running")
        else:
            with self._switch:
                if self._spooled.get(run_id) and not self._back_online(run_id):
                    self.spool.append_file(run_id, path, local_file, relpath)
                    return
            return self._upload_file(info, local_file, relpath)
        with self._switch:
            self._spooled[run_id] = True
            self.spool.append_file(run_id, path, local_file, relpath)

    def log_artifact(self, info: RunInfo, local_path: str, artifact_path: Optional[str] = None):
        local_path = os.path.abspath(local_path)
        prefix = (artifact_path or "").replace(os.sep, "/").strip("/")
        if os.path.isdir(local_path):
            base = os.path.basename(local_path.rstrip(os.sep))
            for root, _dirs, files in os.walk(local_path):
                for f in sorted(files):
                    full = os.path.join(root, f)
                    rel = os.path.relpath(full, local_path).replace(os.sep, "/")
                    self.upload_file(info, full, "/".join(x for x in (prefix, base, rel) if x))
        elif os.path.isfile(local_path):
            self.upload_file(info, local_path, "/".join(x for x in (prefix, os.path.basename(local_path)) if x))
        else:
            raise FileNotFoundError(local_path)

    def log_text(self, info: RunInfo, text: str, artifact_file: str):
        with internal_io():
            self._log_text(info, text, artifact_file)

    def _log_text(self, info: RunInfo, text: str, artifact_file: str):
        import tempfile
        d = tempfile.mkdtemp(prefix="mltrack-tmp-")
        try:
            p = os.path.join(d, os.path.basename(artifact_file))
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
            self.upload_file(info, p, artifact_file)
        finally:
            import shutil
            shutil.rmtree(d, ignore_errors=True)

    def log_files(self, run_id: str, inputs: List[dict], outputs: List[dict]):
        self.call(run_id, "POST", "/api/2.0/mltrack/runs/log-files", {"run_id": run_id, "inputs": inputs, "outputs": outputs})

    def flush(self, run_id: Optional[str] = None):
        self.batcher.flush(run_id)


_key_json: Dict[str, str] = {}


class LazyBatch:
    """A log-batch body of metric points that encodes itself to JSON bytes quickly (HttpClient sends ``encode()``)."""
    __slots__ = ("run_id", "points", "batch_id")

    def __init__(self, run_id, points, batch_id):
        self.run_id, self.points, self.batch_id = run_id, points, batch_id

    def encode(self) -> bytes:
        parts = []
        kj = _key_json
        for key, value, ts, step in self.points:
            k = kj.get(key)
            if k is None:
                k = kj[key] = json.dumps(key)
            if value != value or value in (math.inf, -math.inf):
                v = '"NaN"' if value != value else ('"Infinity"' if value > 0 else '"-Infinity"')
            else:
                v = repr(float(value))
            parts.append('{"key":%s,"value":%s,"timestamp":%d,"step":%d}' % (k, v, ts, step))
        return ('{"run_id":%s,"mltrack_batch_id":"%s","metrics":[%s]}' % (json.dumps(self.run_id), self.batch_id, ",".join(parts))).encode()

    def to_dict(self) -> dict:
        return {"run_id": self.run_id, "metrics": [{"key": k, "value": v, "timestamp": t, "step": s} for k, v, t, s in self.points],
                "mltrack_batch_id": self.batch_id}


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return os.environ.get("USER", "unknown")


# -- process state ------------------------------------------------------------------------------------------------
_client: Optional[Client] = None
_client_lock = threading.Lock()
_local = threading.local()
_all_stacks: List[List[RunInfo]] = []
_launcher: Optional[RunInfo] = None
_launcher_claimed = False
_crashed = False


def client() -> Client:
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                _client = Client()
    return _client


def _stack() -> List[RunInfo]:
    s = getattr(_local, "stack", None)
    if s is None:
        s = _local.stack = []
        _all_stacks.append(s)
    return s


def launcher_run() -> Optional[RunInfo]:
    """The run ``mltrack run`` created for this process (MLTRACK_RUN_ID), if any."""
    global _launcher
    if _launcher is None:
        rid = os.environ.get("MLTRACK_RUN_ID") or os.environ.get("MLFLOW_RUN_ID")
        if rid:
            _launcher = RunInfo(rid, os.environ.get("MLTRACK_EXPERIMENT_ID") or None, attached=True)
    return _launcher


def active_run_info() -> Optional[RunInfo]:
    s = _stack()
    return s[-1] if s else None


def current_run_info(create: bool = True) -> Optional[RunInfo]:
    """The run to log into: the innermost started run, else the launcher's run, else (``create``) a new run."""
    s = _stack()
    if s:
        return s[-1]
    l = launcher_run()
    if l is not None:
        return l
    if create:
        return start_run().info
    return None


def start_run(run_id: Optional[str] = None, experiment: Optional[str] = None, name: Optional[str] = None,
              nested: bool = False, tags: Optional[Dict[str, Any]] = None, parent_run_id: Optional[str] = None,
              run_name: Optional[str] = None, experiment_name: Optional[str] = None) -> ActiveRun:
    """Starts (or joins) a run and makes it active. In a process launched by ``mltrack run`` the first top-level
    ``start_run()`` joins the launcher's run; ``nested=True`` starts a child of the active run."""
    global _launcher_claimed
    name = name or run_name
    experiment = experiment or experiment_name
    s = _stack()
    c = client()
    if run_id is not None:
        l = launcher_run()
        info = RunInfo(run_id, None, attached=True)
        if l is not None and l.run_id == run_id:
            info = l
            _launcher_claimed = True
        else:
            try:
                r = c.call(run_id, "GET", API + "/runs/get", query={"run_id": run_id})
                if r:
                    ri = r["run"]["info"]
                    info.experiment_id = str(ri.get("experiment_id"))
                    info.artifact_uri = ri.get("artifact_uri")
                    info.run_name = ri.get("run_name")
            except ApiError as e:
                raise MLTrackError(str(e)) from None
        if tags:
            c.set_tags(info.run_id, tags)
        s.append(info)
        return ActiveRun(info)
    if s and not nested:
        raise MLTrackError(f"run {s[-1].run_id} is already active; end it first or call start_run(nested=True)")
    l = launcher_run()
    if not s and l is not None and not nested and parent_run_id is None:
        _launcher_claimed = True
        if tags:
            c.set_tags(l.run_id, tags)
        s.append(l)
        return ActiveRun(l)
    parent = parent_run_id or (s[-1].run_id if s else (l.run_id if l is not None and nested else None))
    parent_exp = None
    if experiment is None and parent is not None:
        parent_info = s[-1] if s else l
        if parent_info is not None and parent_info.run_id == parent:
            parent_exp = parent_info.experiment_id  # children live in their parent's experiment
            if parent_exp is None:
                experiment = parent_info.experiment_name
    info = c.create_run(experiment, name, tags, parent, experiment_id=parent_exp)
    s.append(info)
    return ActiveRun(info)


def end_run(status: str = "FINISHED") -> None:
    """Ends the active run: sends its waiting metrics, then its status (not for a joined launcher run)."""
    s = _stack()
    if not s:
        return
    info = s.pop()
    c = client()
    c.flush(info.run_id)
    info.status = status
    if not info.attached:
        try:
            c.update_run(info.run_id, status)
        except Exception as e:
            c.warn(f"could not end run {info.run_id}: {e}", None)


def claim_launcher_for_track() -> Optional[RunInfo]:
    """For the outermost @track: the launcher's run the first time, None afterwards (later calls start children)."""
    global _launcher_claimed
    l = launcher_run()
    if l is None or _launcher_claimed:
        return None
    _launcher_claimed = True
    return l


def push(info: RunInfo):
    _stack().append(info)


def _excepthook_wrapper(orig):
    def hook(exc_type, exc, tb):
        global _crashed
        _crashed = True
        return orig(exc_type, exc, tb)
    return hook


sys.excepthook = _excepthook_wrapper(sys.excepthook)


def _at_exit():
    c = _client
    if c is None:
        return
    try:
        for s in list(_all_stacks):
            while s:
                info = s.pop()
                c.flush(info.run_id)
                if not info.attached:
                    c.update_run(info.run_id, "FAILED" if _crashed else "FINISHED")
        c.batcher.close()
        c.send_spooled_at_exit()
    except Exception as e:
        try:
            sys.stderr.write(f"mltrack: warning: at exit: {e}\n")
        except Exception:
            pass


atexit.register(_at_exit)


# -- SIGTERM: what a launcher's watchdog, a scheduler or `kill` sends before SIGKILL ---------------------------------
_previous_sigterm = None


def _on_sigterm(signum, frame):
    """Flushes (or spools) the waiting points, then behaves as before us: the previous handler, or death by SIGTERM."""
    c = _client
    prev = _previous_sigterm
    dies = not callable(prev) and prev != signal.SIG_IGN
    if c is not None:
        try:
            # No atexit after a default SIGTERM: end our own runs now (the launcher's run is the launcher's).
            ends = [i.run_id for st in list(_all_stacks) for i in reversed(st) if not i.attached] if dies else []
            c.final_flush(ends)
        except Exception as e:
            try:
                sys.stderr.write(f"mltrack: warning: flush on SIGTERM: {e}\n")
            except Exception:
                pass
    if callable(prev):
        return prev(signum, frame)
    if not dies:
        return
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(1)
    os._exit(128 + signal.SIGTERM)  # the signal is pending on another thread: do not carry on as if nothing happened


def _install_sigterm_flush() -> None:
    """Chains our SIGTERM handler in front of the current one (only the main thread may set handlers)."""
    global _previous_sigterm
    if threading.current_thread() is not threading.main_thread():
        return
    try:
        prev = signal.getsignal(signal.SIGTERM)
        if prev is _on_sigterm:
            return
        signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError, AttributeError):
        return
    _previous_sigterm = prev


_install_sigterm_flush()


# -- the client's own file I/O (model files, spool, temp copies) is not the user's: capture hooks skip it -----------
_io = threading.local()


class internal_io:
    def __enter__(self):
        _io.depth = getattr(_io, "depth", 0) + 1
        return self

    def __exit__(self, *exc):
        _io.depth -= 1
        return False


def in_internal_io() -> bool:
    return getattr(_io, "depth", 0) > 0


def info_for(run_id: Optional[str]) -> RunInfo:
    """RunInfo of ``run_id`` (None: the current run), with its artifact location when the server knows it."""
    if run_id is None:
        return current_run_info()
    for s in _all_stacks:
        for info in s:
            if info.run_id == run_id:
                return info
    l = launcher_run()
    if l is not None and l.run_id == run_id:
        return l
    info = RunInfo(run_id, None, attached=True)
    try:
        r = client().call(run_id, "GET", API + "/runs/get", query={"run_id": run_id})
        if r:
            ri = r["run"]["info"]
            info.experiment_id = str(ri.get("experiment_id"))
            info.artifact_uri = ri.get("artifact_uri")
    except ApiError as e:
        raise MLTrackError(str(e)) from None
    return info


def reset() -> None:
    """Forgets all process state (runs, connection, queued points are sent first). For tests and forked children."""
    global _client, _launcher, _launcher_claimed, _crashed
    c = _client
    if c is not None:
        try:
            c.batcher.close()
        except Exception:
            pass
        c.reset_connection()
    _client = None
    _launcher = None
    _launcher_claimed = False
    _crashed = False
    for s in _all_stacks:
        del s[:]
