"""Renderers: documents (plain dicts) to the terminal (Rich) or to markdown (Jinja2).

What the renderers share lives here: the score bar, and the stand-ins that keep French
no-break spaces unbroken on screen.
"""

FULL, EMPTY = "█", "░"  # the cells of a score bar

# Rich breaks a line at any whitespace, the no-break spaces of French typography
# (U+00A0, U+202F) included, so that a lone "?", ":" or "»" could start a line.
# On screen, texts reach Rich with each no-break space replaced by a stand-in
# that is not whitespace (a private-use character, which no content holds), so
# Rich's wrapping keeps the mark with its word; ``screen.render`` puts the no-break
# spaces back in what Rich drew.
NO_BREAK_STAND_INS = {"\u00a0": "\ue000", "\u202f": "\ue001"}


def swap(text: str, replacements: dict[str, str]) -> str:
    """``text`` with each key of ``replacements`` replaced by its value (``str.replace``: the fast way)."""
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


def bar_fill(score: float, width: int) -> int:
    """How many of a bar's ``width`` cells a 1–5 score fills: ``score / 5`` of them, half up."""
    return max(0, min(width, int(score / 5 * width + 0.5)))
