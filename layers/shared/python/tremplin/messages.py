"""Notifications as people read them: in the reader's language, naming the job,
the organisation and the Europe/Zurich date and time, with a link to the screen where they act.

Pure: the notifier gathers the facts and calls `render`. Ids go only into links; a missing fact
leaves its words out. A template is a string or a tuple of alternatives: the first whose facts
are all known is used. Participants read every language of tremplin.models.languages (the texts
beyond de/fr/en are in tremplin.translations); employers and staff read de, fr or en.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from tremplin.models.languages import CODES
from tremplin.translations import TRANSLATIONS

LANGUAGES = CODES
DEFAULT_LANGUAGE = "de"
ZURICH = ZoneInfo("Europe/Zurich")

_WEEKDAYS: dict[str, tuple[str, ...]] = {  # Monday first, as datetime.weekday() counts
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}

_DASH = "\u2013"  # en dash, between the times of a shift

Template = str | tuple[str, ...]


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    link: str


@dataclass(frozen=True)
class _Wording:
    subject: Template
    text: tuple[Template, ...]


def _w(subject: Template, *text: Template) -> _Wording:
    return _Wording(subject, text)


# How a fact reads inside a sentence, per language. "{}" is the fact; when the fact is missing
# the piece is empty, so "for the{title} shift" reads "for the shift".
_PIECES: dict[str, dict[str, str]] = {
    "de": {"title": " «{}»", "org": " bei {}", "when": " am {}", "topic": ": {}", "who": "die teilnehmende Person"},
    "fr": {"title": " « {} »", "org": " chez {}", "when": " le {}", "topic": " : {}", "who": "la personne"},
    "en": {"title": " “{}”", "org": " at {}", "when": " on {}", "topic": ": {}", "who": "the participant"},
}

# Placeholders a template may use:
#   always known (empty or a default when the fact is missing): {title} {org} {when} {topic} {who} {Who}
#   known only with their fact (an alternative naming one is skipped without it):
#   {job_title} {org_name} {start} {deadline} {name}
#   offers of regular employment: {position} (always known), {position_title} {start_day}
# Audiences: "participant", "employer", "staff" (caseworker and admin); a kind's first audience
# is the one it is written for when the reader's role has no wording of its own.

_DE: dict[str, dict[str, _Wording]] = {
    "enrolled": {
        "participant": _w(
            "Willkommen bei Tremplin",
            "Sie sind jetzt bei Tremplin angemeldet.",
            "Bitte lesen Sie in Ihrem Profil, wie wir Ihre Daten verwenden, und geben Sie Ihre Einwilligung.",
            "Danach können Sie sich für Einsätze bewerben.",
        ),
    },
    "consent_given": {
        "staff": _w(
            ("Einwilligung erhalten: {name}", "Einwilligung erhalten"),
            "{Who} hat die Einwilligung gegeben und kann sich jetzt für Einsätze bewerben.",
            "Sie können der Person jetzt Jobs vorschlagen.",
        ),
        "participant": _w("Danke für Ihre Einwilligung", "Sie können sich jetzt für Einsätze bewerben."),
    },
    "job_suggested": {
        "participant": _w(
            "Jobvorschlag{topic}",
            (
                "Ihre Sozialarbeiterin oder Ihr Sozialarbeiter schlägt Ihnen einen Job vor: {job_title}{org}.",
                "Ihre Sozialarbeiterin oder Ihr Sozialarbeiter schlägt Ihnen einen Job{org} vor.",
            ),
            "Schauen Sie ihn an und bewerben Sie sich, wenn er zu Ihnen passt.",
        ),
    },
    "application_created": {
        "employer": _w(
            "Neue Bewerbung{topic}",
            "Für den Einsatz{title}{when} ist eine neue Bewerbung eingegangen.",
            "Bitte bieten Sie den Einsatz an oder sagen Sie ab.",
        ),
    },
    "application_withdrawn": {
        "employer": _w(
            "Bewerbung zurückgezogen{topic}", "Eine Bewerbung für den Einsatz{title}{when} wurde zurückgezogen."
        ),
    },
    # favourites
    "invitation_made": {
        "participant": _w(
            "Einladung für Sie{topic}",
            (
                "{org_name} lädt Sie wieder ein: zum Einsatz{title}{when}.",
                "Sie sind wieder eingeladen: zum Einsatz{title}{org}{when}.",
            ),
            (
                "Bitte sagen Sie bis {deadline} zu oder ab; danach verfällt die Einladung.",
                "Bitte sagen Sie bald zu oder ab.",
            ),
        ),
    },
    "offer_made": {
        "participant": _w(
            "Angebot für Sie{topic}",
            "Sie haben ein Angebot für den Einsatz{title}{org}{when}.",
            (
                "Bitte sagen Sie bis {deadline} zu oder ab; danach verfällt das Angebot.",
                "Bitte sagen Sie bald zu oder ab.",
            ),
        ),
    },
    "application_rejected": {
        "participant": _w(
            "Bewerbung nicht berücksichtigt{topic}",
            "Ihre Bewerbung für den Einsatz{title}{org}{when} wurde diesmal nicht berücksichtigt.",
            "Unter «Jobs» finden Sie weitere Einsätze.",
        ),
    },
    "offer_confirmed": {
        "employer": _w(
            "Einsatz zugesagt{topic}",
            "{Who} hat den Einsatz{title}{when} zugesagt.",
            "Sie sehen jetzt den vollen Namen und die Telefonnummer.",
        ),
    },
    "offer_declined": {
        "employer": _w(
            "Angebot abgelehnt{topic}",
            "{Who} hat Ihr Angebot für den Einsatz{title}{when} abgelehnt.",
            "Der Platz ist wieder frei; Sie können ihn einer anderen Person anbieten.",
        ),
    },
    "offer_expired": {
        "participant": _w(
            "Angebot abgelaufen{topic}",
            "Das Angebot für den Einsatz{title}{org}{when} ist abgelaufen, weil keine Antwort kam.",
            "Unter «Jobs» finden Sie weitere Einsätze.",
        ),
        "employer": _w(
            "Angebot abgelaufen{topic}",
            "Das Angebot für den Einsatz{title}{when} ist ohne Antwort abgelaufen.",
            "Der Platz ist wieder frei; Sie können ihn einer anderen Person anbieten.",
        ),
    },
    "application_cancelled": {
        "participant": _w(
            "Einsatz abgesagt{topic}",
            (
                "{org_name} hat Ihren Einsatz{title}{when} abgesagt.",
                "Der Arbeitgeber hat Ihren Einsatz{title}{when} abgesagt.",
            ),
        ),
        "employer": _w(
            "Einsatz abgesagt{topic}", "{Who} hat den Einsatz{title}{when} abgesagt.", "Der Platz ist wieder frei."
        ),
    },
    "shift_cancelled": {
        "participant": _w(
            "Einsatz abgesagt{topic}",
            (
                "{org_name} hat den Einsatz{title}{when} abgesagt.",
                "Der Einsatz{title}{when} wurde vom Arbeitgeber abgesagt.",
            ),
            "Unter «Jobs» finden Sie weitere Einsätze.",
        ),
    },
    "shift_reminder": {
        "participant": _w(
            "Erinnerung{topic}",
            "Erinnerung an Ihren Einsatz{title}{org}{when}.",
            "Falls Sie nicht kommen können, sagen Sie bitte so früh wie möglich ab.",
        ),
    },
    "hours_submitted": {
        "participant": _w(
            "Stunden prüfen{topic}",
            (
                "{org_name} hat Ihre Stunden für den Einsatz{title}{when} erfasst.",
                "Der Arbeitgeber hat Ihre Stunden für den Einsatz{title}{when} erfasst.",
            ),
            "Bitte bestätigen oder beanstanden Sie sie innerhalb von 72 Stunden.",
            "Ohne Antwort gelten sie danach als bestätigt.",
        ),
    },
    "payslip_issued": {
        "participant": _w(
            "Ihre Lohnabrechnung ist bereit",
            "Ihre Lohnabrechnung ist bereit.",
            "Sie finden sie unter «Lohn», auch als PDF.",
        ),
    },
    # papers for the next step
    "reference_written": {
        "participant": _w(
            "Neue Referenz{topic}",
            (
                "{org_name} hat Ihnen eine Referenz für den Einsatz{title}{when} geschrieben.",
                "Der Einsatzbetrieb hat Ihnen eine Referenz für den Einsatz{title}{when} geschrieben.",
            ),
            "Unter «Unterlagen» entscheiden Sie, ob sie in Ihre Arbeitsbestätigung kommt.",
        ),
    },
    "hours_approved": {
        "participant": _w(
            "Stunden bestätigt{topic}",
            "Die Stunden für Ihren Einsatz{title}{org}{when} sind bestätigt.",
            "Der Lohn kommt mit Ihrer nächsten Lohnabrechnung.",
        ),
        "employer": _w(
            "Stunden bestätigt{topic}",
            "Die Stunden für den Einsatz{title}{when} sind bestätigt.",
            "Sie können die Person jetzt bewerten.",
        ),
    },
    "hours_disputed": {
        "employer": _w(
            "Stunden beanstandet{topic}",
            "{Who} hat die erfassten Stunden für den Einsatz{title}{when} beanstandet.",
            "Die Programmleitung klärt die Stunden.",
        ),
        "staff": _w(
            ("Stunden beanstandet: {name}", "Stunden beanstandet{topic}"),
            "{Who} hat die erfassten Stunden für den Einsatz{title}{org}{when} beanstandet.",
            "Bitte klären Sie die Stunden mit dem Arbeitgeber und legen Sie sie fest.",
        ),
    },
    "no_show": {
        "staff": _w(
            ("Nicht erschienen: {name}", "Nicht erschienen{topic}"),
            "{Who} ist nicht zum Einsatz{title}{org}{when} erschienen.",
            "Ein Gespräch kann helfen, den Grund zu verstehen.",
        ),
    },
    "late_cancellation": {
        "staff": _w(
            ("Späte Absage: {name}", "Späte Absage{topic}"),
            "{Who} hat den Einsatz{title}{org}{when} weniger als 24 Stunden vorher abgesagt.",
        ),
    },
    # ---- the step to a regular job (issue 19)
    "regular_offer_made": {
        "participant": _w(
            ("Stellenangebot von {org_name}", "Ein Stellenangebot für Sie"),
            (
                "{org_name} bietet Ihnen die Stelle{position} an, mit Beginn am {start_day}.",
                "Ein Arbeitgeber bietet Ihnen die Stelle{position} an.",
            ),
            "Unter «Stellenangebote» können Sie annehmen oder ablehnen.",
        ),
        "staff": _w(
            ("Stellenangebot für {name}", "Stellenangebot"),
            (
                "{Who} hat ein Stellenangebot{position}{org} erhalten, mit Beginn am {start_day}.",
                "{Who} hat ein Stellenangebot{position}{org} erhalten.",
            ),
            "Sie erhalten eine Nachricht, sobald die Person antwortet.",
        ),
    },
    "regular_offer_accepted": {
        "employer": _w(
            ("Stellenangebot angenommen: {position_title}", "Stellenangebot angenommen"),
            (
                "{Who} hat Ihr Stellenangebot{position} angenommen und beginnt am {start_day}.",
                "{Who} hat Ihr Stellenangebot{position} angenommen.",
            ),
        ),
        "staff": _w(
            ("Stelle angenommen: {name}", "Stelle angenommen"),
            (
                "{Who} hat das Stellenangebot{position}{org} angenommen und beginnt am {start_day}.",
                "{Who} hat das Stellenangebot{position}{org} angenommen.",
            ),
            "Der Austritt mit dem Ergebnis «reguläre Anstellung» ist auf den Stellenantritt erfasst.",
        ),
    },
    "regular_offer_declined": {
        "employer": _w(
            ("Stellenangebot abgelehnt: {position_title}", "Stellenangebot abgelehnt"),
            "{Who} hat Ihr Stellenangebot{position} abgelehnt.",
        ),
        "staff": _w(
            ("Stellenangebot abgelehnt: {name}", "Stellenangebot abgelehnt"),
            "{Who} hat das Stellenangebot{position}{org} abgelehnt.",
            "Ein Gespräch kann helfen, die Gründe zu verstehen.",
        ),
    },
    "regular_offer_withdrawn": {
        "participant": _w(
            ("Stellenangebot zurückgezogen: {position_title}", "Stellenangebot zurückgezogen"),
            (
                "{org_name} hat das Stellenangebot{position} zurückgezogen.",
                "Der Arbeitgeber hat das Stellenangebot{position} zurückgezogen.",
            ),
        ),
    },
}

_FR: dict[str, dict[str, _Wording]] = {
    "enrolled": {
        "participant": _w(
            "Bienvenue chez Tremplin",
            "Vous êtes maintenant inscrit·e à Tremplin.",
            "Veuillez lire dans votre profil l'usage que nous faisons de vos données et donner votre consentement.",
            "Vous pourrez ensuite postuler à des missions.",
        ),
    },
    "consent_given": {
        "staff": _w(
            ("Consentement donné : {name}", "Consentement donné"),
            "{Who} a donné son consentement et peut maintenant postuler à des missions.",
            "Vous pouvez désormais lui proposer des missions.",
        ),
        "participant": _w("Merci pour votre consentement", "Vous pouvez maintenant postuler à des missions."),
    },
    "job_suggested": {
        "participant": _w(
            "Mission proposée{topic}",
            (
                "Votre assistant·e social·e vous propose une mission : {job_title}{org}.",
                "Votre assistant·e social·e vous propose une mission{org}.",
            ),
            "Consultez-la et postulez si elle vous convient.",
        ),
    },
    "application_created": {
        "employer": _w(
            "Nouvelle candidature{topic}",
            "Une nouvelle candidature est arrivée pour la mission{title}{when}.",
            "Merci de proposer le créneau ou de refuser la candidature.",
        ),
    },
    "application_withdrawn": {
        "employer": _w("Candidature retirée{topic}", "Une candidature pour la mission{title}{when} a été retirée."),
    },
    # favourites
    "invitation_made": {
        "participant": _w(
            "Une invitation pour vous{topic}",
            (
                "{org_name} vous invite à nouveau : mission{title}{when}.",
                "Vous êtes invité·e à nouveau : mission{title}{org}{when}.",
            ),
            (
                "Merci de confirmer ou de refuser avant le {deadline} ; ensuite, l'invitation expire.",
                "Merci de confirmer ou de refuser rapidement.",
            ),
        ),
    },
    "offer_made": {
        "participant": _w(
            "Une offre pour vous{topic}",
            "Vous avez une offre pour la mission{title}{org}{when}.",
            (
                "Merci de confirmer ou de refuser avant le {deadline} ; ensuite, l'offre expire.",
                "Merci de confirmer ou de refuser rapidement.",
            ),
        ),
    },
    "application_rejected": {
        "participant": _w(
            "Candidature non retenue{topic}",
            "Votre candidature pour la mission{title}{org}{when} n'a pas été retenue cette fois.",
            "D'autres missions vous attendent sous « Missions ».",
        ),
    },
    "offer_confirmed": {
        "employer": _w(
            "Créneau confirmé{topic}",
            "{Who} a confirmé la mission{title}{when}.",
            "Vous voyez maintenant son nom complet et son numéro de téléphone.",
        ),
    },
    "offer_declined": {
        "employer": _w(
            "Offre refusée{topic}",
            "{Who} a refusé votre offre pour la mission{title}{when}.",
            "La place est de nouveau libre ; vous pouvez la proposer à une autre personne.",
        ),
    },
    "offer_expired": {
        "participant": _w(
            "Offre expirée{topic}",
            "L'offre pour la mission{title}{org}{when} a expiré faute de réponse.",
            "D'autres missions vous attendent sous « Missions ».",
        ),
        "employer": _w(
            "Offre expirée{topic}",
            "L'offre pour la mission{title}{when} a expiré sans réponse.",
            "La place est de nouveau libre ; vous pouvez la proposer à une autre personne.",
        ),
    },
    "application_cancelled": {
        "participant": _w(
            "Mission annulée{topic}",
            (
                "{org_name} a annulé votre mission{title}{when}.",
                "L'employeur a annulé votre mission{title}{when}.",
            ),
        ),
        "employer": _w(
            "Créneau annulé{topic}", "{Who} a annulé la mission{title}{when}.", "La place est de nouveau libre."
        ),
    },
    "shift_cancelled": {
        "participant": _w(
            "Mission annulée{topic}",
            (
                "{org_name} a annulé la mission{title}{when}.",
                "L'employeur a annulé la mission{title}{when}.",
            ),
            "D'autres missions vous attendent sous « Missions ».",
        ),
    },
    "shift_reminder": {
        "participant": _w(
            "Rappel{topic}",
            "Rappel : votre mission{title}{org}{when}.",
            "Si vous ne pouvez pas venir, annulez le plus tôt possible.",
        ),
    },
    "hours_submitted": {
        "participant": _w(
            "Heures à vérifier{topic}",
            (
                "{org_name} a saisi vos heures pour la mission{title}{when}.",
                "L'employeur a saisi vos heures pour la mission{title}{when}.",
            ),
            "Merci de les valider ou de les contester dans les 72 heures ; sans réponse, elles sont validées.",
        ),
    },
    "payslip_issued": {
        "participant": _w(
            "Votre fiche de salaire est prête",
            "Votre fiche de salaire est prête.",
            "Vous la trouverez sous « Salaire », aussi en PDF.",
        ),
    },
    # papers for the next step
    "reference_written": {
        "participant": _w(
            "Nouvelle référence{topic}",
            (
                "{org_name} vous a écrit une référence pour la mission{title}{when}.",
                "L'entreprise vous a écrit une référence pour la mission{title}{when}.",
            ),
            "Sous « Documents », vous décidez si elle figure dans votre attestation de travail.",
        ),
    },
    "hours_approved": {
        "participant": _w(
            "Heures validées{topic}",
            "Les heures de votre mission{title}{org}{when} sont validées.",
            "Le salaire figurera sur votre prochaine fiche de salaire.",
        ),
        "employer": _w(
            "Heures validées{topic}",
            "Les heures de la mission{title}{when} sont validées.",
            "Vous pouvez maintenant évaluer la personne.",
        ),
    },
    "hours_disputed": {
        "employer": _w(
            "Heures contestées{topic}",
            "{Who} a contesté les heures saisies pour la mission{title}{when}.",
            "La direction du programme va clarifier les heures.",
        ),
        "staff": _w(
            ("Heures contestées : {name}", "Heures contestées{topic}"),
            "{Who} a contesté les heures saisies pour la mission{title}{org}{when}.",
            "Merci de clarifier les heures avec l'employeur et de les fixer.",
        ),
    },
    "no_show": {
        "staff": _w(
            ("Absence : {name}", "Absence{topic}"),
            "{Who} ne s'est pas présenté·e à la mission{title}{org}{when}.",
            "Un entretien peut aider à en comprendre la raison.",
        ),
    },
    "late_cancellation": {
        "staff": _w(
            ("Annulation tardive : {name}", "Annulation tardive{topic}"),
            "{Who} a annulé la mission{title}{org}{when} moins de 24 heures à l'avance.",
        ),
    },
    # ---- the step to a regular job (issue 19)
    "regular_offer_made": {
        "participant": _w(
            ("Offre d'emploi de {org_name}", "Une offre d'emploi pour vous"),
            (
                "{org_name} vous propose le poste{position}, à partir du {start_day}.",
                "Un employeur vous propose le poste{position}.",
            ),
            "Sous « Offres d'emploi », vous pouvez l'accepter ou la refuser.",
        ),
        "staff": _w(
            ("Offre d'emploi pour {name}", "Offre d'emploi"),
            (
                "{Who} a reçu une offre d'emploi{position}{org}, à partir du {start_day}.",
                "{Who} a reçu une offre d'emploi{position}{org}.",
            ),
            "Vous serez informé·e dès que la personne répond.",
        ),
    },
    "regular_offer_accepted": {
        "employer": _w(
            ("Offre d'emploi acceptée : {position_title}", "Offre d'emploi acceptée"),
            (
                "{Who} a accepté votre offre d'emploi{position} et commence le {start_day}.",
                "{Who} a accepté votre offre d'emploi{position}.",
            ),
        ),
        "staff": _w(
            ("Poste accepté : {name}", "Poste accepté"),
            (
                "{Who} a accepté l'offre d'emploi{position}{org} et commence le {start_day}.",
                "{Who} a accepté l'offre d'emploi{position}{org}.",
            ),
            "La sortie avec le résultat « emploi régulier » est enregistrée à la date d'entrée en fonction.",
        ),
    },
    "regular_offer_declined": {
        "employer": _w(
            ("Offre d'emploi refusée : {position_title}", "Offre d'emploi refusée"),
            "{Who} a refusé votre offre d'emploi{position}.",
        ),
        "staff": _w(
            ("Offre d'emploi refusée : {name}", "Offre d'emploi refusée"),
            "{Who} a refusé l'offre d'emploi{position}{org}.",
            "Un entretien peut aider à en comprendre les raisons.",
        ),
    },
    "regular_offer_withdrawn": {
        "participant": _w(
            ("Offre d'emploi retirée : {position_title}", "Offre d'emploi retirée"),
            (
                "{org_name} a retiré l'offre d'emploi{position}.",
                "L'employeur a retiré l'offre d'emploi{position}.",
            ),
        ),
    },
}

_EN: dict[str, dict[str, _Wording]] = {
    "enrolled": {
        "participant": _w(
            "Welcome to Tremplin",
            "You are now enrolled in Tremplin.",
            "Please read in your profile how we use your data and give your consent.",
            "Then you can apply for shifts.",
        ),
    },
    "consent_given": {
        "staff": _w(
            ("Consent given: {name}", "Consent given"),
            "{Who} gave consent and can now apply for shifts.",
            "You can now suggest jobs to them.",
        ),
        "participant": _w("Thank you for your consent", "You can now apply for shifts."),
    },
    "job_suggested": {
        "participant": _w(
            "Job suggestion{topic}",
            (
                "Your caseworker suggests a job for you: {job_title}{org}.",
                "Your caseworker suggests a job for you{org}.",
            ),
            "Have a look and apply if it suits you.",
        ),
    },
    "application_created": {
        "employer": _w(
            "New application{topic}",
            "A new application arrived for the{title} shift{when}.",
            "Please offer the shift or reject the application.",
        ),
    },
    "application_withdrawn": {
        "employer": _w("Application withdrawn{topic}", "An application for the{title} shift{when} was withdrawn."),
    },
    # favourites
    "invitation_made": {
        "participant": _w(
            "An invitation for you{topic}",
            (
                "{org_name} invites you again: the{title} shift{when}.",
                "You are invited again: the{title} shift{org}{when}.",
            ),
            (
                "Please confirm or decline by {deadline}; after that the invitation expires.",
                "Please confirm or decline soon.",
            ),
        ),
    },
    "offer_made": {
        "participant": _w(
            "An offer for you{topic}",
            "You have an offer for the{title} shift{org}{when}.",
            (
                "Please confirm or decline by {deadline}; after that the offer expires.",
                "Please confirm or decline soon.",
            ),
        ),
    },
    "application_rejected": {
        "participant": _w(
            "Application not chosen{topic}",
            "Your application for the{title} shift{org}{when} was not chosen this time.",
            "You will find more shifts under “Jobs”.",
        ),
    },
    "offer_confirmed": {
        "employer": _w(
            "Shift confirmed{topic}",
            "{Who} confirmed the{title} shift{when}.",
            "You can now see their full name and phone number.",
        ),
    },
    "offer_declined": {
        "employer": _w(
            "Offer declined{topic}",
            "{Who} declined your offer for the{title} shift{when}.",
            "The place is free again; you can offer it to someone else.",
        ),
    },
    "offer_expired": {
        "participant": _w(
            "Offer expired{topic}",
            "The offer for the{title} shift{org}{when} expired without an answer.",
            "You will find more shifts under “Jobs”.",
        ),
        "employer": _w(
            "Offer expired{topic}",
            "The offer for the{title} shift{when} expired without an answer.",
            "The place is free again; you can offer it to someone else.",
        ),
    },
    "application_cancelled": {
        "participant": _w(
            "Shift cancelled{topic}",
            ("{org_name} cancelled your{title} shift{when}.", "The employer cancelled your{title} shift{when}."),
        ),
        "employer": _w("Shift cancelled{topic}", "{Who} cancelled the{title} shift{when}.", "The place is free again."),
    },
    "shift_cancelled": {
        "participant": _w(
            "Shift cancelled{topic}",
            ("{org_name} cancelled the{title} shift{when}.", "The employer cancelled the{title} shift{when}."),
            "You will find more shifts under “Jobs”.",
        ),
    },
    "shift_reminder": {
        "participant": _w(
            "Reminder{topic}",
            "Reminder: your{title} shift{org}{when}.",
            "If you cannot come, please cancel as early as possible.",
        ),
    },
    "hours_submitted": {
        "participant": _w(
            "Hours to check{topic}",
            (
                "{org_name} recorded your hours for the{title} shift{when}.",
                "The employer recorded your hours for the{title} shift{when}.",
            ),
            "Please approve or dispute them within 72 hours; without an answer they count as approved.",
        ),
    },
    "payslip_issued": {
        "participant": _w(
            "Your payslip is ready",
            "Your payslip is ready.",
            "You find it under “Pay”, as a PDF too.",
        ),
    },
    # papers for the next step
    "reference_written": {
        "participant": _w(
            "New reference{topic}",
            (
                "{org_name} wrote you a reference for the{title} shift{when}.",
                "The workplace wrote you a reference for the{title} shift{when}.",
            ),
            "Under “Papers” you decide whether it goes into your work confirmation.",
        ),
    },
    "hours_approved": {
        "participant": _w(
            "Hours approved{topic}",
            "The hours for your{title} shift{org}{when} are approved.",
            "The pay comes with your next payslip.",
        ),
        "employer": _w(
            "Hours approved{topic}",
            "The hours for the{title} shift{when} are approved.",
            "You can now rate the participant.",
        ),
    },
    "hours_disputed": {
        "employer": _w(
            "Hours disputed{topic}",
            "{Who} disputed the hours recorded for the{title} shift{when}.",
            "The programme admin will settle the hours.",
        ),
        "staff": _w(
            ("Hours disputed: {name}", "Hours disputed{topic}"),
            "{Who} disputed the hours recorded for the{title} shift{org}{when}.",
            "Please settle the hours with the employer.",
        ),
    },
    "no_show": {
        "staff": _w(
            ("No-show: {name}", "No-show{topic}"),
            "{Who} did not come to the{title} shift{org}{when}.",
            "A conversation may help to understand why.",
        ),
    },
    "late_cancellation": {
        "staff": _w(
            ("Late cancellation: {name}", "Late cancellation{topic}"),
            "{Who} cancelled the{title} shift{org}{when} less than 24 hours ahead.",
        ),
    },
    # ---- the step to a regular job (issue 19)
    "regular_offer_made": {
        "participant": _w(
            ("Job offer from {org_name}", "A job offer for you"),
            (
                "{org_name} offers you the position{position}, starting on {start_day}.",
                "An employer offers you the position{position}.",
            ),
            "Under “Job offers” you can accept or decline it.",
        ),
        "staff": _w(
            ("Job offer for {name}", "Job offer"),
            (
                "{Who} received a job offer{position}{org}, starting on {start_day}.",
                "{Who} received a job offer{position}{org}.",
            ),
            "You will be told as soon as they answer.",
        ),
    },
    "regular_offer_accepted": {
        "employer": _w(
            ("Job offer accepted: {position_title}", "Job offer accepted"),
            (
                "{Who} accepted your job offer{position} and starts on {start_day}.",
                "{Who} accepted your job offer{position}.",
            ),
        ),
        "staff": _w(
            ("Job accepted: {name}", "Job accepted"),
            (
                "{Who} accepted the job offer{position}{org} and starts on {start_day}.",
                "{Who} accepted the job offer{position}{org}.",
            ),
            "The exit with the outcome “regular employment” is recorded on the start date.",
        ),
    },
    "regular_offer_declined": {
        "employer": _w(
            ("Job offer declined: {position_title}", "Job offer declined"),
            "{Who} declined your job offer{position}.",
        ),
        "staff": _w(
            ("Job offer declined: {name}", "Job offer declined"),
            "{Who} declined the job offer{position}{org}.",
            "A conversation can help to understand why.",
        ),
    },
    "regular_offer_withdrawn": {
        "participant": _w(
            ("Job offer withdrawn: {position_title}", "Job offer withdrawn"),
            (
                "{org_name} withdrew the job offer{position}.",
                "The employer withdrew the job offer{position}.",
            ),
        ),
    },
}

CATALOGUE: dict[str, dict[str, dict[str, _Wording]]] = {"de": _DE, "fr": _FR, "en": _EN}
KINDS: frozenset[str] = frozenset(_DE)

# languages (issue 20): the participants' wordings of tremplin.translations; a reader without one
# in their language (an employer, staff) reads German, as for a language nobody knows.
for _code, _translation in TRANSLATIONS.items():
    _WEEKDAYS[_code] = _translation.weekdays
    _PIECES[_code] = _translation.pieces
    CATALOGUE[_code] = {
        kind: {audience: _w(*wording) for audience, wording in by_audience.items()}
        for kind, by_audience in _translation.wordings.items()
    }

# Who a kind is sent to when the facts do not say (the first recipient the domain logic names).
_USUAL_READER: dict[str, str] = {
    "enrolled": "participant",
    "consent_given": "caseworker",
    "job_suggested": "participant",
    "application_created": "employer",
    "application_withdrawn": "employer",
    "offer_made": "participant",
    "invitation_made": "participant",  # favourites
    "application_rejected": "participant",
    "offer_confirmed": "employer",
    "offer_declined": "employer",
    "offer_expired": "participant",
    "application_cancelled": "participant",
    "shift_cancelled": "participant",
    "shift_reminder": "participant",
    "hours_submitted": "participant",
    "hours_approved": "participant",
    "payslip_issued": "participant",
    "hours_disputed": "employer",
    "no_show": "caseworker",
    "late_cancellation": "caseworker",
    "reference_written": "participant",  # papers for the next step
    "regular_offer_made": "participant",
    "regular_offer_accepted": "employer",
    "regular_offer_declined": "employer",
    "regular_offer_withdrawn": "participant",
}
_AUDIENCE = {"participant": "participant", "employer": "employer", "caseworker": "staff", "admin": "staff"}


def _language(language: str | None) -> str:
    return language if language in CATALOGUE else DEFAULT_LANGUAGE


def _instant(value: Any) -> datetime | None:
    """An ISO 8601 fact as Zurich wall-clock time; None when missing or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:  # the platform writes UTC; a bare time is read as such
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZURICH)


