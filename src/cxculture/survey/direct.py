"""A survey export read straight into a workshop's participants, with no file per response.

Owns ``workshop EXPORT.csv|.xlsx``: each row is read, checked and scored as
``import`` then ``workshop`` would (``survey.prepare``, ``Rows.read``, the same
identities: a response given twice is rejected the second time), and becomes a
``workshop.Participant``; a bad row gets the very line ``import`` reports.
Large CSV exports go through the column engine (``survey.columns``) when it
can read them exactly; everything else is read row by row here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cxculture import interrupts, progress, scoring
from cxculture.answers import question_ids
from cxculture.errors import Message
from cxculture.workshop import Crowd, Participant, crowd

if TYPE_CHECKING:
    from cxculture.loading import Content
    from cxculture.progress import Track
    from cxculture.survey import Options, Report
    from cxculture.survey.writing import Row, Wave

EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


def is_export(paths: list[Path]) -> bool:
    """Whether ``workshop`` was given one survey export (rather than result files or folders)."""
    return len(paths) == 1 and Path(paths[0]).suffix.lower() in EXPORT_SUFFIXES and not Path(paths[0]).is_dir()


def read_export(
    path: Path, content: Content, wave: Wave, options: Options, track: Track = progress.silent
) -> tuple[Crowd, Report]:
    """The participants of the export's good rows, and the import's report of the others.

    ``track`` shows the rows read by the column engine (``progress``).
    """
    from functools import partial

    from cxculture.survey import columns

    with interrupts.as_interrupt():
        if columns.suits(path, options):
            with track("progress.workshop", partial(columns.rows_about, path)) as advance:
                found = columns.read(path, content, wave, options, advance)
            if found is not None:
                return found
        people, report = read_rows(path, content, wave, options)
        return crowd(people, content), report


def read_rows(path: Path, content: Content, wave: Wave, options: Options) -> tuple[list[Participant], Report]:
    """The export read row by row by the import's own code."""
    from cxculture.survey import make_rows, prepare, start_report

    table, found, map_file = prepare(path, content, options)
    rows = make_rows(path, content, wave, table, found, map_file)
    report = start_report(content, table, found)
    make = maker(content, wave)
    people: list[Participant] = []
    seen: set[str] = set()
    for number, row in table.numbered():
        record, problems = rows.read(row)
        if not problems and record["response"] in seen:
            problems = [rows.duplicate(record)]
        if problems:
            report.rejected += 1
            report.problems += [rows.at_row(number, problem) for problem in problems]
            continue
        seen.add(record["response"])
        people.append(make(record, Message("where.row", name=path, row=number)))
    return people, report


def maker(content: Content, wave: Wave) -> Callable[[Row, str | Message], Participant]:
    """A function making a row's participant as ``workshop`` reads it back from its result file."""
    score = scoring.scorer(content.levels, content.questionnaire, content.pillars)
    ids = question_ids(content.questionnaire)

    def make(record: Row, where: str | Message) -> Participant:
        answers = {qid: record.get(qid) for qid in ids}
        return Participant(
            where,
            answers,
            record.get("segment"),
            record["created_at"],
            score(answers),
            content.content_id,
            org=record.get("org"),
            wave=wave.wave,
            wave_date=wave.date,
        )

    return make
