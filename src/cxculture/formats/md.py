"""The markdown format: ``templates/<kind>.md.j2`` rendered by ``views.report``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cxculture.formats import Subject

TEMPLATES = {
    "assessment": "assessment.md.j2",
    "guide": "guide.md.j2",
    "workshop": "workshop.md.j2",
    "comparison": "compare.md.j2",
}


def render(subject: Subject) -> str:
    from cxculture.views import report

    extra: dict[str, object] = {}
    if subject.kind == "workshop":  # page 1 and the plan, as in the HTML report
        from cxculture import briefing

        figures: Any = subject.figures
        extra["summary"] = briefing.workshop_summary(subject.content, figures, subject.doc, subject.t)
        extra["plan"] = briefing.plan(subject.content, figures["level"], subject.lang)
    return report.render(TEMPLATES[subject.kind], doc=subject.doc, t=subject.t, **extra)
