"""A consultant's PowerPoint template (``--template BRAND.pptx``), read as hostile input.

A .pptx is a zip archive of XML parts. Before python-pptx sees it, the file is
read once into memory (bounded) and checked: a regular ``.pptx`` file of at
most ``MAX_BYTES``; a zip archive of at most ``MAX_MEMBERS`` parts and
``MAX_UNPACKED`` bytes once unpacked, no part packed more than ``MAX_RATIO``
times (a zip bomb), none encrypted; the parts of a presentation, without
macros; every XML part well-formed with no DTD and no entity declaration
(billion laughs, external entities); no relationship to anything outside the
file (``TargetMode="External"``: an image or object fetched when the deck is
opened) but a hyperlink to a web page or an e-mail address, which opens only
when someone clicks it (a company site in a master's footer). python-pptx
then opens these checked bytes, never the file again.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from xml.parsers import expat

from cxculture.errors import CxError

MAX_BYTES = 50_000_000
MAX_MEMBERS = 2_000
MAX_UNPACKED = 200_000_000
MAX_RATIO = 100  # unpacked size / packed size of one part; XML packs 5 to 30 times
RATIO_FROM = 1_000_000  # smaller parts may pack tighter: the total bound covers them
PRESENTATION = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
REQUIRED = ("[Content_Types].xml", "ppt/presentation.xml")
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
CLICKABLE = ("https://", "http://", "mailto:")  # what a hyperlink may open


class _Refused(Exception):
    """A reason to refuse the template: a ``ui.yaml`` key and its fields."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields


def refuse(path: Path, key: str, **fields: object) -> CxError:
    """The one-line error (``ui.yaml`` ``key``) naming the template, what is wrong and what is accepted."""
    detail = ", ".join(f"{name} {value}" for name, value in fields.items())
    english = f"--template {path}: {key.removeprefix('error.')} {detail}".rstrip()  # without labels to say it
    return CxError(english, key=key, path=str(path), **fields)


def read(path: Path) -> bytes:
    """The template's bytes, once checked; a ``CxError`` (exit 2, one line) says why not."""
    path = Path(path)
    if not path.is_file():
        raise refuse(path, "error.template_missing")
    if path.suffix.lower() != ".pptx":
        raise refuse(path, "error.template_type")
    with path.open("rb") as file:  # read once, bounded: the file may grow after a stat
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise refuse(path, "error.template_size", limit=MAX_BYTES // 1_000_000)
    try:
        check(data)
    except _Refused as why:
        raise refuse(path, why.key, **why.fields) from None
    return data


def check(data: bytes) -> None:
    """Refuse (``_Refused``) an archive that is not a bounded, macro-free, self-contained presentation."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _Refused("error.template_zip") from None
    with archive:
        members = _bounded_members(archive)
        names = {member.filename for member in members}
        for part in REQUIRED:
            if part not in names:
                raise _Refused("error.template_parts", part=part)
        types = _content_types(archive)
        macros = any(name.lower().endswith("vbaproject.bin") for name in names)
        if types.get("/ppt/presentation.xml") != PRESENTATION or macros:
            raise _Refused("error.template_macros", part=types.get("/ppt/presentation.xml", "ppt/presentation.xml"))
        for member in members:
            if _is_xml(member.filename, types):
                _check_xml(member.filename, _read(archive, member))


def _bounded_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _Refused("error.template_members", limit=MAX_MEMBERS)
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise _Refused("error.template_unpacked", limit=MAX_UNPACKED // 1_000_000)
    for member in members:
        if member.flag_bits & 0x1:
            raise _Refused("error.template_encrypted", part=member.filename)
        if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise _Refused("error.template_ratio", part=member.filename, ratio=ratio, limit=MAX_RATIO)
    return members


def _read(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A part's bytes; zipfile stops at the size the archive declares and checks the CRC."""
    try:
        with archive.open(member) as part:
            return part.read(member.file_size + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError):
        raise _Refused("error.template_unreadable", problem=member.filename) from None


def _content_types(archive: zipfile.ZipFile) -> dict[str, str]:
    """``[Content_Types].xml``: part name (``/ppt/x.xml``) or extension (``xml``) → content type."""
    found: dict[str, str] = {}

    def element(name: str, attrs: dict[str, str]) -> None:
        if name.endswith("Default") and "Extension" in attrs:
            found[attrs["Extension"].lower()] = attrs.get("ContentType", "")
        elif name.endswith("Override") and "PartName" in attrs:
            found[attrs["PartName"].lower()] = attrs.get("ContentType", "")

    member = archive.getinfo("[Content_Types].xml")
    _check_xml(member.filename, _read(archive, member), element)
    return found


def _is_xml(name: str, types: dict[str, str]) -> bool:
    """Whether python-pptx could parse the part as XML (by its name, or the content type it is given)."""
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    kind = types.get("/" + name.lower()) or types.get(suffix, "")
    kind = kind.lower().split(";")[0].strip()
    return suffix in ("xml", "rels") or kind.endswith("+xml") or kind in ("application/xml", "text/xml")


def _is_clickable_link(attrs: dict[str, str]) -> bool:
    """A relationship that is a hyperlink to a web page or an e-mail address: opened only on a click."""
    target = attrs.get("Target", "").strip().lower()
    return attrs.get("Type") == HYPERLINK and target.startswith(CLICKABLE)


def _check_xml(name: str, data: bytes, on_element: Callable[[str, dict[str, str]], None] | None = None) -> None:
    """Parse with expat: well-formed, no DTD, no entity, no external relationship."""
    parser = expat.ParserCreate()

    def dtd(*_: object) -> None:
        raise _Refused("error.template_dtd", part=name)

    def element(tag: str, attrs: dict[str, str]) -> None:
        mode = attrs.get("TargetMode")
        if mode is not None and mode != "Internal" and not _is_clickable_link(attrs):
            raise _Refused("error.template_external", part=name, target=attrs.get("Target", mode)[:80])
        if on_element is not None:
            on_element(tag, attrs)

    parser.StartDoctypeDeclHandler = dtd
    parser.EntityDeclHandler = dtd
    parser.UnparsedEntityDeclHandler = dtd
    parser.ExternalEntityRefHandler = dtd  # type: ignore[assignment]  # typeshed: returns an int; it raises
    parser.StartElementHandler = element
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise _Refused("error.template_xml", part=name) from None
