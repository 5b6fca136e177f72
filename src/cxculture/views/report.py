"""Markdown reports rendered by Jinja2 templates shipped in the package.

Templates receive localised documents and ``t`` (the labels of ui.yaml). Every
text that comes from content or from a user goes through ``md`` (inline text)
or ``cell`` (table cell) so that it is shown literally: no link, no HTML, no
broken table.
"""

from __future__ import annotations

import re
from functools import cache

_SPECIAL = re.compile(r"([\\`*_\[\]{}()<>#+!|~&\"$=^])")
_LINE_START = re.compile(r"^(\s*)([-+]|\d+[.)])(\s)")


def md(text: object) -> str:
    """Escape markdown so that ``text`` reads literally on one line."""
    flat = " ".join(str(text).split())
    flat = _SPECIAL.sub(r"\\\1", flat)
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2).replace(".", "\\.").replace(")", "\\)").replace("-", "\\-").replace("+", "\\+") + m.group(3), flat)


def cell(text: object) -> str:
    """Escape text for a table cell (never empty, so the table keeps its shape)."""
    escaped = md(text)
    return escaped if escaped else " "


@cache
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("cxculture", "templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters["md"] = md
    env.filters["cell"] = cell
    env.filters["score"] = lambda value: "—" if value is None else f"{value:.1f}"
    return env


def render(template: str, **context: object) -> str:
    """Render ``templates/<template>`` and tidy blank lines (markdownlint MD012)."""
    text = _environment().get_template(template).render(**context)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"
