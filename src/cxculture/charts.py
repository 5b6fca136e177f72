"""Charts as inline SVG text: radar, diverging stacked bars, bars, heat map, trend lines.

Pure functions of numbers and labels (no I/O, no JavaScript, no external file):
the HTML report inlines what they return. Every chart has a title and a text
alternative (``<title>``, ``<desc>``, ``role="img"``), scales to its container
(``viewBox``), and reads in greyscale: series differ by dash and marker, the two
sides of an agreement scale by shade and hatching, and values are written as
labels. Each plotted number is also in a ``data-value`` attribute, so tests
can check a chart against the JSON figures it was drawn from.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

Number = float | int | None
Format = Callable[[Number], str]

INK = "#1a1a1a"
GRID = "#b0b0b0"
# Series: distinct in colour, and in greyscale by dash pattern and marker.
SERIES = (
    ("#1f4e79", "", "circle"),
    ("#b35806", "6 3", "square"),
    ("#4d4d4d", "2 3", "diamond"),
    ("#2d7a3a", "8 3 2 3", "triangle"),
    ("#7b3294", "1 2", "circle"),
    ("#8c2d04", "", "square"),
    ("#35978f", "6 3", "diamond"),
    ("#000000", "2 3", "triangle"),
)
# An agreement scale of five points: darkest at both ends, light in the middle;
# the disagreeing side is hatched (white or dark lines over its colour). The
# PowerPoint deck uses the same colours and hatching.
SCALE_COLOURS = ("#8c2d04", "#f4c9a8", "#e0e0e0", "#8fb3d9", "#1f4e79")
SCALE_HATCH = ("#ffffff", "#8c2d04", None, None, None)  # the hatching's line colour, None: plain
SCALE_FILLS = ("url(#hatch-dark)", "url(#hatch-light)", *SCALE_COLOURS[2:])
SCALE_TEXT = ("#ffffff", INK, INK, INK, "#ffffff")


@dataclass(frozen=True, slots=True)
class Series:
    """A named line of values (``None`` where nothing was measured)."""

    name: str
    values: Sequence[Number]


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _value(value: Number) -> str:
    return "" if value is None else repr(float(value))


def _svg(ident: str, width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" class="chart" id="{ident}" '
        f'font-family="inherit" font-size="12" fill="{INK}">'
        f'<title id="{ident}-t">{_e(title)}</title><desc id="{ident}-d">{_e(desc)}</desc>' + "".join(body) + "</svg>"
    )


def wrap(text: str, width: int) -> list[str]:
    """Words of ``text`` in lines of at most ``width`` characters (a longer word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _label(x: float, y: float, text: str, width: int, anchor: str = "start", size: int = 12) -> str:
    lines = wrap(text, width)
    first = y - (len(lines) - 1) * size * 0.55
    spans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(first + i * size * 1.1)}">{_e(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text text-anchor="{anchor}" font-size="{size}" dominant-baseline="middle">{spans}</text>'


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{_n(x - 3.5)}" y="{_n(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
    if shape == "diamond":
        return _polygon([(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)], colour)
    if shape == "triangle":
        return _polygon([(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)], colour)
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colour}"/>'


def _polygon(points: list[tuple[float, float]], colour: str) -> str:
    return f'<polygon points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}" fill="{colour}"/>'


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts = []
    for i, line in enumerate(series):
        colour, dash, shape = SERIES[i % len(SERIES)]
        top = y + i * 18
        parts.append(
            f'<g class="legend-item"><line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x + 28)}" y2="{_n(top)}" '
            f'stroke="{colour}" stroke-width="2.5" stroke-dasharray="{dash}"/>'
            + _marker(shape, x + 14, top, colour)
            + f'<text x="{_n(x + 36)}" y="{_n(top)}" dominant-baseline="middle">{_e(line.name)}</text></g>'
        )
    return parts


def radar(
    ident: str,
    title: str,
    desc: str,
    axes: Sequence[str],
    series: Sequence[Series],
    fmt: Format,
    top: float = 5,
    threshold: float | None = None,
) -> str:
    """One axis per label (1 at the centre, ``top`` at the rim), one closed line per series."""
    size, width, centre, middle, radius = 640, 780, 320, 390, 215  # wide enough for labels left and right
    count = max(len(axes), 3)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * max(0.0, (value - 1) / (top - 1))
        return middle + r * math.cos(angle), centre + r * math.sin(angle)

    body = []
    for ring in range(1, int(top) + 1):
        ring_points = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, ring) for i in range(count)))
        body.append(f'<polygon points="{ring_points}" fill="none" stroke="{GRID}" stroke-width="0.8"/>')
        x, y = point(0, ring)
        body.append(f'<text x="{_n(x + 4)}" y="{_n(y)}" font-size="10" fill="#555">{ring}</text>')
    if threshold is not None:
        ring_points = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, threshold) for i in range(count)))
        body.append(
            f'<polygon class="threshold" points="{ring_points}" fill="none" stroke="{INK}" '
            f'stroke-width="1" stroke-dasharray="1 3"/>'
        )
    for i, name in enumerate(axes):
        x, y = point(i, top)
        body.append(f'<line x1="{middle}" y1="{centre}" x2="{_n(x)}" y2="{_n(y)}" stroke="{GRID}" stroke-width="0.8"/>')
        lx, ly = point(i, top + 0.55)
        anchor = "middle" if abs(lx - middle) < 30 else ("start" if lx > middle else "end")
        body.append(_label(lx, ly, name, 20, anchor, 11))
    for s, line in enumerate(series):
        colour, dash, shape = SERIES[s % len(SERIES)]
        points = [point(i, v) for i, v in enumerate(line.values) if v is not None]
        shape_points = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        body.append(
            f'<g class="series" data-name="{_e(line.name)}"><polygon points="{shape_points}" fill="{colour}" '
            f'fill-opacity="0.08" stroke="{colour}" stroke-width="2.5" stroke-dasharray="{dash}"/>'
        )
        for i, value in enumerate(line.values):
            if value is None:
                continue
            x, y = point(i, value)
            body.append(
                f'<g class="point" data-axis="{_e(axes[i])}" data-value="{_value(value)}">'
                f"<title>{_e(axes[i])}: {_e(fmt(value))}</title>{_marker(shape, x, y, colour)}</g>"
            )
        body.append("</g>")
    height = size + (18 * len(series) - 10 if len(series) > 1 else 0)
    if len(series) > 1:
        body += _legend(series, 40, size - 4)
    return _svg(ident, width, height, title, desc, body)


