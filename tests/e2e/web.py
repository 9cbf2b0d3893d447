"""Driving the web front end in Debian's Chromium (/usr/bin/chromium) with Playwright: no
browser download. Shared by the journey tests: launch, sign-in by `#token=`, screenshots,
and a check that every form control has a label."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from tests.helpers import ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, which a
# closed network refuses; --no-sandbox because CI runs as root.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "docs" / "screenshots"
PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=900)


def launch() -> Iterator[Browser]:
    """Generator for a fixture: one headless Chromium, closed afterwards."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield launched
        launched.close()


def open_page(browser: Browser, base: str, *, phone: bool = False, locale: str = "en-GB") -> Page:
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP, locale=locale, timezone_id="Europe/Zurich", accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.script_errors = errors  # type: ignore[attr-defined]
    page.goto(base + "/")
    page.wait_for_selector("body[data-ready]")
    return page


def sign_in(page: Page, token: str) -> None:
    """A token in the URL fragment counts as signed in (issue: local stack and tests)."""
    page.evaluate("token => { location.hash = '#token=' + token; }", token)
    page.wait_for_selector("#signout:not([hidden])")


def screen(page: Page, hash_: str) -> None:
    """Go to a screen, freshly loaded even if it is the one showing."""
    before = page.evaluate("() => Number(document.body.dataset.rendered || 0)")
    page.evaluate(
        """h => { if (location.hash === h) window.dispatchEvent(new Event('tremplin:refresh'));
                  else location.hash = h; }""",
        hash_,
    )
    page.wait_for_function("n => Number(document.body.dataset.rendered || 0) > n", arg=before)


def reload(page: Page) -> None:
    page.reload()
    page.wait_for_selector("body[data-rendered]")


def shoot(page: Page, name: str) -> None:
    """The current screen at phone and desktop width, into docs/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    if size:
        page.set_viewport_size(size)


def unlabelled_controls(page: Page) -> list[str]:
    """Inputs, selects and text areas that a screen reader could not name."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea')]
                .filter(el => el.type !== 'hidden')
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                .map(el => el.name || el.id || el.outerHTML.slice(0, 60))"""
        )
    )


def no_script_errors(page: Page) -> list[str]:
    return list(page.script_errors)  # type: ignore[attr-defined]
