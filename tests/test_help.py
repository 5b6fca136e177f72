"""``--help`` of every command in the reader's language: its text, its options, its examples, from ui.yaml."""

from __future__ import annotations

import re

import pytest
import typer

from conftest import clean_env, run_subprocess
from cxculture.cli import app
from cxculture.loading import Content

UI = Content().ui
LANGS = ("fr", "en")


def command_paths() -> list[tuple[str, ...]]:
    """Every command as typed after ``cxculture`` (``()`` is the program itself)."""
    paths: list[tuple[str, ...]] = []

    def walk(command, path):
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


def options_of(path: tuple[str, ...]) -> list[str]:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return [param.name for param in command.params]


def label(lang: str, key: str) -> str:
    return UI.labels[key](lang)


def words(text: str) -> str:
    """Text as a help page shows it: wrapped anywhere, so compared without its line breaks and spaces."""
    return re.sub(r"\s+", "", text)


def option_label(path: tuple[str, ...], option: str) -> str:
    specific = "help." + ".".join((*path, option)) if path else f"help.option.{option}"
    return specific if specific in UI.labels else f"help.option.{option}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "cxculture")
def test_help_of_every_command_is_in_the_language_asked_for(cx, monkeypatch, path, lang):
    monkeypatch.setenv("CXCULTURE_LANG", lang)
    run = cx(*path, "--help")
    assert run.code == 0, run.err
    page = words(run.out)
    text = label(lang, "help." + ".".join(path) if path else "help.cxculture")
    for paragraph in text.split("\n\n"):
        assert words(paragraph) in page, paragraph  # the text, and each example whole
    for option in options_of(path):
        assert words(label(lang, option_label(path, option))) in page, option
    assert words(label(lang, "help.option.help")) in page
    assert run.out.startswith(label(lang, "help.usage"))
    other = "en" if lang == "fr" else "fr"
    assert words(label(other, "help.option.help")) not in page


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "cxculture")
def test_every_command_and_option_has_its_help_in_every_language(path):
    key = "help." + ".".join(path) if path else "help.cxculture"
    assert key in UI.labels
    for option in options_of(path):
        assert option_label(path, option) in UI.labels, option


def test_examples_are_not_cut_on_a_narrow_terminal(tmp_path):
    """Each example line is shown whole at 60 columns, so that it can be copied."""
    for lang in LANGS:
        env = clean_env(CXCULTURE_LANG=lang, COLUMNS="60")
        done = run_subprocess("assess", "--help", cwd=tmp_path, env=env)
        assert done.code == 0, done.err
        examples = [line.strip() for line in label(lang, "help.assess").splitlines() if "cxculture " in line]
        shown = [line.strip() for line in done.out.splitlines()]
        assert examples and all(example in shown for example in examples)


def test_help_follows_the_command_line_s_lang_option(cx, monkeypatch):
    monkeypatch.setenv("CXCULTURE_LANG", "fr")
    run = cx("guide", "--help", "--lang", "en")
    assert words(label("en", "help.guide.level")) in words(run.out)
    assert run.out.startswith("Usage: ")


def test_help_in_the_default_language_when_the_lang_option_is_not_one(cx, monkeypatch):
    monkeypatch.setenv("CXCULTURE_LANG", "fr")
    run = cx("guide", "--lang", "xx", "--help")
    assert run.code == 0 and words(label("fr", "help.guide.level")) in words(run.out)
