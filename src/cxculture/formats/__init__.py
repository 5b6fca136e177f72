"""The registry of output formats: one module per format, registered in ``FORMATS``.

A command builds a ``Subject`` (what to show: its kind, its JSON figures and how
to build its localised document) and calls ``deliver``: the ``--format`` goes to
standard output, and ``--export FILE`` is written in the format its extension
names (``.md``, ``.html``, ``.pptx``, ``.json``). Binary formats only go to a file.

A format module defines ``render(subject) -> str | bytes`` and may define
``show(subject)`` (its own way of printing, e.g. the terminal's screen cache).
It imports its heavy libraries (Jinja2, python-pptx) inside ``render`` so that
choosing a format costs nothing at start-up. See CONTRIBUTING.md, "Adding an
output format".
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cxculture.errors import CxError, Message
from cxculture.lang import Lang


@dataclass(frozen=True, slots=True)
class Format:
    """A registered format: its name, its module, its file extensions, whether it is binary."""

    name: str
    module: str
    extensions: tuple[str, ...] = ()
    binary: bool = False


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", "cxculture.formats.text"),
        Format("json", "cxculture.formats.json", (".json",)),
        Format("md", "cxculture.formats.md", (".md", ".markdown")),
        Format("html", "cxculture.formats.html", (".html", ".htm")),
        Format("pptx", "cxculture.formats.pptx", (".pptx",), binary=True),
    )
}
NAMES = tuple(FORMATS)
KINDS = ("assessment", "guide", "workshop", "comparison")


@dataclass(slots=True)
class Subject:
    """What a format renders: a document kind, its JSON figures, its localised document.

    ``document`` is built only when a format needs it (JSON does not), once.
    ``screen_key`` lets the terminal reuse a cached rendering (read-only screens).
    ``template`` is a consultant's PowerPoint file whose masters and theme the deck uses.
    """

    kind: str
    lang: Lang
    content: Any
    figures: object  # None: the document is its own figures (a guide)
    build: Callable[[], dict[str, Any]]
    screen_key: list[bytes | str] | None = None
    template: Path | None = None
    _doc: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def t(self) -> Any:
        return self.content.speaker(self.lang)

    @property
    def doc(self) -> dict[str, Any]:
        if self._doc is None:
            from cxculture.text import clean_data

            self._doc = clean_data(self.build())  # no control character reaches any format
        return self._doc


class _Module(Protocol):
    def render(self, subject: Subject) -> str | bytes: ...


def check(fmt: str, allowed: tuple[str, ...] = NAMES) -> str:
    """``--format``'s value, or the project's error naming the accepted ones."""
    if fmt not in allowed:
        raise CxError(key="error.choice", option="--format", value=fmt, accepted=", ".join(allowed))
    return fmt


def for_file(path: Path) -> Format:
    """The format an export file's extension names, or an error listing the extensions."""
    suffix = Path(path).suffix.lower()
    for spec in FORMATS.values():
        if suffix in spec.extensions:
            return spec
    known = ", ".join(e for f in FORMATS.values() for e in f.extensions)
    raise CxError(
        key="error.export_extension", name=path, suffix=suffix or Message("export.no_extension"), accepted=known
    )


def check_request(fmt: str, export: Path | None, *, force: bool = False, template: Path | None = None) -> None:
    """Refuse before any work a format, an export name, a target or a template that cannot be used."""
    from cxculture.fileio import check_target

    if FORMATS[check(fmt)].binary:
        raise CxError(key="error.binary_format", value=fmt, extension=FORMATS[fmt].extensions[0])
    if export is not None:
        for_file(export)
        check_target(export, force=force)
    if template is not None:
        if export is None or for_file(export).name != "pptx":
            raise CxError(key="error.template.export", name=template)
        from cxculture.formats import template as brand

        brand.read(template)


def render(subject: Subject, fmt: str) -> str | bytes:
    """``subject`` in format ``fmt`` (a name of ``FORMATS``)."""
    return _module(fmt).render(subject)


def deliver(subject: Subject, fmt: str, export: Path | None = None, force: bool = False) -> None:
    """Write ``--export`` (format by its extension), then print ``--format`` on standard output."""
    check_request(fmt, export, force=force, template=subject.template)
    if export is not None:
        from cxculture.fileio import write_atomic

        write_atomic(export, render(subject, for_file(export).name), force=force)
        from cxculture.text import clean

        print(clean(f"wrote {export}"), file=sys.stderr)
    module = _module(fmt)
    show = getattr(module, "show", None)
    if show is not None:
        show(subject)
        return
    text = module.render(subject)
    assert isinstance(text, str)
    sys.stdout.write(text)


def _module(fmt: str) -> _Module:
    return importlib.import_module(FORMATS[fmt].module)
