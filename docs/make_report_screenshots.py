"""Make the README's pictures of a workshop report: python docs/make_report_screenshots.py

Saves 24 made-up results (three segments) in a temporary folder, exports the
workshop as HTML, opens it in chromium (Playwright, Debian's /usr/bin/chromium)
and saves page 1 as docs/report-page-1.png and the radar as docs/report-radar.png.
"""

from __future__ import annotations

import contextlib
import io
import random
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from cxculture import results, session
from cxculture.answers import AnswerSet, question_ids
from cxculture.cli import main as cxculture
from cxculture.loading import Content

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARGS += ["--disable-sync", "--no-first-run"]
HERE = Path(__file__).parent
LEANING = {"leaders": 1, "managers": 0, "frontline": -1}  # how far each segment leans from the common view


def make_results(folder: Path) -> None:
    content = Content()
    ids = question_ids(content.questionnaire)
    chance = random.Random(7)  # noqa: S311 - made-up answers, the same at each run
    for n in range(24):
        segment = list(LEANING)[n % 3]
        answers: dict[str, int | None] = {}
        for i, qid in enumerate(ids[:-1]):
            usual = 4 if i < 8 else 3 if i < 14 else 2
            answers[qid] = max(1, min(5, usual + LEANING[segment] + chance.choice([-1, 0, 0, 1])))
        answers[ids[-1]] = chance.choice([2, 3, 3, 4, None])
        result, _ = session.score(content, AnswerSet(answers, "Acme Retail", None, segment), "en")
        results.save(result, folder)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder, report = Path(tmp) / "results", Path(tmp) / "report.html"
        make_results(folder)
        with contextlib.redirect_stdout(io.StringIO()):
            assert cxculture(["workshop", str(folder), "--by-segment", "--lang", "en", "--export", str(report)]) == 0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            page.goto(report.as_uri())
            page.locator("#summary").screenshot(path=str(HERE / "report-page-1.png"))
            page.locator("#figure-radar").screenshot(path=str(HERE / "report-radar.png"))
            browser.close()


if __name__ == "__main__":
    main()
