"""Markdown reports rendered by Jinja2 templates shipped in the package.

Templates receive localised documents and ``t`` (the labels of ui.yaml in one
language, ``t.lang``: the ``score`` filter writes numbers as it does). Every
text that comes from content or from a user goes through ``md`` (inline text)
or ``cell`` (table cell) so that it is shown literally: no link, no HTML, no
emphasis, no heading, no broken table.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from cxculture.lang import decimal
from cxculture.text import clean
from cxculture.views import EMPTY, FULL, bar_fill

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.runtime import Context

    from cxculture.model import Speaker

# Runs of whitespace, line breaks included, but not the no-break spaces of
# French typography (U+00A0, U+202F): they are kept as they are.
_SPACES = re.compile(r"[^\S\u00a0\u202f]+")
# ASCII punctuation that means something in CommonMark or GFM: escaped anywhere.
# ``[]`` stop links and images (so ``()`` may stay as they are), ``<>`` HTML
# and autolinks, ``&`` entities (``&lt;``), ``|`` table cells, ``@`` e-mail
# autolinks, ``$`` maths, ``~ = ^ {}`` common extensions.
_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#+!|~&$=^@])")
# GFM extended autolinks (``http://…``, ``www.…``) need no special character.
_BARE_URL = re.compile(r"(?<=\w)(:)(?=//)|(?<=\bwww)(\.)", re.IGNORECASE)
# What starts a block at the beginning of a line (``#``, ``>``, ``+``, ``*``,
# fences are escaped above): a ``-`` (list item, thematic break, setext
# underline) or an ordered list mark (``1.``, ``1)``, not ``4.0``).
_LINE_START = re.compile(r"^(-|\d{1,9}[.)](?=\s|$))")


def md(text: object) -> str:
    """Escape markdown so that ``text`` reads literally, on one line."""
    flat = clean(_SPACES.sub(" ", str(text)).strip())  # line breaks and tabs become spaces, other controls �
    flat = _SPECIAL.sub(r"\\\1", flat)
    flat = _BARE_URL.sub(lambda m: "\\" + m.group(0), flat)
    return _LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], flat)


def finalize(value: object) -> object:
    """What every ``{{ … }}`` of a template prints: texts without control characters (``text.clean``)."""
    return clean(value, newlines=True) if type(value) is str else value


def cell(text: object) -> str:
    """Escape text for a table cell (never empty, so the table keeps its shape)."""
    return md(text) or " "


def bar(score: float | None, width: int = 5) -> str:
    """A text bar for a 1–5 score: ``███░░`` for 3.2; ``—`` when not measured."""
    if score is None:
        return "—"
    filled = bar_fill(score, width)  # half up: 2.5 shows 3 blocks of 5
    return FULL * filled + EMPTY * (width - filled)


def score(context: Context, value: float | None) -> str:
    """``{{ x | score }}``: one decimal in the language of the template's ``t`` (``3,5`` / ``3.5``)."""
    speaker: Speaker = context["t"]
    return decimal(value, speaker.language)


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context

    env = Environment(
        loader=PackageLoader("cxculture", "templates"),
        autoescape=False,  # noqa: S701 - markdown, escaped by the md and cell filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        finalize=finalize,
    )
    env.filters["md"] = md
    env.filters["cell"] = cell
    env.filters["bar"] = bar
    env.filters["score"] = pass_context(score)
    return env


# An empty table cell written as one space, as markdownlint's compact table style wants (MD060);
# ``md`` leaves no run of spaces elsewhere.
_EMPTY_CELL = re.compile(r"(?<=\|) {2,}(?=\|)")


def render(template: str, **context: object) -> str:
    """Render ``templates/<template>`` and tidy blank lines (markdownlint MD012)."""
    text = _environment().get_template(template).render(**context)
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = _EMPTY_CELL.sub(" ", text)
    return text.strip("\n") + "\n"
