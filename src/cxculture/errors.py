"""The project's error types and exit codes: what the CLI turns into a message and a status."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

Say = Callable[..., str]  # a ui.yaml label by key, with its fields, in one language (``model.Speaker``)


class ExitCode(IntEnum):
    """What ``cxculture`` returns to the shell."""

    OK = 0
    UNEXPECTED = 1  # a bug or an environment problem; --debug shows the traceback
    BAD_INPUT = 2  # something the user gave: one line on stderr says what, where, and what is accepted
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT); what was typed is kept


class CxError(Exception):
    """A problem with what the user gave us: one line on stderr, exit code 2.

    Raised with a ``key`` (a ``ui.yaml`` label) and its fields, it is shown in the
    reader's language: the CLI passes ``lines`` the labels of that language.
    Raised with a text only, that text is shown as it is.
    """

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, message: str = "", *, key: str | None = None, **fields: object) -> None:
        super().__init__(message or key or "")
        self.key, self.fields = key, fields

    def lines(self, say: Say | None = None) -> list[str]:
        if self.key is not None and say is not None:
            return [say(self.key, **self.fields)]
        return [str(self)]


class ContentError(CxError):
    """A content folder that does not validate; one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "invalid content")
        self.problems = problems

    def lines(self, say: Say | None = None) -> list[str]:  # noqa: ARG002 - problems are in the content's words
        return self.problems


class Interrupted(CxError):
    """The user pressed Ctrl-C; what they had typed was kept (exit code 130)."""

    exit_code = ExitCode.INTERRUPTED
