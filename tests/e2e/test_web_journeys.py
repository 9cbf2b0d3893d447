"""One whole journey per role through the web front end, in headless Chromium against the
local stack. What the role does is done by clicking and typing; what other people do in the
meantime (an employer accepting, a participant confirming) goes through the API, as it
would from their own browsers. Each journey leaves screenshots in docs/screenshots/."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import APIResponse, Browser, Locator, Page, Route, expect

from local.web import SECURITY_HEADERS
from tests.e2e.conftest import Stack
from tests.e2e.web import (
    DESKTOP,
    NO_SERVICE_WORKER,
    PHONE,
    assert_accessible,
    assert_readable_notes,
    no_script_errors,
    open_page,
    reload,
    screen,
    shoot,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

ZURICH = ZoneInfo("Europe/Zurich")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of their own: the fuzz and load tests fill the shared one with data that would
    push these journeys' jobs and organisations off the first page of a list."""
    running = Stack(tmp_path_factory.mktemp("web-stack-data")).start()
    yield running
    running.stop()


def _ok(answer: tuple[int, Any], status: int = 200) -> dict[str, Any]:
    assert answer[0] == status, answer
    return dict(answer[1])


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def _tomorrow(hour: int) -> datetime:
    day = datetime.now(ZURICH).date() + timedelta(days=2)
    return datetime.combine(day, time(hour), tzinfo=ZURICH)


def _org(stack: Stack, admin: str, name: str) -> dict[str, Any]:
    body = {
        "name": name,
        "kind": "company",
        "contact_email": "hr@example.ch",
        "address": {"street": "Bahnhofstrasse 1", "postcode": "3011", "city": "Bern"},
    }
    return _ok(stack.request("POST", "/organisations", body, admin), 201)


def _participant(stack: Stack, caseworker: str, first: str, language: str = "en") -> dict[str, Any]:
    body = {
        "first_name": first,
        "last_name": "Muster",
        "email": f"{_unique(first.lower())}@example.ch",
        "phone": "+41 79 123 45 67",
        "preferred_language": language,
        "languages": ["de", "fr"],
        "skills": ["gardening"],
        "postcode": "3012",
        "case_reference": _unique("SOZ"),
    }
    return _ok(stack.request("POST", "/participants", body, caseworker), 201)


def _job(stack: Stack, employer: str, title: str, slots: int = 2) -> dict[str, Any]:
    start = _tomorrow(8)
    body = {
        "title": title,
        "description": "Leaves and hedges in a city park.",
        "category": "gardening",
        "location": {"street": "Parkweg 3", "postcode": "3012", "city": "Bern"},
        "hourly_wage": "25.00",
        "requirements": {"skills": [], "languages": []},
        "shifts": [
            {
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=4)).isoformat(),
                "break_minutes": 15,
                "slots": slots,
            }
        ],
        "publish": True,
    }
    return _ok(stack.request("POST", "/jobs", body, employer), 201)


def _active_participant(stack: Stack, caseworker: str, first: str, language: str = "en") -> tuple[dict[str, Any], str]:
    person = _participant(stack, caseworker, first, language)
    pid = person["participant_id"]
    token = stack.token("participant", sub=pid, participant_id=pid)
    _ok(stack.request("POST", "/me/consent", {"version": "2026-01"}, token))
    return person, token


def _completed_shift(stack: Stack, employer: str, participant: str, shift: dict[str, Any]) -> dict[str, Any]:
    """Apply, offer, confirm, work, record and approve the hours: the shift ends in pay."""
    application = _ok(stack.request("POST", f"/shifts/{shift['shift_id']}/applications", {}, participant), 201)
    path = f"/applications/{application['application_id']}"
    _ok(stack.request("POST", f"{path}/accept", {}, employer))
    _ok(stack.request("POST", f"{path}/confirm", {}, participant))
    stack.request("POST", "/_local/clock", {"now": shift["ends_at"]})
    try:
        hours = {"started_at": shift["starts_at"], "ended_at": shift["ends_at"], "break_minutes": 15}
        _ok(stack.request("POST", f"{path}/hours", hours, employer))
        return _ok(stack.request("POST", f"{path}/hours/approve", {}, participant))
    finally:
        stack.request("DELETE", "/_local/clock")


def _assert_clean(page: Page) -> None:
    assert_accessible(page)
    assert no_script_errors(page) == []


def _assert_phone_fits(page: Page) -> None:
    """At a phone's width (web.PHONE) the screen scrolls down only: nothing makes it wider."""
    assert page.viewport_size == PHONE
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths == [PHONE["width"], PHONE["width"]], widths


