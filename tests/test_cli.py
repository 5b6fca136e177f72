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
