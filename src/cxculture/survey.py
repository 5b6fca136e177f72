"""Importing a survey export (CSV): one result file per row.

Owns reading the CSV (UTF-8 with or without BOM, ``,`` or ``;`` sniffed from
the header line), mapping its column titles to question ids (by default the
titles are the ids; ``--map`` gives ``{columns: {title: question_id | org |
participant | segment}}``), reading each cell (1..5, a scale label in French or
English, "don't know" or empty), and turning rows into result files fast:
``Rows`` reads the content once and fills each row's scores into a JSON
template made from ``results.to_json``'s layout; the files are written into a
staged folder that becomes ``--out`` at the end (``fileio.staged_folder``), so
an import is all or nothing; a large survey is written by worker processes,
one chunk of rows at a time. A bad row is reported and skipped; the others are
imported.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from itertools import islice
from json.encoder import encode_basestring as _quoted  # what json.dumps(ensure_ascii=False) does to a str
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from cxculture import __version__, results, scoring
from cxculture.answers import META_FIELDS, question_ids
from cxculture.errors import CxError
from cxculture.fileio import create, read_text, staged_folder
from cxculture.lang import Lang
from cxculture.model import RESULT_SCHEMA_VERSION

if TYPE_CHECKING:
    import _csv

    from cxculture.loading import Content
    from cxculture.model import Scale

Numbered = list[tuple[int, list[str]]]  # rows of the CSV with their row numbers
Row = dict[str | None, Any]  # a row's answers by question id (int | None), and its names (str | None)
_Item = TypeVar("_Item")

MAX_CSV_BYTES = 500_000_000
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘`´ʼ", " "))


PARALLEL_FROM = 20_000  # rows: below this, starting worker processes costs more than it saves
CHUNK = 2_000  # rows written at a time


@dataclass
class Chunk:
    """What writing some rows did: files written, and one line per problem of a rejected row."""

    written: int = 0
    rejected: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What an import did: files written, and one line per problem of a rejected row."""

    imported: int = 0
    rejected: int = 0
    problems: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)

    def add(self, chunk: Chunk) -> None:
        self.imported += chunk.written
        self.problems += chunk.problems
        self.rejected += chunk.rejected


def normal(text: str) -> str:
    """A label or title as compared: no accents, case, apostrophes or extra spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


# --- the header -----------------------------------------------------------------


def read_map(path: Path | None, known: set[str]) -> dict[str, str]:
    """``MAP.yaml`` as ``{normalised title: target}`` (empty without a map)."""
    if path is None:
        return {}
    from cxculture.answers import parse_file

    data = parse_file(Path(path))
    columns = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(columns, dict):
        raise CxError(f"{path}: expected 'columns:' mapping survey column titles to question ids")
    mapping = {}
    for title, target in columns.items():
        if not isinstance(target, str) or target not in known:
            raise CxError(
                f"{path}: columns.{title}: {target!r} is not a question id, org, participant or segment; "
                "see 'cxculture questions' for the ids"
            )
        mapping[normal(str(title))] = target
    return mapping


def columns(header: list[str], mapping: dict[str, str], known: set[str], where: str) -> list[str | None]:
    """The target of each column (``None``: a column without a title, ignored)."""
    by_normal = {normal(k): k for k in known}
    targets: list[str | None] = []
    unknown = []
    for title in header:
        key = normal(title)
        target = mapping.get(key) or by_normal.get(key)
        if not key:
            target = None
        elif target is None:
            unknown.append(title.strip())
        targets.append(target)
    if unknown:
        raise CxError(
            f"{where}: unknown column {', '.join(repr(u) for u in unknown[:8])}{' …' if len(unknown) > 8 else ''}; "
            "name columns by question id (see 'cxculture questions') or map them with --map MAP.yaml"
        )
    seen = [t for t in targets if t is not None]
    twice = sorted({t for t in seen if seen.count(t) > 1})
    if twice:
        raise CxError(f"{where}: several columns give {', '.join(twice)}; keep one column each")
    return targets


def delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


# --- cells ---------------------------------------------------------------------


def label_key(text: str) -> str:
    """A scale label as compared: letters and digits only ("Don't know" = "dont know")."""
    return "".join(c for c in normal(text) if c.isalnum())


def answer_values(scale: Scale) -> dict[str, int | None]:
    """Every accepted cell of a statement column, as ``label_key`` gives it, with its value."""
    accepted: dict[str, int | None] = {
        "": None,
        label_key(scale.dont_know.fr): None,
        label_key(scale.dont_know.en): None,
    }
    for point in scale.points:
        accepted[str(point.value)] = point.value
        accepted[label_key(point.label.fr)] = point.value
        accepted[label_key(point.label.en)] = point.value
        accepted.update(dict.fromkeys(map(label_key, point.aliases), point.value))
    return accepted


QUOTE_VALUES: dict[str, int | None] = {"": None, **{str(n): n for n in range(1, 6)}}


class _Refused(Enum):
    """What a cell that is not accepted reads as (a value no answer can have)."""

    BAD = "bad"


_BAD: Final = _Refused.BAD


def _read_cell(cell: str, choices: dict[str, int | None], quote: bool) -> int | _Refused | None:
    """A cell's value (``_BAD`` if not accepted); labels are remembered in ``choices``."""
    value = cell.strip()
    if value in choices:
        return choices[value]
    if quote:
        return _BAD
    found = choices.get(label_key(value), _BAD)
    if found is not _BAD:
        choices[cell] = found  # the same cell text is read many times in a survey
    return found