def _format(moment: datetime, language: str) -> str:
    weekday = _WEEKDAYS[_language(language)][moment.weekday()]
    return f"{weekday} {moment:%d.%m.}, {moment:%H:%M}"


def local_time(iso: str, language: str) -> str:
    """An instant as Zurich wall-clock time: "Sa 28.11., 08:00" (de), "sam. 28.11., 08:00" (fr),
    "Sat 28.11., 08:00" (en). Raises ValueError for a string that is not an ISO 8601 time."""
    moment = _instant(iso)
    if moment is None:
        raise ValueError(f"not an ISO 8601 time: {iso!r}")
    return _format(moment, language)


def _span(starts: datetime, ends: datetime | None, language: str) -> str:
    """The shift's local day and times, start and end joined by an en dash; a shift past
    midnight names both days."""
    text = _format(starts, language)
    if ends is None or ends <= starts:
        return text
    if ends.date() == starts.date():
        return f"{text}{_DASH}{ends:%H:%M}"
    return f"{text} {_DASH} {_format(ends, language)}"


def _fact(facts: Mapping[str, Any], key: str) -> str | None:
    value = facts.get(key)
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _values(language: str, audience: str, facts: Mapping[str, Any]) -> dict[str, str | None]:
    pieces = _PIECES[language]
    title = _fact(facts, "job_title")
    org = _fact(facts, "org_name")
    starts = _instant(facts.get("starts_at"))
    deadline = _instant(facts.get("offer_expires_at"))
    # A participant's name reaches only the programme's staff, never an employer's inbox.
    name = _fact(facts, "participant_name") if audience == "staff" else None
    who = name or pieces["who"]
    start = _format(starts, language) if starts else None
    topic = ", ".join(part for part in (title, start) if part)
    position = _fact(facts, "position_title")  # offers of regular employment
    start_day = _day(facts.get("start_date"))
    return {
        "title": pieces["title"].format(title) if title else "",
        "org": pieces["org"].format(org) if org else "",
        "when": pieces["when"].format(_span(starts, _instant(facts.get("ends_at")), language)) if starts else "",
        "topic": pieces["topic"].format(topic) if topic else "",
        "who": who,
        "Who": who[:1].upper() + who[1:],
        "job_title": title,
        "org_name": org,
        "start": start,
        "deadline": _format(deadline, language) if deadline else None,
        "name": name,
        "position": pieces["title"].format(position) if position else "",
        "position_title": position,
        "start_day": start_day,
    }


