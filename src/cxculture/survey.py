"""Importing a survey export (CSV): one result file per row.

Owns reading the CSV (UTF-8 with or without BOM, ``,`` or ``;`` sniffed from
the header line), mapping its column titles to question ids (by default the
titles are the ids; ``--map`` gives ``{columns: {title: question_id | org |
participant | segment}}``), reading each cell (1..5, a scale label in French or
English, "don't know" or empty), and writing the result files quickly: the
content is read once, rows are scored by ``scoring.scorer`` and the JSON text
is filled into a template made once from ``results.to_json``'s layout, so no
per-row validation or dataclass conversion is needed. A bad row is reported
and skipped; the others are imported.
"""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cxculture import __version__, results, scoring
from cxculture.answers import META_FIELDS, question_ids
from cxculture.errors import CxError
from cxculture.fileio import ensure_folder, read_text, write_new
from cxculture.model import RESULT_SCHEMA_VERSION

MAX_CSV_BYTES = 500_000_000
_APOSTROPHES = str.maketrans({c: " " for c in "'’‘`´ʼ"})


@dataclass
class Report:
    """What an import did: files written and one line per problem of a rejected row."""

    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rejected: int = 0
    unanswered: list[str] = field(default_factory=list)


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


def answer_values(scale) -> dict[str, int | None]:
    """Every accepted cell of a statement column, as ``label_key`` gives it, with its value."""
    accepted: dict[str, int | None] = {"": None, label_key(scale.dont_know.fr): None, label_key(scale.dont_know.en): None}
    for point in scale.points:
        accepted[str(point.value)] = point.value
        accepted[label_key(point.label.fr)] = point.value
        accepted[label_key(point.label.en)] = point.value
    return accepted


QUOTE_VALUES: dict[str, int | None] = {"": None, **{str(n): n for n in range(1, 6)}}
_BAD = object()


def _read_cell(cell: str, choices: dict, quote: bool) -> object:
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


# --- writing -------------------------------------------------------------------


class Writer:
    """Result files for many rows: the content is read once, each row is a fill-in."""

    def __init__(self, content, lang: str, created_at: str) -> None:
        self.ids = question_ids(content.questionnaire)
        self.score = scoring.scorer(content.levels, content.questionnaire, content.pillars)
        self.created_at = created_at
        self.template = _template(content, self.ids)
        self.tail = (_js(created_at), _js(lang), _js(content.content_id), _js(__version__))

    def text(self, answers: dict, org: str | None, participant: str | None, segment: str | None) -> str:
        scores = self.score(answers)
        values = [str(scores.level), _js(scores.perceived_level)]
        for area in scores.focus_areas:
            values += (_js(area.score), "true" if area.met else "false")
        values += [_js(p.score) for p in scores.pillars]
        small = _JS_SMALL
        values += [small[answers[qid]] for qid in self.ids]
        values += (_js(org), _js(participant), _js(segment), *self.tail)
        return self.template % tuple(values)


_SLOT = "\x00slot\x00"


def _template(content, ids: list[str]) -> str:
    """``results.to_json``'s layout with ``%s`` where each row's values go."""
    areas = [{"id": a.id, "unlocks_level": unlocks, "score": _SLOT, "met": _SLOT}
             for unlocks, a in content.levels.focus_areas()]
    sample = {
        "schema_version": RESULT_SCHEMA_VERSION,
        "level": _SLOT,
        "perceived_level": _SLOT,
        "focus_areas": areas,
        "pillars": [{"id": p.id, "score": _SLOT} for p in content.pillars.pillars],
        "answers": {qid: _SLOT for qid in ids},
        **{name: _SLOT for name in META_FIELDS},
        **{name: _SLOT for name in ("created_at", "lang", "content_id", "tool_version")},
    }
    text = json.dumps(sample, ensure_ascii=False, indent=2) + "\n"
    return text.replace("%", "%%").replace(json.dumps(_SLOT), "%s")


_JS_SMALL = {None: "null", **{n: str(n) for n in range(0, 6)}}


def _js(value: object) -> str:
    if type(value) is int and value in _JS_SMALL:
        return _JS_SMALL[value]
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _write(folder: Path, stem: str, text: str) -> Path:
    """Write a new file (never over an existing one; then the next free name)."""
    path = folder / f"{stem}.json"
    try:
        handle = os.open(path, _NEW_FILE, 0o666)
    except FileExistsError:
        return write_new(folder, stem, ".json", text)
    try:
        os.write(handle, text.encode("utf-8"))
    finally:
        os.close(handle)
    return path


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


# --- the import --------------------------------------------------------------------


def import_csv(path: Path, out: Path, content, lang: str, map_file: Path | None = None) -> Report:
    """Write one result file per good row of the CSV into ``out``; report the bad rows."""
    where = str(path)
    text = read_text(Path(path), what="CSV file", limit=MAX_CSV_BYTES)
    if not text.strip():
        raise CxError(f"{where}: the file is empty")
    ids = question_ids(content.questionnaire)
    known = set(ids) | set(META_FIELDS)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    header = next(rows)
    targets = columns(header, read_map(map_file, known), known, where)
    folder = ensure_folder(out)
    report = Report(unanswered=[qid for qid in ids if qid not in targets])
    writer = Writer(content, lang, results.now())
    accepted = answer_values(content.questionnaire.scale)
    quote = content.questionnaire.quote_question.id
    date = writer.created_at[:10]
    try:
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            record, problems = _row(row, targets, header, accepted, quote)
            if problems:
                report.rejected += 1
                report.problems += [f"{where}: row {number}, {p}" for p in problems]
                continue
            answers = {qid: record.get(qid) for qid in ids}
            meta = [record.get(name) for name in META_FIELDS]
            org, participant, segment = meta
            stem = f"{results.slug(org, 'org')}-{results.slug(participant, 'participant')}-{date}-r{number}"
            report.written.append(_write(folder, stem, writer.text(answers, org, participant, segment)))
    except csv.Error as error:
        raise CxError(f"{where}: row {rows.line_num}: not readable as CSV ({error})") from None
    return report


def _row(row: list[str], targets: list, header: list[str], accepted: dict, quote: str) -> tuple[dict, list[str]]:
    """The row's answers and names, and a line per bad cell."""
    if len(row) > len(targets):
        return {}, [f"{len(row)} cells but the header has {len(targets)} columns"]
    record: dict = {}
    problems = []
    for index, cell in enumerate(row):
        target = targets[index]
        if target is None:
            continue
        if target in META_FIELDS:
            record[target] = cell.strip() or None
            continue
        choices = QUOTE_VALUES if target == quote else accepted
        value = choices.get(cell, _BAD)
        if value is _BAD:
            value = _read_cell(cell, choices, target == quote)
        if value is not _BAD:
            record[target] = value
            continue
        value = cell.strip()
        shown = json.dumps(value if len(value) <= 40 else value[:37] + "...", ensure_ascii=False)
        expected = "1 to 5 or empty" if target == quote else "1 to 5, a label of the scale, or empty"
        problems.append(f"column {header[index].strip()!r}: {shown} is not accepted; use {expected}")
    return record, problems
