"""SMS (issue 20): the texts and their length in every language, the signed short link, and the
notifier's SMS channel: consent, opt-out (STOP), the month's cap, redelivery, e-mail for the rest."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from moto.backends import get_backend
from moto.core import DEFAULT_ACCOUNT_ID

from tests.helpers import Api, drain, queued_notes
from tests.unit.test_changes import Flaky
from tests.unit.test_faults import World
from tremplin import short_links, sms_texts

# A CloudFront address as long as AWS gives them: the link must fit beside the longest text.
WEB_URL = "https://d1a2b3c4d5e6f7.cloudfront.net"
LONG = sms_texts.Facts(
    title="Hilfe in den Stadtgärten am Rosengarten \u2013 Sommerpflege, Rückschnitt und Wässern",
    start="28.11. 08:00",
    deadline="27.11. 18:00",
    address="Laubeggstrasse 123, 3006 Bern",
    street="Laubeggstrasse 123",
)
KEY = b"test-key"


def _link(participant_id: str = "par_1") -> str:
    return short_links.url(WEB_URL, KEY, "/applications", participant_id)


# ---------------------------------------------------------------- texts


@pytest.mark.parametrize("language", sms_texts.LANGUAGES)
@pytest.mark.parametrize("kind", sorted(sms_texts.KINDS))
def test_every_kind_fits_in_every_language(kind: str, language: str) -> None:
    text = sms_texts.render(kind, language, LONG, _link())
    assert text is not None
    assert text.startswith("Tremplin: ") and text.endswith(_link()) and LONG.start in text
    if language in sms_texts.GSM7_LANGUAGES:  # one segment of GSM-7
        assert sms_texts.is_gsm7(text)
        assert len(text.encode("gsm03.38")) <= 160
    else:  # two segments of UCS-2
        assert len(text.encode("utf-16-le")) // 2 <= 134


@pytest.mark.parametrize("language", sorted(sms_texts.GSM7_LANGUAGES))
def test_the_texts_of_latin_script_languages_are_gsm7(language: str) -> None:
    for kind, texts in sms_texts.TEXTS.items():
        assert sms_texts.is_gsm7(texts[language]), (kind, language)


def test_every_kind_has_every_language_and_the_unreviewed_are_known() -> None:
    assert {kind: set(texts) for kind, texts in sms_texts.TEXTS.items()} == {
        kind: set(sms_texts.LANGUAGES) for kind in sms_texts.KINDS
    }
    assert set(sms_texts.LANGUAGES) > sms_texts.UNREVIEWED


def test_the_offer_names_its_deadline_and_the_reminder_the_address() -> None:
    short = sms_texts.Facts(title="Gartenhilfe", start="28.11. 08:00", deadline="27.11. 18:00", address=LONG.address)
    offer = sms_texts.render("offer_made", "de", short, _link())
    expected = "Tremplin: Angebot für Gartenhilfe 28.11. 08:00. Bitte bis 27.11. 18:00 zu- oder absagen: "
    assert offer == expected + _link()
    reminder = sms_texts.render("shift_reminder", "de", LONG, _link())
    assert reminder is not None and "Laubeggstrasse 123, 3006 Bern" in reminder


def test_facts_are_folded_to_gsm7_in_latin_script_languages() -> None:
    facts = sms_texts.Facts(title="Crêpes à emporter, Ça va", start="28.11. 08:00")
    text = sms_texts.render("shift_cancelled", "fr", facts, _link())
    assert text is not None and "Crepes à emporter, Ça va" in text and sms_texts.is_gsm7(text)


def test_two_character_gsm7_signs_count_twice() -> None:
    assert sms_texts.length("€ {}", "de") == 7
    assert not sms_texts.fits("x" * 157 + "€[]", "de")


def test_no_sms_when_even_the_shortest_does_not_fit() -> None:
    assert sms_texts.render("offer_made", "ta", LONG, "https://" + "x" * 120) is None


# ---------------------------------------------------------------- the short link


def test_the_short_link_opens_for_its_participant_only() -> None:
    token = short_links.token(KEY, "/applications", "par_1")
    assert len(token) == 12
    assert short_links.screen_of(KEY, token, "par_1") == "/applications"
    assert short_links.screen_of(KEY, token, "par_2") is None  # someone else's SMS
    assert short_links.screen_of(b"other-key", token, "par_1") is None
    assert short_links.screen_of(KEY, token[:-1], "par_1") is None
    for i in range(len(token)):  # any character changed
        changed = token[:i] + ("B" if token[i] != "B" else "C") + token[i + 1 :]
        assert short_links.screen_of(KEY, changed, "par_1") is None, i


# ---------------------------------------------------------------- the notifier


def _sent() -> list[tuple[str, str]]:
    region = boto3.session.Session().region_name
    return list(get_backend("sns")[DEFAULT_ACCOUNT_ID][region].sms_messages.values())


@pytest.fixture
def emails(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """The e-mails the notifier sends (SES is on: EMAIL_SENDER)."""
    from tremplin.data import notifications, reset

    monkeypatch.setenv("EMAIL_SENDER", "tremplin@bern.ch")
    reset()
    sent: list[tuple[str, str, str]] = []
    monkeypatch.setattr(notifications, "send_email", lambda *a: sent.append(a))
    return sent


@pytest.fixture
def world(api: Api, aws: dict[str, Any], emails: list[tuple[str, str, str]]) -> World:
    w = World(api, aws)
    drain(aws)
    emails.clear()  # the enrolment's welcome
    return w


def _consent(world: World, given: bool = True, **more: Any) -> dict[str, Any]:
    answer = world.api.call("PATCH", "/me", token=world.me, json_body={"sms_consent": given} | more)
    assert answer.status == 200, answer.body
    return dict(answer.body)


def _offer(world: World) -> None:
    assert world.apply().status == 201
    assert world.act("accept", world.employer).status == 200
    drain(world.aws)


def _offer_note(world: World) -> dict[str, Any]:
    [note] = [i for i in world.items() if i["type"] == "notification" and i["kind"] == "offer_made"]
    return note


def test_an_offer_goes_by_sms_instead_of_email_to_who_consented(
    world: World, emails: list[tuple[str, str, str]]
) -> None:
    me = _consent(world)
    assert me["sms_consent"] is True and me["sms_consent_given_at"]
    _offer(world)
    [(phone, text)] = _sent()
    assert phone == "+41791234567"
    assert text.startswith("Tremplin: Angebot für Help in the city gardens 01.12. 08:00. Bitte bis ")
    assert emails == []
    assert _offer_note(world)["sms_sent_at"]
    inbox = world.api.call("GET", "/me/notifications", token=world.me).body["items"]
    assert "offer_made" in [n["kind"] for n in inbox]  # in the inbox as well
    token = text.rsplit("/#/s/", 1)[1]
    opened = world.api.call("GET", f"/me/links/{token}", token=world.me)
    assert (opened.status, opened.body) == (200, {"path": "/applications"})


def test_a_redelivered_note_sends_no_second_sms(world: World, emails: list[tuple[str, str, str]]) -> None:
    from tremplin.logic import notifications

    _consent(world)
    assert world.apply().status == 201
    assert world.act("accept", world.employer).status == 200
    [queued] = [n for n in queued_notes(world.aws) if n["kind"] == "offer_made"]
    drain(world.aws)
    assert notifications.deliver(queued) == "stored and sent by SMS"
    assert len(_sent()) == 1 and emails == []


def test_another_participant_or_a_changed_token_opens_nothing(world: World) -> None:
    from tremplin.data.pagination import signing_key

    token = short_links.token(signing_key(), "/applications", world.participant)
    other = world.api.token("participant", "u2", participant_id="par_other")
    assert world.api.call("GET", f"/me/links/{token}", token=other).status == 404
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    answer = world.api.call("GET", f"/me/links/{tampered}", token=world.me)
    assert (answer.status, answer.error_code) == (404, "not_found")
    assert world.api.call("GET", f"/me/links/{token}", token=world.me).status == 200


def test_without_consent_the_note_goes_by_email(world: World, emails: list[tuple[str, str, str]]) -> None:
    _offer(world)
    assert _sent() == []
    assert [to for to, _, _ in emails] == ["anna@example.ch"]


def test_a_withdrawn_consent_sends_no_sms(world: World, emails: list[tuple[str, str, str]]) -> None:
    _consent(world)
    me = _consent(world, given=False)
    assert me["sms_consent"] is False and me["sms_consent_given_at"] is None
    _offer(world)
    assert _sent() == []
    assert len(emails) == 1


def test_a_number_that_replied_stop_gets_no_sms(world: World, emails: list[tuple[str, str, str]]) -> None:
    # moto's SNS takes a number ending in 99 as opted out (CheckIfPhoneNumberIsOptedOut)
    assert boto3.client("sns").check_if_phone_number_is_opted_out(phoneNumber="+41791234599")["isOptedOut"]
    _consent(world, phone="079 123 45 99")
    _offer(world)
    assert _sent() == []
    assert len(emails) == 1


def test_over_the_month_s_cap_the_note_goes_by_email(
    world: World,
    emails: list[tuple[str, str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tremplin.data import reset

    monkeypatch.setenv("SMS_MONTHLY_LIMIT", "2")
    reset()
    table = boto3.resource("dynamodb").Table(world.aws["Table"])
    table.put_item(Item={"PK": "SMS#2026-11", "SK": "SMS", "type": "sms_count", "count": 2})
    _consent(world)
    _offer(world)
    assert _sent() == []
    assert len(emails) == 1
    assert table.get_item(Key={"PK": "SMS#2026-11", "SK": "SMS"})["Item"]["count"] == 2
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"SmsCapReached"' in line]
    assert [m["SmsCapReached"] for m in metrics] == [[1.0]]  # EMF: the values of one flush


def test_a_failed_publish_gives_its_place_back_and_is_sent_on_the_retry(
    world: World, emails: list[tuple[str, str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.data import sms

    outage = Flaky(times=1)
    monkeypatch.setattr(sms, "publish", outage.wrap(sms.publish))
    _consent(world)
    _offer(world)
    assert outage.calls == 2
    assert len(_sent()) == 1 and emails == []
    count = boto3.resource("dynamodb").Table(world.aws["Table"]).get_item(Key={"PK": "SMS#2026-11", "SK": "SMS"})
    assert count["Item"]["count"] == 1


def test_the_sms_is_in_the_participant_s_language(world: World) -> None:
    _consent(world, preferred_language="fr")
    _offer(world)
    [(_, text)] = _sent()
    assert text.startswith("Tremplin: offre pour Help in the city gardens 01.12. 08:00. Répondez avant le ")


def test_only_the_participant_sets_the_sms_consent_and_their_caseworker_sees_it(world: World) -> None:
    path = f"/participants/{world.participant}"
    refused = world.api.call("PATCH", path, token=world.caseworker, json_body={"sms_consent": True})
    assert refused.status == 422
    assert world.api.call("GET", path, token=world.caseworker).body["sms_consent"] is False
    given_at = _consent(world)["sms_consent_given_at"]
    assert world.api.call("GET", path, token=world.caseworker).body["sms_consent"] is True
    assert _consent(world)["sms_consent_given_at"] == given_at  # yes again keeps the time it was given
