"""What the commands do below the command line: the run's shared state, and each command's work.

``cli`` parses options and calls these functions (as copier's CLI calls its
``run_copy``); they return figures, and hand each note for the user to
``note`` as it arises (so a note printed before an error is not lost). A
``Run`` holds the global options of one invocation and loads the content once,
on first use; ``cli.main`` makes a fresh one each time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a plain class and lazy imports: ``cxculture --help`` loads nothing more
    from pathlib import Path

    from cxculture.errors import Message
    from cxculture.lang import Lang
    from cxculture.loading import Content
    from cxculture.model import Result, Speaker
    from cxculture.progress import Track
    from cxculture.scoring import Scores
    from cxculture.survey import Options, Report
    from cxculture.survey.writing import Wave
    from cxculture.workshop import Crowd, Figures, Participant

Note = Callable[["str | Message"], object]  # shows a note to the user (the CLI says it on stderr)
NAMED_LEFT_OUT = 10  # those left out of a synthesis that a note names; it counts the others


class Run:
    """One invocation: the options before the command, and the content, loaded when first asked for."""

    __slots__ = ("_content", "content_dir", "debug", "lang_option")

    def __init__(self, content_dir: Path | None = None, debug: bool = False, lang_option: str | None = None) -> None:
        self.content_dir, self.debug, self.lang_option = content_dir, debug, lang_option
        self._content: Content | None = None

    def content(self) -> Content:
        if self._content is None:
            from cxculture.loading import Content

            self._content = Content(self.content_dir)
        return self._content

    def lang(self, option: str | None) -> Lang:
        """The language to speak: the command's ``--lang``, else the tool's, else the environment's (a declared one)."""
        from cxculture.lang import resolve_lang

        return resolve_lang(option if option is not None else self.lang_option, self.content().languages)

    def asked_lang(self, option: str | None) -> Lang | None:
        """The language a ``--lang`` asked for (the command's, else the tool's), or None when none did."""
        return None if option is None and self.lang_option is None else self.lang(option)

    def say(self, lang: Lang) -> Speaker:
        """The labels of the content in ``lang``."""
        return self.content().speaker(lang)


def screen_key(content: Content, files: Sequence[str], *options: str) -> list[bytes | str]:
    """What a read-only screen depends on: the content files it shows, then the command and its options."""
    return [content.fingerprint(*files), *options]


def report(run: Run, result_file: Path, lang: Lang | None, note: Note) -> tuple[Result, Scores]:
    """A saved result re-scored with the current content, in ``lang`` if given."""
    from dataclasses import replace

    from cxculture import results, session

    saved = results.load(result_file)
    content = run.content()
    result, scores, gone = session.rescore(content, saved)
    if lang is not None or result.lang not in content.languages:  # a language this content does not speak
        result = replace(result, lang=lang or run.lang(None))
    say = run.say(result.lang)
    if saved.content_id != content.content_id:
        note(say("note.other_content", path=result_file, before=saved.content_id, now=content.content_id))
    if gone:
        note(say("note.gone_questions", path=result_file, ids=", ".join(gone)))
    return result, scores


def workshop(
    run: Run,
    paths: list[Path],
    by_segment: bool,
    min_group: int,
    allow_mixed: bool,
    note: Note,
    track: Track | None = None,
) -> Figures:
    """The figures of a group's result files and wave files; notes on files skipped, re-scored or left out.

    ``track`` shows the reading's progress (``progress``; none by default).
    """
    from cxculture import progress, wave_columns
    from cxculture import workshop as group
    from cxculture.errors import Message

    content = run.content()
    with group.without_gc():  # the participants are dropped inside: see without_gc
        files, skipped = group.collect(paths)
        for path in skipped:
            note(Message("note.partial_skipped", name=path))
        read = wave_columns.read_if_suited(files, content, track or progress.silent)
        if read is not None:
            crowd, others = read
            return _combine_read(content, crowd, others, by_segment, min_group, allow_mixed, note)
        people = group.read_all(files, content, track or progress.silent)
        figures = combine(content, people, by_segment, min_group, allow_mixed, note)
        del people, files  # before the collector is back (see without_gc)
    return figures


