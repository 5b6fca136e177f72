"""Reading files that come from outside, bounded before they can cost anything.

Every user file (answers, results, workshop JSON, MAP.yaml, content YAML, CSV)
is read here: only regular files (a FIFO, ``/dev/zero`` or a folder is refused
before reading), never more than ``limit + 1`` bytes, UTF-8 only. YAML is
checked event by event before it is built (nesting depth, aliases expanding
beyond a node budget), duplicate keys are refused, and no tag can build an
object. JSON refuses ``NaN``/``Infinity`` and nesting deeper than ``MAX_DEPTH``.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from cxculture.errors import CxError, Message

MAX_DEPTH = 64  # the deepest real file (a content file) is about 8 levels deep
MAX_YAML_NODES = 500_000  # after expanding aliases; a content file has about 5,000
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(path: Path | str, *, what: str = "file", limit: int, where: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or the project's error.

    Messages start with ``where`` (default: the path).
    """
    name = where or str(path)
    handle, size = _open_regular(path, what, limit, name)
    try:  # the file may grow while it is read: one byte more than its size shows it
        data = _read_at_most(handle, limit + 1, first=size + 1)
    except OSError as error:
        raise CxError(key="error.read.cannot", name=name, reason=reason(error)) from None
    finally:
        os.close(handle)
    if len(data) > limit:
        raise CxError(key="error.read.grew", name=name, limit=limit)
    return data


def open_regular(path: Path | str, *, what: str, limit: int, where: str | None = None) -> int:
    """An open descriptor of a regular file of at most ``limit`` bytes (the caller closes it), or the project's error.

    Checked on the open file (``fstat``), not on the name, so that nothing can be
    swapped in between; a FIFO is opened without waiting for a writer, then refused.
    """
    return _open_regular(path, what, limit, where or str(path))[0]


def _open_regular(path: Path | str, what: str, limit: int, name: str) -> tuple[int, int]:
    """``open_regular``'s descriptor and the file's size when it was opened."""
    try:  # non-blocking: opening a FIFO must not wait for a writer
        handle = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise CxError(key="error.read.missing", name=name, what=_what(what)) from None
    except IsADirectoryError:
        raise CxError(key="error.read.folder", name=name, what=_what(what)) from None
    except OSError as error:
        raise CxError(key="error.read.cannot", name=name, reason=reason(error)) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            key = "error.read.folder" if stat.S_ISDIR(info.st_mode) else "error.read.not_regular"
            raise CxError(key=key, name=name, what=_what(what))
        if info.st_size > limit:
            raise CxError(key="error.read.too_large", name=name, size=info.st_size, limit=limit)
    except OSError as error:
        os.close(handle)
        raise CxError(key="error.read.cannot", name=name, reason=reason(error)) from None
    except CxError:
        os.close(handle)
        raise
    return handle, info.st_size


def read_text(path: Path | str, *, what: str = "file", limit: int) -> str:
    """A user's UTF-8 file (a BOM is accepted), or say clearly why not."""
    return decode(read_bytes(path, what=what, limit=limit), path)


def decode(data: bytes, path: Path | str) -> str:
    """``read_text`` of bytes already read from ``path``: UTF-8, a BOM accepted."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CxError(key="error.read.not_utf8", name=path, byte=error.start) from None


_CHUNK = 1 << 16  # what is read after the first read: only a file that grew, or the end of the file


def _read_at_most(handle: int, size: int, first: int) -> bytes:
    """At most ``size`` bytes, up to the end of the file; ``first``: how much to ask for first (its size + 1)."""
    chunks = []
    want = min(first, size)
    while size > 0:
        chunk = os.read(handle, want)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
        want = min(size, _CHUNK)
    return b"".join(chunks)


def reason(error: OSError) -> Message:
    """Why an operation on a file failed, in the reader's words (the usual causes; else the system's code)."""
    key = _REASONS.get(error.errno or 0)
    if key is None:
        return Message("reason.other", code=errno.errorcode.get(error.errno or 0, type(error).__name__))
    return Message(key)


_REASONS = {
    errno.ENAMETOOLONG: "reason.name_too_long",
    errno.EACCES: "reason.denied",
    errno.EPERM: "reason.denied",
    errno.EROFS: "reason.read_only",
    errno.ENOSPC: "reason.no_space",
    errno.EDQUOT: "reason.no_space",
    errno.EFBIG: "reason.too_big",
    errno.ENOTDIR: "reason.not_a_folder",
    errno.EISDIR: "reason.is_a_folder",
    errno.ENOENT: "reason.missing",
    errno.ELOOP: "reason.loop",
    errno.EIO: "reason.io",
    errno.EEXIST: "reason.exists",
    errno.EADDRINUSE: "reason.address_in_use",
    errno.EADDRNOTAVAIL: "reason.address_not_here",
}


def _what(what: str) -> Message:
    """What a file was expected to be (``"answers"``, ``"result"``…), as a label ``what.*``."""
    return Message(f"what.{what}")


# --- JSON -------------------------------------------------------------------


def parse_json(text: str, where: str) -> Any:
    """Parse JSON; ``NaN``, ``Infinity`` and nesting deeper than ``MAX_DEPTH`` are refused."""
    import json

    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise CxError(key="error.json.invalid", name=where, line=error.lineno, column=error.colno) from None
    except RecursionError:
        raise CxError(key="error.nested", name=where, limit=MAX_DEPTH) from None
    except ValueError as error:  # from _no_constant
        raise CxError(key="error.json.constant", name=where, value=str(error)) from None
    check_depth(data, where)
    return data


def loads_fast(data: bytes | str) -> Any:
    """Parse JSON as the standard library's ``json.loads`` would, faster: for the many results of a synthesis.

    orjson (a declared dependency, imported on first use) parses UTF-8 JSON
    about twice as fast. What it refuses — a lone surrogate, ``NaN``, a BOM,
    bad JSON — goes to the standard parser, which reads it or raises its own
    error. One difference remains: orjson reads an integer beyond 64 bits as a
    float. No field of a result can hold one, so callers validate the data and,
    when it is refused, word the error from the standard parser's data
    (``strict_error``). Without orjson, the standard parser alone.
    """
    fast = fast_parser()
    if fast is not None:
        try:
            return fast(data)
        except ValueError:  # orjson.JSONDecodeError: the standard parser decides
            pass
    import json

    return json.loads(data)


@cache
def fast_parser() -> Callable[[bytes | str], Any] | None:
    """orjson's ``loads`` (it refuses ``NaN``, ``Infinity`` and bad UTF-8), or ``None`` where it is not installed."""
    try:
        import orjson
    except ImportError:  # a platform without its wheel
        return None
    parse: Callable[[bytes | str], Any] = orjson.loads
    return parse


