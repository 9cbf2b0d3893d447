"""The step to a regular job in the browser, against the local stack: an employer offers a regular
job from a completed applicant's card, the participant accepts it on their phone, and the
caseworker sees the offer and the exit it recorded on the participant's page. Screenshots in
docs/screenshots/ (regular-offer-*)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Stack
from tests.e2e.test_web_journeys import ZURICH, _active_participant, _assert_clean, _job, _ok, _org, _unique
from tests.e2e.web import open_page, screen, shoot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("hire-stack-data")).start()
    yield running
    running.stop()


def test_an_employer_offers_a_regular_job_the_participant_accepts_and_the_caseworker_sees_it(
    stack: Stack, browser: Browser
) -> None:
    admin, caseworker = stack.token("admin", sub="web-admin"), stack.token("caseworker", sub="cw-web-h")
    org = _org(stack, admin, _unique("Schreinerei Holz"))
    employer = stack.token("employer", sub="emp-web-h", org_id=org["org_id"])
    person, participant = _active_participant(stack, caseworker, "Lea")
    pid = person["participant_id"]
    shift = _job(stack, employer, "Werkstatt aufräumen")["shifts"][0]
    application = _ok(stack.request("POST", f"/shifts/{shift['shift_id']}/applications", {}, participant), 201)
    path = f"/applications/{application['application_id']}"
    _ok(stack.request("POST", f"{path}/accept", {}, employer))
    _ok(stack.request("POST", f"{path}/confirm", {}, participant))
    stack.request("POST", "/_local/clock", {"now": shift["ends_at"]})
    try:
        hours = {"started_at": shift["starts_at"], "ended_at": shift["ends_at"], "break_minutes": 15}
        _ok(stack.request("POST", f"{path}/hours", hours, employer))
        _ok(stack.request("POST", f"{path}/hours/approve", {}, participant))
    finally:
        stack.request("DELETE", "/_local/clock")
    start = (datetime.now(ZURICH) + timedelta(days=30)).date()

    # The employer: from the completed applicant's card, a regular job offer.
    page = open_page(browser, stack.base)
    sign_in(page, employer)
    screen(page, f"#/shifts/{shift['shift_id']}")
    card = page.locator(f"[data-application='{application['application_id']}']")
    card.get_by_text("Offer a regular job").click()
    expect(card).to_contain_text("no fee and no lock-in")
    card.get_by_label("Position").fill("Schreinerin in Ausbildung")
    card.get_by_label("Start date").fill(start.isoformat())
    card.get_by_label("Contract").select_option("apprenticeship")
    card.get_by_label("Workload (%)").fill("100")
    card.get_by_label("Message (optional)").fill("Sie haben uns überzeugt.")
    card.get_by_role("button", name="Send the job offer").click()
    expect(page.get_by_text("Job offer sent.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Job offers")).to_be_visible()
    offer = page.locator("main [data-offer]").first
    expect(offer).to_contain_text("Schreinerin in Ausbildung · Lea M.")
    expect(offer).to_contain_text("Open")
    assert "assistance" not in page.locator("main").inner_text().lower()
    _assert_clean(page)
    shoot(page, "regular-offer-employer")
    offer_id = offer.get_attribute("data-offer")

    # The participant, on a phone: the offer, accepted.
    phone = open_page(browser, stack.base, phone=True)
    sign_in(phone, participant)
    screen(phone, "#/regular-offers")
    mine = phone.locator(f"[data-offer='{offer_id}']")
    expect(mine).to_contain_text("Apprenticeship, 100 %")
    expect(mine).to_contain_text("Sie haben uns überzeugt.")
    _assert_clean(phone)
    shoot(phone, "regular-offer-participant")
    mine.get_by_role("button", name="Accept the job").click()
    expect(phone.get_by_text("Congratulations on your new job!")).to_be_visible()
    expect(phone.locator(f"[data-offer='{offer_id}']")).to_contain_text("Accepted")
    stack.request("POST", "/_local/drain")
    screen(phone, "#/notifications")
    expect(phone.locator("main li.note", has_text="Schreinerin in Ausbildung").first).to_be_visible()

    # The caseworker: the offer and the exit on the participant's page.
    desk = open_page(browser, stack.base)
    sign_in(desk, caseworker)
    screen(desk, f"#/participants/{pid}")
    section = desk.locator("section[aria-labelledby='regular-offers-h']")
    expect(section.locator(f"[data-offer='{offer_id}']")).to_contain_text("Accepted")
    expect(desk.locator("main")).to_contain_text(f"Left the programme: Regular employment, {start.isoformat()}")
    expect(desk.locator("main")).to_contain_text("angenommen und beginnt am")  # the note to the caseworker (German)
    _assert_clean(desk)
    shoot(desk, "regular-offer-caseworker")
    stored = _ok(stack.request("GET", f"/participants/{pid}", token=caseworker))
    assert (stored["status"], stored["exit"]["outcome"], stored["exit"]["date"]) == (
        "exited",
        "regular_employment",
        start.isoformat(),
    )
