"""Make the README's picture of the participant's page: python docs/make_screenshots.py

Opens a room on 127.0.0.1, answers the welcome screen in a 375 px wide
chromium page (Playwright, Debian's /usr/bin/chromium) and saves the first
question as docs/room-phone.png.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from cxculture.loading import Content
from cxculture.room.collect import Settings
from cxculture.room.serve import open_room

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARGS += ["--disable-sync", "--no-first-run"]
HERE = Path(__file__).parent


def main() -> None:
    content = Content()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(org="Acme", out=Path(folder), segments=("Direction", "Managers", "Terrain"))
        room = open_room(content, settings, "en", "127.0.0.1", 0)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 375, "height": 700}, device_scale_factor=2)
                page.goto(room.url)
                page.screenshot(path=str(HERE / "room-welcome.png"))
                page.get_by_role("button", name="Start").click()
                page.get_by_role("button", name="Managers").click()
                page.locator("button.choice").nth(3).click()
                page.screenshot(path=str(HERE / "room-phone.png"))
                browser.close()
        finally:
            room.close()


if __name__ == "__main__":
    main()
