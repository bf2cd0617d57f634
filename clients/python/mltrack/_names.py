"""The rule for metric, param and tag keys, checked before anything is queued: the server refuses a batch holding one
bad key, so a key must fail at the call that gave it, not later in a background flush.

The same rule as the server's (server/MLTrack.Core/Names/NameRules.cs) and MLflow's: at most 250 characters of letters
and digits (any script), underscores, dashes, periods, spaces, colons and slashes, and, read as a file path, the key is
itself (no leading ``/`` or ``..``, no trailing ``/``, no ``//``, ``.`` or ``..`` segments). Positions are 0-based.
"""
import posixpath
import re
import unicodedata
from typing import Optional

MAX_KEY_LENGTH = 250
ALLOWED = "letters, digits, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/)"
_KEY = re.compile(r"[/\w.\- :]*")  # fullmatch: "$" alone would let a trailing newline through
_CONTROL_NAMES = {"\t": "CHARACTER TABULATION (tab)", "\n": "LINE FEED (newline)", "\r": "CARRIAGE RETURN", "\0": "NULL"}


def describe(ch: str) -> str:
    """The character as messages name it: ``U+202E RIGHT-TO-LEFT OVERRIDE``, or ``'@' (U+0040)`` when visible."""
    code = "U+%04X" % ord(ch)
    category = unicodedata.category(ch)
    if ch in _CONTROL_NAMES:
        return f"{code} {_CONTROL_NAMES[ch]}"
    if category[0] in "CZ" or category[0] == "M":
        name = unicodedata.name(ch, "")
        return f"{code} {name}" if name else f"{code} (an invisible {'control' if category == 'Cc' else 'character'})"
    return f"'{ch}' ({code})"


def printable(text: str, limit: int = 60) -> str:
    """``text`` with invisible characters escaped (``\\n``, ``\\u202e``), for quoting in a message."""
    out = []
    for ch in text[:limit]:
        if ch == " " or unicodedata.category(ch)[0] not in "CZ":
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out) + ("…" if len(text) > limit else "")


def key_problem(key: str) -> Optional[str]:
    """None when ``key`` is a valid metric, param or tag key; else why not, naming the character and its position."""
    if key == "":
        return "it must not be empty"
    if not _KEY.fullmatch(key):
        position, ch = next((i, c) for i, c in enumerate(key) if not _KEY.fullmatch(c))
        return f"{describe(ch)} at position {position} is not allowed: keys may only contain {ALLOWED}"
    if len(key) > MAX_KEY_LENGTH:
        return f"it had length {len(key)}, which exceeded the length limit of {MAX_KEY_LENGTH}"
    norm = posixpath.normpath(key)
    if norm != key or norm == "." or norm.startswith("..") or norm.startswith("/"):
        return f"keys may be used as file paths and must not resolve to another name; this one would resolve to '{norm}'"
    return None


_valid = set()  # keys already checked: training loops log the same few keys millions of times


def check_key(key, entity: str) -> str:
    """``key`` (made a string) when valid; else ``ValueError`` naming the character and its position."""
    text = key if type(key) is str else str(key)
    if text in _valid:
        return text
    problem = key_problem(text)
    if problem is not None:
        raise ValueError(f"Invalid {entity} key '{printable(text)}': {problem}.")
    if len(_valid) < 100_000:
        _valid.add(text)
    return text


_INVISIBLE = ("Cc", "Cf", "Zl", "Zp", "Cs")


def _joiner_between_visible(text: str, i: int) -> bool:
    """A zero-width (non-)joiner between two visible characters (Persian words, emoji sequences) is allowed in names,
    as the server's NameRules allows it."""
    def visible(c):
        return not c.isspace() and unicodedata.category(c) not in _INVISIBLE
    return text[i] in "\u200c\u200d" and 0 < i < len(text) - 1 and visible(text[i - 1]) and visible(text[i + 1])


def check_name(name, what: str):
    """``name`` when it holds no control or invisible character (experiment and run names); else ``ValueError``."""
    if name is None:
        return None
    text = str(name)
    for position, ch in enumerate(text):
        if unicodedata.category(ch) in _INVISIBLE and not _joiner_between_visible(text, position):
            raise ValueError(f"Invalid {what} '{printable(str(name))}': {describe(ch)} at position {position} is not allowed: "
                             "names must not contain control or invisible characters.")
    return name
