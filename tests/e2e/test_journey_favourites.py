"""Favourites in the browser (issue 19): an employer marks a participant it worked with as a
favourite, posts a job to its favourites first, invites the favourite to the shift; the
participant confirms the invitation on a phone as any offer. Screenshots in docs/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Stack
from tests.e2e.test_web_journeys import (
    _active_participant,
    _assert_clean,
    _assert_phone_fits,
    _completed_shift,
    _job,
    _ok,
    _org,
    _tomorrow,
    _unique,
)
from tests.e2e.web import open_page, screen, shoot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("favourites-stack-data")).start()
    yield running
    running.stop()


def test_favourites_journey(stack: Stack, browser: Browser) -> None:
    admin, caseworker = stack.token("admin", sub="web-admin"), stack.token("caseworker", sub="cw-web-f")
    org = _org(stack, admin, _unique("Gärtnerei Rosen"))
    employer = stack.token("employer", sub="emp-web-f", org_id=org["org_id"])
    person, participant = _active_participant(stack, caseworker, "Lea")
    _, stranger = _active_participant(stack, caseworker, "Noah")
    worked = _job(stack, employer, "Laub rechen")["shifts"][0]
    _completed_shift(stack, employer, participant, worked)

    # The completed applicant's card: marked as a favourite with one click.
    page = open_page(browser, stack.base)
    sign_in(page, employer)
    screen(page, f"#/shifts/{worked['shift_id']}")
    card = page.locator("main li.card").filter(has_text="Lea")
    card.get_by_role("button", name="Mark as favourite").click()
    expect(page.get_by_text("Marked as a favourite.")).to_be_visible()
    expect(card).to_contain_text("Favourite")
    expect(card.get_by_role("button", name="Remove from favourites")).to_be_visible()

    # A job posted to the favourites first, for 24 hours.
    page.get_by_role("link", name="Post a job").first.click()
    page.get_by_label("Title").fill("Rosen schneiden")
    page.get_by_label("Description").fill("Pruning the roses before winter.")
    page.get_by_label("Kind of work").select_option("gardening")
    page.get_by_label("Hourly wage (CHF)").fill("26.00")
    page.get_by_label("Street").fill("Rosenweg 2")
    page.get_by_label("Postcode").fill("3012")
    page.get_by_label("City").fill("Bern")
    start = _tomorrow(13) + timedelta(days=1)
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Places").fill("2")
    page.get_by_label("Favourites first (hours)").fill("24")
    page.get_by_role("button", name="Save job").click()
    expect(page.get_by_text("Job saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Only your favourites see this job until")
    job_id = page.url.rsplit("/", 1)[-1]
    shift_id = _ok(stack.request("GET", f"/jobs/{job_id}", token=employer))["shifts"][0]["shift_id"]
    # Until then only the favourite finds it; anyone else meets an unpublished job.
    assert job_id in [j["job_id"] for j in _ok(stack.request("GET", "/jobs?limit=200", token=participant))["items"]]
    assert job_id not in [j["job_id"] for j in _ok(stack.request("GET", "/jobs?limit=200", token=stranger))["items"]]
    assert stack.request("GET", f"/jobs/{job_id}", token=stranger)[0] == 404

    # The favourites: cards only, and an invitation to the new shift.
    page.get_by_role("link", name="Favourites", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Favourites")).to_be_visible()
    favourite = page.locator(f"[data-favourite='{person['participant_id']}']")
    expect(favourite).to_contain_text("Lea M.")
    assert person["case_reference"] not in page.content()
    assert "assistance" not in page.locator("main").inner_text().lower()
    favourite.get_by_text("Invite to a shift").click()
    _assert_clean(page)
    shoot(page, "employer-favourites")
    favourite.get_by_label("Shift", exact=True).select_option(shift_id)
    favourite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Applicants for"))).to_be_visible()
    invited = page.locator("main li.card").filter(has_text="Lea")
    expect(invited).to_contain_text("Invited by you")
    expect(invited).to_contain_text("waiting for an answer")
    _assert_clean(page)
    shoot(page, "employer-invitation")

    # The participant, on a phone, in the inbox and among the applications: an offer to confirm.
    stack.request("POST", "/_local/drain")
    phone = open_page(browser, stack.base, phone=True)
    sign_in(phone, participant)
    screen(phone, "#/applications")
    offer = phone.locator("main li.card").filter(has_text="Rosen schneiden")
    expect(offer).to_contain_text("The employer invites you again.")
    expect(offer).to_contain_text("Please answer by")
    _assert_clean(phone)
    _assert_phone_fits(phone)
    shoot(phone, "participant-invitation")
    offer.get_by_role("button", name="Confirm").click()
    expect(offer).to_contain_text("Confirmed")
    screen(phone, "#/notifications")
    expect(phone.locator("main li.note").filter(has_text="invites you again").first).to_be_visible()
    stored = _ok(stack.request("GET", f"/applications/app.{shift_id}.{person['participant_id']}", token=admin))
    assert (stored["status"], stored["invited"]) == ("confirmed", True)
