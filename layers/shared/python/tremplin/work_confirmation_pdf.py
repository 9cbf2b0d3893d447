"""A work confirmation (Arbeitsbestätigung, Swiss Code of Obligations art. 330a para. 2) as a PDF.

Art. 330a para. 2 OR: at the worker's request the confirmation states only the kind and the
duration of the work, no judgement of its quality or of the worker's conduct. So it holds the
employer (the programme, in the payslip's neutral words), who, the period, each organisation
worked for with the kinds of work, the dates and the hours, and nothing else: no ratings, no
pay, and no word that would tell a reader the holder draws social assistance. A reference an
organisation wrote is printed only when the participant chose to include it (their choice, as
art. 330a leaves the fuller reference to the worker). A verification code and the address that
checks it close the page; the same input always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from tremplin.models.languages import BASE_CODES
from tremplin.payslip_pdf import DEFAULT_LANGUAGE, FootedPages, day, latin1

LANGUAGES = BASE_CODES  # a paper for future employers: in a national language or English

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Arbeitsbestätigung",
        "employer": "Arbeitgeber: Tremplin - Programm für Kurzeinsätze",
        "law": "Arbeitsbestätigung nach Art. 330a Abs. 2 OR: Art und Dauer der Arbeit.",
        "name": "Name",
        "date_of_birth": "Geburtsdatum",
        "period": "Zeitraum",
        "issued_on": "Ausgestellt am",
        "statement": "{name} hat im Zeitraum vom {start} bis {end} die folgenden Arbeitseinsätze geleistet.",
        "nothing": "{name} hat im Zeitraum vom {start} bis {end} keine Arbeitseinsätze geleistet.",
        "company": "Einsatzbetrieb",
        "kinds": "Art der Arbeit",
        "date": "Datum",
        "work": "Tätigkeit",
        "hours": "Stunden",
        "subtotal": "Stunden bei diesem Einsatzbetrieb",
        "reference": "Referenz des Einsatzbetriebs",
        "total": "Total: {shifts} Einsätze an {days} Tagen, {hours} Stunden.",
        "verify": "Echtheit prüfen: Code {code} unter {url}",
        "page": "Seite",
    },
    "fr": {
        "title": "Attestation de travail",
        "employer": "Employeur : Tremplin - Programme d'emplois de courte durée",
        "law": "Attestation de travail selon l'art. 330a al. 2 CO : nature et durée des rapports de travail.",
        "name": "Nom",
        "date_of_birth": "Date de naissance",
        "period": "Période",
        "issued_on": "Établie le",
        "statement": "{name} a effectué les missions suivantes du {start} au {end}.",
        "nothing": "{name} n'a effectué aucune mission du {start} au {end}.",
        "company": "Entreprise",
        "kinds": "Nature du travail",
        "date": "Date",
        "work": "Activité",
        "hours": "Heures",
        "subtotal": "Heures dans cette entreprise",
        "reference": "Référence de l'entreprise",
        "total": "Total : {shifts} missions sur {days} jours, {hours} heures.",
        "verify": "Vérifier l'authenticité : code {code} sur {url}",
        "page": "Page",
    },
    "en": {
        "title": "Work confirmation",
        "employer": "Employer: Tremplin - Short-term work programme",
        "law": (
            "Work confirmation under art. 330a para. 2 of the Swiss Code of Obligations: kind and duration of the work."
        ),
        "name": "Name",
        "date_of_birth": "Date of birth",
        "period": "Period",
        "issued_on": "Issued on",
        "statement": "{name} did the following work from {start} to {end}.",
        "nothing": "{name} did no work from {start} to {end}.",
        "company": "Workplace",
        "kinds": "Kind of work",
        "date": "Date",
        "work": "Work",
        "hours": "Hours",
        "subtotal": "Hours at this workplace",
        "reference": "Reference from the workplace",
        "total": "Total: {shifts} assignments on {days} days, {hours} hours.",
        "verify": "Check that it is genuine: code {code} at {url}",
        "page": "Page",
    },
}

# Job categories (tremplin.models.jobs.Category) as a reader names the kind of work.
KINDS: dict[str, dict[str, str]] = {
    "de": {
        "cleaning": "Reinigung",
        "gardening": "Garten- und Grünpflege",
        "kitchen": "Küche",
        "logistics": "Logistik und Lager",
        "retail": "Detailhandel",
        "events": "Veranstaltungen",
        "care": "Betreuung",
        "construction": "Bau",
        "office": "Büro",
        "delivery": "Zustellung",
        "other": "Weitere Arbeiten",
    },
    "fr": {
        "cleaning": "Nettoyage",
        "gardening": "Jardinage et espaces verts",
        "kitchen": "Cuisine",
        "logistics": "Logistique et entrepôt",
        "retail": "Commerce de détail",
        "events": "Événements",
        "care": "Accompagnement",
        "construction": "Construction",
        "office": "Bureau",
        "delivery": "Livraison",
        "other": "Autres travaux",
    },
    "en": {
        "cleaning": "Cleaning",
        "gardening": "Gardening and grounds",
        "kitchen": "Kitchen",
        "logistics": "Logistics and warehouse",
        "retail": "Retail",
        "events": "Events",
        "care": "Care",
        "construction": "Construction",
        "office": "Office",
        "delivery": "Delivery",
        "other": "Other work",
    },
}

_HEADINGS = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))


def language_of(wanted: str | None) -> str:
    return wanted if wanted in TEXTS else DEFAULT_LANGUAGE


def kind_name(category: str, language: str) -> str:
    names = KINDS[language_of(language)]
    return names.get(category, names["other"])


def render(paper: Mapping[str, Any], *, language: str) -> bytes:
    """The confirmation as PDF bytes. `paper`: name, date_of_birth (or None), start, end,
    issued_at, code, verify_url, hours, days, shifts, employers [{name, kinds, shifts [{date,
    title, hours}], hours, references [text]}]; dates ISO, hours decimal strings."""
    language = language_of(language)
    text = TEXTS[language]
    pdf = FootedPages(f"{text['title']} - {paper['code']}", text["page"])
    pdf.set_creation_date(datetime.fromisoformat(paper["issued_at"]).astimezone(UTC))
    pdf.set_title(latin1(text["title"]))
    pdf.set_author("Tremplin")
    pdf.set_lang(language)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, latin1(text["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, latin1(text["employer"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    pdf.multi_cell(0, 4, latin1(text["law"]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", size=10)
    facts = [(text["name"], paper["name"])]
    if paper.get("date_of_birth"):
        facts.append((text["date_of_birth"], day(paper["date_of_birth"])))
    facts += [
        (text["period"], f"{day(paper['start'])} - {day(paper['end'])}"),
        (text["issued_on"], day(paper["issued_at"][:10])),
    ]
    for label, value in facts:
        pdf.cell(45, 6, latin1(label))
        pdf.cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    words = {"name": paper["name"], "start": day(paper["start"]), "end": day(paper["end"])}
    employers: Sequence[Mapping[str, Any]] = paper["employers"]
    pdf.multi_cell(
        0, 6, latin1(text["statement" if employers else "nothing"].format(**words)), new_x="LMARGIN", new_y="NEXT"
    )
    for employer in employers:
        pdf.ln(3)
        _employer(pdf, text, language, employer)
    if employers:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 10)
        total = text["total"].format(shifts=paper["shifts"], days=paper["days"], hours=paper["hours"])
        pdf.multi_cell(0, 6, latin1(total), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", size=9)
    verify = text["verify"].format(code=paper["code"], url=paper["verify_url"])
    pdf.multi_cell(0, 5, latin1(verify), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _employer(pdf: FPDF, text: Mapping[str, str], language: str, employer: Mapping[str, Any]) -> None:
    """One organisation: its name, the kinds of work, a row per shift, its hours, the
    references the participant included."""
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, latin1(f"{text['company']}: {employer['name']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    kinds = ", ".join(kind_name(k, language) for k in employer["kinds"])
    pdf.multi_cell(0, 6, latin1(f"{text['kinds']}: {kinds}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    with pdf.table(
        col_widths=(25, 130, 25),
        text_align=("LEFT", "LEFT", "RIGHT"),
        headings_style=_HEADINGS,
        line_height=5,
        padding=1,
        repeat_headings=1,
    ) as table:
        table.row([latin1(text[key]) for key in ("date", "work", "hours")])
        for shift in employer["shifts"]:
            table.row([day(shift["date"]), latin1(shift["title"]), str(shift["hours"])])
    pdf.set_font("Helvetica", size=10)
    pdf.cell(155, 6, latin1(text["subtotal"]))
    pdf.cell(25, 6, str(employer["hours"]), align="R", new_x="LMARGIN", new_y="NEXT")
    for reference in employer.get("references") or []:
        pdf.ln(1)
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(0, 5, latin1(text["reference"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(0, 5, latin1(reference), new_x="LMARGIN", new_y="NEXT")
