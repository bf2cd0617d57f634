"""Durable spool for when no server answers.

Each request becomes one JSON line ``{"method", "path", "body"}`` appended to ``<.mltrack>/spool/<run_id>.jsonl``.
An artifact upload becomes ``{"method": "PUT", "path": "/api/2.0/mlflow-artifacts/artifacts/...", "file": "files/<relpath>"}``
with the file copied to ``<.mltrack>/spool/<run_id>/files/<relpath>`` (``file`` is relative to ``spool/<run_id>/``).
Every line is written with one ``write`` on an ``O_APPEND`` descriptor under an exclusive ``flock`` and fsynced
before the call returns. The server replays every spool file at start; the idempotency keys in the bodies
(runs/create ``run_id``, log-batch ``mltrack_batch_id``) make a replay harmless when repeated. To replay a file the
server first renames it to ``<run_id>.jsonl.replaying`` and then takes its lock once, so an append re-opens the file
when the one it locked is no longer at ``<run_id>.jsonl`` (its line would land in a file already read).

A server that is not local (a team server, ``MLTRACK_TRACKING_URI``) never sees this folder, so the client replays a
run's own spool itself once the server answers again (``replay``), by the same protocol and under the same
``spool/.replay.lock`` as the server's replayer: whichever comes first sends the lines, in order, once.
"""
import json
import os
import shutil
import threading
from typing import Any, Callable, Optional

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None

from ._http import dumps


CLAIMED_SUFFIX = ".replaying"  # a spool file the server is replaying
REPLAY_LOCK = ".replay.lock"  # held by whoever replays the spool (server or client)


class _Paused(Exception):
    """A replay stopped by a send that failed (the server went away again)."""


class Spool:
    def __init__(self, mltrack_folder: str):
        self.folder = os.path.join(mltrack_folder, "spool")
        # Re-entrant: a SIGTERM flush may run in the main thread while it is inside append.
        self._lock = threading.RLock()

    def path_for(self, run_id: str) -> str:
        return os.path.join(self.folder, run_id + ".jsonl")

    def has_pending(self, run_id: str) -> bool:
        """True while the server has not replayed all of the run's spool (the run keeps spooling, in order)."""
        path = self.path_for(run_id)
        return os.path.exists(path) or os.path.exists(path + CLAIMED_SUFFIX)

    def append(self, run_id: str, method: str, path: str, body: Any = None, file: Optional[str] = None) -> None:
        record = {"method": method, "path": path}
        if body is not None:
            record["body"] = body
        if file is not None:
            record["file"] = file
        line = dumps(record) + b"\n"
        spool_file = self.path_for(run_id)
        with self._lock:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)  # the store is owner-only (README: security)
            for _attempt in range(100):
                fd = os.open(spool_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    if fcntl is not None:
                        fcntl.flock(fd, fcntl.LOCK_EX)
                        if not _still_at(fd, spool_file):
                            continue  # the server claimed this file for replay meanwhile: write to a new one
                    os.write(fd, line)
                    os.fsync(fd)
                    return
                finally:
                    os.close(fd)  # closing releases the lock
            raise OSError(f"could not append to the spool file {spool_file}: it kept being replaced")

    def append_file(self, run_id: str, path: str, local_file: str, relpath: str) -> None:
        """Copies ``local_file`` into the spool and appends the PUT that uploads it."""
        rel = os.path.join(run_id, "files", *relpath.split("/"))
        dest = os.path.join(self.folder, rel)
        os.makedirs(os.path.dirname(dest), mode=0o700, exist_ok=True)
        tmp = dest + ".part"
        shutil.copyfile(local_file, tmp)
        os.chmod(tmp, 0o600)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
        self.append(run_id, "PUT", path, file="files/" + relpath.strip("/"))

    def replay(self, run_id: str, send: Callable[[dict, str], None], refused: Callable[[dict, Exception], None]) -> bool:
        """Sends the run's spooled requests in order through ``send(record, attachments_folder)``; True when nothing
        of the run is left spooled. An exception from ``send`` that ``refused`` does not take (it is given ApiErrors:
        the server refused the line, a retry cannot fix it) stops the replay: the claimed file stays and is replayed
        from its start next time (every line is idempotent). False too when another process holds the replay lock."""
        if not self.has_pending(run_id):
            return True
        with self._lock:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)
            lock_fd = os.open(os.path.join(self.folder, REPLAY_LOCK), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if fcntl is not None:
                    try:
                        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        return False  # the server (or another client) is replaying: leave it the spool
                spool_file = self.path_for(run_id)
                claimed = spool_file + CLAIMED_SUFFIX
                while True:
                    if not os.path.exists(claimed):
                        try:
                            os.rename(spool_file, claimed)
                        except FileNotFoundError:
                            return True
                    self._replay_claimed(run_id, claimed, send, refused)
            except _Paused:
                return False
            finally:
                os.close(lock_fd)

    def _replay_claimed(self, run_id, claimed, send, refused):
        with open(claimed, "rb") as f:
            if fcntl is not None:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX)  # an append in progress finishes first
            lines = f.read().split(b"\n")
        folder = os.path.join(self.folder, run_id)
        for line in lines:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line torn by a crash mid-write: the rest still counts
            try:
                send(record, folder)
            except Exception as e:
                if not refused(record, e):
                    raise _Paused() from e
        os.remove(claimed)
        for line in lines:  # the attachments the replayed lines named
            try:
                rel = json.loads(line).get("file") if line.strip() else None
            except ValueError:
                rel = None
            if rel:
                try:
                    os.remove(os.path.join(folder, *rel.split("/")))
                except OSError:
                    pass

    def read(self, run_id: str):
        """The spooled records of a run (for tests and tools)."""
        out = []
        try:
            with open(self.path_for(run_id), "r", encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if line:
                        out.append(json.loads(line))
        except FileNotFoundError:
            pass
        return out


def _still_at(fd: int, path: str) -> bool:
    """Whether the locked descriptor is still the file at ``path`` (not renamed or removed by a replaying server)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (own.st_dev, own.st_ino) == (st.st_dev, st.st_ino)
