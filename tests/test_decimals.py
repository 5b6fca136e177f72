"""Numbers as a reader writes them: a decimal comma in French, a point in English; JSON keeps numbers."""

from __future__ import annotations

import json
import re

import pytest

from conftest import as_answered
from cxculture.lang import decimal
from helpers import AREAS, CONTENT, IDS, TEAM_STATEMENTS, make, write_answers
from mdtools import lint, tables

POINT, COMMA = re.compile(r"\d\.\d"), re.compile(r"\d,\d")
# Every statement at 5 but the cross-functional team's at 2: level 2, held by that one area.
HELD = as_answered(dict.fromkeys(IDS, 5) | dict.fromkeys(TEAM_STATEMENTS, 2))
TEAM = "cross-functional-team"


def area_name(area_id: str, lang: str) -> str:
    return next(area.name(lang) for _, area in CONTENT.levels.focus_areas() if area.id == area_id)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [(3.5, "3,5", "3.5"), (2, "2,0", "2.0"), (10 / 3, "3,3", "3.3"), (-0.5, "-0,5", "-0.5"), (None, "—", "—")],
)
def test_decimal(value, fr, en):
    french, english = CONTENT.languages["fr"], CONTENT.languages["en"]  # their separators come from languages.yaml
    assert (decimal(value, french), decimal(value, english)) == (fr, en)


@pytest.mark.parametrize(
    ("lang", "threshold", "score", "gap"), [("fr", "3,5", "2,0", "1,5"), ("en", "3.5", "2.0", "1.5")]
)
def test_assessment_text(cx, tmp_path, lang, threshold, score, gap):
    run = cx("assess", "--answers", write_answers(tmp_path, HELD), "--no-save", "--lang", lang)
    assert run.code == 0, run.err
    t, name = CONTENT.speaker(lang), area_name(TEAM, lang)
    assert flat(t("explain.held", level=2, next=3, threshold=threshold)) in flat(run.out)
    assert flat(t("explain.area_gap", name=name, score=score, gap=gap)) in flat(run.out)
    [row] = [line for line in run.out.splitlines() if name in line and "█" in line]
    assert row.endswith(f"░ {score}")
    assert (POINT if lang == "fr" else COMMA).search(run.out) is None  # no number in the other style


@pytest.mark.parametrize(("lang", "score", "full"), [("fr", "2,0", "5,0"), ("en", "2.0", "5.0")])
def test_assessment_markdown(cx, tmp_path, lang, score, full):
    run = cx("assess", "--answers", write_answers(tmp_path, HELD), "--no-save", "--lang", lang, "--format", "md")
    assert run.code == 0, run.err
    assert lint(run.out) == []
    focus_areas, pillars, _answers = tables(run.out)
    assert [row[2] for row in focus_areas[1]] == [
        score if row[0] == area_name(TEAM, lang) else full for row in focus_areas[1]
    ]
    assert [row[1] for row in pillars[1]] == [full] * len(CONTENT.pillars.pillars)
    assert (POINT if lang == "fr" else COMMA).search(run.out) is None


def test_assessment_json_keeps_numbers(cx, tmp_path):
    run = cx("assess", "--answers", write_answers(tmp_path, HELD), "--no-save", "--lang", "fr", "--format", "json")
    data = json.loads(run.out)
    scores = {a["id"]: a["score"] for a in data["focus_areas"]}
    assert scores[TEAM] == 2.0 and all(type(s) is float for s in scores.values())
    assert '"score": 2.0' in run.out and "2,0" not in run.out