def _day(value: Any) -> str | None:
    """A date (YYYY-MM-DD) as the Swiss write it: 01.02.2027."""
    try:
        return date.fromisoformat(str(value)).strftime("%d.%m.%Y") if value else None
    except ValueError:
        return None


@cache
def _fields(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _fill(template: Template, values: Mapping[str, str | None]) -> str:
    """The first alternative whose facts are all known, filled in; "" when none is."""
    for alternative in (template,) if isinstance(template, str) else template:
        if all(values.get(name) is not None for name in _fields(alternative)):
            return alternative.format_map(values)
    return ""


def _route(kind: str, role: str, facts: Mapping[str, Any]) -> str:
    """The hash route of the screen where this reader acts (web/assets/views/<role>.js)."""

    def ref(key: str) -> str | None:
        value = _fact(facts, key)
        return quote(value, safe="") if value else None

    participant, job, shift = ref("participant_id"), ref("job_id"), ref("shift_id")
    if kind.startswith("regular_offer_") and role in ("participant", "employer"):
        return "/regular-offers"  # where they answer or follow their offers of regular employment
    if role == "participant":
        if kind == "enrolled":
            return "/profile"  # where the consent is given
        if kind == "consent_given":
            return "/jobs"
        if kind == "job_suggested":
            return f"/jobs/{job}" if job else "/jobs"
        if kind in ("hours_approved", "payslip_issued"):
            return "/pay"
        if kind == "reference_written":
            return "/papers"  # where the participant includes it in the work confirmation
        return "/applications"  # offers, hours to check, cancellations: the application cards
    if role == "employer":
        if shift:
            return f"/shifts/{shift}"  # the shift's applicants: offer, reject, hours, no-show, rating
        return f"/jobs/{job}" if job else "/jobs"
    # Caseworkers and admins act on the participant's screen (activity, suggestions, exit).
    return f"/participants/{participant}" if participant else "/participants"


def render(kind: str, language: str | None, facts: Mapping[str, Any], web_url: str = "") -> Rendered:
    """The message of `kind` for one reader, in `language` (German when unknown).

    Raises KeyError for an unknown kind."""
    if kind not in KINDS:
        raise KeyError(kind)
    lang = _language(language)
    role = str(facts.get("recipient_role") or "")
    if role not in _AUDIENCE:
        role = _USUAL_READER[kind]
    if _AUDIENCE[role] not in CATALOGUE[lang].get(kind, {}) and lang in TRANSLATIONS:
        lang = DEFAULT_LANGUAGE
    wordings = CATALOGUE[lang][kind]
    wording = wordings.get(_AUDIENCE[role]) or next(iter(wordings.values()))
    values = _values(lang, _AUDIENCE[role], facts)
    subject = _fill(wording.subject, values) or "Tremplin"
    text = " ".join(sentence for sentence in (_fill(t, values) for t in wording.text) if sentence)
    return Rendered(subject=subject, text=text, link=f"{web_url.rstrip('/')}/#{_route(kind, role, facts)}")


# ---------------------------------------------------------------- calendar feed (issue 20)

# The feed's name and the word before a cancelled shift's title; German for other languages.
_CALENDAR_WORDS: dict[str, dict[str, str]] = {
    "de": {"name": "Meine Einsätze", "cancelled": "Abgesagt"},
    "fr": {"name": "Mes missions", "cancelled": "Annulé"},
    "en": {"name": "My shifts", "cancelled": "Cancelled"},
}


def calendar_words(language: str | None) -> dict[str, str]:
    return _CALENDAR_WORDS.get(language or "", _CALENDAR_WORDS[DEFAULT_LANGUAGE])
