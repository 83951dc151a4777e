"""Bank days and calendar arithmetic (R-TIME-2, R-TIME-3).

A bank day is Monday to Friday, except Norwegian public holidays (from the ``holidays`` package, Norway,
without its "every Sunday is a holiday" convention) and 24 and 31 December, when Norwegian banks settle
nothing (R-TIME-2). Steps that fall due on another day happen on the next bank day; deadlines themselves are
calendar dates and are never moved (R-TIME-3). Nothing here reads the clock: every function takes its date.

>>> from datetime import date
>>> is_bank_day(date(2025, 12, 24))
False
>>> bank_day_on_or_after(date(2025, 4, 17))  # Maundy Thursday, Good Friday, weekend, Easter Monday
datetime.date(2025, 4, 22)
>>> add_months_clamped(date(2025, 8, 31), 6)
datetime.date(2026, 2, 28)
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from holidays.countries.norway import Norway

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
"""Weekday numbers as :meth:`datetime.date.weekday` counts them."""

_ONE_DAY = timedelta(days=1)
_BANK_CLOSED = (
    (12, 24),
    (12, 31),
)  # Christmas Eve and New Year's Eve: not holidays by law, but no settlement


@lru_cache(maxsize=256)
def _closed_days(year: int) -> frozenset[date]:
    """The public holidays of ``year`` plus 24 and 31 December (R-TIME-2), weekends aside."""
    # include_sundays=False: holidays.Norway can count every Sunday as a holiday; weekends are handled apart.
    public = Norway(years=year, include_sundays=False)
    return frozenset(public.keys()) | {date(year, month, day) for month, day in _BANK_CLOSED}


def is_bank_day(d: date) -> bool:
    """Whether ``d`` is a Norwegian bank day: Monday–Friday, not a public holiday, not 24 or 31 December.

    R-TIME-2.

    >>> is_bank_day(date(2025, 5, 29))  # Ascension Day
    False
    >>> is_bank_day(date(2024, 2, 29))
    True
    """
    return d.weekday() < SATURDAY and d not in _closed_days(d.year)


def bank_day_on_or_after(d: date) -> date:
    """``d`` itself if it is a bank day, else the next bank day: when a step due on ``d`` happens (R-TIME-3).

    >>> bank_day_on_or_after(date(2025, 12, 24))
    datetime.date(2025, 12, 29)
    """
    while not is_bank_day(d):
        d += _ONE_DAY
    return d


def next_bank_day_after(d: date) -> date:
    """The first bank day strictly after ``d`` (R-TIME-2, R-TIME-3).

    >>> next_bank_day_after(date(2025, 12, 31))
    datetime.date(2026, 1, 2)
    """
    return bank_day_on_or_after(d + _ONE_DAY)


def previous_bank_day_before(d: date) -> date:
    """The last bank day strictly before ``d`` (R-TIME-2)."""
    d -= _ONE_DAY
    while not is_bank_day(d):
        d -= _ONE_DAY
    return d


def add_bank_days(d: date, n: int) -> date:
    """The ``n``-th bank day after ``d`` (before it when ``n`` is negative); ``d`` itself when ``n`` is 0.

    ``d`` need not be a bank day: counting starts from the day after (or before) it. R-TIME-2.

    >>> add_bank_days(date(2025, 4, 16), 1)  # Wednesday before Easter
    datetime.date(2025, 4, 22)
    >>> add_bank_days(date(2025, 4, 22), -1)
    datetime.date(2025, 4, 16)
    """
    step = next_bank_day_after if n > 0 else previous_bank_day_before
    for _ in range(abs(n)):
        d = step(d)
    return d


def _check_weekday(weekday: int) -> None:
    if isinstance(weekday, bool) or not isinstance(weekday, int) or not MONDAY <= weekday <= SUNDAY:
        raise ValueError(f"weekday must be 0 (Monday) … 6 (Sunday), got {weekday!r}")


def next_weekday(d: date, weekday: int) -> date:
    """The first date strictly after ``d`` that falls on ``weekday`` (0 = Monday … 6 = Sunday).

    Used for "the first Tuesday after the deadline" (R-CLM-4); move the result with
    :func:`bank_day_on_or_after` when the step must happen on a bank day (R-TIME-3).

    >>> next_weekday(date(2025, 6, 3), TUESDAY)  # a Tuesday: the next one
    datetime.date(2025, 6, 10)
    """
    _check_weekday(weekday)
    ahead = (weekday - d.weekday() - 1) % 7 + 1
    return d + timedelta(days=ahead)


def weekday_on_or_after(d: date, weekday: int) -> date:
    """``d`` itself if it falls on ``weekday``, else the next such date (0 = Monday … 6 = Sunday).

    >>> weekday_on_or_after(date(2025, 6, 3), TUESDAY)
    datetime.date(2025, 6, 3)
    """
    _check_weekday(weekday)
    return d + timedelta(days=(weekday - d.weekday()) % 7)


def is_leap_year(year: int) -> bool:
    """Whether ``year`` has a 29 February (Gregorian); interest days in it count 1/366 (R-CLM-6).

    >>> [is_leap_year(y) for y in (2023, 2024, 1900, 2000)]
    [False, True, False, True]
    """
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_year(year: int) -> int:
    """365, or 366 in a leap year: the day count of R-CLM-6.

    >>> days_in_year(2024)
    366
    """
    return 366 if is_leap_year(year) else 365


def days_in_month(year: int, month: int) -> int:
    """The number of days of ``month`` in ``year``.

    >>> days_in_month(2024, 2), days_in_month(2025, 2), days_in_month(2025, 4)
    (29, 28, 30)
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1 … 12, got {month}")
    if month == 2:
        return 29 if is_leap_year(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_months_clamped(d: date, months: int) -> date:
    """The same day of the month ``months`` later (earlier if negative), or that month's last day where that
    day does not exist.

    R-ACT-1: a claim paused for six months expires on this date (then moved by :func:`bank_day_on_or_after`).

    >>> add_months_clamped(date(2024, 2, 29), 12)
    datetime.date(2025, 2, 28)
    >>> add_months_clamped(date(2025, 3, 31), -1)
    datetime.date(2025, 2, 28)
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, days_in_month(year, month)))
