"""Notifications people can read: every kind in every language names the job and the local time,
never an internal id or a UTC timestamp, and links to a screen the web front end really has."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tremplin.messages import CATALOGUE, KINDS, LANGUAGES, Rendered, local_time, render
from tremplin.models.languages import CODES

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "web" / "assets"
WEB_URL = "https://tremplin.example.ch"
ROLES = ("participant", "employer", "caseworker", "admin")

ALL_KINDS = (
    "enrolled",
    "consent_given",
    "job_suggested",
    "application_created",
    "application_withdrawn",
    "offer_made",
    "application_rejected",
    "offer_confirmed",
    "offer_declined",
    "offer_expired",
    "application_cancelled",
    "shift_cancelled",
    "shift_reminder",
    "hours_submitted",
    "hours_approved",
    "hours_disputed",
    "no_show",
    "late_cancellation",
    "payslip_issued",
    "reference_written",  # papers for the next step
    # the step to a regular job (issue 19)
    "regular_offer_made",
    "regular_offer_accepted",
    "regular_offer_declined",
    "regular_offer_withdrawn",
    "invitation_made",  # favourites
)
REGULAR_JOB = {"regular_offer_made", "regular_offer_accepted", "regular_offer_declined", "regular_offer_withdrawn"}
WITHOUT_JOB = {"enrolled", "consent_given", "payslip_issued"} | REGULAR_JOB  # they name the position instead
WITHOUT_TIME = WITHOUT_JOB | {"job_suggested"}

# Who the domain logic sends each kind to (tremplin.logic.applications and .participants).
READERS: dict[str, tuple[str, ...]] = {
    "enrolled": ("participant",),
    "consent_given": ("caseworker",),
    "job_suggested": ("participant",),
    "application_created": ("employer",),
    "application_withdrawn": ("employer",),
    "offer_made": ("participant",),
    "application_rejected": ("participant",),
    "offer_confirmed": ("employer",),
    "offer_declined": ("employer",),
    "offer_expired": ("participant", "employer"),
    "application_cancelled": ("participant", "employer"),
    "shift_cancelled": ("participant",),
    "shift_reminder": ("participant",),
    "hours_submitted": ("participant",),
    "hours_approved": ("participant", "employer"),
    "hours_disputed": ("employer", "admin"),
    "no_show": ("caseworker",),
    "late_cancellation": ("caseworker",),
    "payslip_issued": ("participant",),
    "reference_written": ("participant",),
    "regular_offer_made": ("participant", "caseworker"),
    "regular_offer_accepted": ("employer", "caseworker"),
    "regular_offer_declined": ("employer", "caseworker"),
    "regular_offer_withdrawn": ("participant",),
    "invitation_made": ("participant",),  # favourites
}

PARTICIPANT_ID = "par_019a2b3c4d5e6f7a8b9c0d1e2f"
JOB_ID = "job_019a2b3c4d5e0123456789abcd"
SHIFT_ID = "shf_019a2b3c4d5e9876543210fedc"
FACTS: dict[str, Any] = {
    "job_title": "Küchenhilfe Mittagsservice",
    "org_name": "Hotel Bären",
    "starts_at": "2026-11-28T07:00:00+00:00",  # Sa 28.11., 08:00 in Zurich (winter, UTC+1)
    "ends_at": "2026-11-28T11:30:00+00:00",
    "offer_expires_at": "2026-11-26T16:00:00+00:00",  # Do 26.11., 17:00
    "participant_name": "Anna Muster",
    "application_id": f"app.{SHIFT_ID}.{PARTICIPANT_ID}",
    "job_id": JOB_ID,
    "shift_id": SHIFT_ID,
    "participant_id": PARTICIPANT_ID,
}

INTERNAL_ID = re.compile(r"\b(?:par|job|shf|org|ntf|sug|evt)_[0-9a-z]|\bapp\.")
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT|\d\d:\d\d:\d\d|[+-]\d\d:\d\d\b|UTC")
LOCAL_CLOCK = re.compile(r"\b\d\d:\d\d\b")


@cache
def routes() -> dict[str, tuple[str, ...]]:
    """Each role's hash routes, read from the screens app.js mounts (views/<role>.js `routes:`)."""
    app = (ASSETS / "app.js").read_text()
    screens = re.search(r"const SCREENS = \{([^}]*)\}", app)
    assert screens, "app.js no longer has its SCREENS table"
    table: dict[str, tuple[str, ...]] = {}
    for role in (name.strip() for name in screens.group(1).split(",")):
        imported = re.search(rf'import {role} from "\./views/(\w+)\.js"', app)
        assert imported, f"app.js does not import the {role} screens"
        view = (ASSETS / "views" / f"{imported.group(1)}.js").read_text()
        block = re.search(r"routes:\s*\[(.*?)\]\s*,?\s*(?:onSignIn|\n\})", view, re.S)
        assert block, f"no routes table in views/{imported.group(1)}.js"
        table[role] = tuple(re.findall(r'\[\s*"(/[^"]*)"\s*,', block.group(1)))
    return table


