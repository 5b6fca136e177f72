"""workshop: group figures from result files, agenda, segments, and the files it refuses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import clean_env
from cxculture import results
from cxculture.answers import AnswerSet
from helpers import AREAS, CONTENT, IDS, make, statements
from mdtools import headings, lint, tables


def figures(cx, *args):
    run = cx("workshop", *args, "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out)


def area(data, area_id):
    return next(a for a in data["focus_areas"] if a["id"] == area_id)


def test_single_participant_matches_the_individual_result(cx, tmp_path):
    path = make(tmp_path, 4, areas={"company-values": [2, 3]}, quote=2)
    data = figures(cx, path)
    saved = results.load(path)
    assert data["participants"] == 1
    assert data["level"] == saved.level == 1
    assert data["levels"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 0}
    assert data["perceived_levels"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0, "none": 0}
    for mine, theirs in zip(data["focus_areas"], saved.focus_areas, strict=True):
        assert (mine["id"], mine["score"], mine["met"]) == (theirs.id, theirs.score, theirs.met)
        assert mine["spread"] == 0 and not mine["polarised"] and mine["scored"] == 1
    assert [p["score"] for p in data["pillars"]] == [p.score for p in saved.pillars]
    assert data["segments"] == {}
    # the unmet area of the next move is on the agenda, with its widest statement
    assert [(i["id"], i["reason"]) for i in data["agenda"]] == [("company-values", "holding")]
    assert data["agenda"][0]["statement"] == statements("company-values")[0]


def test_figures_distributions_and_all_null_area(cx, tmp_path):
    make(
        tmp_path,
        4,
        name="a",
        areas={"cx-champions": [2, 2, 2], "company-values": [None, None], "cross-functional-team": [3, 4]},
    )
    make(
        tmp_path,
        4,
        name="b",
        areas={"cx-champions": [5, 3, 4], "company-values": [None, None], "cross-functional-team": [5, 5]},
        quote=3,
    )
    make(tmp_path, 4, name="c", areas={"company-values": [None, None]})
    data = figures(cx, tmp_path)
    assert data["schema_version"] == 1 and data["participants"] == 3 and data["left_out"] == 0
    champions = area(data, "cx-champions")
    assert champions["score"] == pytest.approx(10 / 3)
    assert (champions["min"], champions["max"], champions["spread"]) == (2.0, 4.0, 2.0)
    assert champions["met"] is False and champions["polarised"] is False  # one low among three is no split
    assert (champions["scored"], champions["met_count"], champions["met_share"]) == (3, 2, 2 / 3)
    # as scoring counts them (the third statement is reverse-worded: answers 4, 2, 2 count 2, 4, 4)
    assert champions["distribution"] == {"1": 0, "2": 3, "3": 1, "4": 4, "5": 1, "dont_know": 0}
    third = champions["statements"][2]
    assert third["reverse"] and third["distribution"] == {"1": 0, "2": 2, "3": 0, "4": 1, "5": 0, "dont_know": 0}
    assert third["mean"] == pytest.approx(10 / 3)
    first = champions["statements"][0]
    assert first["id"] == statements("cx-champions")[0] and first["answered"] == 3
    assert first["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1, "dont_know": 0}
    assert first["distribution_shares"]["2"] == pytest.approx(1 / 3) and first["dont_know_rate"] == 0
    values = area(data, "company-values")
    assert (values["score"], values["scored"], values["met_share"], values["met"]) == (None, 0, None, False)
    assert values["dont_know_rate"] == 1.0
    assert values["distribution"]["dont_know"] == 3 * len(statements("company-values"))
    assert all(s["mean"] is None and s["dont_know_rate"] == 1.0 for s in values["statements"])
    team = area(data, "cross-functional-team")
    assert team["spread"] == 1.5 and not team["polarised"] and team["met"]
    assert data["level"] == 1  # the 1→2 move has an unmeasured area
    assert data["levels"]["1"] == 3
    assert data["perceived_levels"]["3"] == 1 and data["perceived_levels"]["none"] == 2
    assert [(i["id"], i["reason"]) for i in data["agenda"]] == [
        ("cx-champions", "holding"),
        ("company-values", "holding"),
    ]
    assert data["agenda"][0]["statement"] == statements("cx-champions")[0]  # the most split one
    assert data["agenda"][1]["statement"] is None  # nobody answered


def test_agenda_holding_then_polarised_then_the_rest(cx, tmp_path):
    for n in range(8):
        low = n < 4
        make(
            tmp_path,
            4,
            name=f"p{n}",
            areas={
                "cx-champions": [3, 3],
                "employee-journey": [1, 1] if low else [5, 5],
                "customer-centric-roles": [1, 1] if n < 2 else [4, 4],
                "cx-leader": [3, 3],
            },
        )
    data = figures(cx, tmp_path)
    assert [(i["id"], i["reason"]) for i in data["agenda"]] == [
        ("cx-champions", "holding"),
        ("employee-journey", "polarised"),  # half and half: the most split first
        ("customer-centric-roles", "polarised"),  # a quarter against three quarters
        ("cx-leader", "unmet"),
    ]
    journey = data["agenda"][1]
    assert (journey["below_share"], journey["above_share"]) == (0.5, 0.5)
    assert journey["statement_distribution"] == {"1": 4, "2": 0, "3": 0, "4": 0, "5": 4, "dont_know": 0}
    text = cx("workshop", tmp_path, "--lang", "en").out
    t = CONTENT.speaker("en")
    assert "4 agree, 4 disagree" in text and t("workshop.polarised") in text
    assert all(len(line) <= 80 for line in text.splitlines())
    answers = text[text.index(t("workshop.statements")) :]  # every statement with its answers in words
    flat = " ".join(re.sub("[█▓░│]", " ", answers).split())  # the bars left out
    for sid in statements("employee-journey")[:2]:  # the third is left unanswered
        said = next(s.text("en") for s in CONTENT.questionnaire.statements if s.id == sid)
        assert f"{' '.join(said.split())} 4 agree, 4 disagree {t('workshop.polarised')}" in flat
    assert not any(qid in text for qid in IDS)  # no question id in what the client reads
    md = cx("workshop", tmp_path, "--lang", "fr", "--format", "md").out
    assert "4 d'accord, 4 pas d'accord" in md and not any(qid in md for qid in IDS)
    assert lint(md) == []


def test_by_segment(cx, tmp_path):
    make(tmp_path, 5, name="a", segment="leaders")
    make(tmp_path, 5, name="b", segment="leaders")
    make(tmp_path, 2, name="c", segment="frontline")
    make(tmp_path, 3, name="d")
    data = figures(cx, tmp_path, "--by-segment", "--min-group", "1")
    segments = data["segments"]
    assert list(segments) == ["frontline", "leaders", ""]
    assert segments["leaders"]["participants"] == 2 and segments["leaders"]["level"] == 5
    assert area(segments["frontline"], "cx-champions")["score"] == 2.0
    assert segments[""]["participants"] == 1
    gap = data["segment_gaps"][0]
    assert (gap["gap"], gap["high"], gap["low"]) == (3.0, "leaders", "frontline")
    text = cx("workshop", tmp_path, "--by-segment", "--min-group", "1", "--lang", "en").out
    assert "leaders (2)" in text and "no segment (1)" in text


def test_partial_files_skipped_with_a_note(cx, tmp_path):
    make(tmp_path, 4)
    partial = results.save_partial(AnswerSet({IDS[0]: 3}, "Acme", "x"), tmp_path, "en")
    run = cx("workshop", tmp_path, "--format", "json")
    assert run.code == 0
    assert json.loads(run.out)["participants"] == 1
    assert str(partial) in run.err and "skipped" in run.err


@pytest.mark.usefixtures("english")
def test_corrupt_file_among_good_ones_is_named(cx, tmp_path):
    make(tmp_path, 4, name="a")
    make(tmp_path, 3, name="b")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    run = cx("workshop", tmp_path)
    assert run.code == 2 and str(bad) in run.err and "invalid JSON" in run.err
    bad.write_text(json.dumps({**json.loads(make(tmp_path / "x", 3).read_text()), "answers": {IDS[0]: 7}}))
    run = cx("workshop", tmp_path)
    assert run.code == 2 and str(bad) in run.err and "answers." + IDS[0] in run.err
    assert len(run.err.strip().splitlines()) == 1


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("args", [[], ["EMPTY"], ["MISSING"]])
def test_nothing_to_combine(cx, tmp_path, args):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "only.partial.json").write_text("{}")
    given = [{"EMPTY": tmp_path / "empty", "MISSING": tmp_path / "nope"}[a] for a in args]
    run = cx("workshop", *given)
    assert run.code == 2 and run.err.startswith(("cxculture: ", "cxculture workshop:"))


def test_other_content_id_is_combined_only_when_questions_match(cx, tmp_path):
    good = make(tmp_path, 4, name="a")
    data = json.loads(good.read_text())
    same = tmp_path / "same.json"
    same.write_text(json.dumps({**data, "content_id": "sha256:0000000000000000"}))
    assert figures(cx, tmp_path)["participants"] == 2
    other = tmp_path / "other.json"
    answers = dict(data["answers"])
    answers.pop(IDS[0])
    other.write_text(json.dumps({**data, "content_id": "sha256:1111111111111111", "answers": answers}))
    run = cx("workshop", tmp_path)
    assert run.code == 2 and str(other) in run.err and "sha256:1111111111111111" in run.err


def test_rescored_with_current_content(cx, tmp_path):
    path = make(tmp_path, 4)
    data = json.loads(path.read_text())
    data["level"], data["focus_areas"][0]["score"] = 5, 1.0  # stale figures
    path.write_text(json.dumps(data))
    out = figures(cx, path)
    assert out["level"] == 5 and area(out, AREAS[0])["score"] == 4.0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_markdown_export(cx, tmp_path, lang):
    make(tmp_path, 5, name="a", segment="le|aders", areas={"cx-champions": [1, 1]})
    make(tmp_path, 4, name="b", segment="*front*")
    export = tmp_path / "out" / "synthesis.md"
    export.parent.mkdir()
    run = cx("workshop", tmp_path, "--by-segment", "--min-group", "1", "--lang", lang, "--export", export)
    assert run.code == 0, run.err
    text = export.read_text(encoding="utf-8")
    assert lint(text) == []
    t = CONTENT.speaker(lang)
    found = headings(text)
    assert found[0] == ("h1", t("workshop.title"))
    for key in ("report.scores", "deliver.summary", "workshop.pillars", "workshop.agenda", "workshop.segments"):
        assert ("h2", t(key)) in found
    areas, *per_statement, pillars, segments = tables(text)
    assert [len(rows) for _, rows in per_statement] == [len(statements(a)) for a in AREAS]
    assert len(areas[1]) == len(AREAS) and all(len(r) == len(areas[0]) for r in areas[1])
    assert len(pillars[1]) == len(CONTENT.pillars.pillars)
    assert segments[0][1:] == ["*front* (1)", "le|aders (1)"]
    assert cx("workshop", tmp_path, "--export", export).code == 2  # no silent overwrite
    again = cx(
        "workshop", tmp_path, "--by-segment", "--min-group", "1", "--export", export, "--force", "--format", "md"
    )
    assert again.out == export.read_text(encoding="utf-8")


def test_segment_named_none_is_not_the_no_segment_group(cx, tmp_path):
    make(tmp_path, 5, name="a", segment="none")
    make(tmp_path, 2, name="b")
    make(tmp_path, 3, name="c", segment="Leaders")
    data = figures(cx, tmp_path, "--by-segment", "--min-group", "1")
    segments = data["segments"]
    assert list(segments) == ["Leaders", "none", ""]
    assert segments["none"]["participants"] == 1 and segments["none"]["level"] == 5
    assert segments[""]["participants"] == 1 and area(segments[""], "cx-champions")["score"] == 2.0
    gap = data["segment_gaps"][0]
    assert (gap["gap"], gap["high"], gap["low"]) == (3.0, "none", "")
    t = CONTENT.speaker("en")
    text = cx("workshop", tmp_path, "--by-segment", "--min-group", "1", "--lang", "en").out
    assert "none (1)" in text and f"{t('workshop.no_segment')} (1)" in text
    assert f"{t('workshop.no_segment')} 2.0" in text  # the gap line names the no-segment group


@pytest.mark.usefixtures("english")
def test_other_content_id_is_noted_on_stderr(cx, tmp_path):
    data = json.loads(make(tmp_path, 4, name="a").read_text())
    for n, content_id in enumerate(["sha256:2222222222222222", "sha256:3333333333333333", "sha256:2222222222222222"]):
        (tmp_path / f"old{n}.json").write_text(json.dumps({**data, "content_id": content_id}))
    run = cx("workshop", tmp_path, "--format", "json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["participants"] == 4
    note = [line for line in run.err.splitlines() if "other content" in line]
    assert len(note) == 1 and "note: 3 result(s)" in note[0]
    assert "sha256:2222222222222222, sha256:3333333333333333" in note[0]


def test_no_other_content_note_when_all_match(cx, tmp_path):
    make(tmp_path, 4, name="a")
    make(tmp_path, 3, name="b")
    run = cx("workshop", tmp_path, "--format", "json")
    assert run.code == 0 and run.err == ""


# A helper process reads part of a folder from second_reader.FROM files: a fresh process with FROM = 2 (the test
# process may run other threads, and a fork is then refused), reporting on stderr's first line where it began.
WITH_A_HELPER = """
import sys
from cxculture import second_reader
from cxculture.cli import main

