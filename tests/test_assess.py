"""assess without prompts (--answers), result files, report, questions."""

from __future__ import annotations

import json

import pytest

from conftest import as_answered
from cxculture.loading import Content
from helpers import IDS, QUOTE, TEAM_STATEMENTS, write_answers


def test_answers_round_trip_equals_saved_file(cx, tmp_path):
    answers = as_answered(dict.fromkeys(IDS, 4)) | {IDS[0]: None, QUOTE: 2}
    path = write_answers(tmp_path, answers, org="Acme", participant="Jo", segment="managers")
    out = tmp_path / "results"
    printed = cx("assess", "--answers", path, "--format", "json", "--out", out)
    assert printed.code == 0, printed.err
    [saved_path] = out.glob("*.json")
    assert saved_path.name.startswith("acme-jo-")
    saved, shown = json.loads(saved_path.read_text(encoding="utf-8")), json.loads(printed.out)
    assert saved == shown
    assert saved["schema_version"] == 1 and saved["level"] == 5 and saved["perceived_level"] == 2
    assert saved["answers"] == answers
    assert [a["id"] for a in saved["focus_areas"]][:2] == ["cx-champions", "company-values"]
    assert set(saved) == {
        "schema_version",
        "level",
        "perceived_level",
        "focus_areas",
        "pillars",
        "answers",
        "org",
        "participant",
        "segment",
        "created_at",
        "lang",
        "content_id",
        "tool_version",
    }
    assert saved["content_id"] == Content().content_id


def test_never_overwrites_a_result(cx, tmp_path):
    path = write_answers(tmp_path, dict.fromkeys(IDS, 3), org="Acme", participant="Jo")
    for _ in range(3):
        assert cx("assess", "--answers", path, "--out", tmp_path / "r", "--format", "json").code == 0
    stems = {p.name.removesuffix(".json") for p in (tmp_path / "r").glob("*.json")}
    [first] = [s for s in stems if not s.endswith(("-2", "-3"))]
    assert stems == {first, f"{first}-2", f"{first}-3"}


def test_missing_ids_count_as_dont_know_with_one_warning(cx, tmp_path):
    path = write_answers(tmp_path, {IDS[0]: 5})
    result = cx("assess", "--answers", path, "--no-save", "--format", "json", "--lang", "en")
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "no answer for" in line]
    assert len(warnings) == 1 and IDS[1] in warnings[0]
    assert json.loads(result.out)["answers"][IDS[1]] is None


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("bad", [0, 6, 3.7, True, "five", [1], {"a": 1}])
def test_bad_values_name_question_and_value(cx, tmp_path, bad):
    path = write_answers(tmp_path, {IDS[2]: bad}, name="a.json")
    result = cx("assess", "--answers", path, "--no-save")
    assert result.code == 2
    assert IDS[2] in result.err and "1 to 5" in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.usefixtures("english")
def test_unknown_id_and_non_mapping(cx, tmp_path):
    path = write_answers(tmp_path, {"no-such-question": 3})
    result = cx("assess", "--answers", path, "--no-save")
    assert result.code == 2 and "no-such-question" in result.err
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n- 2\n", encoding="utf-8")
    result = cx("assess", "--answers", listed, "--no-save")
    assert result.code == 2 and "expected a mapping" in result.err


def test_text_output_shows_level_explanation_and_next_steps(cx, tmp_path):
    answers = as_answered(dict.fromkeys(IDS, 5) | dict.fromkeys(TEAM_STATEMENTS, 2))
    path = write_answers(tmp_path, answers, org="Acme")
    result = cx("assess", "--answers", path, "--no-save", "--lang", "en")
    assert result.code == 0
    levels = Content().levels
    flat = " ".join(result.out.split())
    assert f"Level 2 · {levels.level(2).name('en')}" in flat
    assert "to move to level 3" in flat and "1.5 below the threshold" in flat
    assert levels.level(2).move.steps[0].title("en") in flat