def two_segments(folder):
    make(folder, 4, name="a", segment="leaders", areas={"cx-champions": [1, 1, 1], TEAM: [3, 4]})
    make(folder, 4, name="b", segment="frontline", areas={"cx-champions": [5, 5, 4], TEAM: [5, 5]})


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_workshop_text_and_markdown(cx, tmp_path, lang):
    two_segments(tmp_path)
    t = CONTENT.speaker(lang)
    n = (lambda s: s.replace(".", ",")) if lang == "fr" else (lambda s: s)
    champions = area_name("cx-champions", lang)
    run = cx("workshop", tmp_path, "--by-segment", "--min-group", "1", "--lang", lang)
    assert run.code == 0, run.err
    text = flat(run.out)
    half = t("workshop.percent", value=50)
    assert flat(t("workshop.reason_holding", name=champions, next=2, score=n("2.8"), share=half)) in text
    assert (
        flat(
            t(
                "workshop.gap",
                name=champions,
                gap=n("3.7"),
                high="frontline",
                high_score=n("4.7"),
                low="leaders",
                low_score=n("1.0"),
            )
        )
        in text
    )
    none = t("workshop.percent", value=0)
    assert flat(f"{champions} {n('2.8')} {half} 2 {none}") in text  # score, met for, scored, don't know
    assert (POINT if lang == "fr" else COMMA).search(run.out) is None
    # the Rich table of segments stays aligned: every line as wide, scores right-aligned
    grid = [line for line in run.out.splitlines() if line.startswith(("┃", "│", "┏", "┡", "└"))]
    assert len({len(line) for line in grid}) == 1
    [row] = [line for line in grid if champions in line]
    assert re.fullmatch(rf"│ {re.escape(champions)} +│ +{re.escape(n('4.7'))} │ +{re.escape(n('1.0'))} │", row)

    md = cx("workshop", tmp_path, "--by-segment", "--min-group", "1", "--lang", lang, "--format", "md").out
    assert lint(md) == []
    areas, *_per_statement, pillars, segments = tables(md)
    assert areas[1][0][1:4] == [n("2.8"), t("result.no"), half]
    assert all(len(row) == len(areas[0]) for row in areas[1]) and len(areas[1]) == len(AREAS)
    assert [row[1] for row in pillars[1]] == [n("4.0")] * len(CONTENT.pillars.pillars)
    assert segments[1][1] == [champions, n("4.7"), n("1.0")]
    assert (POINT if lang == "fr" else COMMA).search(md) is None


def test_workshop_json_keeps_numbers(cx, tmp_path):
    two_segments(tmp_path)
    fr = cx("workshop", tmp_path, "--by-segment", "--lang", "fr", "--format", "json").out
    assert fr == cx("workshop", tmp_path, "--by-segment", "--lang", "en", "--format", "json").out
    champions = json.loads(fr)["focus_areas"][0]
    assert (champions["min"], champions["max"], champions["spread"]) == pytest.approx((1.0, 14 / 3, 11 / 3))
    assert all(type(champions[k]) is float for k in ("score", "min", "max", "spread"))
    assert COMMA.search(fr) is None


def cells(text: str, name: str) -> list[str]:
    """The cells of the Rich table row that starts with ``name``."""
    [row] = [line for line in text.splitlines() if line.startswith(f"│ {name} ")]
    return [cell.strip() for cell in row.strip("│").split("│")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_compare_text_and_json(cx, tmp_path, lang):
    n = (lambda s: s.replace(".", ",")) if lang == "fr" else (lambda s: s)
    name = area_name("cx-champions", lang)
    files = [make(tmp_path / str(v), v, created_at=f"202{i}-01-01T00:00:00+00:00") for i, v in enumerate((2, 4, 3))]
    run = cx("compare", *files, "--lang", lang)
    assert run.code == 0, run.err
    assert cells(run.out, name)[1:] == [n("2.0"), n("3.0"), n("↑ +1.0"), n("2.0 → 4.0 → 3.0")]
    assert (POINT if lang == "fr" else COMMA).search(run.out) is None
    assert cells(cx("compare", files[1], files[2], "--lang", lang).out, name)[1:] == [n("4.0"), n("3.0"), n("↓ -1.0")]
    twin = tmp_path / "twin.json"  # the same figures in another file (one file named twice counts once)
    twin.write_bytes(files[0].read_bytes())
    assert cells(cx("compare", files[0], twin, "--lang", lang).out, name)[1:] == [n("2.0"), n("2.0"), n("= 0.0")]
    json_out = cx("compare", *files, "--lang", lang, "--format", "json").out
    champions = json.loads(json_out)["focus_areas"][0]
    assert champions["scores"] == [2.0, 4.0, 3.0] and (champions["change"], type(champions["change"])) == (1.0, float)
    assert COMMA.search(json_out) is None


def test_cached_screens_are_kept_per_language(cx, tmp_path, monkeypatch):
    """Read-only screens are cached (views/screen.py); the language is part of their key."""
    monkeypatch.setenv("CXCULTURE_CACHE_DIR", str(tmp_path / "cache"))
    english = cx("guide", "--level", "2", "--lang", "en").out
    french = cx("guide", "--level", "2", "--lang", "fr").out  # not the cached English screen
    assert french != english and french.startswith(CONTENT.ui.say("guide.title", "fr", level=2, name=""))
    assert (cx("guide", "--level", "2", "--lang", "en").out, cx("guide", "--level", "2", "--lang", "fr").out) == (
        english,
        french,
    )
    assert len(list((tmp_path / "cache" / "screens").glob("*.txt"))) == 2
