"""Simple German (Einfache Sprache): participants' inbox messages and payslips
(tremplin.translations). Short sentences, one statement each, common words.

Unreviewed: machine translation, no native speaker has reviewed it.
"""

REVIEWED = False

PIECES = {"title": " «{}»", "org": " bei {}", "when": " am {}", "topic": ": {}", "who": "die Person"}

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")

WORDINGS = {
    "enrolled": {
        "participant": (
            "Willkommen bei Tremplin",
            "Sie sind jetzt bei Tremplin.",
            "Bitte öffnen Sie Ihr Profil. Dort steht, was wir mit Ihren Daten machen. Bitte sagen Sie Ja dazu.",
            "Dann können Sie sich für Arbeit melden.",
        ),
    },
    "consent_given": {
        "participant": ("Danke für Ihr Ja", "Sie können sich jetzt für Arbeit melden."),
    },
    "job_suggested": {
        "participant": (
            "Ein Job für Sie{topic}",
            (
                "Ihre Sozialarbeiterin oder Ihr Sozialarbeiter hat einen Job für Sie: {job_title}{org}.",
                "Ihre Sozialarbeiterin oder Ihr Sozialarbeiter hat einen Job für Sie{org}.",
            ),
            "Schauen Sie den Job an. Passt er? Dann melden Sie sich.",
        ),
    },
    "invitation_made": {
        "participant": (
            "Sie sind eingeladen{topic}",
            (
                "{org_name} lädt Sie wieder ein. Zur Arbeit{title}{when}.",
                "Sie sind wieder eingeladen. Zur Arbeit{title}{org}{when}.",
            ),
            (
                "Bitte sagen Sie Ja oder Nein bis {deadline}. Danach gilt die Einladung nicht mehr.",
                "Bitte sagen Sie bald Ja oder Nein.",
            ),
        ),
    },
    "offer_made": {
        "participant": (
            "Sie bekommen die Arbeit{topic}",
            "Sie können die Arbeit{title}{org}{when} machen.",
            (
                "Bitte sagen Sie Ja oder Nein bis {deadline}. Danach gilt das Angebot nicht mehr.",
                "Bitte sagen Sie bald Ja oder Nein.",
            ),
        ),
    },
    "application_rejected": {
        "participant": (
            "Diesmal nicht{topic}",
            "Sie bekommen die Arbeit{title}{org}{when} diesmal nicht.",
            "Mehr Arbeit finden Sie unter «Jobs».",
        ),
    },
    "offer_expired": {
        "participant": (
            "Angebot vorbei{topic}",
            "Sie haben nicht geantwortet. Das Angebot für die Arbeit{title}{org}{when} gilt nicht mehr.",
            "Mehr Arbeit finden Sie unter «Jobs».",
        ),
    },
    "application_cancelled": {
        "participant": (
            "Arbeit abgesagt{topic}",
            (
                "{org_name} hat Ihre Arbeit{title}{when} abgesagt.",
                "Die Firma hat Ihre Arbeit{title}{when} abgesagt.",
            ),
        ),
    },
    "shift_cancelled": {
        "participant": (
            "Arbeit abgesagt{topic}",
            (
                "{org_name} hat die Arbeit{title}{when} abgesagt.",
                "Die Firma hat die Arbeit{title}{when} abgesagt.",
            ),
            "Mehr Arbeit finden Sie unter «Jobs».",
        ),
    },
    "shift_reminder": {
        "participant": (
            "Nicht vergessen{topic}",
            "Nicht vergessen: Ihre Arbeit{title}{org}{when}.",
            "Sie können nicht kommen? Dann sagen Sie bitte sofort ab.",
        ),
    },
    "hours_submitted": {
        "participant": (
            "Bitte Stunden prüfen{topic}",
            (
                "{org_name} hat Ihre Stunden für die Arbeit{title}{when} eingetragen.",
                "Die Firma hat Ihre Stunden für die Arbeit{title}{when} eingetragen.",
            ),
            "Bitte prüfen Sie die Stunden in 72 Stunden. Stimmen sie? Dann sagen Sie Ja. Sonst sagen Sie Nein. "
            "Sagen Sie nichts, gelten die Stunden als richtig.",
        ),
    },
    "payslip_issued": {
        "participant": (
            "Ihre Lohnabrechnung ist da",
            "Ihre Lohnabrechnung ist da.",
            "Sie finden sie unter «Lohn». Auch als PDF.",
        ),
    },
    "reference_written": {
        "participant": (
            "Neue Referenz{topic}",
            (
                "{org_name} hat eine Referenz über Sie geschrieben. Für die Arbeit{title}{when}.",
                "Die Firma hat eine Referenz über Sie geschrieben. Für die Arbeit{title}{when}.",
            ),
            "Unter «Unterlagen» entscheiden Sie: Kommt sie in Ihre Arbeitsbestätigung?",
        ),
    },
    "hours_approved": {
        "participant": (
            "Stunden sind gut{topic}",
            "Die Stunden für Ihre Arbeit{title}{org}{when} sind jetzt bestätigt.",
            "Den Lohn bekommen Sie mit der nächsten Lohnabrechnung.",
        ),
    },
    "regular_offer_made": {
        "participant": (
            ("Feste Stelle von {org_name}", "Eine feste Stelle für Sie"),
            (
                "{org_name} bietet Ihnen eine feste Stelle an{position}. Beginn: {start_day}.",
                "Eine Firma bietet Ihnen eine feste Stelle an{position}.",
            ),
            "Unter «Stellenangebote» sagen Sie Ja oder Nein.",
        ),
    },
    "regular_offer_withdrawn": {
        "participant": (
            ("Stelle zurückgezogen: {position_title}", "Stelle zurückgezogen"),
            (
                "{org_name} hat das Angebot zurückgezogen{position}.",
                "Die Firma hat das Angebot zurückgezogen{position}.",
            ),
        ),
    },
}

PAYSLIP = {
    "title": "Lohnabrechnung",
    "employer": "Arbeitgeber: Tremplin - Programm für kurze Arbeits-Einsätze",
    "name": "Name",
    "payslip_id": "Nummer",
    "work_month": "Monat der Arbeit",
    "payout_date": "Sie bekommen das Geld am",
    "amounts": "Geld in Franken (CHF)",
    "date": "Datum",
    "company": "Firma",
    "hours": "Stunden",
    "base": "Lohn",
    "public_holiday": "Feiertage",
    "holiday": "Ferien",
    "thirteenth_month": "13. Monatslohn",
    "gross": "Brutto",
    "compensation": "Entschädigung",
    "total_hours": "Alle Stunden",
    "total_gross": "Lohn vor Abzügen (Brutto)",
    "deductions": "Abzüge",
    "ahv_iv_eo": "AHV/IV/EO (Rente)",
    "alv": "ALV (Arbeitslosen-Versicherung)",
    "nbu": "NBU (Unfall in der Freizeit)",
    "ktg": "KTG (Geld bei Krankheit)",
    "gav": "GAV (Beitrag Gesamtarbeitsvertrag)",
    "bvg": "BVG (Pensionskasse)",
    "total_deductions": "Alle Abzüge",
    "net": "Lohn nach Abzügen (Netto)",
    "withholding_tax": (
        "Quellensteuer: Sie steht nicht auf dieser Abrechnung. Sie bekommen dafür eine eigene Abrechnung."
    ),
    "page": "Seite",
}
