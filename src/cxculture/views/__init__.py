"""Renderers: documents (plain dicts) to the terminal (Rich) or to markdown (Jinja2).

What every renderer draws the same way lives here: the score bar.
"""

FULL, EMPTY = "█", "░"  # the cells of a score bar


def bar_fill(score: float, width: int) -> int:
    """How many of a bar's ``width`` cells a 1–5 score fills: ``score / 5`` of them, half up."""
    return max(0, min(width, int(score / 5 * width + 0.5)))
