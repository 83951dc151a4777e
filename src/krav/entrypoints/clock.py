"""The clock, read only in the faces (R-TIME-1): the business date is today in Europe/Oslo unless given."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def oslo_today() -> date:
    """Today's date in Norway."""
    return datetime.now(OSLO).date()
