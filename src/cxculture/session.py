"""One assessment from start to finish: gather answers, score them, keep them.

Answers come from a file (``--answers``), or from the interactive questionnaire,
possibly resuming a partial file. Nothing typed is lost: ``--out`` is checked
before the first question; Ctrl-C, SIGTERM or SIGHUP during the questions save
what was answered to a partial file (the resumed one is updated in place, so
no stale copy can be resumed twice); a result that cannot be saved leaves its
answers in a partial file elsewhere. Only a partial file written by the tool
is ever removed, and only once its result is saved.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from cxculture import answers as answers_io
from cxculture import interrupts, results, scoring
from cxculture.answers import AnswerSet
from cxculture.errors import CxError, Interrupted, Message
from cxculture.lang import Lang, resolve_lang
from cxculture.loading import Content
from cxculture.model import QuestionnaireFile, Result


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
    save: bool = True


def gather(content: Content, request: Request, warn: Callable[[str], object] = print) -> tuple[AnswerSet, Lang]:
    """The participant's answers and the language to report in."""
    if request.answers_file is not None and request.resume_file is not None:
        raise CxError(key="error.answers_and_resume")
    questionnaire = content.questionnaire
    missing: list[str] = []
    if request.answers_file is not None:
        given, missing = answers_io.load(request.answers_file, questionnaire)
    elif request.resume_file is not None:
        given = _load_partial(request.resume_file, questionnaire)
    else:
        given = AnswerSet()
    _apply_options(given, request)
    lang = request.lang or _declared(given.lang, content) or resolve_lang(None, content.languages)
    say = content.speaker(lang)
    if request.anonymous:
        _drop_name(given, request, lambda key, **fields: warn(say(key, **fields)))
    if missing:
        warn(say("note.missing_answers", path=request.answers_file, ids=", ".join(missing)))
    if request.answers_file is None:
        if request.save:
            check_out(request.out)
        _ask(content, given, lang, request)
    return given, lang


def _load_partial(path: Path, questionnaire: QuestionnaireFile) -> AnswerSet:
    """A partial file written on an interruption; anything else is refused (it will be removed at the end)."""
    data = answers_io.parse_file(Path(path))
    if not (is_partial_name(path) and isinstance(data, dict) and data.get("partial") is True):
        raise CxError(key="error.resume.not_partial", name=path, suffix=results.PARTIAL_SUFFIX)
    return answers_io.from_data(data, questionnaire, str(path))[0]


def is_partial_name(path: Path) -> bool:
    return Path(path).name.endswith(results.PARTIAL_SUFFIX)


def check_out(out: Path) -> None:
    """Refuse, before any question, an ``--out`` where no file could be written."""
    out = Path(out)
    existing = out
    while not os.path.lexists(existing) and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise CxError(key="error.out.not_folder", out=out, name=existing)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise CxError(key="error.out.denied", out=out, name=existing)


def _apply_options(given: AnswerSet, request: Request) -> None:
    for name in answers_io.META_FIELDS:
        value = getattr(request, name)
        if value is not None:
            setattr(given, name, answers_io.check_name(value, f"--{name}"))


def _drop_name(given: AnswerSet, request: Request, note: Callable[..., object]) -> None:
    """``--anonymous``: no participant name is asked for, kept or saved."""
    if request.participant is not None:
        raise CxError(key="error.anonymous_participant")
    if given.participant is not None:
        source = request.answers_file or request.resume_file
        note("note.anonymous_drops", name=source)
    given.participant = None
    given.anonymous = True


def _declared(lang: Lang | None, content: Content) -> Lang | None:
    """The language a file names, if the content speaks it (else the environment's is used)."""
    return lang if lang in content.languages else None


def _ask(content: Content, given: AnswerSet, lang: Lang, request: Request) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CxError(key="error.no_terminal")
    from cxculture import questionnaire

    try:
        with interrupts.as_interrupt():
            questionnaire.run(content, given, lang, request.show_areas)
    except KeyboardInterrupt:
        with interrupts.ignored():  # a second signal must not stop the save
            if request.resume_file is not None:  # checked to be ours by _load_partial: updated in place
                path = results.save_partial(given, request.out, lang, replace=Path(request.resume_file))
            else:
                path = results.save_partial(given, request.out, lang)
        raise Interrupted(key="note.interrupted", count=len(given.answers), path=path) from None


def score(
    content: Content, given: AnswerSet, lang: Lang, scorer: scoring.Scorer | None = None
) -> tuple[Result, scoring.Scores]:
    """Score the answers and build the result record (``scorer``: the content's, made once for many answers)."""
    if scorer is None:
        scorer = scoring.scorer(content.levels, content.questionnaire, content.pillars)
    scores = scorer(given.answers)
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


def finish(result: Result, given: AnswerSet, request: Request) -> Path | None:
    """Save the result (unless ``--no-save``), then drop the partial file it completes.

    When the result cannot be saved, its answers are kept in a partial file in
    the current folder (else the cache folder) and the error names it.
    """
    if not request.save:
        return None
    try:
        saved = results.save(result, request.out)
    except CxError as error:
        raise CxError(key="error.not_saved", problem=error, kept=_keep_elsewhere(given, request, result.lang)) from None
    if request.resume_file is not None and is_partial_name(request.resume_file):  # ours: see _load_partial
        Path(request.resume_file).unlink(missing_ok=True)
    return saved


def _keep_elsewhere(given: AnswerSet, request: Request, lang: Lang) -> Message:
    from cxculture import cache

    for folder in (Path.cwd(), cache.folder("unsaved")):
        if folder is None or folder.resolve() == Path(request.out).resolve():
            continue
        try:
            path = results.save_partial(given, folder, lang)
        except CxError:
            continue
        return Message("note.kept_elsewhere", path=path)
    return Message("note.kept_nowhere")
