"""The SMS a participant gets for the notes that cannot wait (offer made, shift tomorrow, shift
cancelled, hours to check), in their language, with the short link to the screen where they act.

An SMS is one segment where the language allows: at most 160 GSM-7 characters (GSM 03.38, counted
with the `gsm0338` codec, where € [ ] { } | ^ ~ \\ take two). Scripts outside GSM-7 (Arabic,
Ge'ez for Tigrinya, Tamil, Cyrillic) are sent as UCS-2, 70 characters for one segment, 67 each
for more: one segment could not hold the shift and the link, so these keep to two segments, 134
UTF-16 units. The texts of Latin-script languages are written in GSM-7 (French, Portuguese and
Albanian drop the accents GSM-7 lacks, as SMS there usually do): a single other character would
make the whole SMS UCS-2 and cost two or three segments. The facts (job title, address) are
folded to GSM-7 the same way and shortened until the SMS fits; when even the shortest does not
fit (a very long web address), there is no SMS and the note goes by e-mail.

Pure: the notifier gives the facts and the link.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import gsm0338  # noqa: F401 - registers the "gsm03.38" codec

from tremplin.models.languages import BY_CODE, CODES

LANGUAGES = CODES  # the one list (tremplin.models.languages)
DEFAULT_LANGUAGE = "de"
# Machine translations no native speaker has reviewed yet (README "SMS", "Languages").
UNREVIEWED = frozenset(code for code in CODES if not BY_CODE[code].reviewed)
GSM7_LANGUAGES = frozenset(code for code in CODES if BY_CODE[code].script == "Latn")
GSM7_LIMIT = 160  # one segment
UCS2_LIMIT = 134  # two segments of 67 (a multi-part UCS-2 SMS keeps 3 of 70 for its header)

# The note kinds that also go by SMS, and the screen (tremplin.short_links) each one opens.
SCREEN_OF_KIND = {
    "offer_made": "/applications",
    "shift_reminder": "/applications",
    "shift_cancelled": "/applications",
    "application_cancelled": "/applications",  # the employer cancelled the participant's place
    "hours_submitted": "/applications",
}
KINDS = frozenset(SCREEN_OF_KIND)

# {shift}: the job title and the shift's start ("Gartenhilfe 28.11. 08:00"), the title shortened
# or left out to fit; {deadline}: the offer's; {address}: the workplace's; {link}: the short link.
_CANCELLED = {
    "de": "Tremplin: Ihr Einsatz {shift} wurde abgesagt. Mehr: {link}",
    "de-simple": "Tremplin: Der Einsatz {shift} fällt aus. Mehr: {link}",
    "fr": "Tremplin: votre mission {shift} est annulée. Détails: {link}",
    "en": "Tremplin: your shift {shift} was cancelled. More: {link}",
    "it": "Tremplin: il Suo turno {shift} è stato annullato. Dettagli: {link}",
    "ar": "Tremplin: أُلغيت مناوبتك {shift}. التفاصيل: {link}",
    "ti": "Tremplin: ስራሕኩም {shift} ተሰሪዙ። ዝርዝር: {link}",
    "pt": "Tremplin: o seu turno {shift} foi cancelado. Detalhes: {link}",
    "sq": "Tremplin: turni juaj {shift} u anulua. Detaje: {link}",
    "ta": "Tremplin: உங்கள் வேலை {shift} ரத்து செய்யப்பட்டது. விவரம்: {link}",
    "uk": "Tremplin: вашу зміну {shift} скасовано. Деталі: {link}",
}
TEXTS: dict[str, dict[str, str]] = {
    "offer_made": {
        "de": "Tremplin: Angebot für {shift}. Bitte bis {deadline} zu- oder absagen: {link}",
        "de-simple": "Tremplin: Sie haben ein Angebot: {shift}. Antworten Sie bis {deadline}: {link}",
        "fr": "Tremplin: offre pour {shift}. Répondez avant le {deadline}: {link}",
        "en": "Tremplin: offer for {shift}. Please accept or decline by {deadline}: {link}",
        "it": "Tremplin: offerta per {shift}. Risponda entro il {deadline}: {link}",
        "ar": "Tremplin: عرض عمل {shift}. يرجى الرد قبل {deadline}: {link}",
        "ti": "Tremplin: ናይ ስራሕ ዕድል {shift}። ክሳብ {deadline} መልሲ ሃቡ: {link}",
        "pt": "Tremplin: oferta para {shift}. Responda até {deadline}: {link}",
        "sq": "Tremplin: oferte per {shift}. Pergjigjuni deri me {deadline}: {link}",
        "ta": "Tremplin: வேலை வாய்ப்பு {shift}. {deadline} க்குள் பதில் தரவும்: {link}",
        "uk": "Tremplin: пропозиція {shift}. Дайте відповідь до {deadline}: {link}",
    },
    "shift_reminder": {
        "de": "Tremplin: Morgen Einsatz {shift}{address}. Verhindert? Bitte absagen: {link}",
        "de-simple": "Tremplin: Morgen arbeiten Sie: {shift}{address}. Sie können nicht? Absagen: {link}",
        "fr": "Tremplin: demain mission {shift}{address}. Absent? Annulez: {link}",
        "en": "Tremplin: shift tomorrow {shift}{address}. Cannot come? Cancel: {link}",
        "it": "Tremplin: domani turno {shift}{address}. Impedito? Disdica: {link}",
        "ar": "Tremplin: عملك غداً {shift}{address}. للإلغاء: {link}",
        "ti": "Tremplin: ጽባሕ ስራሕ {shift}{address}። ንምስራዝ: {link}",
        "pt": "Tremplin: amanha turno {shift}{address}. Impedido? Cancele: {link}",
        "sq": "Tremplin: neser turni {shift}{address}. Nuk vini dot? Anuloni: {link}",
        "ta": "Tremplin: நாளை வேலை {shift}{address}. ரத்து: {link}",
        "uk": "Tremplin: завтра зміна {shift}{address}. Скасувати: {link}",
    },
    "shift_cancelled": _CANCELLED,
    "application_cancelled": _CANCELLED,
    "hours_submitted": {
        "de": "Tremplin: Bitte prüfen Sie Ihre Stunden für {shift} innert 72 Std.: {link}",
        "de-simple": "Tremplin: Prüfen Sie Ihre Stunden für {shift}. Sie haben 72 Std. Zeit: {link}",
        "fr": "Tremplin: vérifiez vos heures pour {shift} dans les 72 h: {link}",
        "en": "Tremplin: please check your hours for {shift} within 72 h: {link}",
        "it": "Tremplin: controlli le Sue ore per {shift} entro 72 ore: {link}",
        "ar": "Tremplin: يرجى مراجعة ساعات عملك {shift} خلال 72 ساعة: {link}",
        "ti": "Tremplin: ሰዓታት ስራሕኩም {shift} ኣብ 72 ሰዓት ተቖጻጸሩ: {link}",
        "pt": "Tremplin: verifique as suas horas de {shift} em 72 h: {link}",
        "sq": "Tremplin: kontrolloni oret tuaja per {shift} brenda 72 oreve: {link}",
        "ta": "Tremplin: {shift} வேலை நேரத்தை 72 மணி நேரத்தில் சரிபார்க்கவும்: {link}",
        "uk": "Tremplin: перевірте години за {shift} протягом 72 год: {link}",
    },
}

# How far a title is shortened, longest first, until the SMS fits (0: left out).
_TITLE_LENGTHS = (None, 40, 30, 20, 12, 0)
# The address follows the shift after a comma (Arabic and Ge'ez have their own).
_ADDRESS_PIECE = {"ar": "، {}", "ti": "፣ {}"}


@dataclass(frozen=True)
class Facts:
    """What an SMS names; times already as the reader reads them ("28.11. 08:00", Zurich)."""

    title: str = ""
    start: str = ""
    deadline: str = ""
    address: str = ""  # "Laubeggstrasse 12, 3006 Bern"
    street: str = ""  # "Laubeggstrasse 12": where the whole address does not fit


def is_gsm7(text: str) -> bool:
    try:
        text.encode("gsm03.38")
    except UnicodeEncodeError:
        return False
    return True


def length(text: str, language: str) -> int:
    """Characters as the network counts them: GSM-7 septets, or UTF-16 units for UCS-2."""
    if language in GSM7_LANGUAGES:
        return len(text.encode("gsm03.38"))
    return len(text.encode("utf-16-le")) // 2


def limit(language: str) -> int:
    return GSM7_LIMIT if language in GSM7_LANGUAGES else UCS2_LIMIT


def fits(text: str, language: str) -> bool:
    if language in GSM7_LANGUAGES and not is_gsm7(text):
        return False
    return length(text, language) <= limit(language)


def to_gsm7(text: str) -> str:
    """A fact in GSM-7: characters it lacks lose their accents ("ê" -> "e"), or become "?"."""
    out = []
    for char in text:
        if not is_gsm7(char):
            bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            char = bare if bare and is_gsm7(bare) else "?"
        out.append(char)
    return "".join(out)


def _shortened(text: str, size: int | None, ellipsis: str) -> str:
    if size is None or len(text) <= size:
        return text
    return text[: max(size - len(ellipsis), 0)].rstrip() + ellipsis if size else ""


def language_of(preferred: str | None) -> str:
    return preferred if preferred in LANGUAGES else DEFAULT_LANGUAGE


def render(kind: str, language: str | None, facts: Facts, link: str) -> str | None:
    """The SMS of `kind`, within its language's limit; None when nothing fits. KeyError for a kind
    that goes by no SMS."""
    lang = language_of(language)
    template = TEXTS[kind][lang]
    gsm = lang in GSM7_LANGUAGES
    ellipsis = "..." if gsm else "…"  # "…" is no GSM-7 character
    fold = to_gsm7 if gsm else str
    title = fold(facts.title)
    piece = _ADDRESS_PIECE.get(lang, ", {}")
    # The address matters more than the title the day before: the title is shortened first.
    addresses = dict.fromkeys(fold(a) for a in (facts.address, facts.street, ""))
    for address in addresses:
        for title_size in _TITLE_LENGTHS:
            shift = " ".join(p for p in (_shortened(title, title_size, ellipsis), facts.start) if p)
            text = template.format(
                shift=shift, deadline=facts.deadline, address=piece.format(address) if address else "", link=link
            )
            if fits(text, lang):
                return text
    return None


def facts_of(values: Mapping[str, str | None]) -> Facts:
    return Facts(**{k: v or "" for k, v in values.items() if k in Facts.__dataclass_fields__})
