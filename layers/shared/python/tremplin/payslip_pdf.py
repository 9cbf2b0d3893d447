"""A payslip as a PDF, in the participant's language, made like any employer's payslip.

The employer named is the programme, in neutral words: a payslip shown to a landlord or a
future employer must not reveal that its holder draws social assistance, so the office's
figures (income allowance, counted income) stay off it too. Latin-script languages use core
Helvetica, which only knows latin-1, so their texts go through `latin1`; other scripts (Arabic,
...) use a Unicode font from the PDF layer (tremplin.pdf_fonts). The creation date comes from the
payout date: the same payslip always gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from tremplin import pdf_fonts
from tremplin.models.languages import BY_CODE
from tremplin.pay import DEDUCTIONS
from tremplin.translations import TRANSLATIONS

DEFAULT_LANGUAGE = "de"

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Lohnabrechnung",
        "employer": "Arbeitgeber: Tremplin - Programm für Kurzeinsätze",
        "name": "Name",
        "payslip_id": "Abrechnung Nr.",
        "work_month": "Arbeitsmonat",
        "payout_date": "Auszahlungsdatum",
        "amounts": "Beträge in CHF",
        "date": "Datum",
        "company": "Einsatzbetrieb",
        "hours": "Stunden",
        "base": "Grundlohn",
        "public_holiday": "Feiertage",
        "holiday": "Ferien",
        "thirteenth_month": "13. Monatslohn",
        "gross": "Brutto",
        "compensation": "Entschädigung",
        "total_hours": "Total Stunden",
        "total_gross": "Bruttolohn",
        "deductions": "Abzüge",
        "ahv_iv_eo": "AHV/IV/EO",
        "alv": "ALV",
        "nbu": "NBU (Nichtberufsunfall)",
        "ktg": "KTG (Krankentaggeld)",
        "gav": "GAV (Vollzugskosten)",
        "bvg": "BVG (Pensionskasse)",
        "total_deductions": "Total Abzüge",
        "net": "Nettolohn",
        "withholding_tax": "Quellensteuer: Sie wird auf dieser Lohnabrechnung nicht berechnet und separat abgerechnet.",
        "page": "Seite",
    },
    "fr": {
        "title": "Fiche de salaire",
        "employer": "Employeur : Tremplin - Programme d'emplois de courte durée",
        "name": "Nom",
        "payslip_id": "Fiche n°",
        "work_month": "Mois de travail",
        "payout_date": "Date de paiement",
        "amounts": "Montants en CHF",
        "date": "Date",
        "company": "Entreprise",
        "hours": "Heures",
        "base": "Salaire de base",
        "public_holiday": "Jours fériés",
        "holiday": "Vacances",
        "thirteenth_month": "13e salaire",
        "gross": "Brut",
        "compensation": "indemnité",
        "total_hours": "Total des heures",
        "total_gross": "Salaire brut",
        "deductions": "Déductions",
        "ahv_iv_eo": "AVS/AI/APG",
        "alv": "AC",
        "nbu": "AANP (accidents non professionnels)",
        "ktg": "IJM (indemnités journalières maladie)",
        "gav": "CCT (frais d'exécution)",
        "bvg": "LPP (prévoyance professionnelle)",
        "total_deductions": "Total des déductions",
        "net": "Salaire net",
        "withholding_tax": (
            "Impôt à la source : il n'est pas calculé sur cette fiche de salaire et est décompté séparément."
        ),
        "page": "Page",
    },
    "en": {
        "title": "Payslip",
        "employer": "Employer: Tremplin - Short-term work programme",
        "name": "Name",
        "payslip_id": "Payslip no.",
        "work_month": "Work month",
        "payout_date": "Payout date",
        "amounts": "Amounts in CHF",
        "date": "Date",
        "company": "Workplace",
        "hours": "Hours",
        "base": "Base pay",
        "public_holiday": "Public holidays",
        "holiday": "Holidays",
        "thirteenth_month": "13th month",
        "gross": "Gross",
        "compensation": "compensation",
        "total_hours": "Total hours",
        "total_gross": "Gross pay",
        "deductions": "Deductions",
        "ahv_iv_eo": "AHV/IV/EO (old age, disability, income compensation)",
        "alv": "ALV (unemployment insurance)",
        "nbu": "NBU (non-occupational accident insurance)",
        "ktg": "KTG (daily sickness allowance insurance)",
        "gav": "GAV (collective agreement contribution)",
        "bvg": "BVG (occupational pension)",
        "total_deductions": "Total deductions",
        "net": "Net pay",
        "withholding_tax": "Withholding tax: it is not computed on this payslip and is settled separately.",
        "page": "Page",
    },
}

# languages (issue 20): the participants' languages beyond de/fr/en (tremplin.translations)
TEXTS.update({code: translation.payslip for code, translation in TRANSLATIONS.items()})

_AMOUNTS = ("base", "public_holiday", "holiday", "thirteenth_month", "gross")
_SIMILAR = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "Ł": "L", "ł": "l"}
)
_HEADINGS = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))


def latin1(text: str) -> str:
    """`text` as core PDF fonts can show it: accents kept where latin-1 has them, stripped where
    it does not (NFKD), anything else "?" rather than a crash on a name like "Tesfay ተስፋይ"."""
    out = []
    for char in text.translate(_SIMILAR):
        if ord(char) < 256:
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) < 256 and not unicodedata.combining(c))
        out.append(base or "?")
    return "".join(out)


def day(iso_date: str) -> str:
    """ "2026-11-14" -> "14.11.2026"."""
    return date.fromisoformat(iso_date).strftime("%d.%m.%Y")


def month(iso_month: str) -> str:
    """ "2026-11" -> "11.2026"."""
    return date.fromisoformat(f"{iso_month}-01").strftime("%m.%Y")


class FootedPages(FPDF):
    """A4 with `footer` and the page number at every foot, so a page that went astray says where
    it belongs (payslips; work confirmations, whose footer holds the verification code)."""

    family = "Helvetica"  # core; `use_script` sets a Unicode font for other scripts
    rtl = False  # Arabic: the page mirrors, labels at the right edge

    @property
    def start(self) -> str:
        """The side lines of text start from: "L", or "R" right to left."""
        return "R" if self.rtl else "L"

    def __init__(self, footer: str, page_word: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer = footer
        self._page_word = page_word

    def use_script(self, script: str) -> None:
        """Texts in `script` from here on: core Helvetica for Latin, else its Unicode font."""
        font = pdf_fonts.for_script(script)
        if font is None:
            return
        self.family = "Script"
        for style in ("", "B"):  # regular only ships (layer size): bold text is set in it too
            self.add_font("Script", style, str(font))
        self.set_text_shaping(True)  # joined letters, right-to-left runs (uharfbuzz)

    def text_of(self, text: str) -> str:
        """`text` as the current font can show it."""
        return latin1(text) if self.family == "Helvetica" else text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, size=8)
        footer, page = self.text_of(self._footer), self.text_of(self._page_word)
        self.cell(0, 5, f"{footer} - {page} {self.page_no()}/{{nb}}", align="C")


def render(payslip: Mapping[str, Any], *, language: str, name: str, withholding_tax: bool) -> bytes:
    """The payslip as PDF bytes; an unknown `language` gives the German payslip."""
    known = BY_CODE[language if language in TEXTS else DEFAULT_LANGUAGE]
    text = TEXTS[known.code]
    pdf = FootedPages(f"{text['title']} {payslip['payslip_id']}", text["page"])
    pdf.use_script(known.script)
    pdf.rtl = known.direction == "rtl"
    pdf.set_creation_date(datetime.fromisoformat(payslip["payout_date"]).replace(tzinfo=UTC))
    pdf.set_title(pdf.text_of(f"{text['title']} {month(payslip['work_month'])}"))
    pdf.set_author("Tremplin")
    pdf.set_lang(known.html_lang)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()

    pdf.set_font(pdf.family, "B", 16)
    pdf.cell(0, 9, pdf.text_of(text["title"]), align=pdf.start, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, size=10)
    pdf.cell(0, 6, pdf.text_of(text["employer"]), align=pdf.start, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, value in (
        (text["name"], name),
        (text["payslip_id"], payslip["payslip_id"]),
        (text["work_month"], month(payslip["work_month"])),
        (text["payout_date"], day(payslip["payout_date"])),
    ):
        if pdf.rtl:  # the label at the right edge, its value to the left of it
            pdf.cell(pdf.w - pdf.l_margin - pdf.r_margin - 45, 6, pdf.text_of(str(value)), align="R")
            pdf.cell(45, 6, pdf.text_of(label), align="R", new_x="LMARGIN", new_y="NEXT")
            continue
        pdf.cell(45, 6, pdf.text_of(label))
        pdf.cell(0, 6, pdf.text_of(str(value)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    _lines(pdf, text, payslip["lines"])
    pdf.ln(4)
    _totals(pdf, text, payslip)
    if withholding_tax:
        pdf.ln(4)
        pdf.set_font(pdf.family, size=9)
        pdf.multi_cell(
            0, 5, pdf.text_of(text["withholding_tax"]), align="R" if pdf.rtl else "J", new_x="LMARGIN", new_y="NEXT"
        )
    return bytes(pdf.output())


def _lines(pdf: FootedPages, text: Mapping[str, str], lines: list[Mapping[str, Any]]) -> None:
    """One row per shift; fpdf repeats the heading row on every page the table runs onto."""
    pdf.set_font(pdf.family, size=8)
    pdf.cell(0, 5, pdf.text_of(text["amounts"]), align=pdf.start, new_x="LMARGIN", new_y="NEXT")
    order = reversed if pdf.rtl else list  # right to left, the date column is at the right edge
    with pdf.table(
        col_widths=tuple(order((18, 44, 14, 20, 18, 18, 20, 20))),
        text_align=tuple(order((pdf.start, pdf.start, "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"))),
        headings_style=_HEADINGS,
        line_height=5,
        padding=1,
        repeat_headings=1,
    ) as table:
        table.row(list(order([pdf.text_of(text[key]) for key in ("date", "company", "hours", *_AMOUNTS)])))
        for line in lines:
            company = line["employer"] + (f" ({text['compensation']})" if line.get("compensation") else "")
            cells = [day(line["shift_date"]), pdf.text_of(company), str(line["hours"])]
            table.row(list(order(cells + [str(line[key]) for key in _AMOUNTS])))


def _totals(pdf: FootedPages, text: Mapping[str, str], payslip: Mapping[str, Any]) -> None:
    """Hours, gross, all six deductions (zero ones too, so none looks forgotten), net."""
    deductions = payslip["deductions"]
    total = sum((Decimal(str(deductions.get(key, "0"))) for key in DEDUCTIONS), Decimal(0)).quantize(Decimal("0.01"))
    pdf.set_font(pdf.family, size=10)
    _amount(pdf, text["total_hours"], str(payslip["hours"]))
    _amount(pdf, text["total_gross"], str(payslip["gross"]))
    pdf.ln(2)
    pdf.set_font(pdf.family, "B", 10)
    pdf.cell(0, 6, pdf.text_of(text["deductions"]), align=pdf.start, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, size=10)
    for key in DEDUCTIONS:
        _amount(pdf, text[key], str(deductions.get(key, "0.00")))
    _amount(pdf, text["total_deductions"], str(total))
    pdf.ln(1)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1)
    pdf.set_font(pdf.family, "B", 11)
    _amount(pdf, f"{text['net']} (CHF)", str(payslip["net"]))


def _amount(pdf: FootedPages, label: str, value: str) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    if pdf.rtl:  # the figure at the left edge, its label at the right
        pdf.cell(35, 6, pdf.text_of(value), align="L")
        pdf.cell(width - 35, 6, pdf.text_of(label), align="R", new_x="LMARGIN", new_y="NEXT")
        return
    pdf.cell(width - 35, 6, pdf.text_of(label))
    pdf.cell(35, 6, pdf.text_of(value), align="R", new_x="LMARGIN", new_y="NEXT")
