"""Scoring: the exact rule (threshold, staged level, explanation) and its properties."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REVERSED, as_answered
from cxculture.answers import question_ids
from cxculture.loading import Content
from cxculture.scoring import enough, mean, score, scorer, staged_level

CONTENT = Content()
LEVELS, QUESTIONNAIRE, PILLARS = CONTENT.levels, CONTENT.questionnaire, CONTENT.pillars
STATEMENTS = [s.id for s in QUESTIONNAIRE.statements]
IDS = question_ids(QUESTIONNAIRE)


def by_area(area: str) -> list[str]:
    return [s.id for s in QUESTIONNAIRE.statements if s.focus_area == area]


def run(answers):
    return score(answers, LEVELS, QUESTIONNAIRE, PILLARS)


def fill(value, **areas):
    """Every statement scoring ``value``, except the focus areas given (their statements in order)."""
    answers = dict.fromkeys(STATEMENTS, value)
    for area, values in areas.items():
        ids = by_area(area.replace("_", "-"))
        answers.update(dict.fromkeys(ids, None))
        answers.update(zip(ids, values, strict=False))
    return as_answered(answers)


def test_exact_threshold_is_met():
    scores = run(fill(1, cx_champions=[3, 4], company_values=[4, 3]))
    area = scores.focus_areas[0]
    assert area.score == 3.5 and area.met
    assert scores.level == 2


def test_just_below_threshold_is_not_met():
    scores = run(fill(5, cx_champions=[3, 3]))
    assert scores.level == 1
    assert [a.id for a in scores.holding] == ["cx-champions"]
    assert scores.holding[0].gap == 0.5


def test_gap_case_stops_at_the_first_unmet_move():
    # Both level-2 areas met, one level-3 area not met → level 2, whatever levels 4–5 say.
    scores = run(fill(5, cross_functional_team=[2, 2]))
    assert scores.level == 2
    assert [a.id for a in scores.holding] == ["cross-functional-team"]
    assert {a.id for a in scores.above} == {
        "customer-centric-roles",
        "cx-leader",
        "continuous-cx-training",
        "employee-journey",
    }


def test_null_answers_are_skipped_and_all_null_is_not_met():
    scores = run(fill(5, cx_champions=[None, 4, 3], company_values=[None, None]))
    champions, values = scores.focus_areas[0], scores.focus_areas[1]
    assert champions.score == 3.5 and champions.answered == 2
    assert values.score is None and not values.met and values.gap is None
    assert scores.level == 1


def test_pillars_and_perceived_level():
    answers = fill(None)
    pillar_statements = [s for s in QUESTIONNAIRE.statements if s.pillar == "purpose"]
    answers[pillar_statements[0].id] = as_answered({pillar_statements[0].id: 2})[pillar_statements[0].id]
    answers[QUESTIONNAIRE.quote_question.id] = 4
    scores = run(answers)
    assert scores.pillars[0].id == "purpose" and scores.pillars[0].score == 2.0
    assert scores.pillars[1].score is None
    assert scores.perceived_level == 4


def test_mean_and_staged_level():
    assert mean([]) is None and mean([None]) is None and mean([1, None, 4]) == 2.5
    assert staged_level([]) == 1
    assert staged_level([(2, True), (2, True), (3, False), (4, True)]) == 2
    assert staged_level([(2, True), (3, True), (4, True), (5, True)]) == 5


answer = st.one_of(st.none(), st.integers(1, 5))
answer_sets = st.fixed_dictionaries(dict.fromkeys(STATEMENTS, answer))


@settings(max_examples=300, deadline=None)
@given(answer_sets, st.sampled_from(STATEMENTS), st.integers(1, 4), st.integers(1, 4))
def test_more_agreement_never_lowers_the_level_unless_the_statement_is_reversed(answers, sid, old, step):
    """Agreeing more with a statement never lowers the level; with a reverse-worded one, never raises it."""
    before = {**answers, sid: old}
    after = {**answers, sid: min(5, old + step)}
    if sid in REVERSED:
        assert run(after).level <= run(before).level
    else:
        assert run(after).level >= run(before).level


def test_the_shipped_questionnaire_has_reverse_worded_statements_in_several_areas():
    areas = {s.focus_area or s.pillar for s in QUESTIONNAIRE.statements if s.reverse}
    assert len(areas) >= 3


UNREVERSED = replace(QUESTIONNAIRE, statements=tuple(replace(s, reverse=False) for s in QUESTIONNAIRE.statements))


@settings(max_examples=200, deadline=None)
@given(answer_sets)
def test_a_reversed_answer_scores_as_its_mirror_on_a_plainly_worded_statement(answers):
    """Answering v to a reverse-worded statement counts as 6 - v would on the same statement worded plainly."""
    mirrored = {sid: 6 - v if sid in REVERSED and v is not None else v for sid, v in answers.items()}
    plain = score(mirrored, LEVELS, UNREVERSED, PILLARS)
    assert run(answers) == plain


@settings(max_examples=100, deadline=None)
@given(answer_sets, st.randoms())
def test_answer_order_does_not_matter(answers, rnd: random.Random):
    items = list(answers.items())
    rnd.shuffle(items)
    assert run(dict(items)) == run(answers)


@given(st.sampled_from([5, 1, None]))
def test_uniform_answers(value):
    expected = {5: 5, 1: 1, None: 1}[value]
    assert run(fill(value)).level == expected


@settings(max_examples=100, deadline=None)
@given(answer_sets)
def test_level_matches_the_rule_written_out(answers):
    scores = run(answers)
    level = 1
    for target in (2, 3, 4, 5):
        areas = [a for a in scores.focus_areas if a.unlocks_level == target]
        if all(a.score is not None and a.score >= 3.5 for a in areas):
            level = target
        else:
            break
    assert scores.level == level


SHARED = scorer(LEVELS, QUESTIONNAIRE, PILLARS)  # one scorer for every example: what it remembers is reused


@settings(max_examples=300, deadline=None)
@given(answer_sets)
def test_a_scorer_reused_for_many_participants_scores_each_as_a_fresh_one(answers):
    assert SHARED(answers) == run(answers)
    area = SHARED(answers).focus_areas[0]
    scored = as_answered(answers)  # turning round is its own inverse
    values = [scored[sid] for sid in by_area(area.id) if scored[sid] is not None]
    covered = enough(len(values), len(by_area(area.id)), QUESTIONNAIRE.scale.area_min_answered)
    assert area.score == (sum(values) / len(values) if covered else None)
    assert (area.answered, area.statements) == (len(values), len(by_area(area.id)))