def _hatches() -> str:
    patterns = "".join(
        f'<pattern id="{name}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{SCALE_COLOURS[i]}"/><line x1="0" y1="0" x2="0" y2="6" '
        f'stroke="{SCALE_HATCH[i]}" stroke-width="{1.5 if i == 0 else 1}"/></pattern>'
        for i, name in enumerate(("hatch-dark", "hatch-light"))
    )
    return f"<defs>{patterns}</defs>"


def diverging(
    ident: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    scale: Sequence[str],
    percent: Callable[[float], str],
) -> str:
    """Agreement per statement: counts of answers 1..5 as shares, centred on the middle of the scale.

    Disagreement extends left of the centre line, agreement right; the neutral
    middle point straddles it. Each segment shows its share when wide enough.
    """
    width, label_w, bar_w, row_h = 760, 300, 440, 34
    centre = label_w + bar_w / 2
    body = [_hatches()]
    top = 10
    for i, name in enumerate(scale):  # legend
        x = label_w + i * bar_w / len(scale)
        body.append(
            f'<rect x="{_n(x)}" y="{top}" width="14" height="14" fill="{SCALE_FILLS[i]}" stroke="{INK}" '
            f'stroke-width="0.5"/>' + _label(x + 18, top + 7, name, 14, "start", 10)
        )
    top += 40
    for r, (name, counts) in enumerate(rows):
        total = sum(counts)
        y = top + r * row_h
        body.append(_label(label_w - 8, y + row_h / 2 - 2, name, 46, "end", 11))
        shares = [c / total if total else 0 for c in counts]
        left = centre - (shares[0] + shares[1] + shares[2] / 2) * bar_w / 2
        body.append(f'<g class="row" data-label="{_e(name)}" data-total="{total}">')
        x = left
        for point, (count, share) in enumerate(zip(counts, shares, strict=True)):
            w = share * bar_w / 2
            body.append(
                f'<rect class="segment" data-point="{point + 1}" data-value="{count}" x="{_n(x)}" y="{_n(y + 4)}" '
                f'width="{_n(w)}" height="{row_h - 10}" fill="{SCALE_FILLS[point]}" stroke="{INK}" stroke-width="0.4">'
                f"<title>{_e(scale[point])}: {count} ({_e(percent(share))})</title></rect>"
            )
            if w >= 26:
                body.append(
                    f'<text x="{_n(x + w / 2)}" y="{_n(y + row_h / 2 - 1)}" text-anchor="middle" '
                    f'dominant-baseline="middle" font-size="10" fill="{SCALE_TEXT[point]}">{_e(percent(share))}</text>'
                )
            x += w
        body.append("</g>")
    bottom = top + len(rows) * row_h
    body.append(f'<line x1="{_n(centre)}" y1="{top}" x2="{_n(centre)}" y2="{bottom}" stroke="{INK}"/>')
    return _svg(ident, width, bottom + 8, title, desc, body)


