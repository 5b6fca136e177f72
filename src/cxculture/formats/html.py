"""The HTML format: one self-contained file (inline CSS and SVG charts, no script, no external file).

``templates/html/<kind>.html.j2`` extend ``base.html.j2`` (its print CSS makes an
A4 document of the browser's "print to PDF"). Jinja2 escapes every value
(autoescape); the charts of ``briefing`` are drawn by ``charts``, which escapes
its own text, and marked safe here only.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from cxculture import briefing, charts
from cxculture.documents import percent
from cxculture.lang import decimal
from cxculture.text import clean

if TYPE_CHECKING:
    from cxculture.formats import Subject


def svg(chart: briefing.Chart, t: Any) -> str:
    """A chart's data drawn as inline SVG."""
    fmt = lambda value: decimal(value, t.language)  # noqa: E731
    if chart.kind == "radar":
        return charts.radar(
            chart.ident, chart.title, chart.desc, chart.categories, chart.series, fmt, threshold=chart.threshold
        )
    if chart.kind == "lines":
        return charts.lines(chart.ident, chart.title, chart.desc, chart.categories, chart.series, fmt)
    if chart.kind == "heatmap":
        columns = [s.name for s in chart.series]
        values = [[s.values[r] for s in chart.series] for r in range(len(chart.categories))]
        return charts.heatmap(chart.ident, chart.title, chart.desc, chart.categories, columns, values, fmt)
    if chart.kind == "diverging":
        rows = [(name, [int(s.values[r] or 0) for s in chart.series]) for r, name in enumerate(chart.categories)]
        return charts.diverging(
            chart.ident, chart.title, chart.desc, rows, chart.labels, lambda share: percent(share, t)
        )
    if chart.kind == "ladder":
        mark = str(t("chart.ladder_mark"))
        return charts.ladder(
            chart.ident, chart.title, chart.desc, chart.categories, chart.groups, chart.highlight, mark
        )
    (series,) = chart.series
    if chart.kind == "shares":  # 0 to 1, each bar with its note (share and head count)
        items = list(zip(chart.categories, series.values, strict=True))
        return charts.bars(chart.ident, chart.title, chart.desc, items, fmt, top=1, notes=chart.notes)
    whole = all(isinstance(v, int) for v in series.values)
    return charts.bars(
        chart.ident,
        chart.title,
        chart.desc,
        list(zip(chart.categories, series.values, strict=True)),
        str if whole else fmt,
        top=None if whole else 5,
    )


def context(subject: Subject) -> dict[str, Any]:
    """What the kind's template receives: the document, the labels, the summary, the plan, the charts."""
    t, doc, content = subject.t, subject.doc, subject.content
    found: dict[str, Any] = {"doc": doc, "t": t, "lang": subject.lang, "method": briefing.method(content, t)}
    if subject.kind == "assessment":
        found["summary"] = briefing.assessment_summary(doc, t)
        found["charts"] = briefing.assessment_charts(doc, t)
    elif subject.kind == "workshop":
        figures: Any = subject.figures
        found["summary"] = briefing.workshop_summary(content, figures, doc, t)
        found["plan"] = briefing.plan(content, figures["level"], subject.lang)
        found["charts"] = briefing.workshop_charts(content, figures, doc, t)
        found["figures"] = figures
    elif subject.kind == "comparison":
        found["charts"] = briefing.comparison_charts(content, subject.figures, doc, t)  # type: ignore[arg-type]
    else:
        found["charts"] = briefing.guide_charts(content, doc["level"], t)
    return found


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
    from markupsafe import Markup

    from cxculture.views import report

    env = Environment(
        loader=PackageLoader("cxculture", "templates/html"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        finalize=report.finalize,  # Markup (the charts) passes as it is
    )
    env.filters["score"] = pass_context(report.score)
    env.filters["svg"] = pass_context(lambda ctx, chart: Markup(clean(svg(chart, ctx["t"]), newlines=True)))  # noqa: S704 - escaped by charts
    return env


def render(subject: Subject) -> str:
    return str(_environment().get_template(f"{subject.kind}.html.j2").render(**context(subject)))
