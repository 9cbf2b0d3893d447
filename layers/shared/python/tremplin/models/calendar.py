"""The participant's calendar feed (issue 20, README "Calendar feed")."""

from __future__ import annotations

from pydantic import Field

from tremplin.models import Model


class CalendarFeed(Model):
    enabled: bool = Field(description="Whether the participant's private calendar feed is on")
    turned_on_at: str | None = Field(None, description="When the current URL was made (turned on or renewed)")
    url: str | None = Field(
        None,
        description=(
            "The secret feed URL (text/calendar, no sign-in): only in the answer that made it, "
            "since only its hash is stored; a renewal makes the previous URL answer 404"
        ),
    )
