"""The JSON format: the figures of a document kind, as they are (numbers stay numbers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cxculture.formats import Subject


def render(subject: Subject) -> str:
    import json

    figures = subject.doc if subject.figures is None else subject.figures  # a guide is its own figures
    from cxculture.text import json_safe

    return json_safe(json.dumps(figures, ensure_ascii=False, indent=2, allow_nan=False)) + "\n"
