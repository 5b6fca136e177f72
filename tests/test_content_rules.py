"""``content check`` enforces the rules beyond the types (the coverage report showed them untested).

Each case breaks one rule in a copy of the shipped content; the check exits 2 and
names the file, the path and what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml

Data = dict


def levels_renumbered(data: Data) -> None:
    data["levels"][0]["number"] = 9


def level_without_quotes(data: Data) -> None:
    data["levels"][2]["quotes"] = []


def level_without_move(data: Data) -> None:
    del data["levels"][1]["move"]


def top_level_without_sustain(data: Data) -> None:
    del data["levels"][4]["sustain"]


def top_level_with_a_move(data: Data) -> None:
    data["levels"][4]["move"] = data["levels"][3]["move"]


def move_without_focus_areas(data: Data) -> None:
    data["levels"][0]["move"]["focus_areas"] = []


def focus_area_id_not_kebab(data: Data) -> None:
    data["levels"][0]["move"]["focus_areas"][0]["id"] = "CX Champions"


def step_of_another_move(data: Data) -> None:
    data["levels"][0]["move"]["steps"][0]["focus_area"] = data["levels"][1]["move"]["focus_areas"][0]["id"]


def no_pillars(data: Data) -> None:
    data["pillars"] = []


def statement_with_both_targets(data: Data) -> None:
    data["statements"][0]["pillar"] = "anything"


def statement_of_an_unknown_pillar(data: Data) -> None:
    statement = next(s for s in data["statements"] if "pillar" in s)
    statement["pillar"] = "ghost-pillar"


def area_without_statements(data: Data) -> None:
    first = data["statements"][0]["focus_area"]
    data["statements"] = [s for s in data["statements"] if s.get("focus_area") != first]


def scale_out_of_order(data: Data) -> None:
    data["scale"]["points"].reverse()


def threshold_above_five(data: Data) -> None:
    data["scale"]["met_threshold"] = 6


CASES: list[tuple[str, Callable[[Data], None], str]] = [
    ("levels.yaml", levels_renumbered, "levels: expected the numbers 1 to 5 in order"),
    ("levels.yaml", level_without_quotes, "levels[2].quotes: at least one is required"),
    ("levels.yaml", level_without_move, "levels[1].move: field required (how to reach level 3)"),
    ("levels.yaml", top_level_without_sustain, "levels[4].sustain: field required"),
    ("levels.yaml", top_level_with_a_move, "levels[4].move: the top level has no next level"),
    ("levels.yaml", move_without_focus_areas, "levels[0].move.focus_areas: at least one is required"),
    ("levels.yaml", focus_area_id_not_kebab, "'CX Champions' is not a kebab-case id"),
    ("levels.yaml", step_of_another_move, "is not a focus area of this move"),
    ("pillars.yaml", no_pillars, "pillars: at least one is required"),
    ("questionnaire.yaml", statement_with_both_targets, "statements[0]: give either focus_area or pillar"),
    ("questionnaire.yaml", statement_of_an_unknown_pillar, "'ghost-pillar' is not defined in pillars.yaml"),
    ("questionnaire.yaml", area_without_statements, "has no statement, so it could never be met"),
    ("questionnaire.yaml", scale_out_of_order, "scale.points: expected the numbers 1 to 5 in order"),
    ("questionnaire.yaml", threshold_above_five, "scale.met_threshold: 6.0 is outside 1 to 5"),
]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("file", "change", "expected"), CASES, ids=[c[1].__name__ for c in CASES])
def test_content_check_names_the_broken_rule(cx, content_copy, file, change, expected):
    path = content_copy / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = cx("content", "check", content_copy)
    assert run.code == 2, run.out
    assert f"{path}: " in run.err
    assert expected in run.err
    assert "Traceback" not in run.err


@pytest.mark.usefixtures("english")
def test_the_shipped_content_breaks_no_rule(cx):
    run = cx("content", "check")
    assert run.code == 0, run.err
    assert "content is valid" in run.out
