"""A small HTTP/JSON client on the standard library: keep-alive connections per thread, timeouts, retries."""
import http.client
import json
import math
import os
import threading
import time
import urllib.parse
from typing import Any, Optional

DEFAULT_TIMEOUT = float(os.environ.get("MLTRACK_HTTP_TIMEOUT", "30"))
RETRY_DELAYS = (0.1, 0.3, 1.0)


class ServerUnavailable(Exception):
    """No server answered (connection refused, reset, timed out, or 5xx after retries)."""


class ApiError(Exception):
    """The server answered with an error (4xx): retrying would not help."""

    def __init__(self, status: int, error_code: str, message: str):
        super().__init__(f"{status} {error_code}: {message}")
        self.status = status
        self.error_code = error_code
        self.message = message


def _clean(value):
    """JSON has no NaN/Infinity: encode them as protobuf-JSON strings, as MLflow clients do."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def dumps(body: Any) -> bytes:
    try:
        return json.dumps(body, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except ValueError:
        return json.dumps(_sanitize(body), separators=(",", ":")).encode("utf-8")


def _sanitize(obj):
    if isinstance(obj, dict):
        return {k: _sanitize(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_sanitize(v) for v in obj]
    return _clean(obj)


class HttpClient:
    def __init__(self, uri: str, token: Optional[str], timeout: float = DEFAULT_TIMEOUT, retries: int = len(RETRY_DELAYS)):
        parsed = urllib.parse.urlsplit(uri)
        if parsed.scheme not in ("http", "https"):
            raise ValueError(f"unsupported tracking URI {uri!r} (expected http://host:port)")
        self.uri = uri.rstrip("/")
        self.scheme = parsed.scheme
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self.base_path = parsed.path.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self._local = threading.local()

    def _conn(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
            conn = cls(self.host, self.port, timeout=self.timeout)
            self._local.conn = conn
        return conn

    def _drop(self):
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass

    def close(self):
        self._drop()

    def request(self, method: str, path: str, body: Any = None, query: Optional[dict] = None,
                data: Any = None, content_type: str = "application/octet-stream", retries: Optional[int] = None,
                file: Optional[str] = None) -> Any:
        """Sends a request; returns the decoded JSON reply (or {} when empty).

        ``body`` is JSON-encoded; ``data`` (bytes) or ``file`` (a path, streamed) is sent raw. Connection failures and 5xx/429 are retried
        with back-off, then raise ServerUnavailable; other 4xx raise ApiError at once.
        """
        url = self.base_path + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None}, doseq=True)
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        payload = None
        if body is not None:
            payload = body.encode() if hasattr(body, "encode") and not isinstance(body, (str, bytes)) else dumps(body)
            headers["Content-Type"] = "application/json"
        elif data is not None or file is not None:
            headers["Content-Type"] = content_type
            payload = data if file is None else _FilePath(file)
        attempts = 1 + (self.retries if retries is None else retries)
        last = None
        for attempt in range(attempts):
            if attempt:
                time.sleep(RETRY_DELAYS[min(attempt - 1, len(RETRY_DELAYS) - 1)])
            try:
                status, raw = self._send(method, url, payload, headers)
            except (OSError, http.client.HTTPException) as e:
                self._drop()
                last = e
                continue
            if status >= 500 or status == 429:
                last = ApiError(status, _code(raw), _message(raw))
                continue
            if status >= 400:
                raise ApiError(status, _code(raw), _message(raw))
            if not raw:
                return {}
            try:
                return json.loads(raw.decode("utf-8"))
            except ValueError:
                return {}
        raise ServerUnavailable(f"{method} {self.uri}{url}: {last}")

    def _send(self, method, url, payload, headers):
        conn = self._conn()
        fobj = None
        try:
            if isinstance(payload, _FilePath):  # stream the file
                headers = dict(headers)
                headers["Content-Length"] = str(os.path.getsize(payload))
                fobj = open(str(payload), "rb")
                conn.request(method, url, body=fobj, headers=headers)
            else:
                conn.request(method, url, body=payload, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            if resp.getheader("Connection", "").lower() == "close":
                self._drop()
            return resp.status, raw
        finally:
            if fobj is not None:
                fobj.close()


class _FilePath(str):
    pass


def _decode(raw: bytes):
    try:
        return json.loads(raw.decode("utf-8"))
    except Exception:
        return None


def _code(raw: bytes) -> str:
    d = _decode(raw)
    if isinstance(d, dict) and d.get("error_code"):
        return str(d["error_code"])
    return "INTERNAL_ERROR"


def _message(raw: bytes) -> str:
    d = _decode(raw)
    if isinstance(d, dict) and "message" in d:
        return str(d["message"])
    return raw.decode("utf-8", "replace")[:500]