def _facts(box: Locator) -> dict[str, str]:
    """The first list of facts (<dl>) in `box`, as its reader sees it: label -> value."""
    return dict(
        box.locator("dl").first.evaluate(
            "dl => [...dl.querySelectorAll('dt')].map(dt => [dt.innerText, dt.nextElementSibling.innerText])"
        )
    )


def _payout_date(run_day: date) -> date:
    """The 5th weekday of the payroll's month."""
    days = (run_day.replace(day=d) for d in range(1, 8))
    return [d for d in days if d.weekday() < 5][4]


_MOIS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()  # noqa: SIM905


def _french_date(day: date) -> str:
    return f"{day.day} {_MOIS[day.month - 1]} {day.year}"


def _french_month(day: date) -> str:
    return f"{_MOIS[day.month - 1]} {day.year}"


# ---------------------------------------------------------------- the accessibility check itself


_FRAGMENT = """<!doctype html><html lang="en"><head><title>Fragment</title></head><body><main>
<h1>Your postcode</h1>{}<p class="note">We use it to show jobs near you.</p></main></body></html>"""


def _fragment(browser: Browser, form: str, note_colour: str) -> Page:
    """A page of its own origin, served with the web app's security headers (its CSP too)."""
    page = browser.new_context(viewport=DESKTOP, service_workers=NO_SERVICE_WORKER).new_page()
    html = _FRAGMENT.format(form)
    page.route(
        "http://fragment.test/",
        lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8", headers=SECURITY_HEADERS),
    )
    page.goto("http://fragment.test/")
    # The CSP refuses inline style attributes; a script may still set a style, as the app's do.
    page.locator("p.note").evaluate("(p, colour) => { p.style.color = colour; }", note_colour)
    return page


def test_the_accessibility_check_names_what_fails(browser: Browser) -> None:
    """Not vacuous: a control without a label and faint text are caught, and said where."""
    page = _fragment(browser, '<input type="text" name="postcode">', note_colour="#b0b0b0")  # 2.2:1 on white
    try:
        with pytest.raises(AssertionError) as failed:
            assert_accessible(page)
        message = str(failed.value)
        assert "label (critical): Form elements must have labels" in message
        assert "color-contrast (serious): Elements must meet minimum color contrast ratio thresholds" in message
        assert '- input  <input type="text" name="postcode">' in message
        assert '- p  <p class="note" style="color: rgb(176, 176, 176);">' in message
        assert "insufficient color contrast of 2.16" in message
        assert "at phone width" in message and "at desktop width" in message
        assert page.viewport_size == DESKTOP
    finally:
        page.context.close()


def test_the_accessibility_check_passes_a_labelled_readable_form(browser: Browser) -> None:
    page = _fragment(browser, '<label for="pc">Postcode</label><input id="pc" type="text">', note_colour="#4a5360")
    try:
        assert_accessible(page)
    finally:
        page.context.close()


# ---------------------------------------------------------------- signing in by a link


_CLOUD_CONFIG = {
    "auth": "cognito",
    "api_base": "",
    "cognito": {"domain": "https://signin.invalid", "client_id": "client123"},
    "consent_version": "2026-01",
}


def _signed_in(page: Page) -> bool:
    stored = page.evaluate("() => sessionStorage.getItem('tremplin.token')")
    return stored is not None or page.locator("#signout").is_visible()


def test_a_token_in_the_link_signs_in_only_where_the_config_says_local(stack: Stack, browser: Browser) -> None:
    """Login CSRF: with the cloud's config, a link carrying someone else's `#token=` must not sign
    its reader in as them, neither on opening the app nor on following the link in it. The token
    leaves the address either way. Locally (the journeys below sign in so) the same link works."""
    token = stack.token("admin", sub="link-admin")
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", service_workers=NO_SERVICE_WORKER)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.route("**/config.json", lambda route: route.fulfill(json=_CLOUD_CONFIG))
        page.goto(f"{stack.base}/#token={token}")
        page.wait_for_selector("body[data-ready]")
        assert page.evaluate("() => window.tremplinConfig.auth") == "cognito"
        assert not _signed_in(page) and token not in page.url
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        before = page.evaluate("() => Number(document.body.dataset.rendered || 0)")
        page.evaluate("t => { location.hash = '#token=' + t; }", token)
        page.wait_for_function("n => Number(document.body.dataset.rendered || 0) > n", arg=before)
        assert not _signed_in(page) and token not in page.url
        assert errors == []
    finally:
        context.close()
    page = open_page(browser, stack.base)  # the local stack's own config
    try:
        page.goto(f"{stack.base}/?fresh#token={token}")
        page.wait_for_selector("#signout:not([hidden])")
        assert _signed_in(page) and token not in page.url
    finally:
        page.context.close()


