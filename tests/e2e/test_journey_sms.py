"""Issue 20's SMS in the browser: the participant turns on SMS in her profile; an offer then
reaches her by SMS (the local stack's moto records it: GET /_local/sms), and the SMS's short
link opens her applications; a changed link says it is not valid. Screenshots in
docs/screenshots/ (sms-profile-*, sms-link-invalid-*)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Stack
from tests.e2e.test_web_journeys import _active_participant, _assert_clean, _job, _ok, _org, _unique
from tests.e2e.web import open_page, screen, shoot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_sms_consent_an_offer_by_sms_and_its_short_link(stack: Stack, browser: Browser) -> None:
    admin = stack.token("admin", sub="web-admin-sms")
    org = _org(stack, admin, _unique("Stadtgrün"))
    employer = stack.token("employer", sub="emp-web-sms", org_id=org["org_id"])
    caseworker = stack.token("caseworker", sub="cw-web-sms")
    _, token = _active_participant(stack, caseworker, "Lena")

    page = open_page(browser, stack.base, phone=True)
    sign_in(page, token)
    screen(page, "#/profile")
    card = page.get_by_role("region", name="Text messages (SMS)")
    expect(card).to_contain_text("You get no SMS; these messages come by e-mail.")
    card.get_by_role("checkbox", name="Yes, send me SMS").check()
    card.get_by_role("button", name="Save").click()
    expect(page.get_by_role("region", name="Text messages (SMS)")).to_contain_text("You get SMS since")
    _assert_clean(page)
    shoot(page, "sms-profile")
    assert _ok(stack.request("GET", "/me", None, token))["sms_consent"] is True

    title = _unique("Laub rechen")
    shift = _job(stack, employer, title)["shifts"][0]
    application = _ok(stack.request("POST", f"/shifts/{shift['shift_id']}/applications", {}, token), 201)
    _ok(stack.request("POST", f"/applications/{application['application_id']}/accept", {}, employer))
    _ok(stack.request("POST", "/_local/drain", {}))
    [sms] = [s for s in _ok(stack.request("GET", "/_local/sms"))["items"] if title in s["message"]]
    assert sms["phone_number"] == "+41791234567"
    assert sms["message"].startswith(f"Tremplin: offer for {title} ")
    link_token = sms["message"].rsplit("/#/s/", 1)[1]

    screen(page, f"#/s/{link_token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("My applications")
    assert page.evaluate("() => location.hash") == "#/applications"

    changed = link_token[:-1] + ("A" if link_token[-1] != "A" else "B")
    screen(page, f"#/s/{changed}")
    expect(page.get_by_text("This link is not valid for you.")).to_be_visible()
    _assert_clean(page)
    shoot(page, "sms-link-invalid")
    page.context.close()
