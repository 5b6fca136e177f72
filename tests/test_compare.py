"""compare: results or workshop syntheses over time, level and focus-area changes, trend."""

from __future__ import annotations

import json

import pytest

from helpers import AREAS, CONTENT, make
from mdtools import headings, lint, tables


def run_json(cx, *files):
    run = cx("compare", *files, "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out)


def test_two_results(cx, tmp_path):
    before = make(tmp_path / "a", 2, created_at="2025-01-10T10:00:00+01:00")
    after = make(tmp_path / "b", 4, areas={"cx-leader": [3, 3]}, created_at="2026-01-10T10:00:00+01:00")
    data = run_json(cx, after, before)  # put back in time order
    assert [f["path"] for f in data["files"]] == [str(before), str(after)]
    assert data["level"] == {"before": 1, "after": 3, "change": 2}
    champions = data["focus_areas"][0]
    assert (champions["before"], champions["after"], champions["change"], champions["direction"]) == (
        2.0,
        4.0,
        2.0,
        "up",
    )
    assert "cx-champions" in data["became_met"] and "cx-leader" not in data["became_met"]
    assert data["stopped_met"] == [] and data["trend"] is False
    text = cx("compare", before, after, "--lang", "en").out
    assert "Level: 1 → 3" in text and "↑ +2.0" in text and "Now met:" in text


def test_three_results_trend_and_stopped_met(cx, tmp_path):
    files = [
        make(tmp_path / "1", 4, created_at="2025-01-01T00:00:00+00:00"),
        make(tmp_path / "2", 5, created_at="2025-06-01T00:00:00+00:00"),
        make(tmp_path / "3", 3, created_at="2026-01-01T00:00:00+00:00"),
    ]
    data = run_json(cx, files[2], files[0], files[1])
    assert data["trend"] is True
    assert data["focus_areas"][0]["scores"] == [4.0, 5.0, 3.0]
    assert data["focus_areas"][0]["direction"] == "down"
    assert data["stopped_met"] == AREAS and data["level"] == {"before": 5, "after": 1, "change": -4}
    text = cx("compare", *files, "--lang", "en").out
    assert "4.0 → 5.0 → 3.0" in text and "No longer met:" in text


def test_workshop_json_files(cx, tmp_path):
    for i, value in enumerate((2, 3)):
        make(tmp_path / "w1", value, name=f"p{i}", created_at="2025-01-01T09:00:00+00:00")
    for i, value in enumerate((4, 5)):
        make(tmp_path / "w2", value, name=f"p{i}", created_at="2026-01-01T09:00:00+00:00")
    paths = []
    for name in ("w2", "w1"):
        out = cx("workshop", tmp_path / name, "--format", "json").out
        assert json.loads(out)["created_at"].startswith(("2025", "2026"))
        path = tmp_path / f"{name}.json"
        path.write_text(out, encoding="utf-8")
        paths.append(path)
    data = run_json(cx, *paths)
    assert [f["kind"] for f in data["files"]] == ["workshop", "workshop"]
    assert [f["participants"] for f in data["files"]] == [2, 2]
    assert data["level"] == {"before": 1, "after": 5, "change": 4}
    assert data["focus_areas"][0]["before"] == 2.5 and data["focus_areas"][0]["after"] == 4.5
    # a result and a workshop can be compared too
    single = make(tmp_path / "me", 3, created_at="2027-01-01T00:00:00+00:00")
    mixed = run_json(cx, paths[1], single)
    assert [f["kind"] for f in mixed["files"]] == ["workshop", "result"]


def test_argument_order_kept_without_dates(cx, tmp_path):
    first = tmp_path / "first.json"
    first.write_text(
        json.dumps({"participants": 3, "level": 2, "focus_areas": [{"id": "cx-champions", "score": 3.6, "met": True}]})
    )
    second = make(tmp_path, 2, created_at="2020-01-01T00:00:00+00:00")
    data = run_json(cx, first, second)
    assert [f["path"] for f in data["files"]] == [str(first), str(second)]
    assert data["stopped_met"] == ["cx-champions"]
    assert data["focus_areas"][1]["before"] is None and data["focus_areas"][1]["direction"] == "none"


@pytest.mark.parametrize("content", ["{", '{"participants": 2}', "[]"])
def test_bad_files_are_named(cx, tmp_path, content):
    good = make(tmp_path, 3)
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    run = cx("compare", good, bad)
    assert run.code == 2 and str(bad) in run.err


@pytest.mark.usefixtures("english")
def test_needs_two_files(cx, tmp_path):
    run = cx("compare", make(tmp_path, 3))
    assert run.code == 2 and "two" in run.err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_markdown_export(cx, tmp_path, lang):
    files = [make(tmp_path / str(v), v, created_at=f"202{i}-01-01T00:00:00+00:00") for i, v in enumerate((2, 4, 3))]
    export = tmp_path / "progress.md"
    run = cx("compare", *files, "--lang", lang, "--export", export)
    assert run.code == 0, run.err
    text = export.read_text(encoding="utf-8")
    assert lint(text) == []
    t = CONTENT.speaker(lang)
    assert headings(text) == [
        ("h1", t("compare.title")),
        ("h2", t("compare.files")),
        ("h2", t("compare.focus_areas")),
        ("h2", t("compare.pillars")),
    ]
    (header, rows), (_, pillars) = tables(text)
    assert len(pillars) == len(CONTENT.pillars.pillars)
    assert header[-1] == t("compare.col_trend") and len(rows) == len(AREAS)
    expected = ("2.0 → 4.0 → 3.0", "↑ +1.0") if lang == "en" else ("2,0 → 4,0 → 3,0", "↑ +1,0")
    assert (rows[0][-1], rows[0][-2]) == expected  # French writes a decimal comma


@pytest.mark.usefixtures("english")
def test_files_from_other_content_are_noted(cx, tmp_path):
    before = make(tmp_path / "a", 2, created_at="2025-01-01T09:00:00+00:00")
    after = make(tmp_path / "b", 4, created_at="2026-01-01T09:00:00+00:00")
    assert cx("compare", before, after).err == ""
    older = json.loads(before.read_text(encoding="utf-8")) | {"content_id": "sha256:older"}
    before.write_text(json.dumps(older), encoding="utf-8")
    synthesis = tmp_path / "w.json"
    figures = json.loads(cx("workshop", tmp_path / "b", "--format", "json").out) | {"content_id": "sha256:older"}
    synthesis.write_text(json.dumps(figures), encoding="utf-8")
    run = cx("compare", before, synthesis)
    assert run.code == 0
    notes = run.err.splitlines()
    assert len(notes) == 2 and all("sha256:older" in n for n in notes)
    assert str(before) in notes[0] and "re-scored" in notes[0]
    assert str(synthesis) in notes[1] and "as computed then" in notes[1]


# --- one subject, figures that add up, pillars, head counts, segments ---------------------


def synthesis(path, score: float, **extra):
    figures = {"participants": 7, "level": 1, "focus_areas": [{"id": AREAS[0], "score": score, "met": False}]}
    path.write_text(json.dumps(figures | extra), encoding="utf-8")
    return path


def test_two_different_people_are_refused_unless_forced(cx, tmp_path):
    elodie = make(tmp_path / "e", 2, name="Élodie", created_at="2025-01-01T00:00:00+00:00")
    tom = make(tmp_path / "t", 4, name="Tom", created_at="2026-01-01T00:00:00+00:00")
    run = cx("compare", elodie, tom)
    assert run.code == 2 and str(elodie) in run.err and str(tom) in run.err and "--force" in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert cx("compare", elodie, tom, "--force").code == 0
    again = make(tmp_path / "e2", 3, name=" élodie ", created_at="2026-01-01T00:00:00+00:00")
    assert cx("compare", elodie, again).code == 0  # the same person, written differently


def test_different_organisations_are_refused(cx, tmp_path):
    acme = make(tmp_path / "a", 2, created_at="2025-01-01T00:00:00+00:00")
    other = make(tmp_path / "b", 4, org="Dupré Bakeries", created_at="2026-01-01T00:00:00+00:00")
    run = cx("compare", acme, other)
    assert run.code == 2 and "Dupré Bakeries" in run.err and "Acme" in run.err


@pytest.mark.usefixtures("english")
def test_the_same_file_twice_counts_once(cx, tmp_path):
    before = make(tmp_path / "a", 2, created_at="2025-01-01T00:00:00+00:00")
    after = make(tmp_path / "b", 4, created_at="2026-01-01T00:00:00+00:00")
    data = run_json(cx, before, after, before, tmp_path / "a" / "." / before.name)
    assert len(data["files"]) == 2 and data["trend"] is False
    run = cx("compare", before, before)
    assert run.code == 2 and "two" in run.err


def test_changes_add_up_as_displayed(cx, tmp_path):
    first = synthesis(tmp_path / "w1.json", 2.54, created_at="2025-01-01T00:00:00+00:00")
    second = synthesis(tmp_path / "w2.json", 3.16, created_at="2026-01-01T00:00:00+00:00")
    area = run_json(cx, first, second)["focus_areas"][0]
    assert (area["before"], area["after"], area["change"]) == (2.54, 3.16, 0.7)  # 3.2 − 2.5, not 0.62
    text = cx("compare", first, second, "--lang", "en").out
    assert "2.5" in text and "3.2" in text and "↑ +0.7" in text


def test_head_counts_and_pillars(cx, tmp_path):
    for i, value in enumerate((2, 3, 3)):
        make(tmp_path / "w1", value, name=f"p{i}", created_at="2025-01-01T09:00:00+00:00")
    for i, value in enumerate((4, 5)):
        make(tmp_path / "w2", value, name=f"p{i}", created_at="2026-01-01T09:00:00+00:00")
    paths = []
    for name in ("w1", "w2"):
        path = tmp_path / f"{name}.json"
        path.write_text(cx("workshop", tmp_path / name, "--format", "json").out, encoding="utf-8")
        paths.append(path)
    data = run_json(cx, *paths)
    assert [f["participants"] for f in data["files"]] == [3, 2]
    pillar = data["pillars"][0]
    assert (pillar["id"], pillar["before"], pillar["after"], pillar["change"]) == ("purpose", 8 / 3, 4.5, 1.8)
    text = " ".join(cx("compare", *paths, "--lang", "en").out.split())
    assert "3 participant(s)" in text and "2 participant(s)" in text
    assert CONTENT.pillars.pillars[0].name("en") in text and "↑ +1.8" in text


def test_segments_over_time_respect_min_group(cx, tmp_path):
    paths = []
    for wave, (terrain, leaders) in enumerate([("Terrain", "Leaders"), (" terrain", "leaders")]):
        folder = tmp_path / f"w{wave}"
        stamp = f"202{5 + wave}-01-01T09:00:00+00:00"
        for n in range(6):
            make(folder, 2 + wave * 2, name=f"t{n}", segment=terrain, created_at=stamp)
        for n in range(2):
            make(folder, 5, name=f"l{n}", segment=leaders, created_at=stamp)
        path = tmp_path / f"w{wave}.json"
        made = cx("workshop", folder, "--by-segment", "--min-group", "2", "--format", "json").out
        path.write_text(made, encoding="utf-8")
        paths.append(path)
    data = run_json(cx, *paths)  # compare's own --min-group (5) hides what the syntheses showed
    rows = {row["name"]: row for row in data["segments"]}
    assert set(rows) == {"Terrain", "Leaders"} or set(rows) == {"terrain", "Leaders"}
    leaders = rows["Leaders"]
    assert leaders == {"name": "Leaders", "participants": [2, 2], "suppressed": True}
    terrain = next(r for n, r in rows.items() if n != "Leaders")
    assert terrain["participants"] == [6, 6] and terrain["level"] == {"before": 1, "after": 5, "change": 4}
    assert terrain["focus_areas"][0]["change"] == 2.0
    hidden = CONTENT.speaker("en")("workshop.hidden")
    text = cx("compare", *paths, "--lang", "en").out
    assert "2 → 2" in text and hidden in text
    md = cx("compare", *paths, "--lang", "en", "--format", "md").out
    assert lint(md) == [] and "Leaders" in md and hidden in md
    # the two leaders gave 5 everywhere: no 5.0 of theirs appears for their segment
    assert not any("Leaders" in line and "5" in line.replace("2 → 2", "") for line in md.splitlines())
    shown = run_json(cx, *paths, "--min-group", "2")
    assert not next(r for r in shown["segments"] if r["name"] == "Leaders")["suppressed"]


@pytest.mark.parametrize(
    "extra",
    [
        {"segments": []},
        {"segments": {"Terrain": {"level": 2}}},
        {"segments": {"Terrain": {"participants": 6, "level": 2, "focus_areas": "x"}}},
        {"pillars": [{"id": "purpose", "score": "high"}]},
        {"focus_areas": [{"id": AREAS[0], "score": float("nan"), "met": False}]},
    ],
)
def test_a_malformed_synthesis_is_named(cx, tmp_path, extra):
    good = synthesis(tmp_path / "good.json", 3.0, created_at="2025-01-01T00:00:00+00:00")
    bad = synthesis(tmp_path / "bad.json", 3.0, created_at="2026-01-01T00:00:00+00:00", **extra)
    run = cx("compare", good, bad)
    assert run.code == 2 and str(bad) in run.err and len(run.err.strip().splitlines()) == 1
