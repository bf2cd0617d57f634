"""MLTrack zero-config capture, loaded by Python at start when this folder is on PYTHONPATH (``mltrack run`` does it).

Does nothing unless MLTRACK_RUN_ID is set. Then it joins that run and records, with no edit to the script: argparse
results (else ``--key value`` options) as params, scikit-learn / PyTorch / OpenAI / Anthropic usage, and the files the
script reads and writes. Any other ``sitecustomize`` on the path (Debian's) still runs. A failure here never stops the
script: it prints a ``mltrack:`` warning and the script runs untracked.
"""
import os as _os
import sys as _sys


def _chain_other_sitecustomize(here):
    """Runs the sitecustomize this one shadows (e.g. Debian's /usr/lib/python3.X/sitecustomize.py)."""
    try:
        import importlib.machinery
        import importlib.util
        paths = [p for p in _sys.path if _os.path.abspath(p or ".") != here]
        spec = importlib.machinery.PathFinder.find_spec("sitecustomize", paths)
        if spec is None or spec.loader is None or _os.path.dirname(_os.path.abspath(spec.origin or "")) == here:
            return
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception:
        pass


def _start():
    here = _os.path.dirname(_os.path.abspath(__file__))
    _chain_other_sitecustomize(here)
    if not _os.environ.get("MLTRACK_RUN_ID"):
        return
    try:
        parent = _os.path.dirname(here)  # clients/python: makes `import mltrack` work in launched scripts
        if parent not in _sys.path:
            pos = _sys.path.index(here) + 1 if here in _sys.path else len(_sys.path)
            _sys.path.insert(pos, parent)
        if here not in _sys.path:
            _sys.path.append(here)
        import mltrack_capture
        mltrack_capture.start()
    except Exception as e:  # never break the user's script
        try:
            _sys.stderr.write(f"mltrack: warning: zero-config capture disabled: {type(e).__name__}: {e}\n")
        except Exception:
            pass


_start()
del _start, _chain_other_sitecustomize
