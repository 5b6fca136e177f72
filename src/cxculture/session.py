"""One assessment from start to finish: gather answers, score them, keep them.

Answers come from a file (``--answers``), or from the interactive questionnaire,
possibly resuming a partial file. Ctrl-C during the questions saves what was
answered to a partial file before leaving.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from cxculture import answers as answers_io
from cxculture import results, scoring
from cxculture.answers import AnswerSet
from cxculture.errors import CxError, Interrupted
from cxculture.lang import Lang
from cxculture.loading import Content
from cxculture.model import Result


@dataclass
class Request:
    """What the user asked ``assess`` for."""

    lang: Lang | None = None
    org: str | None = None
    participant: str | None = None
    segment: str | None = None
    answers_file: Path | None = None
    resume_file: Path | None = None
    out: Path = Path("cxculture-results")
    anonymous: bool = False
    show_areas: bool = False  # the progress line names what each question measures (consultants)


def gather(content: Content, request: Request, warn: Callable[[str], object] = print) -> tuple[AnswerSet, Lang]:
    """The participant's answers and the language to report in."""
    if request.answers_file is not None and request.resume_file is not None:
        raise CxError("--answers and --resume cannot be used together; use one")
    questionnaire = content.questionnaire
    if request.answers_file is not None:
        given, missing = answers_io.load(request.answers_file, questionnaire)
        if missing:
            warn(f'{request.answers_file}: no answer for {", ".join(missing)}: counted as "don\'t know"')
    elif request.resume_file is not None:
        given, _ = answers_io.load(request.resume_file, questionnaire)
    else:
        given = AnswerSet()
    _apply_options(given, request)
    if request.anonymous:
        _drop_name(given, request, warn)
    lang = request.lang or given.lang or _default_lang()
    if request.answers_file is None:
        _ask(content, given, lang, request.out, request.show_areas)
    return given, lang


def _apply_options(given: AnswerSet, request: Request) -> None:
    for name in answers_io.META_FIELDS:
        value = getattr(request, name)
        if value is not None:
            setattr(given, name, value.strip() or None)


def _drop_name(given: AnswerSet, request: Request, warn: Callable[[str], object]) -> None:
    """``--anonymous``: no participant name is asked for, kept or saved."""
    if request.participant is not None:
        raise CxError("--anonymous stores no name: leave out --participant")
    if given.participant is not None:
        source = request.answers_file or request.resume_file
        warn(f"note: --anonymous: the participant name in {source} is not kept")
    given.participant = None
    given.anonymous = True


def _default_lang() -> Lang:
    from cxculture.lang import resolve_lang

    return resolve_lang(None)


def _ask(content: Content, given: AnswerSet, lang: Lang, out: Path, show_areas: bool = False) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CxError(
            "no terminal to ask the questions in: give the answers with --answers FILE "
            "(YAML or JSON; 'cxculture questions --format json' lists the ids)"
        )
    from cxculture import questionnaire

    try:
        questionnaire.run(content, given, lang, show_areas)
    except KeyboardInterrupt:
        path = results.save_partial(given, out, lang)
        raise Interrupted(
            f"interrupted: {len(given.answers)} answer(s) kept in {path}; go on with: cxculture assess --resume {path}"
        ) from None


def score(content: Content, given: AnswerSet, lang: Lang) -> tuple[Result, scoring.Scores]:
    """Score the answers and build the result record."""
    scores = scoring.score(given.answers, content.levels, content.questionnaire, content.pillars)
    ids = answers_io.question_ids(content.questionnaire)
    return results.build(scores, given, ids, lang, content.content_id), scores


def rescore(content: Content, result: Result) -> tuple[Result, scoring.Scores, list[str]]:
    """Score a saved result again with the current content (same answers, same metadata).

    Answers to questions the content no longer has (an older questionnaire) are
    left out; their ids are returned so that the caller can say so.
    """
    known = set(answers_io.question_ids(content.questionnaire))
    gone = sorted(set(result.answers) - known)
    kept = {qid: value for qid, value in result.answers.items() if qid in known}
    given = AnswerSet(kept, result.org, result.participant, result.segment, result.lang)
    rebuilt, scores = score(content, given, result.lang)
    return replace(rebuilt, created_at=result.created_at), scores, gone


def finish(result: Result, request: Request, save: bool) -> Path | None:
    """Save the result (unless ``--no-save``) and drop the partial file it completes."""
    saved = results.save(result, request.out) if save else None
    if saved is not None and request.resume_file is not None:
        Path(request.resume_file).unlink(missing_ok=True)
    return saved
