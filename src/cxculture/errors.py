"""The project's error types and exit codes, and ``Message``: what the CLI says in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum

Say = Callable[..., str]  # a ui.yaml label by key, with its fields, in one language (``model.Speaker``)


class ExitCode(IntEnum):
    """What ``cxculture`` returns to the shell."""

    OK = 0
    UNEXPECTED = 1  # a bug or an environment problem; --debug shows the traceback
    BAD_INPUT = 2  # something the user gave: one line on stderr says what, where, and what is accepted
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT); what was typed is kept


class Message:
    """A ``ui.yaml`` label and its fields, said later in the reader's language.

    A field may itself be a ``Message`` (or a ``CxError``): it is said in the
    same language. ``str()`` says it in English with the shipped labels (for
    logs and tests that read no language).
    """

    __slots__ = ("fields", "key")

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key, self.fields = key, fields

    def said(self, say: Say) -> str:
        return say(self.key, **{name: said(value, say) for name, value in self.fields.items()})

    def __str__(self) -> str:
        return self.said(_english())

    def __repr__(self) -> str:
        return f"Message({self.key!r}, **{self.fields!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.fields) == (other.key, other.fields)

    __hash__ = None  # type: ignore[assignment] # compared by value, fields may be unhashable


def said(value: object, say: Say) -> object:
    """``value`` as the reader reads it: messages (and errors) said with ``say``, anything else as it is."""
    if isinstance(value, Message):
        return value.said(say)
    if isinstance(value, CxError):
        return value.said(say)
    if isinstance(value, list):  # several: one after another
        return ", ".join(str(said(item, say)) for item in value)
    return value


def shown(value: object, limit: int = 60) -> object:
    """A value from a file as a message names it: a mapping or a list by its kind, anything else as JSON writes it.

    Cut to ``limit`` characters; the CLI still removes control characters when it prints the message.
    """
    if isinstance(value, (dict, list, tuple)):
        return Message("kind.mapping" if isinstance(value, dict) else "kind.list")
    import json

    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:  # an integer too long to write out
        return Message("kind.number")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _english() -> Say:
    from cxculture.loading import Content

    return Content().speaker("en")


class CxError(Exception):
    """A problem with what the user gave us: one line on stderr, exit code 2.

    Raised with a ``key`` (a ``ui.yaml`` label) and its fields, it is said in the
    reader's language: the CLI passes ``lines`` the labels of that language.
    Raised with a text only, that text is shown as it is.
    """

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, message: str = "", *, key: str | None = None, **fields: object) -> None:
        super().__init__(message or key or "")
        self.text, self.key, self.fields = message, key, fields

    def said(self, say: Say | None) -> str:
        if self.key is not None and say is not None:
            return Message(self.key, **self.fields).said(say)
        return str(self)

    def lines(self, say: Say | None = None) -> list[str]:
        return [self.said(say)]

    def __str__(self) -> str:
        if self.text or self.key is None:
            return self.text
        return Message(self.key, **self.fields).said(_english())


class ContentError(CxError):
    """A content folder that does not validate; one line per problem, each a message said in the reader's language."""

    def __init__(self, problems: Sequence[str | Message | CxError]) -> None:
        super().__init__(str(problems[0]) if problems else "invalid content")
        self.problems = list(problems)

    def lines(self, say: Say | None = None) -> list[str]:
        return [str(said(problem, say) if say is not None else problem) for problem in self.problems]


class Interrupted(CxError):
    """The user pressed Ctrl-C; what they had typed was kept (exit code 130)."""

    exit_code = ExitCode.INTERRUPTED
