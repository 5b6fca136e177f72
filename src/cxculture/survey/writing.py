"""Turning the rows of a survey export into result files: identities, names and text.

Owns a response's identity (its response id, else its timestamp, else a hash
of its row), the file name made from it (so that importing again replaces the
same files and never doubles them), and the file's text: ``Rows`` reads the
content once and fills each row's scores into a JSON template made from
``results.to_json``'s layout (the same bytes ``results.to_json`` writes, a test
checks it). Speed note (benchmarks/import_tricks.py, 30,000 rows, 3 runs each,
on a 2-core machine under a load of 9 to 12): as shipped 18.1–23.0 s (median
19.0), with ``results.to_json`` instead of the template 40.3–60.8 s (median
40.8): the template halves the time and is kept. ``gc.disable`` (an import
makes millions of short-lived objects and no cycles; the import's
``workshop.without_gc`` and the workers' start-up): collector on 15.6–35.4 s (median
20.2), a gain inside the noise that day; it is kept on an earlier measure on a
quiet machine (about 15 % of the time), to be measured again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import repeat
from json.encoder import encode_basestring as _quoted  # what json.dumps(ensure_ascii=False) does to a str
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from cxculture import __version__, results, scoring
from cxculture.answers import META_FIELDS, question_ids
from cxculture.errors import Message
from cxculture.fileio import create
from cxculture.model import RESULT_SCHEMA_VERSION
from cxculture.survey import row_hashes
from cxculture.survey.cells import BAD, MAX_NAME_CHARS, Cells, Dates, name_problem
from cxculture.survey.exports import DELIMITERS, MAX_CELL_CHARS, Numbered
from cxculture.survey.mapping import GRID

if TYPE_CHECKING:
    from cxculture.loading import Content
    from cxculture.survey.mapping import Mapping

Row = dict[str, Any]  # a row's answers by question id (int | None), its names, moment and identity (str | None)

KEPT_FIELDS = (*META_FIELDS, "created_at")  # per row, after the answers
WAVE_FIELDS = ("lang", "content_id", "tool_version", "wave", "wave_date")  # the same for every row (wave*: if set)


@dataclass
class Chunk:
    """What writing some rows did: files written (or wave-file lines made), and each rejected row's problems."""

    rows: int = 0  # rows read
    written: int = 0
    rejected: int = 0
    problems: list[tuple[int, Message]] = field(default_factory=list)  # (row number, one line), in row order
    lines: list[tuple[int, str, bytes]] = field(default_factory=list)  # (row number, response identity, line)

    def reject(self, number: int, problems: list[Message]) -> None:
        """Count row ``number`` as rejected, with its lines for the report (``Rows.at_row``)."""
        self.rejected += 1
        self.problems += [(number, problem) for problem in problems]


@dataclass
class Wave:
    """What the consultant says about the whole export: --org, --wave, --date, --lang."""

    lang: str
    org: str | None = None
    wave: str | None = None
    date: str | None = None  # YYYY-MM-DD