# ---------------------------------------------------------------- participant (phone, French)


def test_participant_journey_on_a_phone(stack: Stack, browser: Browser) -> None:
    admin, caseworker = stack.token("admin", sub="web-admin"), stack.token("caseworker", sub="cw-web-p")
    org = _org(stack, admin, _unique("Stadtgrün"))
    employer = stack.token("employer", sub="emp-web-p", org_id=org["org_id"])
    job = _job(stack, employer, "Parkpflege Aare")
    person = _participant(stack, caseworker, "Amélie", language="fr")
    pid = person["participant_id"]
    token = stack.token("participant", sub=pid, participant_id=pid)

    page = open_page(browser, stack.base, phone=True, locale="de-CH")
    sign_in(page, token)
    # Her profile says French: the app follows it, not the browser's German.
    expect(page.get_by_role("heading", name="Missions près de chez vous")).to_be_visible()
    expect(page.get_by_text("Avant de postuler")).to_be_visible()

    # Consent, first: the box must be ticked.
    page.get_by_role("link", name="Aller au profil").click()
    page.get_by_role("button", name="Donner mon consentement").click()
    expect(page.get_by_text("Veuillez d'abord cocher la case.")).to_be_visible()
    page.get_by_label("J'ai lu ce texte et je suis d'accord").check()
    page.get_by_role("button", name="Donner mon consentement").click()
    expect(page.get_by_text("Merci. Vous pouvez maintenant postuler.")).to_be_visible()
    expect(page.locator("main .badge").first).to_have_text("Actif·ve")
    # A bad postcode comes back as words, not a code.
    page.get_by_label("NPA", exact=True).fill("12")
    page.get_by_role("form", name="Mes informations").get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#flash")).to_contain_text("NPA : manquant ou non valide")
    _assert_clean(page)
    shoot(page, "participant-profile")

    # Browse with a filter, open the job, apply with the keyboard.
    screen(page, "#/jobs")
    page.get_by_label("Domaine").select_option("gardening")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name="Parkpflege Aare")).to_be_visible()
    _assert_clean(page)
    shoot(page, "participant-jobs")
    page.get_by_role("link", name="Parkpflege Aare").click()
    page.get_by_label("Message à l'employeur (facultatif)").fill("J'aime travailler dehors.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Postuler")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Votre candidature a été envoyée.")).to_be_visible()
    card = page.locator("[data-application]")
    expect(card).to_contain_text("Candidature envoyée")

    # The employer offers the shift; the offer shows its deadline; she confirms.
    application_id = card.get_attribute("data-application")
    _ok(stack.request("POST", f"/applications/{application_id}/accept", {}, employer))
    screen(page, "#/applications")
    expect(page.get_by_text("Vous avez une offre. Merci de répondre avant le")).to_be_visible()
    _assert_clean(page)
    shoot(page, "participant-offer")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("Créneau confirmé. À bientôt !")).to_be_visible()
    expect(card).to_contain_text("Confirmée")

    # After the shift the employer records hours; she approves them and sees her pay.
    shift = job["shifts"][0]
    stack.request("POST", "/_local/clock", {"now": (_tomorrow(14)).isoformat()})
    try:
        hours = {"started_at": shift["starts_at"], "ended_at": shift["ends_at"], "break_minutes": 15}
        _ok(stack.request("POST", f"/applications/{application_id}/hours", hours, employer))
        screen(page, "#/applications")
        expect(card).to_contain_text("Heures à vérifier")
        page.get_by_role("button", name="Valider les heures").click()
        expect(page.get_by_text("Heures validées ; votre salaire arrive.")).to_be_visible()
    finally:
        stack.request("DELETE", "/_local/clock")
    screen(page, "#/pay")
    # 3.75 h x 25.00 = base 93.75; public holidays 3.2 % = 3.00; holiday pay 8.33 % of 96.75
    # = 8.059 -> 8.05; 13th month 8.33 % of 104.80 = 8.730 -> 8.75 (each to 0.05); gross 113.55
    main = page.locator("main")
    for amount in ("93.75", "3.00", "8.05", "8.75", "113.55"):
        expect(main).to_contain_text(amount)
    expect(main.get_by_role("columnheader", name="13e salaire")).to_be_visible()
    expect(main).to_contain_text("Pas encore de fiche de salaire — elles arrivent après le calcul des salaires")

    # Her caseworker notes that she pays withholding tax; then the payroll of the 2nd, 03:00, of
    # the month after the shift's puts the shift on her payslip of the shift's month.
    _ok(stack.request("PATCH", f"/participants/{pid}", {"withholding_tax": True}, caseworker))
    worked = datetime.fromisoformat(shift["starts_at"]).astimezone(ZURICH).date()
    run_day = (worked.replace(day=28) + timedelta(days=4)).replace(day=2)
    stack.request("POST", "/_local/clock", {"now": datetime.combine(run_day, time(3), tzinfo=ZURICH).isoformat()})
    try:
        assert _ok(stack.request("POST", "/_local/schedules/payroll"))["result"]["handled"] >= 1
    finally:
        stack.request("DELETE", "/_local/clock")
    payout = _payout_date(run_day)
    # Deductions of gross 113.55 (each to 0.05): AVS/AI/APG 5.3 % = 6.00, AC 1.1 % = 1.25, AANP
    # 0.00 (3.75 h is under 8 h a week), IJM 0.1 % = 0.10, CCT 0.4 % = 0.45, LPP 0 % = 0.00;
    # net 113.55 - 7.80 = 105.75.
    screen(page, "#/pay")
    title = f"Fiche de salaire {_french_month(worked)}"
    slip = main.locator("li[data-payslip]")
    expect(slip).to_have_count(1)
    expect(slip.get_by_role("link", name=title)).to_be_visible()
    facts = _facts(slip)
    assert facts["Date de paiement"] == _french_date(payout), facts
    assert "105.75" in facts["Salaire net"] and "113.55" in facts["Salaire brut"], facts
    _assert_phone_fits(page)
    _assert_clean(page)
    shoot(page, "participant-pay")

    # The payslip: her shift as a card with its employer, the deductions by name, the net in bold;
    # not the social office's figures (income allowance 12.35, counted income 93.40).
    slip.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    assert page.get_by_role("link", name="Salaire", exact=True).get_attribute("aria-current") == "page"
    line = main.locator("ul.cards > li")
    expect(line).to_have_count(1)
    expect(line.get_by_role("heading", level=3, name=org["name"])).to_be_visible()
    facts = _facts(line)
    assert facts["Date"] == _french_date(worked) and facts["Heures"] == "3,75", facts
    assert "113.55" in facts["Salaire brut"], facts
    facts = _facts(main)
    assert facts["Date de paiement"] == _french_date(payout) and "105.75" in facts["Salaire net"], facts
    totals = main.get_by_role("table", name="Totaux")
    expected = [
        ("Total des heures", "3,75"),  # fr-CH: a decimal comma, a point in money
        ("Salaire brut", "113.55"),
        ("AVS/AI/APG (vieillesse, invalidité, perte de gain)", "6.00"),
        ("AC (assurance-chômage)", "1.25"),
        ("AANP (accidents non professionnels)", "0.00"),
        ("IJM (indemnités journalières maladie)", "0.10"),
        ("CCT (frais d'exécution)", "0.45"),
        ("LPP (prévoyance professionnelle)", "0.00"),
        ("Total des déductions", "7.80"),
        ("Salaire net", "105.75"),
    ]
    rows = totals.locator("tr")
    expect(rows).to_have_count(len(expected))
    for i, (label, amount) in enumerate(expected):
        expect(rows.nth(i).locator("th")).to_have_text(label)
        expect(rows.nth(i).locator("td")).to_contain_text(amount)
    net = rows.last.locator("td")
    assert net.evaluate("td => Number(getComputedStyle(td).fontWeight)") >= 700
    expect(main).to_contain_text("impôt à la source : il n'est pas déduit sur cette fiche de salaire")
    for office_figure in ("12.35", "93.40"):
        expect(main).not_to_contain_text(office_figure)
    _assert_phone_fits(page)
    _assert_clean(page)
    shoot(page, "participant-payslip")

    # "Ouvrir le PDF" reads the PDF with her token and opens it in a new tab from a Blob URL: the
    # answer is taken as it passes (a fetch read as a Blob leaves Playwright's response no body).
    pdf = re.compile(r"/payslips/[^/]+/pdf$")
    passed: list[tuple[dict[str, str], APIResponse]] = []

    def through(route: Route) -> None:
        passed.append((route.request.headers, route.fetch()))
        route.fulfill(response=passed[-1][1])

    page.route(pdf, through)
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Ouvrir le PDF").click()
    tab = popup.value
    tab.wait_for_url("blob:**")
    page.unroute(pdf, through)
    [(sent, answer)] = passed
    assert sent["authorization"] == f"Bearer {token}"
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.body()[:4] == b"%PDF"
    assert tab.url.startswith(f"blob:{stack.base}/")
    # The tab shows a PDF (Chromium's viewer), under the app's Content-Security-Policy too.
    assert tab.evaluate("() => document.contentType") == "application/pdf"
    tab.close()
    assert no_script_errors(page) == []

    # Her messages, in French as the server wrote them: the job by its title, the shift in local
    # time, no id; each one a link to where she acts, the offer to her applications.
    stack.request("POST", "/_local/drain")
    screen(page, "#/notifications")
    offer = page.locator("main").get_by_role("link", name=re.compile("Vous avez une offre"))
    expect(offer).to_contain_text("Parkpflege Aare")
    expect(offer).to_contain_text(f"{_tomorrow(8):%d.%m.}, 08:00")
    assert_readable_notes(page)
    _assert_clean(page)
    shoot(page, "participant-messages")
    offer.click()
    expect(page.get_by_role("heading", level=1, name="Mes candidatures")).to_be_visible()
    assert page.url.endswith("#/applications")

    screen(page, "#/profile")
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger mes données").click()
    assert pid in download.value.path().read_text()
    _assert_clean(page)


