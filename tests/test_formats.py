"""The registry of formats: every format for every document kind, chosen by --format or the export's extension."""

from __future__ import annotations

import json
import re

import pytest

from cxculture import formats
from cxculture.loading import Content
from helpers import LANGS, kinds, make


def _timeless(data):
    return {k: v for k, v in data.items() if k != "created_at"}


@pytest.fixture
def kind_args(tmp_path):
    return kinds(tmp_path)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", formats.KINDS)
def test_export_by_extension_equals_the_printed_format(cx, tmp_path, kind_args, kind, lang):
    for fmt, name in (("json", "out.json"), ("md", "out.md")):
        printed = cx(*kind_args[kind], "--lang", lang, "--format", fmt)
        assert printed.code == 0, printed.err
        target = tmp_path / name
        written = cx(*kind_args[kind], "--lang", lang, "--export", target)
        assert written.code == 0, written.err
        assert f"wrote {target}" in written.err
        if fmt == "json":  # an assessment made twice differs by its time of making only
            assert _timeless(json.loads(target.read_text(encoding="utf-8"))) == _timeless(json.loads(printed.out))
        else:
            assert target.read_text(encoding="utf-8") == printed.out
            assert printed.out.startswith("# ")
    text = cx(*kind_args[kind], "--lang", lang)
    assert text.code == 0 and text.out.strip()


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--export", "report.docx"], "'.docx' is not an export format; name the file with .json, .md"),
        (["--export", "report"], "'no extension' is not an export format"),
        (["--format", "pptx"], "written only with --export FILE.pptx"),
        (["--format", "svg"], "use one of text, json, md, html, pptx"),
        (["--export", "x.md", "--template", "brand.pptx"], "only used with --export FILE.pptx"),
    ],
)
@pytest.mark.parametrize("kind", formats.KINDS)
def test_a_format_that_cannot_be_used_is_refused_before_any_work(
    cx, tmp_path, monkeypatch, kind_args, kind, args, expected
):
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = cx(*kind_args[kind], *args)
    assert result.code == 2, result.err
    assert expected in result.err and len(result.err.splitlines()) == 1
    assert result.out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_every_registered_format_names_an_importable_module_with_render():
    import importlib

    for spec in formats.FORMATS.values():
        assert callable(importlib.import_module(spec.module).render), spec.name
    assert formats.for_file("A.HTML").name == "html" and formats.for_file("d.pptx").binary


def test_the_client_is_named_only_when_the_results_name_one_organisation():
    from types import SimpleNamespace

    from cxculture.workshop import organisation

    def people(*orgs):
        return [SimpleNamespace(org=org) for org in orgs]

    assert organisation(people("Acme", " acme ", "Acme", None)) == "Acme"
    assert organisation(people("Acme", "Globex")) is None
    assert organisation(people(None, "  ")) is None


def test_distribution_bar_diverges_from_the_centre_line():
    from cxculture.views.terminal import distribution_bar

    assert distribution_bar([0, 0, 0, 0, 10, 3]).plain == " " * 15 + "│" + "█" * 15
    assert distribution_bar([10, 0, 0, 0, 0, 0]).plain == "█" * 15 + "│" + " " * 15
    assert distribution_bar([0, 0, 4, 0, 0, 0]).plain == " " * 8 + "░" * 7 + "│" + "░" * 7 + " " * 8
    assert distribution_bar([1, 1, 0, 1, 1, 0]).plain == " " * 8 + "█" * 3 + "▓" * 4 + "│" + "▓" * 4 + "█" * 3 + " " * 8
    assert distribution_bar([0, 0, 0, 0, 0, 7]).plain == " " * 15 + "│" + " " * 15


def test_terminal_workshop_at_80_columns_shows_every_segment_and_each_statements_bar(cx, tmp_path):
    names = ["Direction générale", "Managers de proximité", "Fonctions support", "Service client", "Ventes"]
    for i, name in enumerate(names):
        for j in range(2):
            make(tmp_path, 2 + (i + j) % 4, name=f"p{i}{j}", segment=name, quote=3)
    run = cx("workshop", tmp_path, "--by-segment", "--min-group", "2", "--lang", "fr")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert max(len(line) for line in lines) <= 80
    heads = " ".join(line for line in lines if line.startswith("┃"))
    for name in names:
        assert all(word in heads for word in name.split()), name
    assert len([line for line in lines if line.startswith("┏")]) >= 2  # stacked, not squeezed out
    statements = [s for s in Content().questionnaire.statements if s.focus_area]
    bars = [line for line in lines if re.match(r"^\s+[ █▓░]{15}│[ █▓░]{15}", line)]
    assert len(bars) == len(statements)
