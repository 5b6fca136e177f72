"""``assess --kiosk`` through a real pseudo-terminal: two participants in turn, then the consultant ends it."""

from __future__ import annotations

import json
import re
import sys

import pytest

from conftest import clean_env
from helpers import CONTENT, IDS, Keyboard

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

TOTAL = len(IDS)
STATEMENTS = CONTENT.questionnaire.statements
WIPE = "\x1b[H\x1b[2J\x1b[3J"


def spawn(tmp_path, *args: str):
    env = clean_env(CXCULTURE_CACHE_DIR=str(tmp_path / "cache"))
    return pexpect.spawn(
        sys.executable,
        ["-m", "cxculture", "assess", "--kiosk", "--org", "Acme", "--out", str(tmp_path / "out"), *args],
        env=env,
        encoding="utf-8",
        dimensions=(40, 120),
        timeout=20,
        cwd=str(tmp_path),
    )


def type_line(child, prompt: str, typed: str) -> None:
    child.expect_exact(prompt)
    child.send(typed + Keyboard.ENTER)


def participant(child, lang_key: str, segment_key: str, value: str) -> str:
    """One person's whole turn; returns everything the screen showed them."""
    seen = []
    type_line(child, "number of your language, then Enter:", lang_key)
    lang = "fr" if lang_key == "1" else "en"
    t = CONTENT.speaker(lang)
    type_line(child, t("kiosk.begin"), "")
    type_line(child, t("kiosk.choose"), segment_key)
    for number in range(1, len(STATEMENTS) + 1):
        child.expect_exact(t("room.progress", number=number, total=TOTAL))
        seen.append(child.before)
        if number == 1:  # stray input: Enter alone, a letter, an out-of-range number record nothing
            for stray in ("", "x", "9", "12"):
                type_line(child, t("kiosk.choose"), stray)
                child.expect_exact(t("kiosk.invalid"))
        type_line(child, t("kiosk.choose"), value)
    child.expect_exact(t("room.progress", number=TOTAL, total=TOTAL))
    type_line(child, t("kiosk.choose"), "0")
    child.expect_exact(t("kiosk.thanks"))
    seen.append(child.before)
    type_line(child, t("kiosk.next_person"), "")
    child.expect_exact(WIPE)
    return "".join(seen)


def test_two_participants_in_turn_never_see_each_other(tmp_path):
    child = spawn(tmp_path, "--segments", "Direction,Terrain", "--lang", "en", "--wave", "T1")
    child.expect_exact("Ctrl-C twice in a row ends the kiosk")  # the way out is shown at start
    participant(child, "1", "2", "4")
    second = participant(child, "2", "0", "2")
    assert "Terrain" not in second.split(WIPE)[-1]  # the first person's choices are gone from the screen
    # the consultant ends it: Ctrl-C, then Ctrl-C again to confirm
    child.expect_exact("2 · English")
    child.sendintr()
    child.expect_exact(CONTENT.ui.say("kiosk.end_confirm", "en"))
    child.sendintr()
    child.expect(r"Kiosk ended: 2 answer\(s\) saved")
    child.expect_exact("cxculture workshop")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    files = sorted((tmp_path / "out").glob("*.json"))
    results = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    assert len(results) == 2
    by_lang = {r["lang"]: r for r in results}
    assert by_lang["fr"]["segment"] == "Terrain" and by_lang["en"]["segment"] is None
    for result, value in ((by_lang["fr"], 4), (by_lang["en"], 2)):
        assert result["answers"] == dict.fromkeys(IDS[:-1], value) | {IDS[-1]: None}
        assert result["participant"] is None and result["org"] == "Acme" and result["wave"] == "T1"


def test_one_ctrl_c_alone_does_not_end_it_and_unfinished_answers_are_not_kept(tmp_path):
    child = spawn(tmp_path, "--lang", "en")
    type_line(child, "2 · English", "2")
    type_line(child, "Press Enter to begin.", "")
    type_line(child, "Type a number, then Enter:", "5")
    child.expect_exact(f"Question 2 of {TOTAL}")
    child.sendintr()
    child.expect_exact("End the kiosk?")
    child.send(Keyboard.ENTER)  # go on: question 2 is asked again
    child.expect_exact(f"Question 2 of {TOTAL}")
    child.sendintr()
    child.expect_exact("End the kiosk?")
    child.sendintr()
    child.expect(r"Kiosk ended: 0 answer\(s\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not list((tmp_path / "out").glob("*.json"))


def test_kiosk_refuses_names_and_needs_a_terminal(tmp_path, cx):
    assert cx("assess", "--kiosk", "--org", "Acme", "--participant", "Jo").code == 2
    done = cx("assess", "--kiosk")
    assert done.code == 2 and "--org" in done.err
    done = cx("assess", "--kiosk", "--org", "Acme", "--out", tmp_path / "out")
    assert done.code == 2 and "terminal" in done.err
    assert re.search("--segments", cx("assess", "--segments", "A,B", "--answers", "x.json").err)
