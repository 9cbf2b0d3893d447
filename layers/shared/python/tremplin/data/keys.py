"""Primary keys of the single table, in one place (the index keys live with their data)."""

from __future__ import annotations


def org(org_id: str) -> dict[str, str]:
    return {"PK": f"ORG#{org_id}", "SK": "ORG"}


def job(job_id: str) -> dict[str, str]:
    return {"PK": f"JOB#{job_id}", "SK": "JOB"}


def shift(shift_id: str) -> dict[str, str]:
    return {"PK": f"SHIFT#{shift_id}", "SK": "SHIFT"}


def profile(participant_id: str) -> dict[str, str]:
    return {"PK": f"PART#{participant_id}", "SK": "PROFILE"}


def schedule(participant_id: str) -> dict[str, str]:
    return {"PK": f"PART#{participant_id}", "SK": "SCHEDULE"}


def application(application_id: str) -> dict[str, str]:
    return {"PK": f"APP#{application_id}", "SK": "APP"}
