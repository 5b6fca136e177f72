"""The wave files' engine: ``workshop WAVE.jsonl`` of a large wave file, read into columns, the same figures.

``service.workshop`` hands it wave files given alone (no result file or
folder beside them) of ``ENGINE_FROM`` bytes or more. The row path (``wavefile``, ``workshop.read_all``) parses each
line, checks it and keeps a participant per line: about 60 µs a line and a
participant object each. Here the file is read a block of lines at a time,
and one regular expression (``_Template``) recognises, in the whole block,
the lines written the way ``import`` writes them (``writing.template_pieces``
with the current content's focus areas, pillars and question ids; ``wave``,
``wave_date`` and ``response`` present or not, as ``results.to_line`` writes
them too), each value of a narrow shape: an answer 1 to 5 or ``null``, a
score, ``true`` or ``false``, a text of at most ``MAX_TEXT`` characters
without quote, backslash or control character, the texts valid UTF-8. Such a
line is one the row path reads as exactly these values (orjson parses it,
``results.looks_complete`` accepts it, its questions are the content's):
the answers are taken out of the block at once and kept as one byte each,
the texts as numbers. Any other line — blank, hand-edited, of another
content, with escapes, a bad value — is read by the row path's own code for
that line (``wavefile.fields_of``, ``workshop.participant_of``), in its
place: a bad line stops the reading with the row path's very message naming
``FILE:N``, a good one joins the columns. A line longer than the bounds
hands the whole file to the row path (``None``).

From ``HELPED_FROM`` bytes, a second process (``second_reader.forked``)
reads the second half meanwhile, as far as its blocks are all plain; the
main process takes its rows after its own and reads what it left.

Then ``crowd_columns`` scores and counts the rows, as for a survey export;
the notes (another content, left-out participants named ``FILE:N`` in line
order, the first line of each organisation) come out as the row path words
them. A test compares both on generated wave files.

Measured choice (2-core machine, 100,000 lines of 2.2 KB): this regular
expression over a block (Python's ``re``) took 0.7–0.8 s; the same check as
a polars expression 2.4 s, polars' own JSON reader 3.5 s and more; parsing
with orjson alone 0.9 s before any check. polars is imported only to count.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import suppress
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any, BinaryIO

from cxculture import crowd_columns, wavefile, waves
from cxculture.answers import question_ids
from cxculture.errors import CxError
from cxculture.reading import open_regular, reason

if TYPE_CHECKING:
    import polars as pl

    from cxculture.loading import Content
    from cxculture.progress import Advance, Track
    from cxculture.second_reader import Helper
    from cxculture.workshop import Crowd, Participant, Summary

ENGINE_FROM = 20_000_000  # bytes (about 9,000 lines): below, the row path is as quick (polars costs 0.3 s to set up)
BLOCK_BYTES = 1 << 24  # read and matched at a time
HELPED_FROM = 50_000_000  # bytes (about 20,000 lines): a second process reads the second half of larger files
MAX_TEXT = 1_000  # characters of a text the engine reads itself (a longer one: the row path's code)
# _Template's groups, in order: the answers' text, then each text of the line
GROUPS: tuple[str, ...] = ("answers", "org", "participant", "segment", "created_at", "lang", "content_id")
GROUPS += ("tool_version", "wave", "wave_date", "response")
TEXTS = ("org", "segment", "created_at", "content_id", "wave", "wave_date")  # kept, as numbers
_NOTHING = (None, b"", b"null")  # a text not there, or null
_ZERO = ord("0")  # an answer's byte is "0" for none, else "1" to "5"
_ALL_TEXTS = itemgetter(*range(1, len(GROUPS)))  # of a line's groups (a text not there: b"")


class _RowPath(Exception):
    """Something the engine does not read exactly as the row path: the row path reads the whole file."""


class _Stop(Exception):
    """The helper met lines it leaves to the main process."""


def _nothing(_: int) -> None:
    return None


def suits(paths: Sequence[str]) -> bool:
    """Whether files are for the engine: wave files (``.jsonl``, nothing else) of ``ENGINE_FROM`` bytes or more."""
    sizes = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            return False
        if not (wavefile.named(path) and stat.S_ISREG(info.st_mode) and info.st_size <= wavefile.MAX_BYTES):
            return False
        sizes.append(info.st_size)
    return bool(sizes) and sum(sizes) >= ENGINE_FROM


def read_if_suited(
    paths: Sequence[str], content: Content, track: Track, *, everyone: bool = False
) -> tuple[Crowd, tuple[int, list[str]]] | None:
    """``read`` of wave files that ``suits`` the engine, shown by ``track``, a single one with a second process
    (``start_helper``, started before the progress bar's thread); ``None`` when the row path must read them."""
    if not suits(paths):
        return None
    helper = start_helper(paths[0], content) if len(paths) == 1 else None
    try:
        with track("progress.workshop", lambda: sum(map(wavefile.count_lines, paths))) as advance:
            return read(paths, content, advance, helper, everyone=everyone)
    finally:
        if helper is not None:
            helper.stop()


def read(
    paths: Sequence[str], content: Content, advance: Advance, helper: Helper | None = None, *, everyone: bool = False
) -> tuple[Crowd, tuple[int, list[str]]] | None:
    """The wave files' participants, in order, and how many were made with another content and those content ids;
    ``None`` when the row path must read them. ``advance`` is told of the lines read; ``helper``
    (``start_helper``) reads the second half of a single file meanwhile. With ``everyone``, all count, however few
    statements they answered (as ``workshop.synthesis`` counts them for ``compare``)."""
    template = _Template.of(content)
    if template is None:
        if helper is not None:
            helper.stop()
        return None
    columns = _Columns(paths, content, template)
    try:
        columns.read(advance, helper)
    except _RowPath:
        return None
    others = columns.other_content()
    return columns.crowd(everyone), others


def start_helper(path: str, content: Content) -> Helper | None:
    """A second process (``second_reader.forked``) reading the second half of a wave file of ``HELPED_FROM`` bytes
    or more: started before any thread (a progress bar's), handed to ``read``. ``None`` when it cannot."""
    from cxculture import second_reader

    template = _Template.of(content)
    middle = _middle(path) if template is not None else None
    if template is None or middle is None:
        return None

    def work() -> tuple[Any, ...]:
        return _Columns([path], content, template).help(middle)

    return second_reader.forked(work, middle)


def _middle(path: str) -> int | None:
    """Where the line after the middle of a file of ``HELPED_FROM`` bytes or more starts; ``None`` otherwise."""
    try:
        handle = open_regular(path, what="wave", limit=wavefile.MAX_BYTES)
    except CxError:
        return None  # the reading says why
    with os.fdopen(handle, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size < HELPED_FROM:
            return None
        file.seek(size // 2)
        newline = file.read(wavefile.MAX_LINE_BYTES + 2).find(b"\n")
    return None if newline < 0 else size // 2 + newline + 1


class _Template:
    """The regular expression of a line as ``import`` writes it, and where its answers are."""

    def __init__(self, content: Content, pattern: bytes, offsets: list[int], width: int) -> None:
        self.ids = question_ids(content.questionnaire)
        self.block = re.compile(b"^" + pattern + b"\r?$", re.MULTILINE)  # a line may end with \r\n (Windows)
        self.line = re.compile(pattern)
        self.offsets, self.width = offsets, width  # each answer's place in the answers' text once null is 0

    @classmethod
    def of(cls, content: Content) -> _Template | None:
        """The content's template; ``None`` when a question id would be mistaken for a value (``null``)."""
        from cxculture.survey.writing import template_pieces

        ids = question_ids(content.questionnaire)
        same = ["lang", "content_id", "tool_version"]
        pieces = [re.escape(p.encode("utf-8")) for p in template_pieces(content, ids, same, one_line=True)]
        text = rb'"[^"\\\x00-\x1f]{0,%d}"' % MAX_TEXT
        maybe = b"(?:" + text + b"|null)"
        answer, score = rb"(?:[1-5]|null)", rb"(?:null|[0-9]\.[0-9]{1,20})"
        head = [rb"[0-9]", answer, *[score, rb"(?:true|false)"] * len(content.levels.focus_areas())]
        head += [score] * len(content.pillars.pillars)
        start = len(head) + 1  # the piece after the first answer
        inside = [p.encode("utf-8") for p in template_pieces(content, ids, same, one_line=True)]
        inside = inside[start : start + len(ids) - 1]  # between the answers
        if any(b"null" in piece for piece in inside):
            return None
        pattern = pieces[0] + b"".join(slot + piece for slot, piece in zip(head, pieces[1:start], strict=True))
        pattern += b"(" + answer + b"".join(piece + answer for piece in pieces[start : start + len(ids) - 1]) + b")"
        # org, participant, segment, created_at (writing.KEPT_FIELDS), then lang, content_id, tool_version
        tail = [b"(" + slot + b")" for slot in (maybe, maybe, maybe, text, text, text, text)]
        after = pieces[start + len(ids) - 1 : -2]  # from the piece after the answers to the tool version's key
        pattern += b"".join(piece + slot for piece, slot in zip(after, tail, strict=True))
        for key in (b"wave", b"wave_date", b"response"):  # written when set
            pattern += b'(?:,"' + key + b'":(' + maybe + b"))?"
        pattern += rb"\}"
        offsets, place = [], 0
        for index in range(len(ids)):
            offsets.append(place)
            place += 1 + (len(inside[index]) if index < len(inside) else 0)
        return cls(content, pattern, offsets, place)


class _Columns:
    """Wave files read into columns: each row's place (file, line), answers (a byte each) and texts (numbers)."""

    def __init__(self, paths: Sequence[str], content: Content, template: _Template) -> None:
        from cxculture.workshop import participant_of

        self.paths, self.content, self.template = list(paths), content, template
        self.path, self.base = self.paths[0], 0  # the file being read, and its place: its index × 2³²
        self.person: Callable[[dict[str, Any], str], Participant] = participant_of(content)
        self.numbers = array("Q")  # each row's place: base + its line number
        self.answers = [bytearray() for _ in template.ids]  # b"0" for none, b"1" to b"5"
        self.codes = {name: array("I") for name in TEXTS}  # 0 for none, else the text's place in values + 1
        self.values: dict[str, dict[str, int]] = {name: {} for name in TEXTS}
        self.tokens: dict[str, dict[bytes, int]] = {name: {} for name in TEXTS}  # a text as written → its code
        self.number = self.total = 0  # lines and bytes read, as wavefile.lines counts them
        self.reached = 0  # the offset in the file up to which every line is read

    def read(self, advance: Advance, helper: Helper | None = None) -> None:
        """Every line of every file in order; with a ``helper`` (one file) reading from ``helper.first`` on, the lines
        before it, then the helper's, then those it left."""
        for index, path in enumerate(self.paths):
            self.path, self.base, self.number, self.total = path, index << 32, 0, 0
            self._file(advance, helper if len(self.paths) == 1 else None)

    def _file(self, advance: Advance, helper: Helper | None) -> None:
        handle = open_regular(self.path, what="wave", limit=wavefile.MAX_BYTES, where=self.path)
        with os.fdopen(handle, "rb", buffering=0) as file:
            if helper is None:
                self._range(file, 0, None, advance)
                return
            try:
                self._range(file, 0, helper.first, advance)
                handed = helper.value()
            finally:
                helper.stop()
            self._range(file, self._take(handed, helper.first, advance), None, advance)

    def help(self, start: int) -> tuple[Any, ...]:
        """In the helper: the plain lines from ``start`` up to the first block that is not all plain (``_handed``)."""
        handle = open_regular(self.path, what="wave", limit=wavefile.MAX_BYTES, where=self.path)
        with os.fdopen(handle, "rb", buffering=0) as file, suppress(_Stop):
            self._range(file, start, None, _nothing, helping=True)
        return self._handed()

    def _range(self, file: BinaryIO, start: int, end: int | None, advance: Advance, helping: bool = False) -> None:
        """The lines from ``start`` (a line's start) to ``end`` (a line's start) or the end of the file."""
        file.seek(start)
        self.reached, position, rest = start, start, b""  # rest: the start of a line that goes on in the next block
        while end is None or position < end:
            try:
                block = file.read(BLOCK_BYTES if end is None else min(BLOCK_BYTES, end - position))
            except OSError as error:
                raise CxError(key="error.read.cannot", name=self.path, reason=reason(error)) from None
            if not block:
                break
            before, first = self.number, 0
            if rest:
                first = block.find(b"\n") + 1
                if first:
                    self._block(rest + block[:first], 0, len(rest) + first, helping)
                    self.reached = position + first
            last = block.rfind(b"\n") + 1
            if last > first:
                self._block(block, first, last, helping)
                self.reached = position + last
            position += len(block)
            rest = rest + block if not last else block[last:]
            if len(rest) > wavefile.MAX_LINE_BYTES + 2:
                raise _RowPath  # a line too long: the row path says so where it says so
            advance(self.number - before)
        if rest and not helping:
            self._line(rest, len(rest))

    def _handed(self) -> tuple[Any, ...]:
        """What the helper hands back (``marshal`` data): lines and bytes read, where it stopped, answers, texts."""
        texts = {name: (list(self.values[name]), self.codes[name].tobytes()) for name in TEXTS}
        return self.number, self.total, self.reached, [bytes(column) for column in self.answers], texts

    def _take(self, handed: Any, start: int, advance: Advance) -> int:
        """The helper's lines after this process's, renumbered; where to go on reading (``start`` if it failed)."""
        if not isinstance(handed, tuple) or not handed[0]:
            return start
        count, size, reached, answers, texts = handed
        if self.number + count > wavefile.MAX_LINES or self.total + size > wavefile.MAX_BYTES:
            return start  # read here: the bounds are checked line by line
        self.numbers.extend(range(self.base + self.number + 1, self.base + self.number + count + 1))
        self.number += count
        self.total += size
        for column, theirs in zip(self.answers, answers, strict=True):
            column += theirs
        for name in TEXTS:
            values, codes = texts[name]
            mine = [0, *(self._code(name, value) for value in values)]
            theirs = array("I")
            theirs.frombytes(codes)
            self.codes[name].extend(theirs if mine == list(range(len(mine))) else map(mine.__getitem__, theirs))
        advance(count)
        return int(reached)

    def _block(self, block: bytes, start: int, end: int, helping: bool = False) -> None:
        """The lines of ``block[start:end]`` (each ending with a newline): matched all at once when each is a line
        the engine reads itself; else one by one (``_line``), or not at all by the helper (``_Stop``)."""
        count = block.count(b"\n", start, end)
        plain = (
            self.number + count <= wavefile.MAX_LINES
            and self.total + end - start <= wavefile.MAX_BYTES
            and (self.number or not block.startswith(wavefile.BOM))
        )
        found = self.template.block.findall(block, start, end) if plain else []
        if len(found) != count or not (block.isascii() or _utf8(_texts(found))):
            if helping:
                raise _Stop
            for line in block[start:end].split(b"\n")[:-1]:
                self._line(line, len(line) + 1)
            return
        self.numbers.extend(range(self.base + self.number + 1, self.base + self.number + count + 1))
        self.number += count
        self.total += end - start
        answers = b"".join(map(itemgetter(0), found)).replace(b"null", b"0")
        width = self.template.width
        for column, offset in zip(self.answers, self.template.offsets, strict=True):
            column += answers[offset::width]
        for name in TEXTS:
            tokens = self.tokens[name]
            written = list(map(itemgetter(GROUPS.index(name)), found))
            for token in set(written).difference(tokens):
                self._token(name, token)
            self.codes[name].extend(map(tokens.__getitem__, written))

    def _line(self, line: bytes, size: int) -> None:
        """One line, checked as ``wavefile.lines`` checks it, read by the engine or else by the row path's code."""
        self.number += 1
        self.total += size
        if len(line.rstrip(b"\r\n")) > wavefile.MAX_LINE_BYTES:
            raise _RowPath  # the row path says so where it says so
        body = wavefile.body_of(self.path, self.number, self.total, line)
        if not body.strip():
            return
        found = self.template.line.fullmatch(body)
        if found is not None and _utf8(body):
            self._matched(found.groups())
        else:
            self._participant(body)

    def _matched(self, groups: tuple[Any, ...]) -> None:
        self.numbers.append(self.base + self.number)
        answers = groups[0].replace(b"null", b"0")
        for column, offset in zip(self.answers, self.template.offsets, strict=True):
            column.append(answers[offset])
        for name in TEXTS:
            token = groups[GROUPS.index(name)] or b""
            tokens = self.tokens[name]
            self.codes[name].append(tokens[token] if token in tokens else self._token(name, token))

    def _participant(self, body: bytes) -> None:
        """A line the engine does not read itself, read by the row path's code (which refuses a bad one)."""
        at = wavefile.where(self.path, self.number)
        person = self.person(wavefile.fields_of(body, at), at)
        self.numbers.append(self.base + self.number)
        for column, qid in zip(self.answers, self.template.ids, strict=True):
            column.append(_ZERO + (person.answers.get(qid) or 0))
        for name in TEXTS:
            self.codes[name].append(self._code(name, getattr(person, name)))

    def _token(self, name: str, token: bytes) -> int:
        """The code of a text as written (``"…"`` without escapes, ``null``, nothing), remembered."""
        value = None if token in _NOTHING else token[1:-1].decode("utf-8")
        code = self.tokens[name][token] = self._code(name, value)
        return code

    def _code(self, name: str, value: str | None) -> int:
        if value is None:
            return 0
        values = self.values[name]
        return values.setdefault(value, len(values) + 1)

    # --- counting -------------------------------------------------------------------

    def texts(self, name: str) -> list[str]:
        return list(self.values[name])

    def crowd(self, everyone: bool = False) -> Crowd:
        """The rows scored (``crowd_columns``); the columns read are let go meanwhile (memory)."""
        import polars as pl

        frame = self._frame()
        keep = pl.col("number", "org", "segment", "created_at", "wave", "wave_date")
        scored = frame.lazy().select(keep, *crowd_columns.scores(self.content, frame.columns)).collect()
        del frame
        if everyone:
            scored = scored.with_columns(kept=pl.lit(True))
        return crowd_columns.crowd(scored, self.texts("org"), self._where, self._summary)

    def _frame(self) -> pl.DataFrame:
        """The rows: number, answers (``a:<question id>``, Int8, null for none) and texts (numbers from 0, or null).
        The columns read are let go."""
        import polars as pl

        count = len(self.numbers)
        answers = [f"a:{qid}" for qid in self.template.ids]
        series = [_numbers(self.numbers, count).alias("number")]
        series += [_bytes(column, count).alias(name) for name, column in zip(answers, self.answers, strict=True)]
        series += [_numbers(self.codes[name], count).alias(name) for name in TEXTS]
        self.numbers, self.answers, self.codes = array("Q"), [], {}
        return pl.DataFrame(series).with_columns(
            *(pl.when(pl.col(a) > _ZERO).then(pl.col(a).cast(pl.Int8) - _ZERO).alias(a) for a in answers),
            *(pl.when(pl.col(name) > 0).then(pl.col(name) - 1).alias(name) for name in TEXTS),
        )

    def _where(self, number: int) -> str:
        return wavefile.where(self.paths[number >> 32], number & 0xFFFF_FFFF)

    def _summary(self, kept: pl.DataFrame, by_segment: bool) -> Summary:
        """``crowd_columns.summary``, with the latest answer and the wave of the kept rows (``workshop.summary``)."""
        moments = kept.select("wave", "wave_date", "created_at").unique().iter_rows()
        label, day, created = self.texts("wave"), self.texts("wave_date"), self.texts("created_at")

        def text(texts: list[str], code: int | None) -> str | None:
            return None if code is None else texts[code]

        triples = [(text(label, w), text(day, d), text(created, c)) for w, d, c in moments]
        wave = waves.of_group(waves.of_result(*triple) for triple in triples)
        latest = max((c for _, _, c in triples if c is not None), default=None)
        texts = (self.texts("org"), self.texts("segment"))
        return crowd_columns.summary(kept, self.content, by_segment, texts, (latest, wave))

    def other_content(self) -> tuple[int, list[str]]:
        """How many rows were made with another content than the current one, and those content ids (sorted)."""
        ids = self.texts("content_id")
        counts = Counter(self.codes["content_id"])
        others = {ids[code - 1]: n for code, n in counts.items() if code and ids[code - 1] != self.content.content_id}
        return sum(others.values()), sorted(others)


def _texts(found: list[tuple[bytes, ...]]) -> bytes:
    """Every text of the lines matched, one a line: the only place where a byte past ASCII can be."""
    return b"\n".join(chain.from_iterable(map(_ALL_TEXTS, found)))


def _utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 text (orjson refuses a line that is not; the pattern looks at bytes)."""
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _bytes(column: bytearray, count: int) -> pl.Series:
    """A byte per row as a UInt8 column, without a Python object per row."""
    import polars as pl

    if not count:
        return pl.Series([], dtype=pl.UInt8)
    return pl.Series([bytes(column)]).bin.reinterpret(dtype=pl.Array(pl.UInt8, count)).explode()


def _numbers(column: array[int], count: int) -> pl.Series:
    """An ``array("I")`` or ``array("Q")`` as a UInt32 or UInt64 column, without a Python object per row."""
    import polars as pl

    kind = pl.UInt32 if column.typecode == "I" else pl.UInt64
    if not count or column.itemsize != {pl.UInt32: 4, pl.UInt64: 8}[kind]:
        return pl.Series(column, dtype=kind)
    raw = pl.Series([column.tobytes()]).bin
    shape = pl.Array(kind, count)
    found = raw.reinterpret(dtype=shape, endianness="little" if sys.byteorder == "little" else "big")
    return found.explode()