def route_of(link: str, role: str) -> str | None:
    """The route pattern of `role` the link opens (app.js matchRoute), or None."""
    path = link.removeprefix(f"{WEB_URL}/#").split("?")[0]
    for pattern in routes()[role]:
        want, got = pattern.split("/"), path.split("/")
        if len(want) == len(got) and all((w.startswith(":") and g) or w == g for w, g in zip(want, got, strict=True)):
            return pattern
    return None


def rendered(kind: str, language: str, role: str, **changes: Any) -> Rendered:
    facts = FACTS | {"recipient_role": role} | changes
    if role not in ("caseworker", "admin"):
        facts.pop("participant_name")  # the notifier hands names only to the programme's staff
    return render(kind, language, facts, WEB_URL)


def assert_readable(message: Rendered) -> None:
    for part in (message.subject, message.text):
        assert part.strip()
        assert not INTERNAL_ID.search(part), part
        assert not ISO_TIME.search(part), part
        assert "None" not in part and "{" not in part and "}" not in part, part
        assert "  " not in part and " ." not in part and " ," not in part, part


def test_the_route_table_is_read_from_the_front_end() -> None:
    table = routes()
    assert set(table) == set(ROLES)
    assert "/applications" in table["participant"]
    assert "/shifts/:shift_id" in table["employer"]
    assert "/participants/:participant_id" in table["caseworker"]
    assert "/participants/:participant_id" in table["admin"]


def test_every_kind_exists() -> None:
    assert frozenset(ALL_KINDS) == KINDS
    assert LANGUAGES == CODES  # every language of the one list (tremplin.models.languages)
    for kind in ALL_KINDS:  # the same readers are addressed in every language
        assert set(CATALOGUE["de"][kind]) == set(CATALOGUE["fr"][kind]) == set(CATALOGUE["en"][kind]), kind


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_reads_well_for_its_readers(kind: str, language: str) -> None:
    for role in READERS[kind]:
        message = rendered(kind, language, role)
        assert_readable(message)
        for internal in (PARTICIPANT_ID, JOB_ID, SHIFT_ID, FACTS["application_id"]):
            assert internal not in message.subject + message.text
        if kind not in WITHOUT_JOB:
            assert FACTS["job_title"] in message.text
        if kind not in WITHOUT_TIME:
            assert "28.11., 08:00" in message.text  # the shift's local start
            assert "08:00\u201312:30" in message.text
        if role in ("caseworker", "admin") and kind not in WITHOUT_JOB:
            assert FACTS["org_name"] in message.text
        if role == "employer":
            assert "Anna" not in message.subject + message.text
        assert message.link.startswith(f"{WEB_URL}/#/")
        assert route_of(message.link, role), f"{message.link} is no {role} screen"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_every_reader_gets_a_link_to_a_screen_of_their_own(kind: str, language: str, role: str) -> None:
    message = rendered(kind, language, role)
    assert_readable(message)
    assert route_of(message.link, role), f"{message.link} is no {role} screen"
    bare = render(kind, language, {"recipient_role": role})
    assert bare.link.startswith("/#/")
    assert route_of(WEB_URL + bare.link, role), f"{bare.link} is no {role} screen"


@pytest.mark.parametrize(
    ("kind", "role", "route"),
    [
        ("enrolled", "participant", "/profile"),
        ("job_suggested", "participant", "/jobs/:job_id"),
        ("offer_made", "participant", "/applications"),
        ("hours_submitted", "participant", "/applications"),
        ("hours_approved", "participant", "/pay"),
        ("payslip_issued", "participant", "/pay"),
        ("reference_written", "participant", "/papers"),
        ("application_created", "employer", "/shifts/:shift_id"),
        ("hours_approved", "employer", "/shifts/:shift_id"),
        ("no_show", "caseworker", "/participants/:participant_id"),
        ("hours_disputed", "admin", "/participants/:participant_id"),
    ],
)
def test_the_link_opens_where_the_reader_acts(kind: str, role: str, route: str) -> None:
    message = rendered(kind, "de", role)
    assert route_of(message.link, role) == route
    if route.endswith(":shift_id"):
        assert message.link.endswith(SHIFT_ID)


