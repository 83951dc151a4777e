"""When things happen: collection-list Tuesdays, transfer Thursdays and pause expiry.

Letters, stage moves and remittances happen on bank days only; a Tuesday or Thursday that is not a bank day
moves to the next bank day (R-TIME-3, R-CLM-4). Deadlines are calendar dates and are never moved.
"""

from __future__ import annotations

from datetime import date, timedelta

from krav.domain.calendar import (
    THURSDAY,
    TUESDAY,
    add_months_clamped,
    bank_day_on_or_after,
    is_bank_day,
    weekday_on_or_after,
)

#: R-ACT-1: a pause lasts at most six months.
PAUSE_MONTHS = 6
#: R-CLM-13: the payment demand's deadline must have been passed by more than this many days.
DAYS_AFTER_DEMAND_BEFORE_LEGAL_NOTICE = 28


def nominal_tuesday(d: date) -> date:
    """The Tuesday of ``d``'s week (on or before ``d``)."""
    return d - timedelta(days=(d.weekday() - TUESDAY) % 7)


def is_collection_list_day(d: date) -> bool:
    """R-CLM-4: the list is drawn every Tuesday, or on the next bank day when the Tuesday is not one."""
    return is_bank_day(d) and bank_day_on_or_after(nominal_tuesday(d)) == d


def list_day_on_or_after(d: date) -> date:
    """R-CLM-4: the first collection-list day on or after ``d``."""
    day = d
    while not is_collection_list_day(day):
        day += timedelta(days=1)
    return day


def transfer_day_for_list(list_day: date) -> date:
    """R-CLM-4: with the automatic list, listed claims move to inkasso on the following Thursday (bank-day moved)."""
    thursday = nominal_tuesday(list_day) + timedelta(days=2)
    day = bank_day_on_or_after(thursday)
    if day <= list_day:
        day = bank_day_on_or_after(list_day + timedelta(days=1))
    return day


def transfer_day_after_resume(resumed_on: date) -> date:
    """R-ACT-1: a listed claim whose Thursday passed during a pause moves on the next Thursday after the resume."""
    return bank_day_on_or_after(weekday_on_or_after(resumed_on, THURSDAY))


def pause_expiry(paused_on: date) -> date:
    """R-ACT-1: six months after the pause, on the same day of the month (or the month's last day), bank-day moved."""
    return bank_day_on_or_after(add_months_clamped(paused_on, PAUSE_MONTHS))