class Rows:
    """Everything made once per import to turn a row into a result file's name and text."""

    def __init__(
        self,
        content: Content,
        mapping: Mapping,
        cells: Cells,
        dates: Dates,
        wave: Wave,
        where: str,
        delimiter: str | None,
    ) -> None:
        questionnaire = content.questionnaire
        self.where, self.titles, self.delimiter = where, mapping.titles, delimiter
        self.ids = question_ids(questionnaire)
        self.cells, self.dates, self.wave = cells, dates, wave
        quote = questionnaire.quote_question.id
        self.columns = [(t, "quote" if t == quote else "statement" if t in self.ids else t) for t in mapping.targets]
        self.has_time = "timestamp" in mapping.targets
        self.default_time = dates.read(wave.date) if wave.date else results.now()
        self.scored_by = (content.levels, questionnaire, content.pillars)
        same = dict(zip(WAVE_FIELDS, (wave.lang, content.content_id, __version__, wave.wave, wave.date), strict=True))
        same = {k: v for k, v in same.items() if v is not None or k not in results.IMPORT_FIELDS}
        self.template = _template(content, self.ids, list(same))
        self.line_pieces = template_pieces(content, self.ids, list(same), one_line=True)  # for the column engine
        self.line_template = "%s".join(piece.replace("%", "%%") for piece in self.line_pieces)
        self.tail = tuple(json_text(v) for v in same.values())
        self._score: Any = None
        self._scores_written: dict[float | None, str] = {}  # float keys only: 4.0 must not meet int 4
        self._file_prefix = results.slug(wave.wave, "survey") + "-"
        self._plan = _Plan(self.columns)

    def __getstate__(self) -> dict[str, Any]:  # sent to worker processes without the scoring closure
        return {**self.__dict__, "_score": None}

    def write(self, folder: str, numbered: list[Numbered]) -> Chunk:
        """Create the file of each good row in ``folder``; say what is wrong with the others."""
        chunk = Chunk()
        for number, record in self._good(numbered, chunk):
            try:
                create(os.path.join(folder, self.name(record)), self.text(record).encode("utf-8"))
            except FileExistsError:
                chunk.reject(number, [self.at_row(number, self.duplicate(record))])
            else:
                chunk.written += 1
        return chunk

    def at_row(self, number: int, problem: Message) -> Message:
        """A rejected row's line in the report."""
        return Message("error.row", name=self.where, row=number, problem=problem)

    def duplicate(self, record: Row) -> Message:
        """Why a row giving the response of an earlier row is rejected."""
        return Message("error.row.twice", response=record["response"])

    def lines(self, numbered: list[Numbered]) -> Chunk:
        """The wave-file line of each good row, with its identity key; what is wrong with the others.

        Two rows of the same response are told apart by whoever gathers the
        chunks (``survey``), since they may fall in different chunks.
        """
        chunk = Chunk()
        for number, record in self._good(numbered, chunk):
            chunk.lines.append((number, record["response"], self.line(record).encode("utf-8")))
            chunk.written += 1
        return chunk

    def _good(self, numbered: list[Numbered], chunk: Chunk) -> Iterator[tuple[int, Row]]:
        """The rows read without a problem; the others are rejected in ``chunk``."""
        chunk.rows += len(numbered)
        for number, row in numbered:
            record, problems = self.read(row)
            if problems:
                chunk.reject(number, [self.at_row(number, p) for p in problems])
            else:
                yield number, record

    def read(self, row: list[str]) -> tuple[Row, list[Message]]:
        """The row's answers, names, moment and identity, and a line per bad cell."""
        if len(row) != len(self.columns):
            return {}, [self.wrong_width(row)]
        record = self._read_good(row)
        if record is None:  # something is wrong: say what, cell by cell
            record, problems = self._read_each(row)
            if problems:
                return record, problems
        record["response"] = self.identity(record, row)
        record["created_at"] = record.get("created_at") or self.default_time
        record["org"] = record.get("org") or self.wave.org
        return record, []

    def _read_good(self, row: list[str]) -> Row | None:
        """``_read_each``'s record of a row without a problem, read by kind of column; ``None`` at the first doubt."""
        plan = self._plan
        if max(map(len, row), default=0) > MAX_CELL_CHARS:
            return None
        cells = plan.statements(row)
        answers = list(map(self.cells.statement_cache.get, cells, repeat(BAD)))  # the cells read before
        if BAD in answers:  # a cell not read before, or refused
            answers = list(map(self.cells.statement, cells))
            if BAD in answers:
                return None
        record: Row = dict(zip(plan.statement_ids, answers, strict=True))
        for target, index in plan.quotes:
            value = self.cells.quote(row[index])
            if value is BAD:
                return None
            record[target] = value
        for index in plan.timestamps:
            moment = self.dates.read(row[index])
            if moment is None and row[index].strip():
                return None
            record["created_at"] = moment
        for index in plan.response_ids:
            record["response_id"] = row[index].strip() or None
        for target, index in plan.names:
            cell = row[index]
            if not (cell.isprintable() and len(cell) <= MAX_NAME_CHARS) and name_problem(cell):
                return None
            record[target] = cell.strip() or None
        return record

    def _read_each(self, row: list[str]) -> tuple[Row, list[Message]]:
        """The row read cell by cell, in the order of its columns, with a line per bad cell."""
        record: Row = {}
        problems: list[Message] = []
        for index, ((target, kind), cell) in enumerate(zip(self.columns, row, strict=True)):
            if len(cell) > MAX_CELL_CHARS:
                problems.append(
                    Message("error.row.long", column=self._title(index), count=len(cell), limit=MAX_CELL_CHARS)
                )
                continue
            if target is None:
                continue
            value = (
                self.cells.statement(cell)
                if kind == "statement"
                else self.cells.quote(cell)
                if kind == "quote"
                else None
            )
            if kind == "statement" or kind == "quote":
                if value is BAD:
                    problems.append(self.refusal(index, cell, kind == "quote"))
                else:
                    record[target] = value
            elif kind == "timestamp":
                moment = self.dates.read(cell)
                if moment is None and cell.strip():
                    problems.append(Message("error.row.date", column=self._title(index), value=_shown(cell)))
                record["created_at"] = moment
            elif kind == "response_id":
                record["response_id"] = cell.strip() or None
            else:  # a name: org, participant, segment
                problem = name_problem(cell)
                if problem:
                    problems.append(Message("error.row.cell", column=self._title(index), problem=problem))
                record[target] = cell.strip() or None
        return record, problems

    def identity(self, record: Row, row: list[str]) -> str:
        """The response id with its timestamp, else the timestamp, else a hash of the row as written.

        A tool such as Microsoft Forms numbers the responses of each form 1, 2, 3…: the id
        alone would take another survey's response 1 for this one's; with its moment it
        cannot, while a corrected export of the same survey keeps both.
        """
        if record.get("response_id"):
            moment = record.get("created_at")
            return f"id:{record['response_id']}" + (f"@{moment}" if moment else "")
        if record.get("created_at"):
            return f"time:{record['created_at']}"
        return "row:" + row_hashes.of_row(row)

    def wrong_width(self, row: list[str]) -> Message:
        others = [name for sep, name in DELIMITERS.items() if sep != self.delimiter and any(sep in c for c in row)]
        if len(row) < len(self.columns) and others:
            separator = Message(f"separator.{others[0]}")
            return Message("error.row.separator", count=len(row), columns=len(self.columns), separator=separator)
        return Message("error.row.width", count=len(row), columns=len(self.columns))

    def refusal(self, index: int, cell: str, quote: bool) -> Message:
        key = "error.row.quote" if quote else "error.row.answer"
        return Message(key, column=self._title(index), value=_shown(cell))

    def _title(self, index: int) -> str:
        """A column's title as named in a message; of a grid's column, the statement in brackets."""
        title = self.titles[index]
        grid = GRID.match(title)
        if grid:
            title = grid.group(2).strip()
        return repr(title if len(title) <= 60 else title[:59] + "…")

    def key(self, record: Row) -> str:
        """What makes two rows the same response: the wave and the response's identity."""
        return identity_key(self.wave.wave, record["response"])

    def name(self, record: Row) -> str:
        digest = hashlib.sha256(self.key(record).encode("utf-8", "surrogatepass")).hexdigest()[:12]
        return f"{self._file_prefix}{digest}.json"

    def text(self, record: Row) -> str:
        """The row's result file."""
        return self._filled(self.template, record)

    def line(self, record: Row) -> str:
        """The row's line of a wave file: the same fields as its result file, on one line."""
        return self._filled(self.line_template, record)

    def _filled(self, template: str, record: Row) -> str:
        if self._score is None:
            self._score = scoring.scorer(*self.scored_by)
        given = list(map(record.get, self.ids))
        scores = self._score(dict(zip(self.ids, given, strict=True)))
        small, written, score = _JS_SMALL, self._scores_written, self._score_text
        values = [str(scores.level), small[scores.perceived_level]]
        for area in scores.focus_areas:
            values += (written.get(area.score) or score(area.score), "true" if area.met else "false")
        values += [written.get(p.score) or score(p.score) for p in scores.pillars]
        values += map(small.__getitem__, given)
        values += [json_text(record.get(name)) for name in KEPT_FIELDS]
        return template % (*values, *self.tail, json_text(record["response"]))

    def _score_text(self, value: float | None) -> str:
        """A score as JSON text; scores repeat a lot, so each is written once."""
        text = self._scores_written.get(value)
        if text is None:
            text = self._scores_written[value] = json_text(value)
        return text


