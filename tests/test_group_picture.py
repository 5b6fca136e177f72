"""The group picture from 3 to 3,000 people: polarisation, coverage, small segments, one group."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import as_answered
from cxculture import documents, formats, scoring, workshop
from helpers import AREAS, CONTENT, IDS, make, statements
from mdtools import lint

SCALE = CONTENT.questionnaire.scale
SCORE = scoring.scorer(CONTENT.levels, CONTENT.questionnaire, CONTENT.pillars)
STATEMENTS = [s.id for s in CONTENT.questionnaire.statements]
T = CONTENT.speaker("en")


def person(answers: dict, segment: str | None = None, n: int = 0) -> workshop.Participant:
    full = dict.fromkeys(IDS) | answers
    return workshop.Participant(f"p{n}.json", full, segment, "2026-01-01", SCORE(full), "x", org="Acme")


def answered(value: int, **areas: list) -> dict:
    """Every statement scoring ``value``, the focus areas named (``_`` for ``-``) at their own values
    (in statement order; those left out not answered), as a participant answers them."""
    answers = dict.fromkeys(STATEMENTS, value)
    for name, values in areas.items():
        ids = statements(name.replace("_", "-"))
        answers |= dict.fromkeys(ids) | dict(zip(ids, values, strict=False))
    return as_answered(answers)


def area(figures: dict, area_id: str) -> dict:
    return next(a for a in figures["focus_areas"] if a["id"] == area_id)


@pytest.mark.parametrize("size", [3, 25, 3000])
def test_a_lone_outlier_is_not_polarisation(size):
    people = [person(answered(4), n=i) for i in range(size - 1)] + [person(answered(4, cx_champions=[1, 1]))]
    champions = area(workshop.group(people, CONTENT), "cx-champions")
    assert champions["below"] == 1 and not champions["polarised"]
    assert champions["met_share"] == pytest.approx((size - 1) / size)


@pytest.mark.parametrize("size", [4, 25, 3000])
def test_half_and_half_is_polarised(size):
    people = [person(answered(4, cx_champions=[1, 2, 2] if i % 2 else [5, 4, 4]), n=i) for i in range(size)]
    figures = workshop.group(people, CONTENT)
    champions = area(figures, "cx-champions")
    assert champions["polarised"] and champions["below"] == size // 2
    assert all(s["polarised"] for s in champions["statements"])
    assert champions["distribution"]["1"] == size // 2 and champions["distribution"]["5"] == size - size // 2
    # it holds the level (3.0 < 3.5), so it comes first, as holding, and says it is split
    assert figures["agenda"][0]["id"] == "cx-champions" and figures["agenda"][0]["polarised"]


def test_three_people_split_two_to_one_is_not_polarised():
    """With three people a side of one is one person: the rule asks for two at least."""
    people = [person(answered(4, cx_champions=[1, 1])), person(answered(4)), person(answered(4, cx_champions=[5, 5]))]
    assert not area(workshop.group(people, CONTENT), "cx-champions")["polarised"]


def test_an_area_answered_on_one_statement_of_three_is_not_scored():
    assert scoring.area_score("a", 2, (4, None, None), 3.5, 0.5).score is None
    assert scoring.area_score("a", 2, (4, 2, None), 3.5, 0.5).score == 3.0
    assert scoring.area_score("a", 2, (4, None), 3.5, 0.5).score == 4.0  # one of two is half
    unscored = scoring.area_score("a", 2, (5, None, None), 3.5, 0.5)
    assert not unscored.met and unscored.answered == 1 and unscored.gap is None


def test_an_area_of_three_statements_answered_once_is_not_scored_in_a_workshop(cx, tmp_path, content_copy):
    path = content_copy / "questionnaire.yaml"
    text = path.read_text(encoding="utf-8")
    extra = (
        "  - id: champions-third\n    focus_area: cx-champions\n"
        "    text: {fr: Un troisième énoncé, en: A third statement}\n\n"
    )
    path.write_text(text.replace("statements:\n", "statements:\n" + extra, 1), encoding="utf-8")
    answers = tmp_path / "a.yaml"
    lines = [f"{sid}: 4" for sid in STATEMENTS if sid not in statements("cx-champions")[1:]]
    answers.write_text("answers:\n" + "".join(f"  {line}\n" for line in lines), encoding="utf-8")
    out = tmp_path / "results"
    run = cx(
        "--content", content_copy, "assess", "--answers", answers, "--org", "Acme", "--out", out, "--format", "json"
    )
    assert run.code == 0, run.err
    data = json.loads(cx("--content", content_copy, "workshop", out, "--format", "json").out)
    champions = area(data, "cx-champions")
    assert champions["score"] is None and champions["scored"] == 0 and not champions["met"]
    assert [s["answered"] for s in champions["statements"]] == [0, 1] + [0] * (len(statements("cx-champions")) - 1)


@pytest.mark.usefixtures("english")
def test_participants_below_coverage_are_left_out_and_named(cx, tmp_path):
    for n in range(3):
        make(tmp_path, 4, name=f"p{n}")
    few = dict.fromkeys(IDS[5:], None)
    thin = make(tmp_path / "thin", 2, name="thin", **few)  # 5 of the statements answered
    run = cx("workshop", tmp_path, thin, "--format", "json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["participants"] == 3 and data["left_out"] == 1
    assert "1 result(s) answered fewer than 50% of the statements" in run.err and str(thin) in run.err
    text = cx("workshop", tmp_path, thin, "--lang", "en").out
    assert T("workshop.left_out", count=1, share=T("workshop.percent", value=50)) in " ".join(text.split())
    alone = cx("workshop", thin)
    assert alone.code == 2 and "no result answered" in alone.err


def test_an_individual_result_says_its_coverage(cx, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("answers:\n" + "".join(f"  {sid}: 4\n" for sid in STATEMENTS[:12]), encoding="utf-8")
    run = cx("assess", "--answers", answers, "--no-save", "--lang", "en")
    assert run.code == 0, run.err
    assert T("result.coverage", answered=12, statements=len(STATEMENTS)) in " ".join(run.out.split())
    md = cx("assess", "--answers", answers, "--no-save", "--lang", "fr", "--format", "md").out
    assert CONTENT.speaker("fr")("result.coverage", answered=12, statements=len(STATEMENTS)) in md


# --- small segments -------------------------------------------------------------


def segmented(folder, small: str = "Leaders", small_size: int = 2):
    for n in range(6):
        make(folder, 3, name=f"t{n}", segment="Terrain")
    for n in range(small_size):
        make(folder, 5, name=f"l{n}", segment=small, areas={"cx-champions": [1, 1]})


def test_a_segment_of_two_is_suppressed_in_every_format_while_its_count_shows(cx, tmp_path):
    segmented(tmp_path)
    data = json.loads(cx("workshop", tmp_path, "--by-segment", "--format", "json").out)
    assert data["segments"]["Leaders"] == {"participants": 2, "suppressed": True}
    assert data["segments"]["Terrain"]["participants"] == 6 and not data["segments"]["Terrain"]["suppressed"]
    assert data["segment_gaps"] == [] and data["min_group"] == 5
    hidden = T("workshop.hidden")
    text = cx("workshop", tmp_path, "--by-segment", "--lang", "en").out
    rows = [line for line in text.splitlines() if line.startswith("│")]
    assert "Leaders (2)" in text and all(hidden in line for line in rows)
    assert "5.0" not in text and "1.0" not in text  # the two leaders' own figures
    md = cx("workshop", tmp_path, "--by-segment", "--lang", "en", "--format", "md").out
    assert lint(md) == [] and "Leaders (2)" in md and "5.0" not in md and "1.0" not in md
    shown = json.loads(cx("workshop", tmp_path, "--by-segment", "--min-group", "2", "--format", "json").out)
    assert shown["segments"]["Leaders"]["level"] == 1 and shown["segment_gaps"][0]["low"] == "Leaders"


def test_segments_differing_in_case_spaces_and_unicode_form_merge(cx, tmp_path):
    for n, name in enumerate(["Équipe terrain", "équipe  terrain ", "E\u0301quipe terrain", "ÉQUIPE TERRAIN", "x"]):
        make(tmp_path, 4, name=f"p{n}", segment=name)
    data = json.loads(cx("workshop", tmp_path, "--by-segment", "--min-group", "1", "--format", "json").out)
    assert {k: v["participants"] for k, v in data["segments"].items()} == {"Équipe terrain": 4, "x": 1}


def test_names_never_appear_in_a_synthesis(cx, tmp_path):
    for n in range(5):
        make(tmp_path, 3 + n % 2, name=f"Secret-Name-{n}", segment="Terrain")
    for fmt in ("json", "md", "text"):
        out = cx("workshop", tmp_path, "--by-segment", "--format", fmt).out
        assert "Secret-Name" not in out and "secret-name" not in out


# --- one group --------------------------------------------------------------------


def test_results_of_different_organisations_are_refused(cx, tmp_path):
    make(tmp_path, 4, name="a")
    make(tmp_path, 4, name="b", org=" acme ")
    assert json.loads(cx("workshop", tmp_path, "--format", "json").out)["participants"] == 2
    other = make(tmp_path / "o", 4, name="c", org="Dupré Bakeries")
    run = cx("workshop", tmp_path, other)
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert str(other) in run.err and "Dupré Bakeries" in run.err and "Acme" in run.err
    assert "--allow-mixed" in run.err
    mixed = cx("workshop", tmp_path, other, "--allow-mixed", "--format", "json")
    assert mixed.code == 0 and json.loads(mixed.out)["participants"] == 3


def test_the_same_file_twice_counts_once(cx, tmp_path):
    first = make(tmp_path, 4, name="a")
    make(tmp_path, 2, name="b")
    alias = tmp_path / "." / first.name
    data = json.loads(cx("workshop", first, tmp_path, alias, first, "--format", "json").out)
    assert data["participants"] == 2


# --- properties -------------------------------------------------------------------

area_scores = st.lists(st.sampled_from([1 + k / 2 for k in range(9)]), min_size=1, max_size=60)


@settings(max_examples=400, deadline=None)
@given(area_scores)
def test_adding_someone_at_the_group_score_never_creates_polarisation(values):
    centre = workshop.mean(values)
    before = workshop.sides(values, centre, SCALE)["polarised"]
    more = [*values, centre]
    after = workshop.sides(more, workshop.mean(more), SCALE)["polarised"]
    assert before or not after


@settings(max_examples=400, deadline=None)
@given(area_scores)
def test_a_single_outlier_never_makes_a_split(values):
    """One person on a side is never a split (the rule asks for two at least)."""
    crowd = [4.0] * len(values)
    assert not workshop.sides([*crowd, 1.0], workshop.mean([*crowd, 1.0]), SCALE)["polarised"]


answer = st.one_of(st.none(), st.integers(1, 5))
answer_sets = st.fixed_dictionaries(dict.fromkeys(STATEMENTS, answer))
segment_names = st.sampled_from(["Terrain", "terrain ", "Leaders", "Managers", None])
groups = st.lists(st.tuples(answer_sets, segment_names), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(groups, st.randoms(use_true_random=False))
def test_permuting_participants_changes_nothing(rows, rnd: random.Random):
    people = [person(a, s, n) for n, (a, s) in enumerate(rows)]
    shuffled = list(people)
    rnd.shuffle(shuffled)
    first = workshop.synthesis(people, CONTENT, True, min_group=1)
    second = workshop.synthesis(shuffled, CONTENT, True, min_group=1)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


FIGURE_KEYS = ("level", "focus_areas", "pillars", "agenda", "levels", "perceived_levels")


@settings(max_examples=60, deadline=None)
@given(groups, st.integers(1, 8))
def test_suppression_never_leaks_a_figure_of_a_small_segment(rows, min_group):
    people = [person(a, s, n) for n, (a, s) in enumerate(rows)]
    figures = workshop.synthesis(people, CONTENT, True, min_group=min_group)
    small = {name for name, g in figures["segments"].items() if g["participants"] < min_group}
    for name in small:
        assert figures["segments"][name] == {
            "participants": figures["segments"][name]["participants"],
            "suppressed": True,
        }
    for gap in figures["segment_gaps"]:
        assert gap["high"] not in small and gap["low"] not in small
    doc = documents.workshop(CONTENT, figures, "en", T)
    if doc["segments"]:
        names = list(figures["segments"])
        for column, name in enumerate(names):
            if name in small:
                assert doc["segments"]["levels"][column] == T("workshop.hidden")
                assert all(row["scores"][column] == T("workshop.hidden") for row in doc["segments"]["rows"])
        markdown = formats.render(formats.Subject("workshop", "en", CONTENT, figures, lambda: doc), "md")
        assert lint(str(markdown)) == []


def test_every_focus_area_is_in_the_figures():
    figures = workshop.group([person(answered(3))], CONTENT)
    assert [a["id"] for a in figures["focus_areas"]] == AREAS


# --- anonymous results ---------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_assess_anonymous_stores_no_name(cx, tmp_path):
    answers = tmp_path / "a.yaml"
    body = "".join(f"  {sid}: 4\n" for sid in STATEMENTS)
    answers.write_text(f"participant: Élodie Secret\nsegment: Terrain\nanswers:\n{body}", encoding="utf-8")
    out = tmp_path / "results"
    run = cx("assess", "--answers", answers, "--org", "Acme", "--out", out, "--anonymous", "--format", "json")
    assert run.code == 0, run.err
    assert "not kept" in run.err and json.loads(run.out)["participant"] is None
    [saved] = out.iterdir()
    text = saved.read_text(encoding="utf-8")
    assert "Secret" not in text and "secret" not in saved.name and json.loads(text)["segment"] == "Terrain"
    refused = cx("assess", "--answers", answers, "--participant", "Jo", "--anonymous", "--no-save")
    assert refused.code == 2 and "--participant" in refused.err