def _no_constant(name: str) -> object:
    raise ValueError(name)


def check_depth(data: object, where: str, limit: int = MAX_DEPTH) -> None:
    """Refuse data nested deeper than ``limit`` (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            raise CxError(key="error.nested", name=where, limit=limit)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


# --- YAML -------------------------------------------------------------------


def parse_yaml(text: str, where: str) -> Any:
    """Parse YAML into plain data (no tag builds an object) within the depth and node limits."""
    import yaml

    try:
        _check_events(yaml.parse(text, Loader=_loader_class()), where)
        return yaml.load(text, Loader=_loader_class())  # noqa: S506 - a safe loader, see _loader_class
    except yaml.YAMLError as error:
        if "nesting depth" in str(getattr(error, "problem", "")):  # libyaml's own bound (PyYAML 6.0.4), past ours
            raise CxError(key="error.nested", name=where, limit=MAX_DEPTH) from None
        raise CxError(key="error.yaml.invalid", name=where, problem=yaml_problem(error)) from None


def yaml_problem(error: Exception) -> Message:
    """Where a PyYAML error is (line and column), and a duplicate key named; PyYAML's own words are left out."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = str(getattr(error, "problem", None) or "")
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else ("?", "?")
    if problem.startswith("duplicate key "):
        return Message("error.yaml.duplicate", line=line, column=column, value=problem.removeprefix("duplicate key "))
    return Message("error.yaml.at", line=line, column=column)


def _check_events(events: Any, where: str) -> None:
    """Depth and alias expansion, counted on the parser's events before anything is built.

    Each open collection is a frame counting the nodes inside it; an anchored
    node's count is remembered, and an alias adds that count again (what
    building it out, e.g. by printing it, would cost).
    """
    import yaml

    frames: list[list[Any]] = [[None, 0]]  # [anchor, nodes]
    sizes: dict[str, int] = {}
    total = 0
    for event in events:
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            frames.append([event.anchor, 0])
            if len(frames) - 1 > MAX_DEPTH:
                raise CxError(key="error.nested", name=where, limit=MAX_DEPTH)
            added = 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, inside = frames.pop()
            if anchor:
                sizes[anchor] = inside + 1
            frames[-1][1] += inside  # already in the total
            continue
        elif isinstance(event, yaml.AliasEvent):
            added = sizes.get(event.anchor or "", 1)
        elif isinstance(event, yaml.ScalarEvent):
            added = 1
            if event.anchor:
                sizes[event.anchor] = 1
        else:
            continue
        frames[-1][1] += added
        total += added
        if total > MAX_YAML_NODES:
            raise CxError(key="error.yaml.aliases", name=where, limit=MAX_YAML_NODES)


_LOADER: list[type] = []


def _loader_class() -> type:
    """PyYAML's safe loader (the C one when present) refusing duplicate keys."""
    if _LOADER:
        return _LOADER[0]
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[valid-type, misc]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[object] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:  # an unhashable key: the base class says so
                    break
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {str(key)[:60]!r}", key_node.start_mark
                    )
            return super().construct_mapping(node, deep=deep)

    _LOADER.append(Loader)
    return Loader
