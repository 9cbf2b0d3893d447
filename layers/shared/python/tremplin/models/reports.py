"""Reports: monthly earnings per caseload, programme outcomes, employer summaries."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from tremplin.models import Model, Strict

MONTH = r"[0-9]{4}-(0[1-9]|1[0-2])"


class ReportType(StrEnum):
    EARNINGS = "earnings"
    PROGRAMME = "programme"
    EMPLOYER = "employer"


class ReportStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


Period = Annotated[
    str,
    StringConstraints(pattern=rf"^{MONTH}(\.\.{MONTH})?$"),
    Field(description='A month "YYYY-MM"; programme reports also take a range "YYYY-MM..YYYY-MM"'),
]


class ReportRequest(Strict):
    type: ReportType
    period: Period
    org_id: str | None = Field(default=None, description="Employer reports: the organisation (admins name it)")

    @model_validator(mode="after")
    def _period_fits_type(self) -> ReportRequest:
        if ".." in self.period:
            if self.type is not ReportType.PROGRAMME:
                raise ValueError("only programme reports cover a range of months")
            first, last = self.period.split("..")
            if first > last:
                raise ValueError("the range must run forwards")
        return self


class ReportFile(Model):
    format: str
    url: str
    scope: str


class ReportLinkAudit(Model):
    """Links to a report's files handed to a caseworker or an admin (the files name people)."""

    report_id: str
    at: str
    actor_sub: str
    actor_role: str
    scope: str
    formats: list[str]


class Report(Model):
    report_id: str
    type: ReportType
    period: str
    org_id: str | None = None
    status: ReportStatus
    requested_at: str
    generated_at: str | None = None
    summary: dict[str, Any] = {}
    files: list[ReportFile] = []
    error: str | None = None
