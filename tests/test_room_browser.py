"""The participant's page in a real browser (Debian's chromium through Playwright), on a 375 px phone.

The server is the real one, listening on 127.0.0.1; every request the page makes
is intercepted: anything not addressed to the server is aborted and fails the test.
"""

from __future__ import annotations

import json

import pytest

from cxculture.answers import question_ids
from cxculture.loading import Content
from cxculture.room.collect import Settings
from cxculture.room.page import quotes as offered_quotes
from cxculture.room.serve import open_room

CONTENT = Content()
STATEMENTS = CONTENT.questionnaire.statements
IDS = question_ids(CONTENT.questionnaire)


@pytest.fixture
def room(tmp_path):
    settings = Settings(org="Acme & <Co>", out=tmp_path / "out", segments=("Direction", "Terrain"))
    opened = open_room(CONTENT, settings, "fr", "127.0.0.1", 0)
    yield opened
    opened.close()


class Phone:
    """A 375 px wide page (or a laptop's, ``phone=False``) that records console errors and every request it makes."""

    def __init__(self, browser, room, phone=True) -> None:
        if phone:
            self.context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
        else:
            self.context = browser.new_context(viewport={"width": 1280, "height": 720})
        self.origin = room.url.split("/", 3)[:3]
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route) -> None:
        if route.request.url.split("/", 3)[:3] == self.origin:
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def tap(self, name: str) -> None:
        self.page.get_by_role("button", name=name, exact=True).click()

    def heading(self) -> str:
        return self.page.locator("h1, h2").first.inner_text()


def scale_label(value: int, lang: str) -> str:
    return f"{value} · {CONTENT.questionnaire.scale.points[value - 1].label(lang)}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_participant_answers_on_a_phone_and_a_reload_resumes(browser, room, tmp_path, lang):
    phone = Phone(browser, room)
    page = phone.page
    page.goto(room.url)
    t = CONTENT.speaker(lang)
    phone.tap(CONTENT.languages[lang].name)  # its own name, capitalised: "Français", "English"
    assert phone.heading() == t("room.welcome_title")
    assert "Acme & <Co>" in page.locator("main").inner_text()  # shown as text, not markup
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    phone.tap(t("room.start"))
    phone.tap("Terrain")

    values = {s.id: (n % 5) + 1 for n, s in enumerate(STATEMENTS)}
    values[STATEMENTS[4].id] = None
    role_specific = next(s for s in STATEMENTS if s.applies_to is not None)
    values[role_specific.id] = None  # answered "doesn't apply to me"
    half = len(STATEMENTS) // 2
    scale = CONTENT.questionnaire.scale
    for number, statement in enumerate(STATEMENTS, start=1):
        if number == half:
            page.reload()  # a reload (or a phone locked and woken) resumes where it was
        assert phone.heading() == statement.text(lang)
        assert t("room.progress", number=number, total=len(IDS)) in page.locator("main").inner_text()
        value = values[statement.id]
        if statement is role_specific:
            assert statement.applies_to(lang) in page.locator("main").inner_text()  # who it is for
            phone.tap(scale.not_applicable(lang))
        else:
            phone.tap(scale.dont_know(lang) if value is None else scale_label(value, lang))

    quote = CONTENT.questionnaire.quote_question
    assert phone.heading() == quote.prompt(lang)
    quotes = page.locator("button.quote")
    assert quotes.count() == 5
    for i in range(5):  # every quote is readable in full: no clipping, no ellipsis
        box = quotes.nth(i)
        assert box.evaluate("b => b.scrollWidth <= b.clientWidth && b.scrollHeight <= b.clientHeight")
    chosen_text = quotes.nth(0).inner_text()
    quotes.nth(0).click()
    phone.tap(t("room.send"))
    page.get_by_role("heading", name=t("room.thanks_title")).wait_for()

    files = sorted((tmp_path / "out").glob("*.json"))
    assert len(files) == 1
    result = json.loads(files[0].read_text(encoding="utf-8"))
    level = next(number for number, text in offered_quotes(CONTENT, lang, room.code).items() if text == chosen_text)
    assert result["answers"] == values | {quote.id: level}
    assert (result["lang"], result["segment"], result["org"], result["participant"]) == (
        lang,
        "Terrain",
        "Acme & <Co>",
        None,
    )
    shown = page.locator("main").inner_text()
    assert not any(lv.name(lang) in shown for lv in CONTENT.levels.levels)  # no individual result by default

    page.reload()  # after sending: still the thank-you screen, the answers gone from the browser
    assert phone.heading() == t("room.thanks_title")
    stored = page.evaluate("Object.values(window.localStorage).map(v => JSON.parse(v))")
    assert [entry["answers"] for entry in stored] == [{}]
    assert phone.foreign == []
    assert phone.errors == []
    phone.context.close()