def bars(
    ident: str,
    title: str,
    desc: str,
    items: Sequence[tuple[str, Number]],
    fmt: Format,
    top: float | None = None,
    notes: Sequence[str] = (),
) -> str:
    """Horizontal bars, one per item, each with its value (or its note, when given) written at its end."""
    width, label_w, bar_w, row_h = 640, 260, 280 if notes else 320, 28  # a note is longer than a value
    scale_top = top or max([float(v) for _, v in items if v is not None] + [1.0])
    body = []
    for r, (name, value) in enumerate(items):
        y = 6 + r * row_h
        body.append(_label(label_w - 8, y + row_h / 2, name, 40, "end", 11))
        w = 0.0 if value is None else bar_w * float(value) / scale_top
        if notes:  # shares: the whole (100 %) as a light track behind each bar
            body.append(f'<rect x="{label_w}" y="{_n(y + 5)}" width="{bar_w}" height="{row_h - 10}" fill="#ececec"/>')
        body.append(
            f'<rect class="bar" data-label="{_e(name)}" data-value="{_value(value)}" x="{label_w}" y="{_n(y + 5)}" '
            f'width="{_n(w)}" height="{row_h - 10}" fill="#1f4e79"/>'
            f'<text x="{_n(label_w + w + 6)}" y="{_n(y + row_h / 2)}" dominant-baseline="middle">'
            f"{_e(notes[r] if notes else fmt(value))}</text>"
        )
    return _svg(ident, width, 12 + len(items) * row_h, title, desc, body)


