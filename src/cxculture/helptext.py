"""``--help`` in the reader's language: the ``help.*`` labels of ``ui.yaml`` put on the commands before they print.

A command's text is ``help.<command>`` (``help.content.check``), an option's
``help.<command>.<option>``, else ``help.option.<option>`` when several
commands share it; ``help.usage``, ``help.options``… name the parts of the
page. Validating the whole content to print one page would cost more than the
page: the help labels of one language are kept in the user's cache as plain
text (key, then text, separated by NUL characters, which no label may hold),
keyed by ``cache.key`` of ``ui.yaml``, and the content is loaded only when
they are not there yet (or the cache is off). A help page imports neither
``hashlib`` nor ``json``: they would cost it more than its whole rendering.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from cxculture import __version__

HELP_FLAGS = ("--help", "-h")
# the parser's own words on a help page, and the label saying each
PARSER_WORDS = {
    "Arguments": "help.arguments",
    "Options": "help.options",
    "Commands": "help.commands",
    "default: {default}": "help.default",
    "required": "help.required",
    "env var: {var}": "help.env_var",
    "(dynamic)": "help.dynamic",
}


def wanted(args: list[str]) -> bool:
    """Whether this command line prints a help page (``--help``, or nothing to run)."""
    return not args or args == ["content"] or any(arg in HELP_FLAGS for arg in args)


def option(args: list[str], name: str) -> str | None:
    """The value of ``--name VALUE`` or ``--name=VALUE`` on the command line (the last one)."""
    found = None
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith(name + "="):
            found = arg.split("=", 1)[1]
    return found


def labels(content_dir: Path | None, lang: str) -> dict[str, str]:
    """The ``help.*`` labels of the content's ``ui.yaml`` in ``lang`` (empty if they cannot be had)."""
    from cxculture import cache
    from cxculture.loading import shipped_folder

    ui = Path(content_dir) / "ui.yaml" if content_dir is not None else None
    ui = ui if ui is not None and ui.is_file() else shipped_folder() / "ui.yaml"
    try:
        raw = ui.read_bytes()
    except OSError:
        return {}
    folder = cache.folder("help")
    path = folder / f"{cache.key(raw, lang.encode(), __version__.encode())}.txt" if folder is not None else None
    kept = _parsed(cache.read(path)) if path is not None else None
    if kept is not None:
        return kept
    found = _from_content(content_dir, lang)
    if path is not None and found:
        cache.write(path, "\0".join(part for pair in found.items() for part in pair).encode("utf-8"))
    return found


def _parsed(kept: bytes | None) -> dict[str, str] | None:
    """The labels of a cache file (``key NUL text NUL …``), or None when it is not one."""
    if kept is None:
        return None
    try:
        parts = kept.decode("utf-8").split("\0")
    except UnicodeDecodeError:
        return None
    if len(parts) % 2 or not all(key.startswith("help.") for key in parts[::2]):
        return None
    return dict(zip(parts[::2], parts[1::2], strict=True))


def _from_content(content_dir: Path | None, lang: str) -> dict[str, str]:
    from cxculture.errors import CxError
    from cxculture.loading import Content

    for folder in (content_dir, None):  # a folder that does not load: the shipped labels
        try:
            ui = Content(folder).ui
            return {key: text(lang) for key, text in ui.labels.items() if key.startswith("help.")}
        except CxError:
            continue
    return {}


@contextmanager
def localised(command: Any, words: dict[str, str]) -> Iterator[None]:
    """Put ``words`` on ``command`` and its sub-commands, and on the parser's headings, while the page prints."""
    if not words:
        yield
        return
    import typer.core
    from typer._click import core, formatting

    _put(command, words, "cxculture")
    parser = vars(typer.core)  # its ``_`` is gettext: no catalogue of ours to give it
    saved = parser["_"], core.Context.formatter_class

    def say(text: str) -> str:
        key = PARSER_WORDS.get(text)
        return words.get(key, text) if key is not None else text

    class Formatter(formatting.HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, words.get("help.usage", "Usage: ") if prefix is None else prefix)

    parser["_"], core.Context.formatter_class = say, Formatter
    try:
        yield
    finally:
        parser["_"], core.Context.formatter_class = saved


def _put(command: Any, words: dict[str, str], path: str) -> None:
    text = words.get(f"help.{path}")
    if text is not None:
        command.help, command.short_help = _examples_kept_whole(text.rstrip("\n")), None
    helper = command.get_help_option(SimpleNamespace(help_option_names=list(HELP_FLAGS)))
    for param in [*command.params, *([helper] if helper is not None else [])]:
        said = words.get(f"help.{path}.{param.name}") or words.get(f"help.option.{param.name}")
        if said is not None:
            param.help = said
    for name, sub in getattr(command, "commands", {}).items():
        _put(sub, words, name if path == "cxculture" else f"{path}.{name}")


def _examples_kept_whole(text: str) -> str:
    """Example command lines are not re-wrapped to the terminal's width (click's ``\\b`` paragraph mark)."""
    paragraphs = text.split("\n\n")
    return "\n\n".join("\b\n" + p if p.lstrip().startswith("cxculture ") else p for p in paragraphs)
