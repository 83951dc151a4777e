"""The clock, read only in the faces (R-TIME-1): the business date is today in Europe/Oslo unless given."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def oslo_today() -> date:
    """Today's date in Norway."""
    return datetime.now(OSLO).date()


def oslo_moment(value: datetime | None, *, seconds: bool = False) -> str:
    """A moment as a person in Norway reads it: ``dd.mm.åååå tt:mm`` (``tt:mm:ss`` with ``seconds``) in Norway's
    time; a moment stored in UTC is shown as it was in Oslo, one without a zone as it is. Nothing for none.

    >>> oslo_moment(datetime.fromisoformat("2026-12-07T21:26:51+00:00")), oslo_moment(None)
    ('07.12.2026 22:26', '')
    """
    if value is None:
        return ""
    shown = value.astimezone(OSLO) if value.tzinfo is not None else value
    return shown.strftime("%d.%m.%Y %H:%M:%S" if seconds else "%d.%m.%Y %H:%M")
