"""The project's error types: what the CLI turns into a message and an exit code."""

from __future__ import annotations


class CxError(Exception):
    """A problem with what the user gave us: one line on stderr, exit code 2."""

    exit_code = 2

    def lines(self) -> list[str]:
        return [str(self)]


class ContentError(CxError):
    """A content folder that does not validate; one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "invalid content")
        self.problems = problems

    def lines(self) -> list[str]:
        return self.problems


class Interrupted(CxError):
    """The user pressed Ctrl-C; what they had typed was kept (exit code 130)."""

    exit_code = 130
