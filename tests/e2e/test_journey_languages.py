"""Issue 20, languages, in the browser at 360 px: a participant whose preferred language is Arabic
gets the app right to left (`<html lang="ar" dir="rtl">`, the nav's first entry at the right
edge), a German speaker the same screens left to right; the header's picker names every language
by its own name, machine translations in a group of their own; Italian and simple German load
when chosen. axe-core finds nothing in either direction. Screenshots in docs/screenshots/
(participant-jobs-ar-*, participant-applications-ar-*, participant-jobs-de-*, participant-jobs-ti-*,
participant-applications-ti-*). Every screen checked is no wider than a 360 or 390 px phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Stack
from tests.e2e.test_web_journeys import _active_participant, _assert_clean, _job, _org, _unique
from tests.e2e.web import assert_touch_targets, open_page, screen, shoot, sign_in
from tremplin.models.languages import LANGUAGES

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("languages-stack-data")).start()
    yield running
    running.stop()


def _open(browser: Browser, base: str, locale: str) -> Page:
    return open_page(browser, base, phone=True, locale=locale)


def _nav_edges(page: Page) -> dict[str, Any]:
    """Where the nav's first entry sits: its distance from the left and from the right edge."""
    return page.evaluate(
        """() => { const r = document.querySelector('#nav a').getBoundingClientRect();
                   const width = document.documentElement.clientWidth;
                   return { left: r.left, right: width - r.right, width }; }"""
    )


@pytest.fixture(scope="module")
def people(stack: Stack) -> dict[str, str]:
    admin = stack.token("admin", sub="web-admin-languages")
    org = _org(stack, admin, _unique("Stadtgärtnerei"))
    employer = stack.token("employer", sub="emp-web-languages", org_id=org["org_id"])
    _job(stack, employer, "Laub rechen")
    caseworker = stack.token("caseworker", sub="cw-web-languages")
    _, amina = _active_participant(stack, caseworker, "Amina", "ar")
    _, lena = _active_participant(stack, caseworker, "Lena", "de")
    _, semhar = _active_participant(stack, caseworker, "Semhar", "ti")
    return {"amina": amina, "lena": lena, "semhar": semhar, "employer": employer}


def test_an_arabic_speaker_gets_the_app_right_to_left(stack: Stack, browser: Browser, people: dict[str, str]) -> None:
    page = _open(browser, stack.base, "ar")
    sign_in(page, people["amina"])  # her preferred language, not the browser's, sets the screens
    screen(page, "#/jobs")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("وظائف قريبة منك")
    expect(page.locator("#nav a").first).to_have_text("الوظائف")
    edges = _nav_edges(page)
    assert edges["right"] < edges["left"], edges  # mirrored: the first entry starts at the right
    assert page.evaluate("() => getComputedStyle(document.querySelector('.bar')).direction") == "rtl"
    expect(page.get_by_text("Laub rechen").first).to_be_visible()
    _assert_clean(page)
    shoot(page, "participant-jobs-ar")

    screen(page, "#/applications")
    expect(page.locator("#nav a[aria-current=page]")).to_contain_text("طلباتي")
    # The picture beside "My applications" is hidden from screen readers: the name is the word.
    expect(page.get_by_role("link", name="طلباتي", exact=True)).to_be_visible()
    _assert_clean(page)
    shoot(page, "participant-applications-ar")


def test_a_german_speaker_gets_the_same_screens_left_to_right(
    stack: Stack, browser: Browser, people: dict[str, str]
) -> None:
    page = _open(browser, stack.base, "de-CH")
    sign_in(page, people["lena"])
    screen(page, "#/jobs")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text("Jobs in Ihrer Nähe")
    edges = _nav_edges(page)
    assert edges["left"] < edges["right"], edges
    _assert_clean(page)
    shoot(page, "participant-jobs-de")


def test_a_tigrinya_speaker_gets_the_screens_in_ge_ez_script(
    stack: Stack, browser: Browser, people: dict[str, str]
) -> None:
    page = _open(browser, stack.base, "de-CH")
    sign_in(page, people["semhar"])  # her preferred language, not the browser's
    screen(page, "#/jobs")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ti")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text("ኣብ ቀረባኹም ዘለዉ ስራሓት")
    expect(page.locator("#nav a").first).to_have_text("ስራሓት")
    expect(page.get_by_text("Laub rechen").first).to_be_visible()
    assert_touch_targets(page)
    _assert_clean(page)  # axe in ltr and rtl, and the document no wider than 360 or 390 px
    shoot(page, "participant-jobs-ti")
    screen(page, "#/applications")
    expect(page.locator("#nav a[aria-current=page]")).to_contain_text("ጠለባተይ")
    _assert_clean(page)
    shoot(page, "participant-applications-ti")


def test_the_picker_names_every_language_in_its_own_words(
    stack: Stack, browser: Browser, people: dict[str, str]
) -> None:
    page = _open(browser, stack.base, "de-CH")
    sign_in(page, people["lena"])
    picker = page.locator("#lang")
    names = picker.locator("option").all_inner_texts()
    assert names == [language.name for language in LANGUAGES if language.reviewed] + [
        language.name for language in LANGUAGES if not language.reviewed
    ]
    expect(picker.locator("optgroup")).to_have_attribute("label", "Maschinelle Übersetzung")
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    picker.select_option("it")
    expect(page.locator("#nav a").first).to_have_text("Lavori")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    assert any(url.endswith("/i18n/it.js") for url in fetched), fetched  # loaded only when chosen
    assert not any(url.endswith("/i18n/ar.js") for url in fetched), fetched

    picker.select_option("de-simple")
    expect(page.get_by_role("link", name="Meine Anfragen", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")  # simple German is German to a reader
    expect(page.locator("#nav a").nth(1).locator(".icon")).to_have_attribute("aria-hidden", "true")
    _assert_clean(page)
    shoot(page, "participant-jobs-de-simple")
