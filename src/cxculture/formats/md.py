"""The markdown format: ``templates/<kind>.md.j2`` rendered by ``views.report``."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

    return report.render(TEMPLATES[subject.kind], doc=subject.doc, t=subject.t)
