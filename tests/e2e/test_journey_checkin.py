"""Check-in at the site in the browser (issue 20): the employer's shift page shows the QR code;
the participant opens its link on a phone at arrival and at departure; a colleague without a
phone is checked in by the employer; the hours form comes prefilled with the recorded times.
Screenshots in docs/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Stack
from tests.e2e.test_web_journeys import _active_participant, _assert_clean, _assert_phone_fits, _job, _ok, _org, _unique
from tests.e2e.web import open_page, screen, shoot, sign_in

ZURICH = ZoneInfo("Europe/Zurich")  # what the form shows, whatever the zone of the answer
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("checkin-stack-data")).start()
    yield running
    running.stop()


def _placed(stack: Stack, employer: str, participant: str, shift_id: str) -> str:
    app = _ok(stack.request("POST", f"/shifts/{shift_id}/applications", {}, participant), 201)["application_id"]
    _ok(stack.request("POST", f"/applications/{app}/accept", {}, employer))
    _ok(stack.request("POST", f"/applications/{app}/confirm", {}, participant))
    return str(app)


def test_check_in_journey(stack: Stack, browser: Browser) -> None:
    admin, caseworker = stack.token("admin", sub="web-admin"), stack.token("caseworker", sub="cw-web-c")
    org = _org(stack, admin, _unique("Stadtgärtnerei"))
    employer = stack.token("employer", sub="emp-web-c", org_id=org["org_id"])
    _, mia = _active_participant(stack, caseworker, "Mia")
    _, jon = _active_participant(stack, caseworker, "Jon")  # no phone: the employer checks him in
    shift = _job(stack, employer, "Hecken schneiden")["shifts"][0]
    shift_id = shift["shift_id"]
    _placed(stack, employer, mia, shift_id)
    jon_app = _placed(stack, employer, jon, shift_id)
    starts, ends = (datetime.fromisoformat(shift[k]).astimezone(ZURICH) for k in ("starts_at", "ends_at"))
    arrival, departure = starts - timedelta(minutes=5), ends + timedelta(minutes=4)
    try:
        stack.request("POST", "/_local/clock", {"now": arrival.isoformat()})
        # The employer's shift page: the QR code, a link into the app.
        page = open_page(browser, stack.base)
        sign_in(page, employer)
        screen(page, f"#/shifts/{shift_id}")
        expect(page.get_by_role("heading", name="Check-in at the site")).to_be_visible()
        qr = page.get_by_role("img", name="QR code for checking in and out")
        expect(qr).to_be_visible()
        link = qr.get_attribute("data-check-in-url") or ""
        assert urlsplit(link).fragment.startswith(f"/check-in/{shift_id}.")
        _assert_clean(page)
        shoot(page, "employer-check-in")

        # Mia scans it with her phone: the link opens the app and records her arrival.
        # Opened signed out (a fresh phone browser), the link is followed once she has signed in.
        phone = open_page(browser, stack.base, phone=True)
        phone.evaluate("fragment => { location.hash = fragment; }", urlsplit(link).fragment)
        expect(phone.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
        sign_in(phone, mia)
        expect(phone.locator("main").get_by_role("status")).to_contain_text("Your arrival is recorded")
        _assert_clean(phone)
        _assert_phone_fits(phone)
        shoot(phone, "participant-check-in")

        # Jon has no phone: the employer records his arrival from the applicant list.
        jon_card = page.locator(f"[data-application='{jon_app}']")
        jon_card.get_by_role("button", name="Arrived now").click()
        expect(page.get_by_text("Arrival recorded.")).to_be_visible()

        # At the end of the shift: Mia scans the new code, the employer records Jon leaving.
        stack.request("POST", "/_local/clock", {"now": departure.isoformat()})
        code = _ok(stack.request("GET", f"/shifts/{shift_id}/check-in-code", token=employer))["code"]
        screen(phone, f"#/check-in/{code}")
        expect(phone.locator("main").get_by_role("status")).to_contain_text("Your departure is recorded")
        screen(page, f"#/shifts/{shift_id}")
        page.locator(f"[data-application='{jon_app}']").get_by_role("button", name="Left now").click()
        expect(page.get_by_text("Departure recorded.")).to_be_visible()

        # The hours form starts from the recorded times; the employer may still correct them.
        screen(page, f"#/shifts/{shift_id}")
        mia_card = page.locator("main li.card").filter(has_text="Mia")
        expect(mia_card.get_by_label("Started")).to_have_value(arrival.strftime("%Y-%m-%dT%H:%M"))
        expect(mia_card.get_by_label("Ended")).to_have_value(departure.strftime("%Y-%m-%dT%H:%M"))
        expect(mia_card).to_contain_text(f"Arrived {arrival.strftime('%H:%M')}")
        _assert_clean(page)
        shoot(page, "employer-check-in-hours")
        mia_card.get_by_label("Ended").fill(ends.strftime("%Y-%m-%dT%H:%M"))
        mia_card.get_by_role("button", name="Record hours").click()
        expect(page.get_by_text("Hours recorded")).to_be_visible()
        # Mia sees what was recorded beside the hours she is asked to approve.
        screen(phone, "#/applications")
        expect(phone.locator("main li.card").filter(has_text="Hecken schneiden")).to_contain_text(
            f"Arrived {arrival.strftime('%H:%M')}"
        )
        jon_view = _ok(stack.request("GET", f"/applications/{jon_app}", token=employer))
        assert jon_view["check_in"]["arrival_by"] == "employer" and jon_view["check_in"]["departed_at"]
    finally:
        stack.request("DELETE", "/_local/clock")
