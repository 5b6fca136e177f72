"""``assess`` driven through a real pseudo-terminal: names, questions, recap, Ctrl-C and resume.

The prompts are questionary's, rendered by prompt_toolkit; the tests wait for
each prompt to be drawn before typing, as a person would.
"""

from __future__ import annotations

import json
import sys

import pytest

from conftest import as_answered, clean_env, run_subprocess
from cxculture.loading import Content
from helpers import CONTENT, IDS, Keyboard

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

TIMEOUT = 20
TOTAL = len(IDS)
QUOTE_ID = CONTENT.questionnaire.quote_question.id
STATEMENTS = CONTENT.questionnaire.statements
# A select is drawn (and reading keys) once its last choice is on screen.
CHOICES_DRAWN = r"0\) (Don't know|None of these fits)"


def spawn(tmp_path, *args: str):
    env = clean_env(
        CXCULTURE_CACHE_DIR=str(tmp_path / "cache"),
        # the pty does not answer cursor-position requests; do not wait for them
        PROMPT_TOOLKIT_NO_CPR="1",
    )
    return pexpect.spawn(
        sys.executable,
        ["-m", "cxculture", "assess", "--out", str(tmp_path / "out"), *args],
        env=env,
        encoding="utf-8",
        dimensions=(40, 120),
        timeout=TIMEOUT,
        cwd=str(tmp_path),
    )


def give_names(child, org: str, participant: str, segment: str) -> None:
    for prompt, typed in (("Organisation:", org), ("Your name", participant), ("Your group", segment)):
        child.expect_exact(prompt)
        child.send(typed + Keyboard.ENTER)


def answer(child, number: int, key: str) -> None:
    child.expect(rf"Question {number}/{TOTAL}\b")
    child.expect(CHOICES_DRAWN)
    child.send(key + Keyboard.ENTER)


def answer_range(child, keys: dict[str, str], first: int = 1) -> None:
    for number in range(first, TOTAL + 1):
        answer(child, number, keys[IDS[number - 1]])


def wait_recap(child, showing: str = "") -> None:
    """Wait for the recap list to be drawn (with ``showing`` in one of its lines)."""
    child.expect_exact("Recap: pick an answer")
    if showing:
        child.expect_exact(showing)
    child.expect_exact(f"{TOTAL}. ")  # the last line of the list


