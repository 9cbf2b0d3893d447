"""Driving the web front end in Debian's Chromium (/usr/bin/chromium) with Playwright: no
browser download. Shared by the journey tests: launch, sign-in by `#token=`, screenshots,
axe-core's WCAG 2.1 AA check of a screen (left to right and right to left), and the phone
layout's checks: no sideways scrolling at 360 and 390 px, touch targets of 44 x 44 px."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize, sync_playwright

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
# Phone layout (issue 20): the small phones of the pool are 360 px wide; 390 px is the common one.
PHONE = ViewportSize(width=360, height=740)
PHONE_WIDE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=900)


def launch() -> Iterator[Browser]:
    """Generator for a fixture: one headless Chromium, closed afterwards."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield launched
        launched.close()


# The offline service worker (issue 20) takes over a page's requests once it is active, and
# Playwright's page.route (the axe-core script, _inject_axe) does not see requests that pass
# through a service worker: journeys run without it, the offline journey with it.
NO_SERVICE_WORKER = "block"


def open_page(
    browser: Browser, base: str, *, phone: bool = False, locale: str = "en-GB", service_worker: bool = False
) -> Page:
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        locale=locale,
        timezone_id="Europe/Zurich",
        accept_downloads=True,
        service_workers="allow" if service_worker else NO_SERVICE_WORKER,
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
    """The current screen at phone and desktop width, into docs/screenshots/, once it is seen
    to fit a phone and to have touch targets a finger can hit."""
    assert_fits_phones(page)
    assert_touch_targets(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    if size:
        page.set_viewport_size(size)


# axe-core (npm, `make setup`) judges each screen against WCAG 2.1 A and AA: names of controls,
# contrast, landmarks, ARIA and the rest.
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds against WCAG 2.1 AA on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make setup` runs `npm install`")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        _inject_axe(page)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_AA
    )
    return list(results["violations"])


def _inject_axe(page: Page) -> None:
    """Adds axe.min.js to the page under the page's own Content-Security-Policy. That policy
    (local/web.py) takes scripts from the page's origin only, so an inline script tag is refused:
    the tag's source is a path of that origin which Playwright answers with the file itself."""
    url = urljoin(page.url, "/__axe-core/axe.min.js")

    def serve(route: Route) -> None:
        route.fulfill(path=AXE, content_type="text/javascript; charset=utf-8")

    page.route(url, serve)
    try:
        page.add_script_tag(url=url)
    finally:
        page.unroute(url, serve)


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Each rule broken (its id, impact, help and where to read more), then each element that
    breaks it: its selector, its HTML, and what to fix."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']} <{rule['helpUrl']}>")
        for node in rule["nodes"]:
            target = " >> ".join(" ".join(part) if isinstance(part, list) else part for part in node["target"])
            fixes = [line.strip() for line in node.get("failureSummary", "").splitlines()[1:] if line.strip()]
            lines.append(f"  - {target}  {node['html'][:120]}")
            lines.extend(f"      {fix[:200]}" for fix in fixes[:3])
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """axe-core finds nothing against WCAG 2.1 AA on the current screen, at phone and desktop
    width (the layout changes between them), left to right and mirrored right to left (Arabic);
    and the screen fits a phone. The page is left at the width and direction it had."""
    assert_fits_phones(page)
    size = page.viewport_size
    found = []
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        for direction in DIRECTIONS:
            with _direction(page, direction):
                violations = axe_violations(page)
            if violations:
                where = f"at {label} width ({viewport['width']} px), {direction}"
                found.append(f"{where}:\n{describe_violations(violations)}")
    if size:
        page.set_viewport_size(size)
    assert not found, f"axe-core: WCAG 2.1 AA violations on {page.url}\n" + "\n".join(found)


# ---------------------------------------------------------------- phone layout (issue 20)

DIRECTIONS = ("ltr", "rtl")


@contextmanager
def _direction(page: Page, direction: str) -> Iterator[None]:
    """The screen laid out in `direction` (as Arabic would), then back to what it was."""
    before = page.evaluate(
        "d => { const was = document.documentElement.getAttribute('dir'); "
        "document.documentElement.dir = d; return was; }",
        direction,
    )
    try:
        yield
    finally:
        page.evaluate(
            "was => was === null ? document.documentElement.removeAttribute('dir') "
            ": document.documentElement.setAttribute('dir', was)",
            before,
        )


# What makes the page scroll sideways: the element whose box reaches furthest past either edge
# of the viewport (right to left overflows to the left), the outermost among equals (a table,
# not its last cell); else the innermost whose content does (a line that does not wrap).
_WIDEST = """() => {
  const vw = document.documentElement.clientWidth;
  let box = null, boxOver = 0.5, content = null, contentOver = 0.5;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width) continue;
    const over = Math.max(r.right - vw, -r.left);
    if (over > boxOver) { box = el; boxOver = over; }
    const rtl = getComputedStyle(el).direction === 'rtl';
    const spill = rtl ? el.scrollWidth - r.right : r.left + el.scrollWidth - vw;
    if (el.scrollWidth > el.clientWidth && spill >= contentOver) { content = el; contentOver = spill; }
  }
  const worst = box || content;
  if (!worst) return 'no element found';
  const name = worst.tagName.toLowerCase() + (worst.id ? '#' + worst.id : '')
    + [...worst.classList].map(c => '.' + c).join('');
  const wide = Math.round(Math.max(worst.getBoundingClientRect().width, worst.scrollWidth));
  return `${name} (${wide} px wide, ${Math.round(box ? boxOver : contentOver)} px too far): `
    + worst.outerHTML.slice(0, 160);
}"""


def assert_fits_phones(page: Page) -> None:
    """At 360 and at 390 px, left to right and right to left, the screen scrolls down only: the
    document is exactly as wide as the viewport; if not, the message names the widest element.
    The page is left at the width it had."""
    size = page.viewport_size
    wrong = []
    try:
        for viewport in (PHONE, PHONE_WIDE):
            page.set_viewport_size(viewport)
            for direction in DIRECTIONS:
                with _direction(page, direction):
                    width = page.evaluate("() => document.documentElement.scrollWidth")
                    if width != viewport["width"]:
                        wrong.append(f"{width} px at {viewport['width']} px, {direction}: {page.evaluate(_WIDEST)}")
    finally:
        if size:
            page.set_viewport_size(size)
    assert not wrong, f"wider than a phone on {page.url}\n" + "\n".join(wrong)


TOUCH = 44  # CSS px, WCAG 2.5.5

# What a finger aims at: controls, links in the navigation and in lists. A checkbox's target is
# its label (a tap on the words ticks it). Links in a sentence are exempt (WCAG's inline case),
# and so is what is not shown (a closed <details>, text for screen readers only).
_SMALL_TARGETS = """min => {
  const small = [];
  const wanted = 'button, input:not([type=hidden]), select, textarea, summary, nav a, li a, header a';
  for (const el of document.querySelectorAll(wanted)) {
    if (el.closest('.sr-only')) continue;
    const label = (el.type === 'checkbox' || el.type === 'radio') && el.closest('label');
    const target = label || el;
    const r = target.getBoundingClientRect();
    if (!r.width || !r.height || r.right < 0 || r.left > document.documentElement.clientWidth) continue;
    if (el.tagName === 'A' && el.parentElement.textContent.trim() !== el.textContent.trim()) continue;
    if (r.width < min - 0.5 || r.height < min - 0.5)
      small.push(`${Math.round(r.width)} x ${Math.round(r.height)} px: ${target.outerHTML.slice(0, 140)}`);
  }
  return small;
}"""


def assert_touch_targets(page: Page) -> None:
    """Every target on the screen at 360 px is at least 44 x 44 CSS px; the page is left at
    the width it had."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        small = page.evaluate(_SMALL_TARGETS, TOUCH)
    finally:
        if size:
            page.set_viewport_size(size)
    assert not small, f"touch targets under {TOUCH} x {TOUCH} px on {page.url}\n" + "\n".join(small)


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