# --- writing rows ---------------------------------------------------------------


class Rows:
    """Everything made once per import to turn a CSV row into a result file's name and text."""

    def __init__(self, content: Content, header: list[str], targets: list[str | None], lang: Lang, where: str) -> None:
        questionnaire = content.questionnaire
        self.where, self.header = where, header
        self.ids = question_ids(questionnaire)
        accepted, quote = answer_values(questionnaire.scale), questionnaire.quote_question.id
        # per column: its target and the cells it accepts (None: a name, kept as written)
        self.columns = [
            (target, None if target in META_FIELDS else QUOTE_VALUES if target == quote else accepted)
            for target in targets
        ]
        self.scored_by = (content.levels, questionnaire, content.pillars)
        self.created_at = results.now()
        self.template = _template(content, self.ids)
        self.tail = (_js(self.created_at), _js(lang), _js(content.content_id), _js(__version__))
        self._score: Callable[[scoring.Answers], scoring.Scores] | None = None
        self._scores_written: dict[float | None, str] = {}  # float keys only: 4.0 must not meet int 4

    def __getstate__(self) -> dict[str, Any]:  # sent to worker processes without the scoring closure
        return {**self.__dict__, "_score": None}

    def write(self, folder: str, numbered: Numbered) -> Chunk:
        """Create the file of each good row in ``folder``; say what is wrong with the others."""
        chunk = Chunk()
        for number, row in numbered:
            record, problems = self.read(row)
            if problems:
                chunk.rejected += 1
                chunk.problems += [f"{self.where}: row {number}, {p}" for p in problems]
            else:
                create(os.path.join(folder, self.name(record, number)), self.text(record).encode("utf-8"))
                chunk.written += 1
        return chunk

    def read(self, row: list[str]) -> tuple[Row, list[str]]:
        """The row's answers and names, and a line per bad cell."""
        if len(row) > len(self.columns):
            return {}, [f"{len(row)} cells but the header has {len(self.columns)} columns"]
        record: Row = {}
        problems = []
        for index, ((target, choices), cell) in enumerate(zip(self.columns, row, strict=False)):
            if choices is None:
                if target is not None:
                    record[target] = cell.strip() or None
                continue
            value = choices.get(cell, _BAD)
            if value is _BAD:
                value = _read_cell(cell, choices, choices is QUOTE_VALUES)
            if value is _BAD:
                problems.append(self.refusal(index, cell, choices is QUOTE_VALUES))
            else:
                record[target] = value
        return record, problems

    def refusal(self, index: int, cell: str, quote: bool) -> str:
        value = cell.strip()
        shown = json.dumps(value if len(value) <= 40 else value[:37] + "...", ensure_ascii=False)
        expected = "1 to 5 or empty" if quote else "1 to 5, a label of the scale, or empty"
        return f"column {self.header[index].strip()!r}: {shown} is not accepted; use {expected}"

    def name(self, record: Row, number: int) -> str:
        org, participant = record.get("org"), record.get("participant")
        who = f"{results.slug(org, 'org')}-{results.slug(participant, 'participant')}"
        return f"{who}-{self.created_at[:10]}-r{number}.json"

    def text(self, record: Row) -> str:
        if self._score is None:
            self._score = scoring.scorer(*self.scored_by)
        answers = {qid: record.get(qid) for qid in self.ids}
        scores = self._score(answers)
        small, score = _JS_SMALL, self._score_text
        values = [str(scores.level), small[scores.perceived_level]]
        for area in scores.focus_areas:
            values += (score(area.score), "true" if area.met else "false")
        values += [score(p.score) for p in scores.pillars]
        values += [small[answers[qid]] for qid in self.ids]
        values += [_js(record.get(name)) for name in META_FIELDS]
        return self.template % (*values, *self.tail)

    def _score_text(self, value: float | None) -> str:
        """A score as JSON text; scores repeat a lot, so each is written once."""
        text = self._scores_written.get(value)
        if text is None:
            text = self._scores_written[value] = _js(value)
        return text