def workshop_export(
    run: Run,
    path: Path,
    wave: Wave,
    options: Options,
    by_segment: bool,
    min_group: int,
    allow_mixed: bool,
    note: Note,
    told: Callable[[Report], object],
    track: Track | None = None,
) -> tuple[Figures, Report]:
    """The figures of a survey export's good rows (``{}`` when none), and the import's report of the export.

    ``told`` is given the report as soon as the export is read, before any
    refusal of the synthesis (nobody answered enough…): rejected rows are
    always said. ``track`` shows the reading's progress (``progress``; none by default).
    """
    from cxculture import progress
    from cxculture.survey import direct

    content = run.content()
    crowd, report = direct.read_export(path, content, wave, options, track or progress.silent)
    told(report)
    if not crowd.orgs:
        return {}, report
    return combine_crowd(content, crowd, by_segment, min_group, allow_mixed, note), report


def combine(
    content: Content, people: list[Participant], by_segment: bool, min_group: int, allow_mixed: bool, note: Note
) -> Figures:
    """One group's figures from its participants; notes on those re-scored or left out."""
    from cxculture import workshop as group

    if not allow_mixed:
        group.check_one_org(people)
    others = group.other_content(people, content)
    return _combine_read(content, group.crowd(people, content), others, by_segment, min_group, True, note)


def _combine_read(
    content: Content,
    crowd: Crowd,
    others: tuple[int, list[str]],
    by_segment: bool,
    min_group: int,
    allow_mixed: bool,
    note: Note,
) -> Figures:
    """``combine`` of result files however they were read: ``others`` is ``workshop.other_content``."""
    from cxculture import workshop as group
    from cxculture.errors import Message

    if not allow_mixed:
        group.check_orgs(crowd.orgs)
    count, ids = others
    if count:
        note(Message("note.other_content_same_questions", count=count, ids=", ".join(ids), now=content.content_id))
    return combine_crowd(content, crowd, by_segment, min_group, True, note)


def combine_crowd(
    content: Content, crowd: Crowd, by_segment: bool, min_group: int, allow_mixed: bool, note: Note
) -> Figures:
    """``combine`` for participants however they were read (``workshop.Crowd``)."""
    from cxculture import workshop as group
    from cxculture.errors import CxError, Message

    if not allow_mixed:
        group.check_orgs(crowd.orgs)
    share = Message("workshop.percent", value=round(content.questionnaire.scale.participant_min_answered * 100))
    if crowd.left_out:
        named = crowd.left_out[:NAMED_LEFT_OUT]  # a big survey may leave out thousands: the first few, and a count
        more = len(crowd.left_out) - len(named)
        names = [*named, Message("note.and_more", count=more)] if more else named
        note(Message("note.left_out", count=len(crowd.left_out), share=share, names=names))
    if not crowd.kept:
        raise CxError(key="error.workshop.too_few_answers", share=share)
    summary = crowd.summary(by_segment)
    return group.synthesis_of(summary, content, by_segment, min_group=min_group, left_out=len(crowd.left_out))


def compare(run: Run, files: list[Path], min_group: int, mixed: bool, note: Note) -> Figures:
    """The comparison of snapshots in time order (of one organisation or participant unless ``mixed``)."""
    from cxculture import compare as comparing
    from cxculture.errors import Message

    content = run.content()
    snapshots = comparing.in_time_order([comparing.read(path, content) for path in comparing.distinct(files)])
    if not mixed:
        comparing.check_one_subject(snapshots)
    for snapshot in comparing.other_content(snapshots, content):
        key = "note.snapshot_rescored" if snapshot["kind"] == "result" else "note.snapshot_as_then"
        note(Message(key, name=snapshot["path"], before=snapshot["content_id"], now=content.content_id))
    return comparing.comparison(snapshots, content, min_group)