# ---------------------------------------------------------------- employer (desktop)


def test_employer_journey(stack: Stack, browser: Browser) -> None:
    admin, caseworker = stack.token("admin", sub="web-admin"), stack.token("caseworker", sub="cw-web-e")
    org = _org(stack, admin, _unique("Gärtnerei Blum"))
    employer = stack.token("employer", sub="emp-web-e", org_id=org["org_id"])
    person, participant = _active_participant(stack, caseworker, "Jonas")

    page = open_page(browser, stack.base)
    sign_in(page, employer)
    expect(page.get_by_role("heading", name="My jobs")).to_be_visible()

    # Post a job with two shifts; a missing wage is named in words first.
    page.get_by_role("link", name="Post a job").first.click()
    page.get_by_label("Title").fill("Hecken schneiden")
    page.get_by_label("Description").fill("Cutting hedges in the nursery garden.")
    page.get_by_label("Kind of work").select_option("gardening")
    page.get_by_label("Street").fill("Gartenweg 5")
    page.get_by_label("Postcode").fill("3012")
    page.get_by_label("City").fill("Bern")
    start = _tomorrow(9)
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Places").fill("2")
    page.get_by_role("button", name="Add a shift").click()
    second = start + timedelta(days=1)
    page.get_by_label("Starts").nth(1).fill(second.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").nth(1).fill((second + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save job").click()
    expect(page.locator("#flash")).to_contain_text("Hourly wage (CHF): missing or not valid")
    _assert_clean(page)
    shoot(page, "employer-post-job")
    page.get_by_label("Hourly wage (CHF)").fill("26.50")
    page.get_by_label("Wage class").select_option("unskilled")
    page.get_by_role("button", name="Save job").click()
    expect(page.get_by_text("Job saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Hecken schneiden")).to_be_visible()
    expect(page.get_by_role("link", name="See applicants")).to_have_count(2)
    # The shift shows 09:00 Zurich time, as typed, whatever the machine's zone.
    expect(page.locator("main")).to_contain_text("09:00")
    job_id = page.url.rsplit("/", 1)[-1]
    job = _ok(stack.request("GET", f"/jobs/{job_id}", token=employer))
    shift = job["shifts"][0]

    # An application arrives; the card shows what the employer may know, and no more.
    application = _ok(stack.request("POST", f"/shifts/{shift['shift_id']}/applications", {}, participant), 201)
    page.get_by_role("link", name="See applicants").first.click()
    card = page.locator(f"[data-application='{application['application_id']}']")
    expect(card).to_contain_text("Jonas M.")
    assert person["case_reference"] not in page.content()
    assert "assistance" not in page.locator("main").inner_text().lower()
    assert "+4179" not in card.inner_text()
    _assert_clean(page)
    shoot(page, "employer-applicants")
    card.get_by_role("button", name="Offer the shift").click()
    expect(page.get_by_text("Offer sent.")).to_be_visible()
    expect(card).to_contain_text("waiting for an answer")

    # Confirmed: now the full name and phone; after the shift, hours, then a rating.
    _ok(stack.request("POST", f"/applications/{application['application_id']}/confirm", {}, participant))
    stack.request("POST", "/_local/clock", {"now": (start + timedelta(hours=5)).isoformat()})
    try:
        reload(page)
        expect(card).to_contain_text("Jonas Muster")
        expect(card.get_by_role("link", name="+41791234567")).to_have_attribute("href", "tel:+41791234567")
        card.get_by_label("Ended").fill((start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
        card.get_by_label("Break (minutes)").fill("10")
        card.get_by_role("button", name="Record hours").click()
        expect(page.get_by_text("Hours recorded; the participant will check them.")).to_be_visible()
        _ok(stack.request("POST", f"/applications/{application['application_id']}/hours/approve", {}, participant))
    finally:
        stack.request("DELETE", "/_local/clock")
    reload(page)
    expect(card).to_contain_text("Completed")
    card.get_by_text("Rate the participant").click()
    card.get_by_label("Stars").select_option("5")
    card.get_by_role("button", name="Rate").click()
    expect(page.get_by_text("Thank you for your rating.")).to_be_visible()
    stored = _ok(stack.request("GET", f"/applications/{application['application_id']}", token=admin))
    assert stored["rating_by_employer"]["stars"] == 5

    # Webhooks: subscribe, a secret shown once, deliveries listed with their attempts.
    screen(page, "#/webhooks")
    page.get_by_label("Your webhook URL (https)").fill("not a url")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#flash")).to_contain_text("url: missing or not valid")
    # The local stack may call loopback; nothing listens on port 9, so the delivery fails.
    page.get_by_label("Your webhook URL (https)").fill("http://127.0.0.1:9/tremplin")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Subscription saved.")).to_be_visible()
    page.get_by_role("button", name="Create a new secret").click()
    expect(page.locator("[data-secret]")).to_contain_text("whsec_")
    _ok(stack.request("POST", f"/shifts/{job['shifts'][1]['shift_id']}/applications", {}, participant), 201)
    stack.request("POST", "/_local/drain")
    screen(page, "#/webhooks")
    # Events still queued when the subscription was saved are delivered too: at least this one.
    row = page.locator("main table tbody tr", has_text="application.created").first
    expect(row).to_be_visible()
    expect(row.locator("td").nth(3)).not_to_have_text("0")  # it was attempted
    _assert_clean(page)
    shoot(page, "employer-webhooks")

    # The organisation's inbox: the new application for the second shift, by the job's title and
    # the shift's local time, links to that shift's applicants.
    page.get_by_role("link", name="Messages", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Messages")).to_be_visible()
    note = page.locator("main li.note", has_text=f"{second:%d.%m.}, 09:00").filter(has_text="Hecken schneiden").first
    expect(note).to_be_visible()
    assert_readable_notes(page)
    _assert_clean(page)
    shoot(page, "employer-messages")
    note.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Applicants for"))).to_be_visible()
    assert page.url.endswith(f"#/shifts/{job['shifts'][1]['shift_id']}")


# ---------------------------------------------------------------- caseworker (desktop, German)


def test_caseworker_journey(stack: Stack, browser: Browser) -> None:
    admin = stack.token("admin", sub="web-admin")
    org = _org(stack, admin, _unique("Velokurier"))
    employer = stack.token("employer", sub="emp-web-c", org_id=org["org_id"])
    job = _job(stack, employer, "Velos reparieren")
    other = stack.token("caseworker", sub="cw-someone-else")
    stranger = _participant(stack, other, "Fremd")
    # Someone of this caseworker's caseload who has worked a shift; the payroll of the 2nd,
    # 03:00, of the month after it pays her, on the 5th weekday of that month.
    mara, worker = _active_participant(stack, stack.token("caseworker", sub="cw-web-c"), "Mara")
    _completed_shift(stack, employer, worker, job["shifts"][0])
    worked = datetime.fromisoformat(job["shifts"][0]["starts_at"]).astimezone(ZURICH).date()
    run_day = (worked.replace(day=28) + timedelta(days=4)).replace(day=2)
    stack.request("POST", "/_local/clock", {"now": datetime.combine(run_day, time(3), tzinfo=ZURICH).isoformat()})
    try:
        assert _ok(stack.request("POST", "/_local/schedules/payroll"))["result"]["handled"] >= 1
    finally:
        stack.request("DELETE", "/_local/clock")
    paid = f"{run_day:%Y-%m}"  # the month the office counts her pay: the payout's

    page = open_page(browser, stack.base, locale="de-CH")
    # Signing in through the local sign-in page, as a person would.
    _assert_clean(page)
    page.get_by_label("Rolle").select_option("caseworker")
    page.get_by_label("Benutzerkennung").fill("cw-web-c")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Meine Dossiers")).to_be_visible()
    # Another caseworker's participant is not in this caseload.
    expect(page.get_by_text(stranger["case_reference"])).to_have_count(0)

    page.get_by_role("link", name="Person aufnehmen").first.click()
    page.get_by_label("Vorname").fill("Lea")
    page.get_by_label("Nachname").fill("Keller")
    page.get_by_label("E-Mail").fill(f"{_unique('lea')}@example.ch")
    page.get_by_label("PLZ").fill("3013")
    page.get_by_label("Bevorzugte Sprache").select_option("de")
    page.get_by_label("Dossiernummer").fill("SOZ-2026-0042")
    page.get_by_label("Geburtsdatum").fill("1971-05-04")
    page.get_by_label("Quellensteuerpflichtig").check()
    _assert_clean(page)
    shoot(page, "caseworker-enrol")
    page.get_by_role("button", name="Person aufnehmen").click()
    expect(page.get_by_text("Person aufgenommen; sie erhält eine Einladung.")).to_be_visible()
    expect(page.get_by_role("heading", name="Lea Keller")).to_be_visible()
    expect(page.locator("main .card").first).to_contain_text("Geburtsdatum: 4. Mai 1971 · Quellensteuerpflichtig: Ja")
    expect(page.get_by_text("Jobvorschläge sind möglich, sobald die Person eingewilligt hat.")).to_be_visible()
    lea = page.url.rsplit("/", 1)[-1]
    lea_token = stack.token("participant", sub=lea, participant_id=lea)
    _ok(stack.request("POST", "/me/consent", {"version": "2026-01"}, lea_token))
    reload(page)

    page.locator("main").get_by_role("combobox", name="Job").select_option(job["job_id"])
    page.get_by_label("Notiz für die Person (freiwillig)").fill("Passt gut zu dir.")
    page.get_by_role("button", name="Job vorschlagen").click()
    expect(page.get_by_text("Vorschlag an die Person gesendet.")).to_be_visible()
    stack.request("POST", "/_local/drain")
    reload(page)
    # The suggestion, in her activity as she was told it, links to the job; the note to the
    # caseworker about this very page is no link.
    suggestion = page.locator("main").get_by_role("link", name=re.compile("Velos reparieren"))
    expect(suggestion).to_have_count(1)
    expect(page.locator("main li.note", has_text="hat die Einwilligung gegeben").get_by_role("link")).to_have_count(0)
    assert_readable_notes(page)
    _assert_clean(page)
    shoot(page, "caseworker-participant")
    suggestion.click()
    expect(page.get_by_role("heading", level=1, name="Velos reparieren")).to_be_visible()
    assert page.url.endswith(f"#/jobs/{job['job_id']}")

    # The caseworker's own inbox: Lea's consent, by her name, links to her page.
    page.get_by_role("link", name="Nachrichten", exact=True).click()
    consent = page.locator("main").get_by_role("link", name=re.compile("Lea Keller hat die Einwilligung gegeben"))
    expect(consent).to_have_count(1)
    assert_readable_notes(page)
    consent.click()
    expect(page.get_by_role("heading", level=1, name="Lea Keller")).to_be_visible()
    assert page.url.endswith(f"#/participants/{lea}")

    # A stranger's page is "not found", in words.
    screen(page, f"#/participants/{stranger['participant_id']}")
    expect(page.locator("#flash")).to_contain_text("Das gibt es nicht, oder Sie dürfen es nicht sehen.")

    # The assistance statement of the payout month, asked for by the programme: the caseworker
    # sees her caseload's part, Mara's one payslip. 3.75 h x 25.00 = gross 113.55; deductions
    # 7.80 (as in the participant's journey); net 105.75; income allowance 600 x 3.75 / 182 =
    # 12.36 -> 12.35; counted income 105.75 - 12.35 = 93.40.
    title = f"Einkommensnachweis für die Sozialhilfe {paid}"
    report = _ok(stack.request("POST", "/reports", {"type": "earnings", "period": paid}, admin), 202)
    stack.request("POST", "/_local/drain")
    screen(page, "#/reports")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    assert report["report_id"] in page.url
    main = page.locator("main")
    expect(main).to_contain_text("Alle in diesem Monat ausbezahlten Lohnabrechnungen (nach Auszahlungsdatum")
    totals = main.get_by_role("table", name="Total Ihrer Dossiers")
    expected = [
        ("Teilnehmende", "1"),
        ("Lohnabrechnungen", "1"),
        ("Stunden", "3.75"),
        ("Bruttolohn", "CHF 113.55"),
        ("Abzüge", "CHF 7.80"),
        ("Nettolohn", "CHF 105.75"),
        ("Einkommensfreibetrag", "CHF 12.35"),
        ("Anrechenbares Einkommen", "CHF 93.40"),
    ]
    rows = totals.locator("tr")
    expect(rows).to_have_count(len(expected))
    for i, (label, amount) in enumerate(expected):
        expect(rows.nth(i).locator("th")).to_have_text(label)
        expect(rows.nth(i).locator("td")).to_have_text(amount)
    # No chart: a statement is read payslip by payslip, in its files, the readable ones first.
    expect(main.locator("figure")).to_have_count(0)
    links = main.locator("ul").last.get_by_role("link")
    expect(links).to_have_text(
        ["HTML-Seite öffnen (neuer Tab)", "PDF öffnen (neuer Tab)", "CSV herunterladen", "JSON herunterladen"]
    )
    _assert_clean(page)
    shoot(page, "caseworker-report")

    # The HTML page names Mara, with her case reference, her payslip's net and counted income.
    with page.expect_popup() as popup:
        page.get_by_role("link", name="HTML-Seite öffnen (neuer Tab)").click()
    statement = popup.value
    statement.wait_for_load_state()
    expect(statement.get_by_role("heading", level=1)).to_have_text(f"Assistance statement {paid}")
    row = statement.locator("tbody tr", has=statement.get_by_role("rowheader", name="Muster, Mara"))
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text(mara["case_reference"])
    expect(cells.nth(2)).to_have_text(str(_payout_date(run_day)))
    expect(cells.nth(6)).to_have_text("105.75")
    expect(cells.nth(8)).to_have_text("93.40")
    # Only her caseload: not the other caseworker's participants, nor anyone else paid that day.
    expect(statement.locator("tbody tr")).to_have_count(1)
    statement.close()
    assert no_script_errors(page) == []


# ---------------------------------------------------------------- admin (desktop)


def test_admin_journey(stack: Stack, browser: Browser) -> None:
    page = open_page(browser, stack.base)
    page.get_by_label("Role").select_option("admin")
    page.get_by_label("User id").fill("web-admin")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Organisations")).to_be_visible()

    name = _unique("Stadt Bern Tiefbau")
    page.get_by_text("New organisation").click()
    page.get_by_label("Name").fill(name)
    page.get_by_role("combobox", name="Kind").select_option("public")
    page.get_by_label("Contact e-mail").fill("not-an-address")
    page.get_by_label("Street").fill("Bundesgasse 33")
    page.get_by_label("Postcode").fill("3011")
    page.get_by_label("City").fill("Bern")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("#flash")).to_contain_text("Contact e-mail: missing or not valid")
    page.get_by_label("Contact e-mail").fill("tiefbau@bern.example.ch")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("Organisation created.")).to_be_visible()
    expect(page.get_by_role("heading", name=name)).to_be_visible()

    page.get_by_role("button", name="Create a new secret").click()
    secret = page.locator("[data-secret]").inner_text()
    assert secret.startswith("whsec_")
    page.get_by_role("button", name="Suspend").click()
    expect(page.get_by_text("Organisation suspended; its jobs are hidden.")).to_be_visible()
    expect(page.locator("main .badge").first).to_have_text("Suspended")
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("main .badge").first).to_have_text("Active")
    # The secret was shown once: a fresh visit does not show it again.
    assert secret not in page.content()
    screen(page, "#/organisations")
    expect(page.get_by_role("link", name=name)).to_be_visible()
    _assert_clean(page)
    shoot(page, "admin-organisations")

    # The programme report, with its charts.
    screen(page, "#/reports")
    month = datetime.now(ZURICH).strftime("%Y-%m")
    page.get_by_role("combobox", name="Report").select_option("programme")
    page.get_by_label("Month").fill(month)
    page.get_by_role("button", name="Request report").click()
    expect(page.get_by_text("This report is being prepared.")).to_be_visible()
    stack.request("POST", "/_local/drain")
    page.get_by_role("button", name="Refresh").click()
    expect(page.locator("main .badge").first).to_have_text("Ready")
    # Four charts; those with nothing to show this month say so instead of drawing bars.
    expect(page.locator("main figure")).to_have_count(4)
    expect(page.get_by_role("img", name="Participants")).to_be_visible()
    expect(page.get_by_role("link", name="Download CSV")).to_be_visible()
    _assert_clean(page)
    shoot(page, "admin-report")
