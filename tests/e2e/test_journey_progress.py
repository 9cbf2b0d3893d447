"""Issue 19 in the browser: the participant sees "n of 12 contribution months (estimate)" with
the average monthly gross; her caseworker sees the same on her page and excuses a no-show there,
after which the employer's applicant card no longer counts it. Screenshots in docs/screenshots/
(progress-participant-*, progress-caseworker-*)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Stack
from tests.e2e.test_web_journeys import _active_participant, _assert_clean, _completed_shift, _ok, _org, _unique
from tests.e2e.web import open_page, screen, shoot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("progress-stack-data")).start()
    yield running
    running.stop()


def _shift_job(stack: Stack, employer: str, start: datetime) -> dict[str, Any]:
    body = {
        "title": "Lager einräumen",
        "description": "Shelves in a city warehouse.",
        "category": "logistics",
        "location": {"street": "Lagerweg 1", "postcode": "3012", "city": "Bern"},
        "hourly_wage": "25.00",
        "requirements": {"skills": [], "languages": []},
        "shifts": [
            {
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=4)).isoformat(),
                "break_minutes": 15,
                "slots": 1,
            }
        ],
        "publish": True,
    }
    return _ok(stack.request("POST", "/jobs", body, employer), 201)


def test_progress_and_an_excused_no_show(stack: Stack, browser: Browser) -> None:
    from tests.e2e.test_web_journeys import _tomorrow

    admin = stack.token("admin", sub="web-admin-progress")
    org = _org(stack, admin, _unique("Lagerhaus"))
    employer = stack.token("employer", sub="emp-web-progress", org_id=org["org_id"])
    caseworker = stack.token("caseworker", sub="cw-web-progress")
    nora, token = _active_participant(stack, caseworker, "Nora")
    worked = _shift_job(stack, employer, _tomorrow(8))["shifts"][0]
    _completed_shift(stack, employer, token, worked)
    missed = _shift_job(stack, employer, _tomorrow(14))["shifts"][0]
    application = _ok(stack.request("POST", f"/shifts/{missed['shift_id']}/applications", {}, token), 201)
    path = f"/applications/{application['application_id']}"
    _ok(stack.request("POST", f"{path}/accept", {}, employer))
    _ok(stack.request("POST", f"{path}/confirm", {}, token))
    after = datetime.fromisoformat(missed["ends_at"]) + timedelta(hours=2)
    stack.request("POST", "/_local/clock", {"now": after.isoformat()})  # both shifts are over
    try:
        _ok(stack.request("POST", f"{path}/no-show", {}, employer))
        card = _ok(stack.request("GET", path, None, employer))["applicant"]
        assert card["no_show_count"] == 1

        page = open_page(browser, stack.base, phone=True)
        sign_in(page, token)
        screen(page, "#/pay")
        progress = page.locator("[data-progress]")
        # One day of work: 1.4 calendar days / 30 = 0.0466 -> 0.05 (half up, as API.md's example).
        expect(progress).to_contain_text("0.05 of 12 contribution months (estimate)")
        gross = _ok(stack.request("GET", "/me/progress", None, token))["gross"]
        expect(progress).to_contain_text("Average monthly gross")
        expect(progress).to_contain_text("the unemployment fund decides")
        _assert_clean(page)
        shoot(page, "progress-participant")
        page.context.close()

        page = open_page(browser, stack.base)
        sign_in(page, caseworker)
        screen(page, f"#/participants/{nora['participant_id']}")
        expect(page.locator("[data-progress]")).to_contain_text("0.05 of 12 contribution months (estimate)")
        assert gross != "0.00"
        page.get_by_role("combobox", name="Reason").select_option("illness")
        _assert_clean(page)
        page.get_by_role("button", name="Excuse").click()
        expect(page.get_by_text("Excused: it no longer counts on the employer's card.")).to_be_visible()
        expect(page.get_by_text("Excused: Illness")).to_be_visible()
        _assert_clean(page)
        shoot(page, "progress-caseworker")
        page.context.close()

        card = _ok(stack.request("GET", path, None, employer))["applicant"]
        assert card["no_show_count"] == 0
    finally:
        stack.request("DELETE", "/_local/clock")
