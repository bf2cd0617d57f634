"""Where the MLTrack server is: environment first, else the workspace's ``.mltrack/server.json`` and ``.mltrack/token``."""
import json
import os
from typing import NamedTuple, Optional

FOLDER = ".mltrack"


class Connection(NamedTuple):
    uri: Optional[str]      # e.g. http://127.0.0.1:5001 ; None when no server is known (spool directly)
    token: Optional[str]
    folder: str             # the .mltrack folder: spool lives under it
    from_env: bool


def find_workspace(start: Optional[str] = None) -> str:
    """Nearest folder upward holding ``.mltrack/`` or ``.git``, else the start folder (as the server's WorkspaceLocator)."""
    start = os.path.abspath(start or os.getcwd())
    d = start
    while True:
        if os.path.isdir(os.path.join(d, FOLDER)) or os.path.exists(os.path.join(d, ".git")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return start
        d = parent


def mltrack_folder(start: Optional[str] = None) -> str:
    """The ``.mltrack`` folder in use: MLTRACK_HOME, else the folder of MLTRACK_STORE, else ``<workspace>/.mltrack``."""
    home = os.environ.get("MLTRACK_HOME")
    if home:
        return os.path.abspath(home)
    store = os.environ.get("MLTRACK_STORE")
    if store and "://" not in store:
        return os.path.dirname(os.path.abspath(store))
    return os.path.join(find_workspace(start), FOLDER)


def _read(path: str) -> Optional[str]:
    try:
        with open(path, "r", encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return None


def _pid_alive(pid) -> bool:
    try:
        pid = int(pid)
    except (TypeError, ValueError):
        return True  # unknown: let the connection attempt decide
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def resolve(start: Optional[str] = None) -> Connection:
    folder = mltrack_folder(start)
    uri = os.environ.get("MLTRACK_TRACKING_URI")
    if uri:
        token = os.environ.get("MLTRACK_TOKEN") or os.environ.get("MLFLOW_TRACKING_TOKEN") or _read(os.path.join(folder, "token"))
        return Connection(uri.rstrip("/"), token or None, folder, True)
    info = _read(os.path.join(folder, "server.json"))
    token = os.environ.get("MLTRACK_TOKEN") or _read(os.path.join(folder, "token"))
    if info:
        try:
            data = json.loads(info)
        except ValueError:
            data = {}
        url = data.get("url") if isinstance(data, dict) else None
        if url and _pid_alive(data.get("pid")):
            return Connection(str(url).rstrip("/"), token or None, folder, False)
    return Connection(None, token or None, folder, False)
