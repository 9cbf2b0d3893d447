"""SMS through Amazon SNS (Publish to a phone number), with the month's count that caps them.

The count is one item per calendar month (UTC, as AWS bills), SMS#<month> / SMS; a send claims
a place under the cap in the same transaction that marks the note as sent by SMS, so neither
a redelivered note nor two notifiers at once ever send past the cap or twice.
"""

from __future__ import annotations

from contextlib import suppress
from enum import StrEnum
from typing import Any

from tremplin.data import keys
from tremplin.data.dynamo import (
    Increment,
    TransactionRefused,
    aws_client,
    batch_get,
    transact,
    translated_errors,
    update_request,
)
from tremplin.data.notifications import note_key


def _sns() -> Any:
    return aws_client("sns")


class Claim(StrEnum):
    GRANTED = "granted"
    ALREADY_SENT = "already_sent"  # a redelivery: the first delivery claimed it
    CAP_REACHED = "cap_reached"


def claim(note: dict[str, Any], month: str, cap: int, at: str) -> Claim:
    """One place under the month's cap, and the note marked as sent by SMS, or neither."""
    count = update_request(
        keys.sms_month(month),
        set_={"type": "sms_count", "count": Increment("count")},
        condition="attribute_not_exists(#n) OR #n < :cap",
        names={"#n": "count"},
        values={":cap": cap},
    )
    mark = update_request(
        note_key(note),
        set_={"sms_sent_at": at},
        condition="attribute_exists(PK) AND attribute_not_exists(#sent)",
        names={"#sent": "sms_sent_at"},
    )
    try:
        transact([mark, count])
    except TransactionRefused as refused:
        return Claim.ALREADY_SENT if refused.failed(0) else Claim.CAP_REACHED
    return Claim.GRANTED


def release(note: dict[str, Any], month: str) -> None:
    """Gives the place back and unmarks the note, when the SMS could not be sent."""
    count = update_request(keys.sms_month(month), set_={"count": Increment("count", -1)})
    unmark = update_request(note_key(note), remove=["sms_sent_at"], condition="attribute_exists(PK)")
    with suppress(TransactionRefused):  # the note was erased meanwhile: give the place back only
        transact([unmark, count])
        return
    transact([count])


def sent_in(month: str) -> int:
    [item] = batch_get([keys.sms_month(month)])
    return int((item or {}).get("count", 0))


def opted_out(phone: str) -> bool:
    """Whether the number replied STOP (SNS keeps the list; Publish would fail for it anyway)."""
    with translated_errors():
        answer = _sns().check_if_phone_number_is_opted_out(phoneNumber=phone)
    return bool(answer["isOptedOut"])


def publish(phone: str, text: str) -> str:
    with translated_errors():
        answer = _sns().publish(
            PhoneNumber=phone,
            Message=text,
            # Transactional: delivered even to numbers that refuse promotional SMS, at its price.
            MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}},
        )
    return str(answer["MessageId"])
