"""When things happen: collection-list Tuesdays, transfer Thursdays, pause expiry, and each claim's next date.

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
from krav.domain.collection.claims import Claim, Stage

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


def next_action_on(claim: Claim) -> date | None:
    """The first day the daily run must look at ``claim`` again; None when nothing will happen by itself.

    Conservative: it may be earlier than the day something happens (the steps check the full conditions), never
    later. The daily run selects claims by this date, so it can pick what is due with one indexed query.
    """
    if claim.stage is Stage.CLOSED:
        return None
    if claim.paused_on is not None and claim.paused:
        return pause_expiry(claim.paused_on)
    if claim.interest_note_due or claim.paid_confirmation_due:
        return claim.submitted_on
    one = timedelta(days=1)
    match claim.stage:
        case Stage.NEW:
            return claim.submitted_on
        case Stage.REMINDER if claim.interest_note_on is None:
            return claim.reminder_deadline + one if claim.reminder_deadline else claim.submitted_on
        case Stage.REMINDER | Stage.NOTICE:
            return claim.last_deadline + one if claim.last_deadline else claim.submitted_on
        case Stage.COLLECTION_LIST:
            candidates = [d for d in (claim.transfer_on, claim.approved_on) if d is not None]
            return min(candidates) if candidates else None
        case Stage.INKASSO:
            if claim.legal_notice_on is None and claim.demand_deadline is not None:
                return claim.demand_deadline + timedelta(days=DAYS_AFTER_DEMAND_BEFORE_LEGAL_NOTICE + 1)
            return claim.legal_deadline + one if claim.legal_deadline else None
        case _:
            return None
