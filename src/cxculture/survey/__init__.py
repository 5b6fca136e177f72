"""Importing a survey export (CSV or XLSX from Google Forms, Microsoft Forms, Typeform,
SurveyMonkey…): one result file per response.

The steps, one module each: ``exports`` reads the file into rows (``xlsx`` for
workbooks), ``mapping`` says which question each column answers, ``cells``
reads each answer, name and date, ``writing`` makes each response's file,
``workers`` writes large surveys in parallel. The files are written into a
staged folder that is published into ``--out`` at the end
(``fileio.staged_folder``): a response imported before (same identity) is
replaced, or kept when unchanged; the others are added. A bad row is reported
and skipped; the others are imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from cxculture import interrupts, progress
from cxculture.answers import question_ids
from cxculture.errors import CxError, Message
from cxculture.survey import workers

if TYPE_CHECKING:
    from cxculture.lang import Lang
    from cxculture.loading import Content
    from cxculture.progress import Advance, Track
    from cxculture.survey.exports import Numbered, Table
    from cxculture.survey.mapping import MapFile, Mapping
    from cxculture.survey.writing import Chunk, Rows, Wave


@dataclass
class Options:
    """How to read the export (all optional)."""

    map_file: Path | None = None
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    anonymous: bool = False  # like assess --anonymous: a participant column is not stored


@dataclass
class Report:
    """What an import did, and what the consultant should know."""

    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[Message] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    private: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def add(self, chunk: Chunk) -> None:
        self.problems += [problem for _, problem in chunk.problems]
        self.rejected += chunk.rejected


def prepare(
    path: Path, content: Content, options: Options, *, allow_unknown: bool = False
) -> tuple[Table, Mapping, MapFile]:
    """The export read and mapped: ``(table, mapping, map_file)``."""
    from cxculture.survey import exports, mapping

    table = exports.read_table(path, delimiter=options.delimiter, encoding=options.encoding, sheet=options.sheet)
    map_file = mapping.read_map(options.map_file, content)
    found = mapping.map_columns(
        table, content, map_file, str(path), allow_unknown=allow_unknown, anonymous=options.anonymous
    )
    return table, found, map_file


def print_map(path: Path, content: Content, options: Options, lang: Lang) -> str:
    """The inferred mapping of an export, as a ``MAP.yaml`` to edit (its comments in ``lang``)."""
    from cxculture.survey import mapping

    _, found, map_file = prepare(path, content, options, allow_unknown=True)
    return mapping.map_yaml(found, str(path), map_file.date, content.speaker(lang))


def import_survey(
    path: Path, out: Path, content: Content, wave: Wave, options: Options, track: Track = progress.silent
) -> Report:
    """Write one result file per good row of the export into ``out`` (or a line of the wave file ``out``).

    Reports the bad rows; ``track`` shows the rows done (``progress``).
    """
    from cxculture.fileio import staged_folder
    from cxculture.survey.exports import chunks
    from cxculture.wavefile import is_wave_file
    from cxculture.workshop import without_gc  # millions of short-lived objects, no cycle

    with without_gc(), interrupts.as_interrupt():
        if is_wave_file(out):
            done = _into_wave_file_by_columns(path, out, content, wave, options, track)
            if done is not None:
                return done
        table, found, map_file = prepare(path, content, options)
        rows = make_rows(path, content, wave, table, found, map_file)
        report = start_report(content, table, found)
        numbered = chunks(table.numbered(), workers.CHUNK)
        parallel = table.size >= workers.PARALLEL_FROM
        with track("progress.import", table.size) as advance:
            if is_wave_file(out):
                _into_wave_file(out, rows, numbered, parallel, report, advance)
                return report
            with staged_folder(out, publish=partial(_publish, report=report, ignore_time=not rows.has_time)) as stage:
                for chunk in workers.written(partial(rows.write, str(stage)), numbered, parallel):
                    report.add(chunk)
                    advance(chunk.rows)
    return report


def make_rows(path: Path, content: Content, wave: Wave, table: Table, found: Mapping, map_file: MapFile) -> Rows:
    """What turns each row of this export into a result: its cells, dates, identity and scores."""
    from cxculture.survey.cells import Cells, Dates
    from cxculture.survey.writing import Rows

    survey = content.survey
    formats = [map_file.date] if map_file.date else [f for lang in found.date_langs for f in survey.dates.of(lang)]
    return Rows(content, found, Cells(content, map_file.labels), Dates(formats), wave, str(path), table.delimiter)


def start_report(content: Content, table: Table, found: Mapping) -> Report:
    """A report of what reading and mapping the export said: notes, questions without a column, columns not kept."""
    ids = question_ids(content.questionnaire)
    report = Report(notes=table.notes, unanswered=[q for q in ids if q not in found.targets])
    report.private, report.ignored = found.private, found.ignored
    return report


def _publish(stage: Path, out: Path, *, report: Report, ignore_time: bool) -> None:
    """Move the staged files into ``out``: new ones added, same responses replaced or kept."""
    from cxculture.fileio import publish_files
    from cxculture.survey.writing import same_response

    names = sorted(entry.name for entry in os.scandir(stage))
    there = set(os.listdir(out)) if out.is_dir() else set()
    keep = set()
    for name in names:
        if name not in there:
            report.new += 1
        elif same_response((out / name).read_bytes(), (stage / name).read_bytes(), ignore_time=ignore_time):
            report.unchanged += 1
            keep.add(name)
        else:
            report.replaced += 1
    publish_files(stage, out, [name for name in names if name not in keep])


def _into_wave_file(
    out: Path, rows: Rows, numbered: Iterator[list[Numbered]], parallel: bool, report: Report, advance: Advance
) -> None:
    """Write the good rows as lines of the wave file ``out``: as into a folder, same responses replaced or kept.

    The lines are written as they come into a staged file (``new.jsonl``) beside
    ``out``, two rows of the same response refused; then ``_publish_wave``
    puts the new version of ``out`` in place with one rename.
    """
    from cxculture.fileio import BigFile, staged_folder
    from cxculture.survey.writing import identity_key

    offsets: dict[str, tuple[int, int]] = {}  # identity key → where its line is in new.jsonl
    publish = partial(_publish_wave, places=lambda: offsets, report=report, ignore_time=not rows.has_time)
    publish = partial(publish, count=lambda: len(offsets))
    with staged_folder(out, publish=publish, file=True) as stage, BigFile(stage / _NEW) as file:
        size = 0
        for chunk in workers.written(rows.lines, numbered, parallel):
            for number, response, line in chunk.lines:
                key = identity_key(rows.wave.wave, response)
                if key in offsets:
                    chunk.reject(number, [rows.at_row(number, rows.duplicate({"response": response}))])
                    continue
                offsets[key] = (size, len(line))
                size += file.write(line)
            chunk.problems.sort(key=lambda problem: problem[0])
            report.add(chunk)
            advance(chunk.rows)
        file.finish()  # on disk


def _into_wave_file_by_columns(
    path: Path, out: Path, content: Content, wave: Wave, options: Options, track: Track
) -> Report | None:
    """``_into_wave_file`` by the column engine (``columns.wave_lines``): the same file, byte for byte, and the same
    report; ``None`` when the export is not one the engine reads. ``track`` shows the rows read, then written."""
    from cxculture.fileio import staged_folder
    from cxculture.survey import columns

    if not columns.suits(path, options):
        return None
    with track("progress.import", partial(columns.rows_about, path)) as advance:
        lines = columns.wave_lines(path, content, wave, options, advance)
    if lines is None:
        return None
    publish = partial(_publish_wave, places=lines.places, report=lines.report, ignore_time=not lines.has_time)
    publish = partial(publish, count=lambda: lines.count)
    with staged_folder(out, publish=publish, file=True) as stage, track("progress.writing", lines.count) as advance:
        lines.write(stage / _NEW, advance)  # on disk when it returns
    return lines.report


_NEW, _MERGED = "new.jsonl", "merged.jsonl"


def _publish_wave(
    stage: Path,
    out: Path,
    *,
    places: Callable[[], dict[str, tuple[int, int]]],
    count: Callable[[], int],
    report: Report,
    ignore_time: bool,
) -> None:
    """Put the new version of the wave file ``out`` in place: its lines, same responses replaced or kept, then the new.

    ``places`` gives where each response's line is in the staged file (identity
    key → offset and length), ``count`` how many there are. An existing ``out`` is read as any wave file
    (every line validated) before anything is replaced; its lines keep their order.
    """
    from cxculture.survey.writing import identity_key, same_response
    from cxculture.wavefile import entries

    if not os.path.lexists(out):
        report.new = count()
        os.replace(stage / _NEW, out)
        return
    offsets = places()
    used: set[str] = set()
    with open(stage / _NEW, "rb") as new, open(stage / _MERGED, "xb") as merged:
        for body, data in entries(out):
            response = data.get("response")
            key = identity_key(data.get("wave"), response) if isinstance(response, str) else None
            if key is None or key not in offsets or key in used:
                merged.write(body + b"\n")  # not from an import, or not in this export: kept
                continue
            used.add(key)
            offset, length = offsets[key]
            new.seek(offset)
            line = new.read(length)
            if same_response(body, line, ignore_time=ignore_time):
                report.unchanged += 1
                merged.write(body + b"\n")
            else:
                report.replaced += 1
                merged.write(line)
        for key, (offset, length) in offsets.items():  # in the order of the export
            if key not in used:
                report.new += 1
                new.seek(offset)
                merged.write(new.read(length))
        merged.flush()
        os.fsync(merged.fileno())
    os.replace(stage / _MERGED, out)


# --- the command line's options ---------------------------------------------------


@dataclass
class Request:
    """What the command line says about reading an export, as typed (``import`` and ``workshop EXPORT``)."""

    map_file: Path | None = None
    org: str | None = None
    wave: str | None = None
    date: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None

    def first_given(self) -> str | None:
        """The first option given, as typed on the command line (``--map``…), or ``None``."""
        named = {"--map": self.map_file, "--org": self.org, "--wave": self.wave, "--date": self.date}
        named |= {"--delimiter": self.delimiter, "--encoding": self.encoding, "--sheet": self.sheet}
        return next((option for option, value in named.items() if value is not None), None)

    def checked(self, lang: Lang, anonymous: bool = False) -> tuple[Options, Wave]:
        """How to read the export and what to store of the wave, each option checked."""
        from cxculture.survey.writing import Wave

        options = Options(self.map_file, delimiter_option(self.delimiter), self.encoding, self.sheet, anonymous)
        org, wave = name_option(self.org, "--org"), name_option(self.wave, "--wave")
        return options, Wave(lang, org, wave, date_option(self.date))


def delimiter_option(value: str | None) -> str | None:
    """``--delimiter``: ``,`` ``;`` or tab."""
    if value is None:
        return None
    accepted = {",": ",", ";": ";", "tab": "\t", "\\t": "\t", "\t": "\t"}
    if value.lower() not in accepted:
        raise CxError(key="error.import.delimiter", value=repr(value))
    return accepted[value.lower()]


def date_option(value: str | None) -> str | None:
    """``--date``: a real day written YYYY-MM-DD."""
    import re
    from datetime import date

    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise CxError(key="error.import.date", value=repr(value)) from None


def name_option(value: str | None, option: str) -> str | None:
    """``--org`` or ``--wave``: a name without control characters."""
    if value is None:
        return None
    from cxculture.survey.cells import name_problem

    problem = name_problem(value)
    if problem:
        raise CxError(key="error.import.option", option=option, problem=problem)
    return value.strip() or None
