"""Files the script reads and writes, from ``open`` audit events (sys.addaudithook); hashed at exit and sent as the
run's inputs (read, never written) and outputs (written). Skipped: the interpreter's and libraries' files (sys.prefix,
site-packages, /usr/lib …), /proc, /dev, /sys, /etc, /run, .mltrack folders, the bootstrap and the mltrack package,
Python sources and compiled modules, and every file MLTrack itself opens."""
import hashlib
import os
import site
import sys
import sysconfig
import tempfile

SKIP_EXT = (".py", ".pyc", ".pyo", ".pyd", ".so", ".pth", ".dist-info")


def _norm(p):
    return {os.path.join(os.path.abspath(p), ""), os.path.join(os.path.realpath(p), "")}


def skip_prefixes():
    here = os.path.dirname(os.path.abspath(__file__))
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, "/usr/lib", "/usr/share", "/usr/local/lib",
                "/lib", "/proc", "/dev", "/sys", "/etc", "/run", "/var/lib", here, os.path.dirname(here)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            prefixes.add(sysconfig.get_paths()[key])
        except Exception:
            pass
    try:
        prefixes.update(site.getsitepackages())
    except Exception:
        pass
    try:
        prefixes.add(site.getusersitepackages())
    except Exception:
        pass
    home = os.path.expanduser("~")
    if home and home != "/":
        prefixes.update(os.path.join(home, d) for d in (".cache", ".config", ".local/lib", ".ipython", ".matplotlib"))
    out = set()
    for p in prefixes:
        if p and p != "/":
            out |= _norm(p)
    return tuple(sorted(out))


class FileRecorder:
    def __init__(self, state=None):
        self.state = state
        self.reads = {}
        self.writes = {}
        self.prefixes = skip_prefixes()
        self.temp_prefix = os.path.join(os.path.abspath(tempfile.gettempdir()), "mltrack-tmp-")
        self.active = True
        self._in = False
        from mltrack import _tracking
        self._internal = _tracking.in_internal_io

    def skip(self, path: str) -> bool:
        if path.endswith(SKIP_EXT) or "/.mltrack/" in path or "/__pycache__/" in path or path.startswith(self.temp_prefix):
            return True
        p = path + os.sep if not path.endswith(os.sep) else path
        return p.startswith(self.prefixes)

    def hook(self, event, args):
        if event != "open" or not self.active or self._in:
            return
        self._in = True
        try:
            if self._internal():
                return
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            if path is None or isinstance(path, int):
                return
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            path = os.fspath(path)
            if isinstance(mode, str):
                write = any(c in mode for c in "wax+")
                read = "r" in mode or "+" in mode
            elif isinstance(flags, int):
                acc = flags & os.O_ACCMODE
                write = acc in (os.O_WRONLY, os.O_RDWR) or bool(flags & (os.O_CREAT | os.O_TRUNC | os.O_APPEND))
                read = acc in (os.O_RDONLY, os.O_RDWR)
            else:
                read, write = True, False
            full = os.path.abspath(path)
            if self.skip(full):
                return
            if write:
                self.writes[full] = True
            if read and not write:
                self.reads[full] = True
            elif read:
                self.reads.setdefault(full, True)
        except Exception:
            pass
        finally:
            self._in = False

    @staticmethod
    def describe(path):
        try:
            st = os.stat(path)
        except OSError:
            return None
        import stat as _stat
        if not _stat.S_ISREG(st.st_mode):
            return None
        h = hashlib.sha256()
        size = 0
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
        return {"path": path, "size": size, "sha256": h.hexdigest()}

    def collect(self):
        """(inputs, outputs): files read and never written, files written; only those that still exist."""
        self.active = False
        inputs = [e for e in (self.describe(p) for p in list(self.reads) if p not in self.writes) if e]
        outputs = [e for e in (self.describe(p) for p in list(self.writes)) if e]
        return inputs, outputs

    def send(self):
        from mltrack import _tracking
        with _tracking.internal_io():
            inputs, outputs = self.collect()
            if inputs or outputs:
                self.state.client.log_files(self.state.run_id, inputs, outputs)


def install(state) -> FileRecorder:
    rec = FileRecorder(state)
    state.files = rec
    sys.addaudithook(rec.hook)
    return rec