def test_report_rescores_a_saved_result(cx, tmp_path):
    path = write_answers(tmp_path, as_answered(dict.fromkeys(IDS, 4)), org="Acme", participant="Ana")
    cx("assess", "--answers", path, "--out", tmp_path)
    [saved] = tmp_path.glob("acme-ana-*.json")
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["level"] = 1  # a stale score is recomputed from the answers
    data["content_id"] = "sha256:0000000000000000"
    saved.write_text(json.dumps(data), encoding="utf-8")
    result = cx("report", saved, "--format", "json")
    assert result.code == 0
    assert json.loads(result.out)["level"] == 5
    assert json.loads(result.out)["created_at"] == data["created_at"]
    assert "sha256:0000000000000000" in result.err and Content().content_id in result.err


def test_questions_json(cx):
    rows = json.loads(cx("questions", "--format", "json", "--lang", "en").out)
    assert [r["id"] for r in rows] == IDS
    assert rows[0]["level"] == 2 and rows[0]["focus_area"] == "cx-champions"
    assert rows[-1] == {
        "id": QUOTE,
        "text": rows[-1]["text"],
        "focus_area": None,
        "pillar": None,
        "level": None,
        "reverse": False,
        "applies_to": None,
    }
    reversed_ids = {s.id for s in Content().questionnaire.statements if s.reverse}
    assert {r["id"] for r in rows if r["reverse"]} == reversed_ids and reversed_ids
    assert all(r["applies_to"] is None or r["applies_to"].strip() for r in rows)
    assert len({r["id"] for r in rows}) == len(rows)
    per_area = {}
    for row in rows:
        if row["focus_area"]:
            per_area[row["focus_area"]] = per_area.get(row["focus_area"], 0) + 1
    assert len(per_area) == 8 and min(per_area.values()) >= 2
    assert sum(1 for r in rows if r["pillar"]) >= 6


def test_a_result_of_the_previous_questionnaire_is_reported_without_its_gone_questions(cx, tmp_path):
    """Version 1 asked 'cross-team-has-charter'; version 2 no longer does: report re-scores what it can."""
    path = write_answers(tmp_path, as_answered(dict.fromkeys(IDS, 4)), org="Acme", participant="Old")
    cx("assess", "--answers", path, "--out", tmp_path)
    [saved] = tmp_path.glob("acme-old-*.json")
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["answers"] = {"cross-team-has-charter": 1, "job-adverts-state-customer-role": 1, **data["answers"]}
    saved.write_text(json.dumps(data), encoding="utf-8")
    result = cx("report", saved, "--format", "json")
    assert result.code == 0, result.err
    assert "cross-team-has-charter" in result.err and "job-adverts-state-customer-role" not in result.err
    shown = json.loads(result.out)
    assert "cross-team-has-charter" not in shown["answers"] and shown["level"] == 5


def test_a_resumed_session_shows_doesn_t_apply_to_me_as_chosen(tmp_path):
    """A null answer that was "doesn't apply to me" is kept as such in the partial file and shown so on resume."""
    import types

    from cxculture import questionnaire, results, session
    from cxculture.answers import AnswerSet
    from cxculture.loading import Content

    content = Content()
    marked = next(s for s in content.questionnaire.statements if s.applies_to is not None)
    other = next(s for s in content.questionnaire.statements if s.applies_to is None)
    given = AnswerSet({marked.id: None, other.id: None}, org="Acme", participant="Jo", not_applicable={marked.id})
    partial = results.save_partial(given, tmp_path, "en")
    resumed = session._load_partial(partial, content.questionnaire)
    assert resumed.not_applicable == {marked.id}
    interview = questionnaire.Interview(types.SimpleNamespace(Style=lambda _: None), content, resumed, "en")
    by_id = {q.id: q for q in interview.questions}
    scale = content.questionnaire.scale
    assert interview.answer_words(by_id[marked.id]) == scale.not_applicable("en")
    assert interview.answer_words(by_id[other.id]) == scale.dont_know("en")