def test_the_offer_names_its_deadline_in_local_time() -> None:
    assert "bis Do 26.11., 17:00" in rendered("offer_made", "de", "participant").text
    assert "avant le jeu. 26.11., 17:00" in rendered("offer_made", "fr", "participant").text
    assert "by Thu 26.11., 17:00" in rendered("offer_made", "en", "participant").text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_missing_facts_leave_their_words_out(kind: str, language: str) -> None:
    for facts in ({}, {"recipient_role": READERS[kind][0]}, dict.fromkeys(FACTS), {k: "" for k in FACTS}):
        assert_readable(render(kind, language, facts))
    without_job = {k: v for k, v in FACTS.items() if k not in ("job_title", "job_id")}
    message = render(kind, language, without_job | {"recipient_role": READERS[kind][0]})
    assert_readable(message)
    if kind not in WITHOUT_TIME:
        assert "08:00" in message.text


def test_a_missing_deadline_still_asks_for_an_answer() -> None:
    message = render("offer_made", "de", FACTS | {"offer_expires_at": None})
    assert message.text.endswith("Bitte sagen Sie bald zu oder ab.")


@pytest.mark.parametrize("kind", sorted(KINDS - WITHOUT_JOB))
def test_german_english_and_french_differ(kind: str) -> None:
    de, fr, en = (rendered(kind, lang, READERS[kind][0]) for lang in ("de", "fr", "en"))
    assert de.text != en.text and de.text != fr.text and fr.text != en.text
    assert de.subject != en.subject
    assert de.link == fr.link == en.link


@pytest.mark.parametrize("language", ["es", "", None, "EN", "de-CH"])
def test_an_unknown_language_falls_back_to_german(language: str | None) -> None:
    for kind in ALL_KINDS:
        assert render(kind, language, FACTS, WEB_URL) == render(kind, "de", FACTS, WEB_URL)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(KeyError):
        render("shift_exploded", "de", FACTS)


def test_local_time_in_each_language() -> None:
    assert local_time("2026-11-28T07:00:00+00:00", "de") == "Sa 28.11., 08:00"
    assert local_time("2026-11-28T07:00:00+00:00", "fr") == "sam. 28.11., 08:00"
    assert local_time("2026-11-28T07:00:00+00:00", "en") == "Sat 28.11., 08:00"
    assert local_time("2026-11-28T08:00:00+01:00", "xx") == "Sa 28.11., 08:00"
    assert local_time("2026-11-28T07:00:00Z", "de") == "Sa 28.11., 08:00"
    with pytest.raises(ValueError, match="ISO 8601"):
        local_time("next Saturday", "de")


def test_summer_time_is_two_hours_ahead_and_winter_time_one() -> None:
    summer = {"starts_at": "2026-07-04T06:00:00+00:00", "ends_at": "2026-07-04T10:00:00+00:00"}
    winter = {"starts_at": "2026-12-05T07:00:00+00:00", "ends_at": "2026-12-05T11:00:00+00:00"}
    assert "Sa 04.07., 08:00\u201312:00" in render("shift_reminder", "de", FACTS | summer).text
    assert "Sa 05.12., 08:00\u201312:00" in render("shift_reminder", "de", FACTS | winter).text
    # The night the clocks go forward (29 March 2026, 02:00 -> 03:00) and back (25 October).
    assert local_time("2026-03-29T00:30:00+00:00", "en") == "Sun 29.03., 01:30"
    assert local_time("2026-03-29T01:30:00+00:00", "en") == "Sun 29.03., 03:30"
    assert local_time("2026-10-25T00:30:00+00:00", "en") == "Sun 25.10., 02:30"
    assert local_time("2026-10-25T01:30:00+00:00", "en") == "Sun 25.10., 02:30"


def test_a_night_shift_names_both_days() -> None:
    night = {"starts_at": "2026-11-28T21:00:00+00:00", "ends_at": "2026-11-29T05:00:00+00:00"}
    assert "am Sa 28.11., 22:00 \u2013 So 29.11., 06:00" in render("shift_reminder", "de", FACTS | night).text


def test_only_staff_read_a_participants_name() -> None:
    assert "Anna Muster" in render("no_show", "de", FACTS | {"recipient_role": "caseworker"}).text
    assert "Anna Muster" in render("hours_disputed", "de", FACTS | {"recipient_role": "admin"}).subject
    for role in ("participant", "employer"):
        message = render("hours_disputed", "de", FACTS | {"recipient_role": role})
        assert "Anna" not in message.subject + message.text


def test_the_web_url_may_end_with_a_slash() -> None:
    link = render("offer_made", "en", FACTS, WEB_URL + "/").link
    assert link == f"{WEB_URL}/#/applications"