_SLOT = "\x00slot\x00"


def _template(content: Content, ids: list[str]) -> str:
    """``results.to_json``'s layout with ``%s`` where each row's values go."""
    areas = [
        {"id": a.id, "unlocks_level": unlocks, "score": _SLOT, "met": _SLOT}
        for unlocks, a in content.levels.focus_areas()
    ]
    sample = {
        "schema_version": RESULT_SCHEMA_VERSION,
        "level": _SLOT,
        "perceived_level": _SLOT,
        "focus_areas": areas,
        "pillars": [{"id": p.id, "score": _SLOT} for p in content.pillars.pillars],
        "answers": dict.fromkeys(ids, _SLOT),
        **dict.fromkeys(META_FIELDS, _SLOT),
        **dict.fromkeys(("created_at", "lang", "content_id", "tool_version"), _SLOT),
    }
    text = json.dumps(sample, ensure_ascii=False, indent=2) + "\n"
    return text.replace("%", "%%").replace(json.dumps(_SLOT), "%s")


_JS_SMALL: dict[int | None, str] = {None: "null", **{n: str(n) for n in range(6)}}


def _js(value: object) -> str:
    """``value`` as ``json.dumps`` writes it (None, str, int or float)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _quoted(value)
    return repr(value)


# --- the import --------------------------------------------------------------------


def import_csv(path: Path, out: Path, content: Content, lang: Lang, map_file: Path | None = None) -> Report:
    """Write one result file per good row of the CSV into ``out``; report the bad rows."""
    with _without_gc():
        header, chunks, lines = read_rows(Path(path))
        ids = question_ids(content.questionnaire)
        known = set(ids) | set(META_FIELDS)
        targets = columns(header, read_map(map_file, known), known, str(path))
        rows = Rows(content, header, targets, lang, str(path))
        report = Report(unanswered=[qid for qid in ids if qid not in targets])
        with staged_folder(out) as stage:
            for chunk in written(partial(rows.write, str(stage)), chunks, parallel=lines >= PARALLEL_FROM):
                report.add(chunk)
    return report


def read_rows(path: Path) -> tuple[list[str], Iterator[Numbered], int]:
    """The header; the non-blank rows, with their row numbers, in chunks read as they are
    used; and the number of lines (about the number of rows)."""
    text = read_text(path, what="CSV file", limit=MAX_CSV_BYTES)
    if not text.strip():
        raise CxError(f"{path}: the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text), strict=True)
    header = next(_readable(reader, path, reader))
    return header, _readable(_chunks(reader), path, reader), text.count("\n")


def _chunks(reader: Iterable[list[str]]) -> Iterator[Numbered]:
    numbered = ((number, row) for number, row in enumerate(reader, start=2) if "".join(row).strip())
    while chunk := list(islice(numbered, CHUNK)):
        yield chunk


def _readable(items: Iterator[_Item], path: Path, reader: _csv.Reader) -> Iterator[_Item]:
    """``items``, or the project's error naming the row the CSV cannot be read at."""
    try:
        yield from items
    except csv.Error as error:
        raise CxError(f"{path}: row {reader.line_num}: not readable as CSV ({error})") from None


def written(write: Callable[[Numbered], Chunk], chunks: Iterator[Numbered], parallel: bool) -> Iterator[Chunk]:
    """``write`` applied to each chunk of rows, in order; by worker processes when ``parallel``."""
    workers = (os.cpu_count() or 1) if parallel else 1
    if workers < 2:
        yield from map(write, chunks)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, initializer=_start_worker)
    try:
        yield from pool.map(write, chunks)  # the workers start on the first chunks while the rest is read
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker() -> None:
    """Ctrl-C is for the importing process, which stops the workers; no garbage collection."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()


@contextmanager
def _without_gc() -> Iterator[None]:
    """An import makes millions of short-lived objects and no cycles: collecting only costs time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
