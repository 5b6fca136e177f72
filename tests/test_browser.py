"""The HTML reports in a real browser (Debian's chromium through Playwright): no console error,
no horizontal overflow on a phone or a laptop, and a PDF when printed."""

from __future__ import annotations

import pytest

from cxculture import formats
from helpers import LANGS, export_every_kind


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    made = export_every_kind(tmp_path_factory.mktemp("browser"), ".html")
    return {key: files[".html"] for key, files in made.items()}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", formats.KINDS)
def test_report_in_a_browser(browser, reports, tmp_path, kind, lang):
    url = reports[kind, lang].as_uri()
    for width in (375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        problems: list[str] = []
        note = problems.append
        page.on(
            "console", lambda message, note=note: note(message.text) if message.type in ("error", "warning") else None
        )
        page.on("pageerror", lambda error, note=note: note(str(error)))
        page.on("request", lambda request, note=note: note(request.url) if request.url != url else None)
        page.goto(url)
        assert problems == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("document.querySelectorAll('svg').length") == len(page.query_selector_all("figure svg"))
        page.close()
    page = browser.new_page()
    page.goto(url)
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= len(
        parse_sections(reports[kind, lang])
    )


def parse_sections(path):
    from htmltools import parse

    return parse(path.read_text(encoding="utf-8")).find("section")