def heatmap(
    ident: str,
    title: str,
    desc: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[Number]],
    fmt: Format,
    low: float = 1,
    high: float = 5,
) -> str:
    """A table of shaded cells (darker is higher), each with its value written in it."""
    label_w, head_h, row_h = 250, 56, 30
    cell_w = max(60, min(110, 480 // max(len(columns), 1)))
    width = label_w + cell_w * len(columns) + 10
    body = []
    for c, name in enumerate(columns):
        body.append(_label(label_w + c * cell_w + cell_w / 2, head_h / 2, name, 14, "middle", 10))
    for r, name in enumerate(rows):
        y = head_h + r * row_h
        body.append(_label(label_w - 8, y + row_h / 2, name, 38, "end", 11))
        for c, value in enumerate(values[r]):
            x = label_w + c * cell_w
            if value is None:
                shade, ink = "#ffffff", INK
            else:
                level = (float(value) - low) / (high - low)
                grey = int(235 - 200 * max(0.0, min(1.0, level)))
                shade, ink = f"#{grey:02x}{grey:02x}{min(255, grey + 30):02x}", "#ffffff" if grey < 130 else INK
            body.append(
                f'<g class="cell" data-row="{_e(name)}" data-column="{_e(columns[c])}" data-value="{_value(value)}">'
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{row_h - 2}" fill="{shade}" stroke="{GRID}"/>'
                f'<text x="{_n(x + cell_w / 2)}" y="{_n(y + row_h / 2)}" text-anchor="middle" '
                f'dominant-baseline="middle" fill="{ink}">{_e(fmt(value))}</text></g>'
            )
    return _svg(ident, width, head_h + len(rows) * row_h + 6, title, desc, body)


def lines(
    ident: str,
    title: str,
    desc: str,
    moments: Sequence[str],
    series: Sequence[Series],
    fmt: Format,
    low: float = 1,
    high: float = 5,
) -> str:
    """Trend lines: one per series over the moments (waves), values on a ``low``–``high`` scale."""
    width, left, right, top, plot_h = 640, 50, 30, 16, 260
    plot_w = width - left - right
    step = plot_w / max(len(moments) - 1, 1)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    body = []
    for tick in range(int(low), int(high) + 1):
        y = y_of(tick)
        body.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" stroke="{GRID}" stroke-width="0.6"/>'
            f'<text x="{left - 8}" y="{_n(y)}" text-anchor="end" dominant-baseline="middle">{tick}</text>'
        )
    for m, name in enumerate(moments):
        body.append(_label(left + m * step, top + plot_h + 18, name, 12, "middle", 10))
    for s, line in enumerate(series):
        colour, dash, shape = SERIES[s % len(SERIES)]
        known = [(left + m * step, y_of(float(v))) for m, v in enumerate(line.values) if v is not None]
        path = "".join(f"{'M' if i == 0 else 'L'}{_n(x)} {_n(y)}" for i, (x, y) in enumerate(known))
        body.append(
            f'<g class="series" data-name="{_e(line.name)}"><path d="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5" stroke-dasharray="{dash}"/>'
        )
        for m, value in enumerate(line.values):
            if value is not None:
                x, y = left + m * step, y_of(float(value))
                body.append(
                    f'<g class="point" data-moment="{_e(moments[m])}" data-value="{_value(value)}">'
                    f"<title>{_e(line.name)} · {_e(moments[m])}: {_e(fmt(value))}</title>"
                    f"{_marker(shape, x, y, colour)}</g>"
                )
        body.append("</g>")
    legend_top = top + plot_h + 44
    body += _legend(series, left, legend_top)
    return _svg(ident, width, legend_top + 18 * len(series) + 4, title, desc, body)


def ladder(
    ident: str,
    title: str,
    desc: str,
    steps: Sequence[str],
    areas: Sequence[Sequence[str]],
    current: int | None,
    mark: str,
) -> str:
    """A staircase of levels, lowest on the left; over each step, the focus areas that lead to it.

    The current step is dark with ``mark`` written under its name, those below it
    light grey, those above white with a dashed outline: apart in greyscale too.
    """
    count = max(len(steps), 1)
    width, left, gap, rise, line = 780, 10, 4, 50, 12
    column = (width - 2 * left) / count
    base = 76 + rise * count
    body = []
    for i, (name, leading) in enumerate(zip(steps, areas, strict=True)):
        x, top, here = left + i * column, base - rise * (i + 1), i == current
        fill, ink, dash = step_look(i, current)
        body.append(
            f'<g class="step" data-level="{i + 1}" data-value="{len(leading)}" data-current="{str(here).lower()}">'
            f'<rect x="{_n(x)}" y="{top}" width="{_n(column - gap)}" height="{base - top}" fill="{fill}" '
            f'stroke="{INK}" stroke-width="{2 if here else 1}" stroke-dasharray="{dash}"/>'
        )
        label = wrap(name, 20) + ([mark] if here else [])
        for n, text in enumerate(label):
            weight = "700" if n == 0 or text == mark else "400"
            body.append(
                f'<text class="name" x="{_n(x + 6)}" y="{top + 16 + n * 14}" fill="{ink}" font-size="11" '
                f'font-weight="{weight}">{_e(text)}</text>'
            )
        lines = [(part == 0, text) for area in leading for part, text in enumerate(wrap(area, 24))]
        y = top - 6 - line * (len(lines) - 1)
        for n, (first, text) in enumerate(lines):
            body.append(
                f'<text class="area" x="{_n(x + (2 if first else 12))}" y="{_n(y + n * line)}" font-size="10">'
                f"{_e(('▲ ' if first else '') + text)}</text>"
            )
        body.append("</g>")
    return _svg(ident, width, base + 8, title, desc, body)


def step_look(index: int, current: int | None) -> tuple[str, str, str]:
    """Fill, text colour and outline dash of a ladder's step: the current one, one below it, one above
    (the PowerPoint deck draws its ladder with the same)."""
    if index == current:
        return "#1f4e79", "#ffffff", ""
    if current is not None and index < current:
        return "#d9d9d9", INK, ""
    return "#ffffff", INK, "5 3"
