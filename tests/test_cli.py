"""The command line's own duties: exit codes, --debug, usage errors, one fresh run per invocation."""

from __future__ import annotations

import pytest

from cxculture import service
from cxculture.errors import ExitCode


@pytest.fixture
def broken_workshop(monkeypatch):
    """Make the workshop service fail as a bug would."""

    def fail(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "workshop", fail)


def test_exit_codes_are_the_documented_numbers():
    assert [int(code) for code in ExitCode] == [0, 1, 2, 130]


@pytest.mark.usefixtures("english")
@pytest.mark.usefixtures("broken_workshop")
def test_an_unexpected_error_is_one_line_without_debug(cx, tmp_path):
    run = cx("workshop", tmp_path)
    assert run.code == ExitCode.UNEXPECTED
    assert run.err == "cxculture: unexpected error (RuntimeError: boom); re-run with --debug to see the traceback\n"


@pytest.mark.usefixtures("broken_workshop")
def test_debug_shows_the_traceback(cx, tmp_path):
    run = cx("--debug", "workshop", tmp_path)
    assert run.code == ExitCode.UNEXPECTED
    assert "Traceback (most recent call last)" in run.err
    assert "RuntimeError: boom" in run.err


@pytest.mark.usefixtures("broken_workshop")
def test_debug_is_read_from_the_parsed_options_not_from_any_argument(cx, tmp_path):
    """A file named --debug after -- is an argument, not the option."""
    run = cx("workshop", "--", "--debug")
    assert run.code == ExitCode.UNEXPECTED
    assert "Traceback" not in run.err


@pytest.mark.usefixtures("english")
def test_a_usage_error_names_the_command_and_its_help(cx):
    run = cx("guide", "--levle", "3")
    assert run.code == ExitCode.BAD_INPUT
    assert run.err.startswith("cxculture guide: ")
    assert run.err.endswith("(see 'cxculture guide --help')\n")


def test_each_invocation_reads_its_own_content_folder(cx, content_copy):
    (content_copy / "levels.yaml").write_text("levels: []\n", encoding="utf-8")
    assert cx("--content", content_copy, "levels").code == ExitCode.BAD_INPUT
    assert cx("levels", "--lang", "en").code == ExitCode.OK  # the shipped content again, not the last run's


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "cxculture: no such command 'guidee' (did you mean guide?) (see 'cxculture --help')\n"),
        (
            "fr",
            "cxculture\xa0: commande inconnue «\xa0guidee\xa0» (vouliez-vous dire guide\xa0?)"
            " (voir «\xa0cxculture --help\xa0»)\n",
        ),
    ],
)
def test_a_mistyped_command_is_named_with_the_one_meant(cx, lang, expected):
    run = cx("--lang", lang, "guidee")
    assert (run.code, run.err) == (ExitCode.BAD_INPUT, expected)


@pytest.mark.usefixtures("english")
def test_a_mistyped_command_with_a_quote_or_several_close_ones_is_named_whole(cx):
    assert cx("it's").err == "cxculture: no such command 'it's' (see 'cxculture --help')\n"
    run = cx("content", "chek")
    assert run.err.startswith("cxculture content: no such command 'chek' (did you mean check, schema?)")


def test_the_tool_s_lang_option_speaks_for_every_command(cx, monkeypatch):
    monkeypatch.setenv("CXCULTURE_LANG", "fr")
    assert cx("--lang", "en", "guide", "--level", "2").out.startswith("Level 2 ·")
    assert cx("--lang", "en", "guide", "--level", "2", "--lang", "fr").out.startswith("Niveau 2 ·")  # the command's
    run = cx("--lang", "de", "levels")
    assert run.code == ExitCode.BAD_INPUT and run.err.startswith("cxculture: --lang") and "de" in run.err


@pytest.mark.parametrize("args", [["--help", "--lang", "en"], ["--lang", "en", "--help"], ["--lang=en", "-h"]])
def test_the_tool_s_own_help_follows_its_lang_option(cx, monkeypatch, args):
    monkeypatch.setenv("CXCULTURE_LANG", "fr")
    run = cx(*args)
    assert run.code == 0 and run.out.startswith("Usage: cxculture") and "Commands:" in run.out


def test_a_command_line_is_parsed_by_its_command_s_parser_only():
    """Typer builds a parser per command; a command line that names one needs that one only."""
    from cxculture.cli import _command_name, _parser

    assert _command_name(["--content", "guide", "--lang", "en", "levels", "--lang", "fr"]) == "levels"
    assert _command_name(["--debug", "--lang=en", "workshop", "--", "x"]) == "workshop"
    assert _command_name(["--help"]) is None
    assert list(_parser(["--content", "DIR", "guide", "--level", "3"]).commands) == ["guide"]
    assert len(_parser(["--help"]).commands) > 5
    assert len(_parser(["content", "check"]).commands) > 5  # a group: every command
    assert len(_parser(["guidee"]).commands) > 5  # no such command: every name, to say which one was meant


@pytest.mark.usefixtures("english")
def test_options_without_a_command_ask_for_one(cx):
    assert cx("--lang", "en").err == "cxculture: which command? The help lists them (see 'cxculture --help')\n"
