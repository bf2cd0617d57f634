"""Post-import hooks: run a callback right after a named module has been executed (or at once if already imported)."""
import sys
import threading

_hooks = {}
_busy = set()
_lock = threading.RLock()
_installed = False


def on_import(name, callback, on_error=None):
    with _lock:
        module = sys.modules.get(name)
        if module is None:
            _hooks.setdefault(name, []).append((callback, on_error))
            _install()
            return
    _call(callback, on_error, module)


def _call(callback, on_error, module):
    try:
        callback(module)
    except Exception as e:
        if on_error is not None:
            try:
                on_error(e)
            except Exception:
                pass


def _fire(name, module):
    with _lock:
        entries = _hooks.pop(name, [])
    for callback, on_error in entries:
        _call(callback, on_error, module)


class _Loader:
    """Delegates to the real loader; after exec_module, restores it on the module and fires the hooks."""

    def __init__(self, inner, name):
        self._inner = inner
        self._name = name

    def create_module(self, spec):
        create = getattr(self._inner, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module):
        self._inner.exec_module(module)
        try:
            module.__loader__ = self._inner
            if getattr(module, "__spec__", None) is not None:
                module.__spec__.loader = self._inner
        except Exception:
            pass
        _fire(self._name, module)

    def __getattr__(self, attr):
        return getattr(self._inner, attr)


class _Finder:
    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _hooks or fullname in _busy:
            return None
        _busy.add(fullname)
        try:
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    break
            else:
                return None
        finally:
            _busy.discard(fullname)
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader, fullname)
        return spec

    def invalidate_caches(self):
        pass


_finder = _Finder()


def _install():
    global _installed
    if not _installed:
        sys.meta_path.insert(0, _finder)
        _installed = True
