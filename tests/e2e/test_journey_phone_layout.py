"""Issue 20, phone layout: the checks every journey runs on every screen (no sideways scrolling
at 360 and 390 px, touch targets of 44 px, axe in ltr and rtl) catch what they are for and
say where; and a participant's screens mirror right to left, as Arabic will show them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from local.web import SECURITY_HEADERS
from tests.e2e.conftest import Stack
from tests.e2e.test_web_journeys import (
    _active_participant,
    _assert_clean,
    _completed_shift,
    _job,
    _org,
    _participant,
    _unique,
)
from tests.e2e.web import (
    NO_SERVICE_WORKER,
    PHONE,
    assert_accessible,
    assert_fits_phones,
    assert_touch_targets,
    no_script_errors,
    open_page,
    screen,
    shoot,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("layout-stack-data")).start()
    yield running
    running.stop()


_PAGE = """<!doctype html><html lang="en"><head><title>Fragment</title></head><body><main>
<h1>Fragment</h1>{}</main></body></html>"""


def _fragment(browser: Browser, body: str) -> Page:
    """A page of its own, under the web app's security headers, on a 360 px phone."""
    page = browser.new_context(viewport=PHONE, service_workers=NO_SERVICE_WORKER).new_page()
    html = _PAGE.format(body)
    page.route(
        "http://fragment.test/",
        lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8", headers=SECURITY_HEADERS),
    )
    page.goto("http://fragment.test/")
    return page


def test_the_width_check_names_what_is_wider_than_the_phone(browser: Browser) -> None:
    page = _fragment(browser, f"<p>Fits.</p><pre id='log'>{'x' * 80}</pre>")
    try:
        with pytest.raises(AssertionError) as failed:
            assert_fits_phones(page)
        message = str(failed.value)
        for where in ("at 360 px, ltr", "at 360 px, rtl", "at 390 px, ltr", "at 390 px, rtl"):
            assert where in message, message
        assert "pre#log (" in message and 'px too far): <pre id="log">xxx' in message, message
        assert page.viewport_size == PHONE
    finally:
        page.context.close()


def test_the_width_check_passes_text_that_wraps(browser: Browser) -> None:
    page = _fragment(browser, f"<p>{'word ' * 80}</p>")
    try:
        assert_fits_phones(page)
    finally:
        page.context.close()


def test_the_touch_target_check_names_small_targets_not_links_in_a_sentence(browser: Browser) -> None:
    body = """<nav aria-label="Main"><a href="#a">Home</a></nav><button type="button">Go</button>
    <p>Read <a href="#b">the rules</a> first.</p>"""
    page = _fragment(browser, body)
    try:
        with pytest.raises(AssertionError) as failed:
            assert_touch_targets(page)
        message = str(failed.value)
        assert 'px: <a href="#a">Home</a>' in message and 'px: <button type="button">Go</button>' in message, message
        assert "the rules" not in message
    finally:
        page.context.close()


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def test_a_participant_s_screen_mirrors_right_to_left_on_a_phone(stack: Stack, browser: Browser) -> None:
    """With dir="rtl" (Arabic) the bar, the labels and the message's edge swap sides, and the
    screen still fits 360 px, passes axe and has large targets."""
    caseworker = stack.token("caseworker", sub="cw-web-layout")
    person = _participant(stack, caseworker, _unique("Rahel"))
    pid = person["participant_id"]
    page = open_page(browser, stack.base, phone=True)
    sign_in(page, stack.token("participant", sub=pid, participant_id=pid))
    screen(page, "#/profile")
    page.get_by_label("Postcode", exact=True).fill("12")
    page.get_by_role("form", name="My details").get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#flash .msg.error")).to_be_visible()

    page.evaluate("() => { document.documentElement.dir = 'rtl'; }")
    width = PHONE["width"]
    brand, tools = _box(page, ".brand"), _box(page, ".bar-tools")
    assert brand["x"] + brand["width"] > width - 40 and tools["x"] < 40, (brand, tools)  # swapped sides
    label, postcode = _box(page, "main label[for]"), _box(page, "main input[name=postcode]")
    assert abs((label["x"] + label["width"]) - (postcode["x"] + postcode["width"])) < 1  # both start at the right
    edge = page.locator("#flash .msg").evaluate(
        "m => [getComputedStyle(m).borderRightWidth, getComputedStyle(m).borderLeftWidth]"
    )
    assert edge == ["5px", "0px"], edge
    _assert_clean(page)
    shoot(page, "rtl-participant-profile")
    assert page.evaluate("() => document.documentElement.dir") == "rtl"  # the checks put it back


def _sweep(page: Page, hashes: list[str]) -> None:
    """Each screen: fits 360 and 390 px, large targets, axe in ltr and rtl, no script error."""
    for hash_ in hashes:
        screen(page, hash_)
        expect(page.locator("main h1").first).to_be_visible()
        assert_touch_targets(page)
        assert_accessible(page)  # the widths too
    assert no_script_errors(page) == []


def test_every_screen_of_every_role_fits_a_phone(stack: Stack, browser: Browser) -> None:
    """Beyond the screens the journeys shoot: every screen of the four roles, with data in it
    (a job with a worked shift, its applicant, her pay), at 360 px."""
    admin, caseworker = stack.token("admin", sub="web-admin"), stack.token("caseworker", sub="cw-web-sweep")
    org = _org(stack, admin, _unique("Gemeinschaftsgarten Lorraine mit einem sehr langen Namen"))
    employer = stack.token("employer", sub="emp-web-sweep", org_id=org["org_id"])
    job = _job(stack, employer, "Gemüsebeete jäten und Kompost umschichten")
    person, participant = _active_participant(stack, caseworker, "Mariam")
    pid, shift = person["participant_id"], job["shifts"][0]
    _completed_shift(stack, employer, participant, shift)
    stack.request("POST", "/_local/drain")

    signin = open_page(browser, stack.base, phone=True)
    assert_touch_targets(signin)
    assert_accessible(signin)
    roles = [
        (
            participant,
            [
                "#/jobs",
                f"#/jobs/{job['job_id']}",
                "#/applications",
                "#/pay",
                "#/papers",
                "#/regular-offers",
                "#/notifications",
                "#/profile",
            ],
        ),
        (
            employer,
            [
                "#/jobs",
                "#/jobs/new",
                f"#/jobs/{job['job_id']}",
                f"#/shifts/{shift['shift_id']}",
                "#/favourites",
                "#/regular-offers",
                "#/notifications",
                "#/webhooks",
            ],
        ),
        (
            caseworker,
            [
                "#/participants",
                "#/participants/new",
                f"#/participants/{pid}",
                "#/jobs",
                f"#/jobs/{job['job_id']}",
                "#/reports",
                "#/notifications",
            ],
        ),
        (
            admin,
            [
                "#/organisations",
                f"#/organisations/{org['org_id']}",
                "#/participants",
                f"#/participants/{pid}",
                "#/reports",
                "#/notifications",
            ],
        ),
    ]
    for token, hashes in roles:
        page = open_page(browser, stack.base, phone=True)
        try:
            sign_in(page, token)
            _sweep(page, hashes)
        finally:
            page.context.close()
