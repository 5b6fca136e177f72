"""compare: results or workshop syntheses over time, level and focus-area changes, trend."""

from __future__ import annotations

import json

import pytest

from mdtools import headings, lint, tables
from test_workshop import AREAS, CONTENT, make


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
    t = CONTENT.ui.speaker(lang)
    assert headings(text) == [("h1", t("compare.title")), ("h2", t("compare.files")), ("h2", t("compare.focus_areas"))]
    [(header, rows)] = tables(text)
    assert header[-1] == t("compare.col_trend") and len(rows) == len(AREAS)
    expected = ("2.0 → 4.0 → 3.0", "↑ +1.0") if lang == "en" else ("2,0 → 4,0 → 3,0", "↑ +1,0")
    assert (rows[0][-1], rows[0][-2]) == expected  # French writes a decimal comma


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
