"""What a participant really sees, read from a terminal emulator (pyte) at 40 to 140 columns.

No word is cut at any width, every quote of the quote question is shown whole,
the recap keeps one line per answer, and Enter alone records nothing.
"""

from __future__ import annotations

import json
import re
import sys
import time

import pytest
import yaml

from conftest import clean_env
from cxculture.loading import shipped_folder
from cxculture.questionnaire import participant_quotes
from helpers import CONTENT, IDS, Keyboard

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

TOTAL = len(IDS)
ROWS = TOTAL + 20  # the whole recap fits on the screen
WORD = re.compile(r"\w+")


def vocabulary() -> set[str]:
    """Every word the content may show (a piece of a cut word is, in practice, none of them)."""
    words: set[str] = {"Acme", "Jo"}

    def walk(node: object) -> None:
        if isinstance(node, str):
            words.update(WORD.findall(node))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in ("questionnaire", "ui", "levels"):
        walk(yaml.safe_load((shipped_folder() / f"{name}.yaml").read_text(encoding="utf-8")))
    return words


WORDS = vocabulary()


class Terminal:
    """``cxculture assess`` in a pseudo-terminal of ``columns`` × ``ROWS``, its screen read by pyte."""

    def __init__(self, tmp_path, columns: int, *args: str) -> None:
        self.screen = pyte.Screen(columns, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        env = clean_env(CXCULTURE_CACHE_DIR=str(tmp_path / "cache"), PROMPT_TOOLKIT_NO_CPR="1", COLUMNS="")
        env.pop("COLUMNS")
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "cxculture", "assess", "--out", str(tmp_path / "out"), *args],
            env=env,
            dimensions=(ROWS, columns),
            timeout=20,
            cwd=str(tmp_path),
        )

    def pump(self) -> None:
        while True:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.1))
            except pexpect.TIMEOUT:
                return
            except pexpect.EOF:
                return

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def wait(self, what: str, timeout: float = 20) -> list[str]:
        """Read until a line of the screen matches the pattern ``what``; return the screen's lines."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            lines = self.lines()
            if any(re.search(what, line) for line in lines):
                return lines
        raise AssertionError(f"never shown: {what!r}\n" + "\n".join(self.lines()))

    def send(self, keys: str) -> None:
        self.child.send(keys)


def cut_words(lines: list[str]) -> list[str]:
    return [word for line in lines for word in WORD.findall(line) if word not in WORDS and not word.isdigit()]


def question_screen(term: Terminal, number: int) -> list[str]:
    term.wait(rf"Question {number}/{TOTAL}\b")
    lines = term.wait(r"0\) ")  # the options are drawn
    start = max(i for i, line in enumerate(lines) if re.search(rf"Question {number}/{TOTAL}\b", line))
    return lines[start:]


def flat(lines: list[str]) -> str:
    """The screen's text as one line, pointers and option keys left out."""
    text = " ".join(re.sub(r"^(❯ |  )\d\) ", "", line).strip() for line in lines)
    return " ".join(text.split())


@pytest.mark.parametrize("columns", [40, 60, 80, 140])
def test_every_screen_fits_without_cutting_a_word(tmp_path, columns):
    lang = "en"
    term = Terminal(tmp_path, columns, "--lang", lang, "--org", "Acme", "--participant", "Jo")
    # Enter alone records nothing: the first question stays, with a word on what to do
    first = question_screen(term, 1)
    assert cut_words(first) == []
    term.send(Keyboard.ENTER)
    warned = term.wait(re.escape(CONTENT.ui.say("ask.choose_first", lang).split()[0]))
    assert any(f"Question 1/{TOTAL}" in line for line in warned)
    term.send("4" + Keyboard.ENTER)
    for number in range(2, TOTAL + 1):
        screen = question_screen(term, number)
        assert cut_words(screen) == [], f"question {number} at {columns} columns:\n" + "\n".join(screen)
        if number == TOTAL:
            shown = flat(screen)
            quotes = participant_quotes(CONTENT, lang, "Acme\0Jo")
            for quote in quotes.values():
                assert " ".join(quote.split()) in shown
        term.send(("4" if number < TOTAL else "0") + Keyboard.ENTER)
    recap = term.wait(rf"^\s*(❯ )?\s*{TOTAL}\. ")
    top = next(i for i, line in enumerate(recap) if CONTENT.ui.say("ask.confirm", lang) in line)
    rows = [line for line in recap[top + 1 :] if line]
    assert len(rows) == TOTAL and all(re.match(r"^\s+\d+\. ", row) for row in rows), "\n".join(recap)
    assert all(len(line) < columns for line in recap)
    assert cut_words(recap) == []
    term.send(Keyboard.ENTER)
    term.wait(re.escape(CONTENT.ui.say("done.title", lang)))
    term.child.expect(pexpect.EOF)
    (saved,) = (tmp_path / "out").glob("*.json")
    answers = json.loads(saved.read_text(encoding="utf-8"))["answers"]
    assert answers[IDS[0]] == 4 and answers[IDS[-1]] is None


def test_french_at_60_columns_welcome_and_no_cut_word(tmp_path):
    term = Terminal(tmp_path, 60, "--lang", "fr", "--org", "Acme", "--participant", "Jo")
    screen = question_screen(term, 1)
    assert cut_words(screen) == []
    welcome = term.lines()
    assert CONTENT.ui.say("welcome.title", "fr") in welcome or any("Question 1/" in line for line in welcome)
    term.child.sendintr()
    term.child.expect(pexpect.EOF)


def test_the_cut_word_detector_sees_a_cut_word():
    """The check above can fail: a statement wrapped mid-word is caught."""
    text = CONTENT.questionnaire.statements[0].text("en")
    assert cut_words([text[:30], text[30:]]) != [] or text[29] == " " or text[30] == " "
    assert cut_words(["organi", "sation"]) == ["organi", "sation"]


@pytest.mark.parametrize("width", [40, 41, 57, 80, 139, 200])
def test_wrapped_lines_fit_and_keep_every_word_whole(width):
    from cxculture.prompts import Option, option_lines, shorten, wrap

    for statement in CONTENT.questionnaire.statements:
        for lang in ("fr", "en"):
            text = statement.text(lang)
            lines = wrap(text, width)
            assert all(len(line) <= width for line in lines)
            assert " ".join(lines).split() == text.split() or "\u00a0" in text
            option = option_lines(Option("1", text, 1), width, pointed=True)
            assert all(len(line) <= width for line in option)
            short = shorten(text, width)
            assert len(short) <= width
            kept, whole = short.removesuffix("…"), re.sub(r"[ \n]+", " ", text)
            assert whole.startswith(kept) and (kept == whole or not whole[len(kept)].isalnum())
