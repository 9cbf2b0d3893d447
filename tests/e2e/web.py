"""Driving the web front end in Debian's Chromium (/usr/bin/chromium) with Playwright: no
browser download. Shared by the journey tests: launch, sign-in by `#token=`, screenshots,
and a check that every form control has a label."""

from __future__ import annotations

import os
import re
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


# WCAG 2.1 contrast (1.4.3): the text's colour against the first opaque background behind it;
# 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Disabled controls are exempt.
_LOW_CONTRAST_JS = """() => {
  const rgba = c => { const m = /rgba?\\(([^)]+)\\)/.exec(c); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const background = el => { for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor); if (c && c.a > 0) return c; }
    return {r: 255, g: 255, b: 255, a: 1}; };
  const found = [], seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim(), el = walker.currentNode.parentElement;
    if (!text || seen.has(el) || el.closest('svg, :disabled, [aria-disabled="true"]')) continue;
    seen.add(el);
    const style = getComputedStyle(el), box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || box.width <= 1 || box.height <= 1 || box.right < 0) continue;
    const fg = rgba(style.color), bg = background(el);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05), size = parseFloat(style.fontSize);
    const large = size >= 24 || (parseInt(style.fontWeight, 10) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5))
      found.push(`${el.tagName.toLowerCase()} "${text.slice(0, 30)}" ${ratio.toFixed(2)}:1`);
  }
  return found;
}"""


def low_contrast_text(page: Page) -> list[str]:
    """Visible text whose contrast with its background is under WCAG AA."""
    return list(page.evaluate(_LOW_CONTRAST_JS))


# What a message must never show its reader: an internal id, an ISO (UTC) timestamp.
_ID = re.compile(r"\b(?:job|org|par|shf|sug|ntf)_[0-9a-f]{6,}|\bapp\.[a-z]{3}_")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def assert_readable_notes(page: Page) -> None:
    """Every notification on the screen reads as words and local times: some text, no id, no ISO
    time, and the time it was sent as the app shows times ("Sat 28 Nov, 14:05"), in a <time>."""
    notes = page.locator("main li.note")
    assert notes.count() > 0, "no notifications on this screen"
    for i in range(notes.count()):
        note = notes.nth(i)
        text = note.inner_text()
        assert not _ID.search(text) and not _ISO.search(text), text
        sent = note.locator("time")
        assert _ISO.match(sent.get_attribute("datetime") or ""), text
        assert re.search(r"\d{1,2}:\d{2}", sent.inner_text()) and len(text) > len(sent.inner_text()) + 10, text


def no_script_errors(page: Page) -> list[str]:
    return list(page.script_errors)  # type: ignore[attr-defined]