def test_nothing_is_wider_than_a_320_px_phone(browser, room):
    context = browser.new_context(viewport={"width": 320, "height": 568})
    page = context.new_page()
    page.goto(room.url)
    widths = []
    t = CONTENT.speaker("fr")
    for step in (None, t("room.start"), "Direction"):
        if step:
            page.get_by_role("button", name=step, exact=True).click()
        widths.append(page.evaluate("document.documentElement.scrollWidth"))
    page.evaluate(
        "() => { const k = Object.keys(localStorage)[0]; const s = JSON.parse(localStorage[k]);"
        " s.step = 'quote'; localStorage[k] = JSON.stringify(s); }"
    )
    page.reload()
    page.locator("button.quote").first.wait_for()
    widths.append(page.evaluate("document.documentElement.scrollWidth"))
    assert widths == [320] * 4
    context.close()


def send(room, n, value):
    """A participant's answers sent as the page sends them."""
    import httpx

    answers = {qid: value if k % 3 else None for k, qid in enumerate(IDS)}
    body = {"device": f"device-{n:012d}", "lang": "fr", "segment": "Terrain", "answers": answers}
    reply = httpx.post(room.url + "answers", json=body)
    assert reply.status_code == 200, reply.text


def test_the_projector_shows_the_count_then_the_group_picture_once_revealed(browser, room):
    from cxculture.lang import decimal
    from cxculture.room.live import picture

    screen = Phone(browser, room, phone=False)
    page = screen.page
    t = CONTENT.speaker("fr")  # the room's language
    page.goto(room.projector_url)
    assert page.locator("h1").inner_text() == t("room.projector_title")
    assert page.locator(".count").inner_text() == "0"
    for n in range(4):
        send(room, n, 4)
    expect_count(page, "4")  # the page asks every 2 s
    assert t("room.projector_too_few", min=5) in page.locator("main").inner_text()
    assert page.get_by_role("button").count() == 0  # nothing to reveal under five answers
    send(room, 4, 2)
    expect_count(page, "5")
    assert page.locator(".area").count() == 0  # not shown until the consultant reveals it

    screen.tap(t("room.projector_reveal"))
    group = picture(room.collector).group
    level_name = CONTENT.levels.level(group["level"]).name("fr")
    page.get_by_role("heading", name=t("room.group_level", level=group["level"], name=level_name)).wait_for()
    names = {area.id: area.name("fr") for _, area in CONTENT.levels.focus_areas()}
    rows = [page.locator(".area").nth(i).locator("span").all_inner_texts() for i in range(len(group["areas"]))]
    assert rows == [[names[a["id"]], decimal(a["score"], t.language)] for a in group["areas"]]
    assert page.locator(".area").count() == len(group["areas"])

    screen.tap(t("room.projector_hide"))
    page.get_by_role("button", name=t("room.projector_reveal"), exact=True).wait_for()
    assert page.locator(".area").count() == 0
    assert screen.foreign == []
    assert screen.errors == []
    screen.context.close()


def expect_count(page, text):
    page.wait_for_function("t => document.querySelector('.count').textContent === t", arg=text, timeout=10_000)