second_reader.FROM = 2
start = second_reader.start

def recorded(paths):
    second = start(paths)
    print("helper from", None if second is None else second.first, file=sys.stderr, flush=True)
    return second

second_reader.start = recorded
raise SystemExit(main(sys.argv[1:]))
"""


def with_a_helper(*args):
    """``cxculture ARGS`` in a process where any folder is large; its exit code, stdout, stderr, and the first file
    the helper read (None if it could not start)."""
    from cxculture import second_reader

    done = subprocess.run(
        [sys.executable, "-c", WITH_A_HELPER, *map(str, args)], capture_output=True, text=True, env=clean_env()
    )
    marker, _, err = done.stderr.partition("\n")
    first = marker.removeprefix("helper from ")
    if first == "None" and not second_reader._can_fork():  # this machine cannot (not Linux, one core)
        pytest.skip("a helper process needs Linux and two cores")
    return done.returncode, done.stdout, err, None if first == "None" else int(first)


def test_a_large_folder_read_by_two_processes_gives_the_same_figures(cx, tmp_path):
    for i in range(9):
        make(tmp_path, 1 + i % 5, name=f"p{i}", segment=["a", "b", None][i % 3], areas={"cx-champions": [i % 5 + 1]})
    for name in ("aa", "zz"):  # left out, named in a note in the files' order: one read by each process
        make(tmp_path, 3, name=name, areas={area: [None] for area in AREAS})
    args = ("workshop", tmp_path, "--by-segment", "--min-group", "1", "--format", "json")
    alone = cx(*args)
    code, out, err, first = with_a_helper(*args)
    assert first == 5  # the helper read the last 60 % of 11 files
    assert (code, out, err) == (alone.code, alone.out, alone.err) and alone.code == 0
    assert 0 < alone.err.index("acme-aa-") < alone.err.index("acme-zz-")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("bad", [["y"], ["b", "y"]])
def test_a_bad_file_read_by_the_helper_is_named_as_when_read_alone(cx, tmp_path, bad):
    """The first bad file in order is named, with the same words, whichever process read it."""
    for name in "abcdefwxyz":
        make(tmp_path, 3, name=name)
    for name in bad:
        path = next(tmp_path.glob(f"acme-{name}-*.json"))
        path.write_text(json.dumps({**json.loads(path.read_text()), "answers": {IDS[0]: 7}}), encoding="utf-8")
    alone = cx("workshop", tmp_path)
    code, out, err, first = with_a_helper("workshop", tmp_path)
    assert first == 4
    assert (code, out, err) == (alone.code, alone.out, alone.err)
    assert alone.code == 2 and f"acme-{bad[0]}-" in alone.err and len(alone.err.strip().splitlines()) == 1


def test_a_file_reached_twice_counts_once(cx, tmp_path):
    """By a hard link in the folder, by being named too, or by a link: one participant."""
    first = make(tmp_path / "f", 2, name="a")
    make(tmp_path / "f", 4, name="b")
    os.link(first, tmp_path / "f" / "hard.json")
    assert figures(cx, tmp_path / "f")["participants"] == 2  # the folder alone: told apart by its listing
    assert figures(cx, tmp_path / "f", first)["participants"] == 2
    (tmp_path / "f" / "soft.json").symlink_to(first)
    assert figures(cx, tmp_path / "f")["participants"] == 2
    assert figures(cx, first, tmp_path / "f" / "soft.json")["participants"] == 1


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("left_out", "named"), [(10, 10), (13, 10)])
def test_the_note_names_the_first_ten_left_out_and_counts_the_others(cx, tmp_path, left_out, named):
    for i in range(6):
        make(tmp_path, 1 + i % 5, name=f"p{i}")
    for i in range(left_out):
        make(tmp_path, 3, name=f"x{i:02d}", areas={area: [None] for area in AREAS})
    done = cx("workshop", tmp_path, "--format", "json")
    note = next(line for line in done.err.splitlines() if "left out" in line)
    assert note.startswith(f"cxculture: note: {left_out} result(s) answered fewer than")
    assert [f"x{i:02d}" for i in range(left_out) if f"acme-x{i:02d}-" in note] == [f"x{i:02d}" for i in range(named)]
    assert note.endswith(f", and {left_out - named} more") == (left_out > named)
    assert json.loads(done.out)["left_out"] == left_out
