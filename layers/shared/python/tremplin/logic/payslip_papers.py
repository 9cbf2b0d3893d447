"""A payslip as a PDF: apart from tremplin.logic.payslips because it needs fpdf2, which only the
pay function's and the report worker's PDF layer carry (template.yaml: PdfLayer; the import
contract keeps every other function, such as the schedules' payroll, from reaching it).
"""

from __future__ import annotations

from tremplin import payslip_pdf  # at init, where Lambda gives a whole vCPU: fpdf2 is 0.2 s of import
from tremplin.identity import Caller
from tremplin.logic import payslips
from tremplin.models.payslips import Payslip


def pdf(caller: Caller, payslip_id: str) -> bytes:
    """The payslip as a PDF in the participant's language (as they set it now)."""
    payslip, profile = payslips.visible(caller, payslip_id, "read_payslip_pdf")
    profile = profile or {}
    name = " ".join(str(profile.get(k) or "") for k in ("first_name", "last_name")).strip()
    return payslip_pdf.render(
        Payslip.model_validate(payslip).model_dump(),
        language=str(profile.get("preferred_language") or "de"),
        name=name,
        withholding_tax=bool(payslip.get("withholding_tax")),
    )
