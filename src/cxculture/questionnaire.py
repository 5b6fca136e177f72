"""The interactive questionnaire: the only module that shows prompts.

A welcome screen (purpose, length, anonymity, glossary), who is answering
(questionary's text prompts), every question not answered yet (``prompts.choose``:
wrapped to the terminal, nothing preselected), then a recap where any answer can
be changed. Each answer goes into the ``AnswerSet`` the moment it is given, and
Ctrl-C propagates as ``KeyboardInterrupt`` (the caller keeps what was answered).
questionary and prompt_toolkit are imported only when asking.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from cxculture.answers import AnswerSet
from cxculture.lang import Lang

if TYPE_CHECKING:
    from pathlib import Path

    from cxculture.loading import Content
    from cxculture.model import Result
    from cxculture.prompts import Option

NOT_APPLICABLE = 9  # "doesn't apply to me": not answered, like "don't know"
NONE_KEY = 0  # the choice value for "don't know" / "none of these" (questionary turns None into the title)
CONFIRM = ""  # the recap choice that ends the questionnaire (no question id is empty)


@dataclass(frozen=True)
class Question:
    """One question as the participant sees it."""

    id: str
    number: int
    text: str
    area: str
    is_quote: bool = False
    applies_to: str | None = None  # who can judge it; the others answer "doesn't apply to me"


def run(content: Content, given: AnswerSet, lang: Lang, show_areas: bool = False) -> None:
    """Ask what ``given`` lacks, filling it in place; return once the recap is confirmed.

    ``show_areas``: the progress line also names what the question measures (for consultants).
    """
    import questionary

    interview = Interview(questionary, content, given, lang, show_areas)
    if not given.answers:
        interview.welcome()
    interview.ask_names()
    for question in interview.questions:
        if question.id not in given.answers:
            interview.ask(question)
    interview.recap()


def questions(content: Content, lang: Lang) -> list[Question]:
    """Every question in asking order, with its number and the area shown in the progress line."""
    t = content.speaker(lang)
    areas = {area.id: area.name(lang) for _, area in content.levels.focus_areas()}
    pillars = {pillar.id: pillar.name(lang) for pillar in content.pillars.pillars}
    listed = []
    for number, statement in enumerate(content.questionnaire.statements, start=1):
        if statement.focus_area is not None:
            area = areas[statement.focus_area]
        else:
            assert statement.pillar is not None  # the content checks give exactly one of focus_area and pillar
            area = t("ask.pillar", name=pillars[statement.pillar])
        applies_to = statement.applies_to(lang) if statement.applies_to else None
        listed.append(Question(statement.id, number, statement.text(lang), area, applies_to=applies_to))
    quote = content.questionnaire.quote_question
    listed.append(Question(quote.id, len(listed) + 1, quote.prompt(lang), t("ask.quote"), is_quote=True))
    return listed


def participant_quotes(content: Content, lang: Lang, seed: str) -> dict[int, str]:
    """One quote per level for this participant: the quote question's own quotes (one
    picked per level when there are several, the same for the same participant), else
    the first quote of each level in levels.yaml."""
    pool: dict[int, list[str]] = {}
    for quote in content.questionnaire.quote_question.quotes:
        pool.setdefault(quote.level, []).append(quote.text(lang))
    if not pool:
        return {level.number: level.quotes[0].text(lang) for level in content.levels.levels}
    pick = random.Random(seed)  # noqa: S311 - a choice of wording, not a secret
    return {level: pick.choice(texts) for level, texts in sorted(pool.items())}


class Interview:
    """The prompts of one questionnaire run, writing into one ``AnswerSet``."""

    def __init__(
        self, questionary: ModuleType, content: Content, given: AnswerSet, lang: Lang, show_areas: bool = False
    ) -> None:
        self.q = questionary
        self.given = given
        self.lang = lang
        self.show_areas = show_areas
        self.t = content.speaker(lang)
        self.content = content
        self.questionnaire = content.questionnaire
        self.scale = content.questionnaire.scale
        self.none_of_these = content.questionnaire.quote_question.none_of_these(lang)
        self.quotes = participant_quotes(content, lang, f"{given.org}\0{given.participant}")
        self.questions = questions(content, lang)
        self.not_applicable = given.not_applicable  # answered "doesn't apply to me" (kept in partial files)
        # French labels hold no-break spaces, which prompt_toolkit underlines by default
        self.style = questionary.Style([("nbsp", "nounderline")])

    # --- welcome and who is answering --------------------------------------

    def welcome(self) -> None:
        """Purpose, length, anonymity and the glossary, wrapped to the terminal."""
        from cxculture.prompts import wrap

        width = _width() - 1
        count = len(self.questions)
        minutes = self.questionnaire.minutes()
        lines = [self.t("welcome.title"), ""]
        for key in ("welcome.purpose", "welcome.length", "welcome.anonymity", "welcome.answering"):
            lines += [*wrap(self.t(key, count=count, minutes=minutes), width), ""]
        if self.questionnaire.glossary:
            lines.append(self.t("welcome.glossary"))
            for entry in self.questionnaire.glossary:
                text = self.t("welcome.glossary_entry", term=entry.term(self.lang), meaning=entry.meaning(self.lang))
                wrapped = wrap(text, width - 2)
                lines += ["• " + wrapped[0], *("  " + line for line in wrapped[1:])]
            lines.append("")
        print("\n".join(lines), flush=True)

    def ask_names(self) -> None:
        asked = False
        if self.given.org is None:
            self.given.org = self.name("ask.org", required=True)
            asked = True
        if self.given.participant is None and not self.given.anonymous:
            self.given.participant = self.name("ask.participant", required=True)
            asked = True
        if asked and self.given.segment is None:
            self.given.segment = self.name("ask.segment", required=False)
        if asked:  # the quotes a participant sees depend on who they are
            self.quotes = participant_quotes(self.content, self.lang, f"{self.given.org}\0{self.given.participant}")

    def name(self, key: str, required: bool) -> str | None:
        def check(text: str) -> bool | str:
            return bool(text.strip()) or not required or self.t("ask.required")

        typed = self.q.text(self.t(key), validate=check, style=self.style).unsafe_ask()
        return typed.strip() or None

    # --- the questions -----------------------------------------------------

    def progress(self, question: Question) -> str:
        total = len(self.questions)
        if self.show_areas:
            return self.t("ask.progress_area", number=question.number, total=total, area=question.area)
        return self.t("ask.progress", number=question.number, total=total)

    def ask(self, question: Question) -> None:
        """Ask one question and keep its answer at once."""
        from cxculture.prompts import choose

        options = self.quote_options() if question.is_quote else self.scale_options(question)
        hint = self.t("ask.quote_hint" if question.is_quote else "ask.hint")
        if question.applies_to:
            hint = self.t("ask.hint_not_applicable")
        text = f"{self.t('label', name=question.applies_to)}\n{question.text}" if question.applies_to else question.text
        message = f"{self.progress(question)}\n{text}"
        chosen = choose(message, options, hint, self.t("ask.choose_first"), pointer=self.current(question, options))
        self.not_applicable.discard(question.id)
        if chosen == NOT_APPLICABLE:
            self.not_applicable.add(question.id)
        self.given.answers[question.id] = None if chosen in (NONE_KEY, NOT_APPLICABLE) else chosen

    def current(self, question: Question, options: list[Option]) -> int | None:
        """The option pointed at first: the answer already given, if any; else none."""
        if question.id not in self.given.answers:
            return None
        value = self.given.answers[question.id]
        wanted = NOT_APPLICABLE if question.id in self.not_applicable else NONE_KEY if value is None else value
        return next((i for i, option in enumerate(options) if option.value == wanted), None)

    def quote_order(self) -> list[int]:
        """The levels of the quotes, shuffled so that no level is always first; the same
        order for the same participant, so that it does not change on ``--resume``."""
        seed = f"{self.given.org}\0{self.given.participant}"
        return random.Random(seed).sample(sorted(self.quotes), len(self.quotes))  # noqa: S311 - an order, not a secret

    def scale_options(self, question: Question) -> list[Option]:
        from cxculture.prompts import Option

        options = [Option(str(p.value), p.label(self.lang), p.value) for p in self.scale.points]
        options.append(Option("0", self.scale.dont_know(self.lang), NONE_KEY))
        if question.applies_to and self.scale.not_applicable:
            options.append(Option("9", self.scale.not_applicable(self.lang), NOT_APPLICABLE))
        return options

    def quote_options(self) -> list[Option]:
        from cxculture.prompts import Option

        options = [
            Option(str(key), self.t("quote.inline", text=self.quotes[level]), level)
            for key, level in enumerate(self.quote_order(), start=1)
        ]
        return [*options, Option("0", self.none_of_these, NONE_KEY)]

    # --- the recap ---------------------------------------------------------

    def recap(self) -> None:
        """Show every answer; re-ask the one picked, until the participant confirms."""
        from cxculture.prompts import POINTER, Option, choose

        by_id = {question.id: question for question in self.questions}
        while True:
            width = _width() - 1 - len(POINTER)
            options = [Option("", self.t("ask.confirm"), CONFIRM)]
            options += [Option("", self.recap_line(question, width), question.id) for question in self.questions]
            picked = choose(self.t("ask.recap"), options, self.t("ask.recap_hint"), "", pointer=0)
            if picked == CONFIRM:
                return
            self.ask(by_id[picked])

    def recap_line(self, question: Question, width: int) -> str:
        """``12. The statement… → 4 · Somewhat agree`` in ``width`` columns, words whole."""
        from cxculture.prompts import shorten

        prefix = f"{question.number:>2}. "
        answer = shorten(self.answer_words(question), max(width // 2, 12))
        room = width - len(prefix) - len(answer) - 3
        text = shorten(question.text, room) if room >= 8 else ""
        return f"{prefix}{text} → {answer}" if text else f"{prefix}→ {answer}"

    def answer_words(self, question: Question) -> str:
        value = self.given.answers.get(question.id)
        if question.is_quote:
            return self.none_of_these if value is None else self.t("quote.inline", text=self.quotes[value])
        if question.id in self.not_applicable and self.scale.not_applicable:
            return self.scale.not_applicable(self.lang)
        if value is None:
            return self.scale.dont_know(self.lang)
        return f"{value} · {self.scale.points[value - 1].label(self.lang)}"


def result_screen(content: Content, result: Result, saved: Path | None) -> str:
    """What a participant sees after the last answer: the level, one sentence, where the full report is."""
    from cxculture.prompts import wrap

    t, lang, width = content.speaker(result.lang), result.lang, _width() - 1
    level = content.levels.level(result.level)
    lines = ["", t("done.title"), t("done.level", level=level.number, name=level.name(lang)), ""]
    lines += wrap(level.summary(lang), width)
    where = t("done.saved", path=saved) if saved is not None else t("done.not_saved")
    return "\n".join([*lines, "", *wrap(where, width)])


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns
