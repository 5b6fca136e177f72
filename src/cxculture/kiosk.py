"""``assess --kiosk``: one shared laptop, one participant after another, no names kept.

Each participant picks a language, reads the welcome, optionally a segment,
then answers every statement and the quote question by typing a number and
Enter: nothing is preselected, so Enter alone or a stray key records nothing.
Their answers are saved as the room saves them (``room.collect``); then a
thank-you screen, and the screen and its scrollback are wiped before the next
person. Ctrl-C twice in a row (shown at start) ends the kiosk; the current
participant's unfinished answers are dropped, never half saved.
"""

from __future__ import annotations

import secrets
import shlex
import signal
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from cxculture.errors import CxError
from cxculture.lang import Lang
from cxculture.loading import Content
from cxculture.model import Speaker
from cxculture.questionnaire import NOT_APPLICABLE
from cxculture.room.collect import Collector, Settings
from cxculture.room.page import quotes

T = TypeVar("T")
WIPE = "\x1b[H\x1b[2J\x1b[3J"  # home, clear the screen, clear the scrollback


class EndKiosk(Exception):
    """The consultant ended the kiosk."""


class Kiosk:
    """The screens of the kiosk, on one console."""

    def __init__(self, content: Content, settings: Settings, console: Any, lang: Lang) -> None:
        self.content, self.lang = content, lang  # lang: the consultant's, until a participant chooses theirs
        self.settings = settings
        self.console = console
        self.collector = Collector(content, settings)

    def run(self) -> int:
        """Take participants until the consultant ends it; return how many were saved."""
        try:
            while True:
                self.participant()
        except EndKiosk:
            pass
        self.wipe()
        return len(self.collector.snapshot())

    # --- one participant ---------------------------------------------------

    def participant(self) -> None:
        lang = self.choose_lang()
        t = self.content.speaker(lang)
        self.welcome(t)
        segment = self.choose_segment(t) if self.settings.segments else None
        questionnaire = self.content.questionnaire
        total = len(questionnaire.statements) + 1
        answers: dict[str, int | None] = {}
        scale = questionnaire.scale
        labels = [f"{p.value} · {p.label(lang)}" for p in scale.points]
        for number, statement in enumerate(questionnaire.statements, start=1):
            options = {str(n): n for n in range(1, len(labels) + 1)}
            note: str | None = None
            not_applicable: str | None = None
            if statement.applies_to is not None and scale.not_applicable is not None:
                note, not_applicable = statement.applies_to(lang), scale.not_applicable(lang)
            answers[statement.id] = self.ask(
                t, number, total, statement.text(lang), labels, scale.dont_know(lang), options, note, not_applicable
            )
        device = secrets.token_hex(16)  # a new participant each time: never replaces anyone
        quote = questionnaire.quote_question
        offered = quotes(self.content, lang, seed=device)
        order = secrets.SystemRandom().sample(sorted(offered), len(offered))
        options = {str(key): level for key, level in enumerate(order, start=1)}
        texts = [offered[level] for level in order]
        answers[quote.id] = self.ask(t, total, total, quote.prompt(lang), texts, quote.none_of_these(lang), options)
        self.save({"device": device, "lang": lang, "segment": segment, "answers": answers})
        self.thanks(t)

    def choose_lang(self) -> Lang:
        """Each declared language by its own name; the way out and the prompt in every one of them."""
        ui, languages = self.content.ui, self.content.languages

        def draw() -> None:
            self.line(ui.say("kiosk.title", self.lang, org=self.settings.org), style="bold")
            for language in languages:
                self.line(ui.say("kiosk.end_hint", language.code), style="dim")
            self.line("")
            for key, language in enumerate(languages, start=1):
                self.line(f"  {key} · {language.name}")

        options = {str(key): code for key, code in enumerate(languages.codes, start=1)}
        prompt = " / ".join(ui.say("kiosk.choose_lang", code) for code in languages.codes)
        return self.choose(draw, prompt, options, problem=None)

    def welcome(self, t: Speaker) -> None:
        questionnaire = self.content.questionnaire
        total = len(questionnaire.statements) + 1
        fields = {"org": self.settings.org, "minutes": questionnaire.minutes(), "count": total}

        def draw() -> None:
            self.line(t("room.welcome_title"), style="bold")
            for key in ("room.welcome_what", "room.welcome_cx"):
                self.line(t(key, **fields))
                self.line("")
            for entry in questionnaire.glossary:
                self.line(t("label", name=entry.term(t.lang)) + " " + entry.meaning(t.lang))
            for key in ("room.welcome_time", "room.welcome_anonymous"):
                self.line("")
                self.line(t(key, **fields))

        self.screen(draw, t("kiosk.begin"))

    def choose_segment(self, t: Speaker) -> str | None:
        names = list(self.settings.segments)

        def draw() -> None:
            self.line(t("room.segment_question"), style="bold")
            for key, name in enumerate(names, start=1):
                self.line(f"  {key} · {name}")
            self.line(f"  0 · {t('room.segment_none')}")

        options: dict[str, str | None] = {str(n): name for n, name in enumerate(names, start=1)}
        return self.choose(draw, t("kiosk.choose"), options | {"0": None}, problem=t("kiosk.invalid"))

    def ask(
        self,
        t: Speaker,
        number: int,
        total: int,
        text: str,
        choices: list[str],
        none: str,
        options: dict[str, int],
        note: str | None = None,
        not_applicable: str | None = None,
    ) -> int | None:
        """One question; only one of the numbers shown, then Enter, records an answer.

        ``note`` says who the statement is for; those it is not for answer
        ``not_applicable`` (key 9), recorded as not answered.
        """

        def draw() -> None:
            self.line(t("room.progress", number=number, total=total), style="dim")
            if note:
                self.line(note)
            self.line(text, style="bold")
            self.line("")
            for key, choice in enumerate(choices, start=1):
                self.line(f"  {key} · {choice}")
            self.line(f"  0 · {none}")
            if not_applicable:
                self.line(f"  {NOT_APPLICABLE} · {not_applicable}")

        allowed: dict[str, int | None] = {**options, "0": None}
        if not_applicable:
            allowed[str(NOT_APPLICABLE)] = None
        return self.choose(draw, t("kiosk.choose"), allowed, problem=t("kiosk.invalid"))

    def thanks(self, t: Speaker) -> None:
        def draw() -> None:
            self.line(t("kiosk.thanks"), style="bold")
            self.line("")

        self.screen(draw, t("kiosk.next_person"))

    def save(self, submission: dict[str, object]) -> None:
        """Save one participant's answers; Ctrl-C waits until the file is written."""
        blocked = hasattr(signal, "pthread_sigmask")
        if blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.collector.accept(submission)
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})

    # --- the terminal ----------------------------------------------------------

    def wipe(self) -> None:
        self.console.file.write(WIPE)
        self.console.file.flush()

    def line(self, text: str, style: str | None = None) -> None:
        self.console.print(text, style=style, markup=False, highlight=False)

    def choose(self, draw: Callable[[], None], prompt: str, options: dict[str, T], problem: str | None) -> T:
        """Show a screen until one of ``options`` is typed; anything else records nothing."""
        shown = draw
        while True:
            typed = self.screen(shown, prompt)
            if typed in options:
                return options[typed]
            if problem is not None:
                shown = _then(draw, lambda: self.line(problem, style="bold"))

    def screen(self, draw: Callable[[], None], prompt: str) -> str:
        """A wiped screen, drawn, and the line typed (stripped); Ctrl-C asks to confirm the end."""
        while True:
            try:
                self.wipe()
                draw()
                return input(prompt + " ").strip()
            except KeyboardInterrupt:
                if self.confirm_end():
                    raise EndKiosk from None
            except EOFError:
                raise EndKiosk from None

    def confirm_end(self) -> bool:
        try:
            self.line("")
            for code in self.content.languages.codes:
                self.line(self.content.ui.say("kiosk.end_confirm", code), style="bold")
            input()
        except (KeyboardInterrupt, EOFError):
            return True
        return False


def _then(first: Callable[[], None], second: Callable[[], None]) -> Callable[[], None]:
    def both() -> None:
        first()
        second()

    return both


def run(content: Content, settings: Settings, lang: Lang) -> int:
    """Run the kiosk in this terminal; print where the answers are and what to run next."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CxError(key="error.kiosk.terminal")
    from rich.console import Console

    console = Console(highlight=False)
    saved = Kiosk(content, settings, console, lang).run()
    t = content.speaker(lang)
    console.print(t("kiosk.ended", count=saved, out=settings.out), markup=False)
    console.print(t("room.next"), markup=False)
    by_segment = " --by-segment" if settings.segments else ""
    console.print(f"  cxculture workshop {shlex.quote(str(settings.out))}{by_segment}", markup=False, soft_wrap=True)
    return saved
