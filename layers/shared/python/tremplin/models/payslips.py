"""Payslips (API.md; PRODUCT.md "Hours and pay"): one per participant and payroll run, holding
every completed application (and late cancellation's compensation) not yet paid. Amounts in CHF
as decimal strings, fixed when the payslip is issued and never changed."""

from __future__ import annotations

from tremplin.models import Model


class PayslipLine(Model):
    """One application's pay, as fixed on approval (or on a late cancellation: `compensation`)."""

    application_id: str
    shift_date: str
    employer: str
    hours: str
    base: str
    public_holiday: str
    holiday: str
    thirteenth_month: str
    gross: str
    compensation: bool = False


class PayslipDeductions(Model):
    ahv_iv_eo: str
    alv: str
    nbu: str
    ktg: str
    gav: str
    bvg: str


class Payslip(Model):
    payslip_id: str
    participant_id: str
    work_month: str
    payout_date: str
    lines: list[PayslipLine]
    hours: str
    gross: str
    deductions: PayslipDeductions
    net: str
    income_allowance: str
    counted_income: str
    withholding_tax: bool = False
    """The participant was marked subject to withholding tax: it is not computed here."""
