"""Papers for the next step through the web front end, in headless Chromium against the local
stack: the employer writes a reference on completed work, the participant includes it and
downloads her work confirmation for a period, the caseworker downloads it from her page, and
its code checks out at GET /verify/{code} without signing in. Screenshots in docs/screenshots/."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pypdf
import pytest
from playwright.sync_api import APIResponse, Browser, Page, Route, expect

from tests.e2e.conftest import Stack
from tests.e2e.test_web_journeys import _active_participant, _assert_clean, _completed_shift, _job, _ok, _org, _unique
from tests.e2e.web import PHONE, open_page, screen, shoot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

REFERENCE = "Lea raked leaves and cut hedges carefully and was a calm, friendly colleague."
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own, as the other journeys have: lists stay short and predictable."""
    running = Stack(tmp_path_factory.mktemp("papers-stack-data")).start()
    yield running
    running.stop()


def _download(page: Page, button: str) -> tuple[dict[str, str], APIResponse]:
    """Clicks `button`, which reads the PDF with the bearer token and opens it in a new tab
    from a Blob URL; the answer is taken as it passes (a Blob read leaves Playwright none)."""
    pdf = re.compile(r"/work-confirmation(\?.*)?$")
    passed: list[tuple[dict[str, str], APIResponse]] = []

    def through(route: Route) -> None:
        passed.append((route.request.headers, route.fetch()))
        route.fulfill(response=passed[-1][1])

    page.route(pdf, through)
    with page.expect_popup() as popup:
        page.get_by_role("button", name=button).click()
    tab = popup.value
    tab.wait_for_url("blob:**")
    page.unroute(pdf, through)
    assert tab.evaluate("() => document.contentType") == "application/pdf"
    tab.close()
    [(sent, answer)] = passed
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    return sent, answer


def _text(answer: APIResponse) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(answer.body())).pages)


def test_papers_journey(stack: Stack, browser: Browser) -> None:
    admin, caseworker = stack.token("admin", "e2e-admin"), stack.token("caseworker", "cw-papers")
    org = _org(stack, admin, _unique("Parkpflege"))
    employer = stack.token("employer", sub=f"emp-{org['org_id']}", org_id=org["org_id"])
    person, participant = _active_participant(stack, caseworker, "Lea")
    job = _job(stack, employer, "Leaves and hedges in the Elfenau park")
    shift = job["shifts"][0]
    application = _completed_shift(stack, employer, participant, shift)
    worked_on = shift["starts_at"][:10]

    # The employer writes a reference on the completed shift, from its applicants' screen.
    page = open_page(browser, stack.base)
    sign_in(page, employer)
    screen(page, f"#/shifts/{shift['shift_id']}")
    card = page.locator(f"li[data-application='{application['application_id']}']")
    card.get_by_text("Write a reference").click()
    card.get_by_label("Reference (at most 1000 characters)").fill(REFERENCE)
    card.get_by_role("button", name="Save reference").click()
    expect(page.locator("#flash")).to_contain_text("Reference saved.")
    card = page.locator(f"li[data-application='{application['application_id']}']")
    expect(card).to_contain_text(REFERENCE)
    _assert_clean(page)
    shoot(page, "employer-reference")
    page.context.close()

    # The participant, on her phone: her papers, the reference left out until she includes it.
    page = open_page(browser, stack.base)
    page.set_viewport_size(PHONE)
    sign_in(page, participant)
    screen(page, "#/papers")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Work confirmation")).to_be_visible()
    reference = main.locator(f"li[data-reference='{application['application_id']}']")
    expect(reference.locator(".badge")).to_have_text("Not in the confirmation")
    expect(reference).to_contain_text(REFERENCE)
    reference.get_by_role("button", name="Include in the confirmation").click()
    expect(page.locator("#flash")).to_contain_text("The reference will be in your work confirmation.")
    included = main.locator(f"li[data-reference='{application['application_id']}'] .badge")
    expect(included).to_have_text("In the confirmation")
    # The shift lies ahead in real time (the stack's clock was moved for the work): a period to it.
    main.get_by_label("Until").fill(worked_on)
    _assert_clean(page)
    shoot(page, "participant-papers")
    sent, answer = _download(page, "Download work confirmation")
    assert sent["authorization"] == f"Bearer {participant}"
    text = _text(answer)
    assert "Work confirmation" in text and "Lea Muster" in text and org["name"] in text
    assert "Leaves and hedges in the Elfenau park" in text and "Gardening and grounds" in text
    assert "calm, friendly colleague" in " ".join(text.split())
    assert "assistance" not in text.lower()
    [code] = set(CODE.findall(text))
    page.context.close()

    # Anyone the paper is shown to checks its code, without signing in.
    status, checked = stack.request("GET", f"/verify/{code}")
    assert status == 200 and checked["valid"] is True and checked["document"] == "work_confirmation"
    assert set(checked) == {"valid", "document", "issued_on"}

    # The caseworker downloads it from Lea's page; the download is in her audit trail.
    page = open_page(browser, stack.base)
    sign_in(page, caseworker)
    screen(page, f"#/participants/{person['participant_id']}")
    main = page.locator("main")
    main.get_by_label("Until").fill(worked_on)
    _assert_clean(page)
    shoot(page, "caseworker-work-confirmation")
    sent, answer = _download(page, "Download work confirmation")
    assert sent["authorization"] == f"Bearer {caseworker}"
    assert org["name"] in _text(answer)
    audit: dict[str, Any] = _ok(stack.request("GET", f"/participants/{person['participant_id']}/audit", None, admin))
    assert [e["actor_sub"] for e in audit["items"] if e["action"] == "read_work_confirmation"] == ["cw-papers"]
    page.context.close()
