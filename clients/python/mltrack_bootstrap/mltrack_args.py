"""Params from the command line: argparse results (parse_known_args hooked), else ``--key value`` / ``--key=value``."""
import argparse
import threading

_local = threading.local()


def install(state) -> None:
    cls = argparse.ArgumentParser
    orig = cls.parse_known_args
    if getattr(orig, "_mltrack_wrapped", False):
        return

    def parse_known_args(self, *args, **kwargs):
        depth = getattr(_local, "depth", 0)
        _local.depth = depth + 1
        try:
            result = orig(self, *args, **kwargs)
        finally:
            _local.depth = depth
        if depth == 0:  # not a subparser's inner call
            try:
                ns = result[0] if isinstance(result, tuple) else result
                state.args_captured = True
                state.log_params({k: v for k, v in vars(ns).items() if not k.startswith("_")})
            except Exception as e:
                state.warn("argparse capture failed", e)
        return result

    parse_known_args._mltrack_wrapped = True
    parse_known_args.__wrapped__ = orig
    cls.parse_known_args = parse_known_args


def _is_value(s: str) -> bool:
    if not s.startswith("-"):
        return True
    try:
        float(s)
        return True  # a negative number
    except ValueError:
        return False


def from_argv(argv) -> dict:
    """``--lr 0.1 --epochs=3 --verbose`` → {"lr": "0.1", "epochs": "3", "verbose": "true"}; positionals ignored."""
    out = {}
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--":
            break
        if not a.startswith("--") or len(a) <= 2:
            continue
        if "=" in a:
            key, value = a[2:].split("=", 1)
        elif i < len(argv) and _is_value(argv[i]):
            key, value = a[2:], argv[i]
            i += 1
        else:
            key, value = a[2:], "true"
        key = key.replace("-", "_")
        if key:
            out[key] = value
    return out
