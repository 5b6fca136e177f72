"""The interactive questionnaire (questionary): the only module that shows prompts.

It asks who is answering, then every question not answered yet, then shows a
recap where any answer can be changed. Each answer goes into the ``AnswerSet``
the moment it is given, and Ctrl-C propagates as ``KeyboardInterrupt`` (the
caller keeps what was answered). questionary is imported only when asking.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from cxculture.answers import AnswerSet
from cxculture.lang import Lang

if TYPE_CHECKING:
    from questionary import Choice

    from cxculture.loading import Content

NOT_APPLICABLE = 9  # "doesn't apply to me": not answered, like "don't know"
NONE_KEY = 0  # the choice value for "don't know" / "none of these" (questionary turns None into the title)
RECAP_WIDTH = 74  # a recap line, pointer included, stays within 80 columns
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


def run(content: Content, given: AnswerSet, lang: Lang) -> None:
    """Ask what ``given`` lacks, filling it in place; return once the recap is confirmed."""
    import questionary

    interview = Interview(questionary, content, given, lang)
    interview.ask_names()
    for question in interview.questions:
        if question.id not in given.answers:
            interview.ask(question)
    interview.recap()


def questions(content: Content, lang: Lang) -> list[Question]:
    """Every question in asking order, with its number and the area shown in the progress line."""
    t = content.ui.speaker(lang)
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


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut with "…" to at most ``width`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)].rstrip() + "…"


class Interview:
    """The prompts of one questionnaire run, writing into one ``AnswerSet``."""

    def __init__(self, questionary: ModuleType, content: Content, given: AnswerSet, lang: Lang) -> None:
        self.q = questionary
        self.given = given
        self.lang = lang
        self.t = content.ui.speaker(lang)
        self.scale = content.questionnaire.scale
        self.none_of_these = content.questionnaire.quote_question.none_of_these(lang)
        self.quotes = participant_quotes(content, lang, f"{given.org}\0{given.participant}")
        self.questions = questions(content, lang)
        # French labels hold no-break spaces, which prompt_toolkit underlines by default
        self.style = questionary.Style([("nbsp", "nounderline")])

    # --- who is answering --------------------------------------------------

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

    def name(self, key: str, required: bool) -> str | None:
        def check(text: str) -> bool | str:
            return bool(text.strip()) or not required or self.t("ask.required")

        typed = self.q.text(self.t(key), validate=check, style=self.style).unsafe_ask()
        return typed.strip() or None

    # --- the questions -----------------------------------------------------

    def ask(self, question: Question) -> None:
        """Ask one question and keep its answer at once."""
        total = len(self.questions)
        self.q.print(self.t("ask.progress", number=question.number, total=total, area=question.area), style="bold")
        choices = self.quote_choices() if question.is_quote else self.scale_choices(question)
        hint = self.t("ask.quote_hint" if question.is_quote else "ask.hint")
        chosen = self.q.select(
            f"({question.applies_to}) {question.text}" if question.applies_to else question.text,
            choices=choices,
            default=self.current(question),
            use_shortcuts=True,
            instruction=hint,
            style=self.style,
        ).unsafe_ask()
        self.given.answers[question.id] = None if chosen in (NONE_KEY, NOT_APPLICABLE) else chosen

    def current(self, question: Question) -> int | None:
        """The choice the pointer starts on: the answer already given, if any."""
        if question.id not in self.given.answers:
            return None
        value = self.given.answers[question.id]
        return NONE_KEY if value is None else value

    def quote_order(self) -> list[int]:
        """The levels of the quotes, shuffled so that no level is always first; the same
        order for the same participant, so that it does not change on ``--resume``."""
        seed = f"{self.given.org}\0{self.given.participant}"
        return random.Random(seed).sample(sorted(self.quotes), len(self.quotes))  # noqa: S311 - an order, not a secret

    def scale_choices(self, question: Question) -> list[Choice]:
        choices = [self.q.Choice(p.label(self.lang), p.value, shortcut_key=str(p.value)) for p in self.scale.points]
        choices.append(self.q.Choice(self.scale.dont_know(self.lang), NONE_KEY, shortcut_key="0"))
        if question.applies_to and self.scale.not_applicable:
            choices.append(self.q.Choice(self.scale.not_applicable(self.lang), NOT_APPLICABLE, shortcut_key="9"))
        return choices

    def quote_choices(self) -> list[Choice]:
        choices = [
            self.q.Choice(self.t("quote.inline", text=self.quotes[level]), level, shortcut_key=str(key))
            for key, level in enumerate(self.quote_order(), start=1)
        ]
        return [*choices, self.q.Choice(self.none_of_these, NONE_KEY, shortcut_key="0")]

    # --- the recap ---------------------------------------------------------

    def recap(self) -> None:
        """Show every answer; re-ask the one picked, until the participant confirms."""
        by_id = {question.id: question for question in self.questions}
        while True:
            choices = [self.q.Choice(self.t("ask.confirm"), CONFIRM)]
            choices += [self.q.Choice(self.recap_line(question), question.id) for question in self.questions]
            picked = self.q.select(
                self.t("ask.recap"), choices=choices, instruction=self.t("ask.recap_hint"), style=self.style
            ).unsafe_ask()
            if picked == CONFIRM:
                return
            self.ask(by_id[picked])

    def recap_line(self, question: Question) -> str:
        answer = shorten(self.answer_words(question), 34)
        prefix = f"{question.number:>2}. "
        text = shorten(question.text, RECAP_WIDTH - len(prefix) - len(answer) - 3)
        return f"{prefix}{text} → {answer}"

    def answer_words(self, question: Question) -> str:
        value = self.given.answers.get(question.id)
        if question.is_quote:
            return self.none_of_these if value is None else self.t("quote.inline", text=self.quotes[value])
        if value is None:
            return self.scale.dont_know(self.lang)
        return f"{value} · {self.scale.points[value - 1].label(self.lang)}"