class _Plan:
    """A row's columns grouped by kind, in column order within each kind (what ``Rows._read_good`` goes through)."""

    def __init__(self, columns: list[tuple[str | None, str | None]]) -> None:
        kinds: dict[str | None, list[tuple[str, int]]] = {}
        for index, (target, kind) in enumerate(columns):
            if target is not None:
                kinds.setdefault(kind, []).append((target, index))
        statements = kinds.pop("statement", [])
        self.statement_ids = [target for target, _ in statements]
        places = [index for _, index in statements]
        self.statements: Any = (
            itemgetter(*places) if len(places) > 1 else (lambda row: [row[places[0]]]) if places else (lambda _: [])
        )
        self.quotes = kinds.pop("quote", [])
        self.timestamps = [index for _, index in kinds.pop("timestamp", [])]
        self.response_ids = [index for _, index in kinds.pop("response_id", [])]
        self.names = [item for items in kinds.values() for item in items]  # org, participant, segment


def _shown(cell: str) -> str:
    value = cell.strip()
    return json.dumps(value if len(value) <= 40 else value[:37] + "...", ensure_ascii=False)


_SLOT = "\x00slot\x00"


def _template(content: Content, ids: list[str], same: list[str], *, one_line: bool = False) -> str:
    """``results.to_json``'s layout (``results.to_line``'s when ``one_line``) with ``%s`` where each row's values go."""
    return "%s".join(piece.replace("%", "%%") for piece in template_pieces(content, ids, same, one_line=one_line))


