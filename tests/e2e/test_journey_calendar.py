"""Issue 20 in the browser: the participant turns on her calendar feed and a calendar client
reads it (parsed with icalendar); then, offline, the app still shows her confirmed shift and
says it shows what was loaded earlier. Screenshots in docs/screenshots/ (calendar-*,
offline-applications-*)."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlparse

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Stack
from tests.e2e.test_web_journeys import _active_participant, _assert_clean, _ok, _org, _tomorrow, _unique
from tests.e2e.web import open_page, screen, shoot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("calendar-stack-data")).start()
    yield running
    running.stop()


def _confirmed_shift(stack: Stack, employer: str, token: str, start: datetime) -> dict[str, str]:
    body = {
        "title": "Velos reparieren",
        "description": "Bikes for the city's loan scheme.",
        "category": "other",
        "location": {"street": "Werkstattweg 4", "postcode": "3012", "city": "Bern"},
        "hourly_wage": "25.00",
        "requirements": {"skills": [], "languages": []},
        "shifts": [{"starts_at": start.isoformat(), "ends_at": start.replace(hour=12).isoformat(), "slots": 1}],
        "publish": True,
    }
    shift = _ok(stack.request("POST", "/jobs", body, employer), 201)["shifts"][0]
    app = _ok(stack.request("POST", f"/shifts/{shift['shift_id']}/applications", {}, token), 201)
    _ok(stack.request("POST", f"/applications/{app['application_id']}/accept", {}, employer))
    _ok(stack.request("POST", f"/applications/{app['application_id']}/confirm", {}, token))
    return dict(shift)


def _feed(stack: Stack, path: str) -> Calendar:
    stack.request("POST", "/_local/drain")  # the stream consumer keeps the calendar
    with urllib.request.urlopen(stack.base + path) as answer:  # noqa: S310 - the local stack
        assert answer.headers["Content-Type"].startswith("text/calendar")
        return Calendar.from_ical(answer.read())


def _controlled(page: Page) -> None:
    """The service worker is installed and answers this page's requests."""
    page.evaluate("() => navigator.serviceWorker.ready")
    if not page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
        page.reload()
        page.wait_for_selector("body[data-rendered]")
    page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)")


def test_calendar_feed_and_offline_shifts(stack: Stack, browser: Browser) -> None:
    admin = stack.token("admin", sub="web-admin-calendar")
    org = _org(stack, admin, _unique("Velowerkstatt"))
    employer = stack.token("employer", sub="emp-web-calendar", org_id=org["org_id"])
    caseworker = stack.token("caseworker", sub="cw-web-calendar")
    _, token = _active_participant(stack, caseworker, "Lea")
    _confirmed_shift(stack, employer, token, _tomorrow(8))

    page = open_page(browser, stack.base, phone=True, service_worker=True)
    sign_in(page, token)
    screen(page, "#/applications")
    page.get_by_role("link", name="My shifts in my own calendar").click()
    expect(page.locator("[data-calendar=off]")).to_be_visible()
    page.get_by_role("button", name="Turn on the calendar").click()
    box = page.locator("[data-calendar-url]")
    expect(box).to_be_visible()
    url = str(box.get_attribute("data-calendar-url"))
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    expect(page.get_by_role("button", name="Make a new link")).to_be_visible()
    _assert_clean(page)
    shoot(page, "calendar")

    events = _feed(stack, urlparse(url).path).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [f"Velos reparieren \u2013 {org['name']}"]
    assert str(events[0]["location"]) == "Werkstattweg 4, 3012 Bern"
    assert str(events[0]["status"]) == "CONFIRMED"

    _controlled(page)
    screen(page, "#/applications")  # loaded online: stored by the service worker
    expect(page.get_by_text("Velos reparieren").first).to_be_visible()
    page.context.set_offline(True)
    try:
        page.reload()
        page.wait_for_selector("body[data-rendered]")
        expect(page.get_by_text("Velos reparieren").first).to_be_visible()
        expect(page.locator("#offline")).to_contain_text("Offline \u2013 showing what was loaded at")
        _assert_clean(page)
        shoot(page, "offline-applications")
    finally:
        page.context.set_offline(False)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector("#signout[hidden]", state="attached")
    page.wait_for_function("async () => !(await caches.keys()).includes('tremplin-data-v1')")
    page.context.close()