def exit_status(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def saved_results(tmp_path) -> list[dict]:
    files = sorted((tmp_path / "out").glob("*.json"))
    return [json.loads(f.read_text(encoding="utf-8")) for f in files if not f.name.endswith(".partial.json")]


def level_two_keys() -> dict[str, str]:
    """Every 1→2 focus-area statement fully agreed, every 2→3 one disagreed: level 2."""
    unlocks = {area.id: level for level, area in CONTENT.levels.focus_areas()}
    keys = {}
    for statement in STATEMENTS:
        if statement.pillar is not None:
            keys[statement.id] = "3"
        else:
            keys[statement.id] = "5" if unlocks[statement.focus_area] == 2 else "1"
    keys = {qid: str(value) for qid, value in as_answered({qid: int(key) for qid, key in keys.items()}).items()}
    keys[QUOTE_ID] = "0"
    return keys


def as_answers(keys: dict[str, str]) -> dict[str, int | None]:
    return {qid: None if key == "0" else int(key) for qid, key in keys.items()}


def test_full_run_by_shortcut_keys(tmp_path):
    keys = level_two_keys()
    child = spawn(tmp_path, "--lang", "en")
    give_names(child, "Açme 🚀", "Zoé Ω", "managers")
    answer_range(child, keys)
    wait_recap(child)
    child.send(Keyboard.ENTER)  # the pointer starts on "confirm"
    assert exit_status(child) == 0

    (result,) = saved_results(tmp_path)
    assert result["answers"] == as_answers(keys)
    assert result["level"] == 2
    assert result["perceived_level"] is None
    assert (result["org"], result["participant"], result["segment"]) == ("Açme 🚀", "Zoé Ω", "managers")
    assert result["lang"] == "en"


def test_an_answer_changed_at_the_recap_is_saved(tmp_path):
    keys = dict.fromkeys(IDS, "4")
    keys[QUOTE_ID] = "1"
    child = spawn(tmp_path, "--lang", "en", "--org", "Acme", "--participant", "Jo")
    answer_range(child, keys)  # no name prompts: both were given as options
    wait_recap(child)
    child.send(Keyboard.DOWN * 3 + Keyboard.ENTER)  # down past "confirm" and questions 1, 2: question 3
    answer(child, 3, "2")
    wait_recap(child, showing=f"→ 2 · {CONTENT.questionnaire.scale.points[1].label('en')}")
    child.send(Keyboard.ENTER)
    assert exit_status(child) == 0

    (result,) = saved_results(tmp_path)
    expected = as_answers(keys) | {IDS[2]: 2}
    assert {qid: v for qid, v in result["answers"].items() if qid != QUOTE_ID} == {
        qid: v for qid, v in expected.items() if qid != QUOTE_ID
    }
    assert result["answers"][QUOTE_ID] in {1, 2, 3, 4, 5}  # quotes are shuffled: any level
    assert result["perceived_level"] == result["answers"][QUOTE_ID]


def test_ctrl_c_keeps_the_answers_and_resume_asks_the_rest(tmp_path):
    given = 5
    child = spawn(tmp_path, "--lang", "en")
    give_names(child, "Acme", "Jo", "")
    for number in range(1, given + 1):
        answer(child, number, "3")
    child.expect(rf"Question {given + 1}/{TOTAL}\b")
    child.expect(CHOICES_DRAWN)
    child.sendintr()
    child.expect(r"kept in (\S+\.partial\.json)")
    partial = tmp_path / "out" / child.match.group(1).rsplit("/", 1)[-1]
    assert exit_status(child) == 130

    data = json.loads(partial.read_text(encoding="utf-8"))
    assert data["answers"] == dict.fromkeys(IDS[:given], 3)
    assert (data["org"], data["participant"], data["lang"]) == ("Acme", "Jo", "en")

    child = spawn(tmp_path, "--resume", str(partial))
    child.expect(rf"Question (\d+)/{TOTAL}\b")
    assert int(child.match.group(1)) == given + 1
    assert "Organisation" not in child.before
    child.expect(CHOICES_DRAWN)
    rest = dict.fromkeys(IDS[given:], "5") | {QUOTE_ID: "0"}
    child.send(rest[IDS[given]] + Keyboard.ENTER)
    answer_range(child, rest, first=given + 2)
    wait_recap(child)
    child.send(Keyboard.ENTER)
    assert exit_status(child) == 0

    (result,) = saved_results(tmp_path)
    assert result["answers"] == dict.fromkeys(IDS[:given], 3) | as_answers(rest)
    assert (result["org"], result["participant"], result["lang"]) == ("Acme", "Jo", "en")
    assert not partial.exists()


def test_assess_without_a_terminal_asks_for_an_answers_file(tmp_path):
    env = clean_env(CXCULTURE_CACHE_DIR=str(tmp_path / "cache"))
    done = run_subprocess("assess", "--out", str(tmp_path / "out"), cwd=tmp_path, env=env)
    assert done.code == 2
    assert "--answers" in done.err
    assert not (tmp_path / "out").exists()


def test_quote_order_is_kept_for_a_participant_and_varies_between_them():
    """So that --resume shows the quotes as before, and no level is always listed first."""
    import questionary

    from cxculture.answers import AnswerSet
    from cxculture.questionnaire import Interview

    def order(org, participant):
        return Interview(questionary, Content(), AnswerSet({}, org, participant), "fr").quote_order()

    assert order("Acme", "Jo") == order("Acme", "Jo")
    assert sorted(order("Acme", "Jo")) == [1, 2, 3, 4, 5]
    assert len({tuple(order("Acme", f"p{n}")) for n in range(20)}) > 5


def test_anonymous_asks_no_name_and_stores_none(tmp_path):
    keys = level_two_keys()
    child = spawn(tmp_path, "--lang", "en", "--anonymous")
    child.expect_exact("Organisation:")
    child.send("Acme" + Keyboard.ENTER)
    child.expect_exact("Your group")
    assert "Your name" not in child.before  # the name prompt never came
    child.send("frontline" + Keyboard.ENTER)
    answer_range(child, keys)
    wait_recap(child)
    child.send(Keyboard.ENTER)
    assert exit_status(child) == 0
    (result,) = saved_results(tmp_path)
    assert (result["org"], result["participant"], result["segment"]) == ("Acme", None, "frontline")