def template_pieces(content: Content, ids: list[str], same: list[str], *, one_line: bool = False) -> list[str]:
    """The text between the values of a row (``Rows``): level, perceived level, each focus area's score and met,
    each pillar's score, the answers (``ids``), ``KEPT_FIELDS``, the fields ``same`` for every row, the response."""
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
        **dict.fromkeys((*KEPT_FIELDS, *same, "response"), _SLOT),
    }
    if one_line:
        text = json.dumps(sample, ensure_ascii=False, separators=results.LINE_SEPARATORS) + "\n"
    else:
        text = json.dumps(sample, ensure_ascii=False, indent=2) + "\n"
    return text.split(json.dumps(_SLOT))


_JS_SMALL: dict[int | None, str] = {None: "null", **{n: str(n) for n in range(6)}}


def json_text(value: object) -> str:
    """``value`` as ``json.dumps`` writes it (None, str, int or float)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _quoted(value)
    return repr(value)


def identity_key(wave: str | None, response: str) -> str:
    """The key of an imported response in a wave: its wave label and its identity (``Rows.identity``)."""
    return f"{wave or ''}\x1f{response}"


def same_response(old: bytes, new: bytes, *, ignore_time: bool) -> bool:
    """Whether a file already there says what the new one says (then it is kept as it is)."""
    if old == new:
        return True
    try:
        before, after = json.loads(old), json.loads(new)
    except (ValueError, RecursionError):
        return False
    if not isinstance(before, dict):
        return False
    skipped = {"tool_version", "created_at"} if ignore_time else {"tool_version"}
    return {k: v for k, v in before.items() if k not in skipped} == {k: v for k, v in after.items() if k not in skipped}
