"""Bank days and calendar arithmetic: R-TIME-2, R-TIME-3 and the pause expiry date of R-ACT-1."""

from __future__ import annotations

import doctest
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krav.domain import calendar
from krav.domain.calendar import (
    FRIDAY,
    MONDAY,
    SUNDAY,
    THURSDAY,
    TUESDAY,
    add_bank_days,
    add_months_clamped,
    bank_day_on_or_after,
    days_in_year,
    is_bank_day,
    is_leap_year,
    next_bank_day_after,
    next_weekday,
    weekday_on_or_after,
)

any_date = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def test_the_examples_in_the_calendar_module_run() -> None:
    assert doctest.testmod(calendar).failed == 0


# -- R-TIME-2: which days are bank days --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2025, 1, 1), "New Year's Day"),
        (date(2025, 4, 17), "Maundy Thursday 2025"),
        (date(2025, 4, 18), "Good Friday 2025"),
        (date(2025, 4, 21), "Easter Monday 2025"),
        (date(2025, 5, 1), "Labour Day"),
        (date(2024, 5, 17), "Constitution Day on a Friday"),
        (date(2027, 5, 17), "Constitution Day on a Monday"),
        (date(2025, 5, 29), "Ascension Day 2025"),
        (date(2025, 6, 9), "Whit Monday 2025"),
        (date(2025, 12, 25), "Christmas Day"),
        (date(2025, 12, 26), "Boxing Day"),
        (date(2026, 4, 2), "Maundy Thursday 2026"),
        (date(2026, 5, 14), "Ascension Day 2026"),
        (date(2026, 5, 25), "Whit Monday 2026"),
    ],
)
def test_a_norwegian_public_holiday_on_a_weekday_is_not_a_bank_day(day: date, name: str) -> None:
    """R-TIME-2: public holidays from the holidays package (Norway)."""
    assert day.weekday() <= FRIDAY, name
    assert not is_bank_day(day), name


@pytest.mark.parametrize("day", [date(2025, 12, 24), date(2024, 12, 24), date(2026, 12, 24)])
def test_christmas_eve_is_not_a_bank_day(day: date) -> None:
    """R-TIME-2: 24 December is closed though it is no public holiday."""
    assert day.weekday() <= FRIDAY
    assert not is_bank_day(day)


@pytest.mark.parametrize("day", [date(2025, 12, 31), date(2024, 12, 31), date(2026, 12, 31)])
def test_new_years_eve_is_not_a_bank_day(day: date) -> None:
    """R-TIME-2: 31 December is closed though it is no public holiday."""
    assert day.weekday() <= FRIDAY
    assert not is_bank_day(day)


@pytest.mark.parametrize("day", [date(2025, 6, 7), date(2025, 6, 8), date(2025, 4, 19), date(2025, 4, 20)])
def test_saturdays_and_sundays_are_not_bank_days(day: date) -> None:
    """R-TIME-2."""
    assert not is_bank_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 4, 16),  # the Wednesday before Easter
        date(2025, 4, 22),  # the Tuesday after Easter Monday
        date(2025, 12, 23),
        date(2025, 12, 29),
        date(2026, 1, 2),
        date(2024, 2, 29),  # leap day, a Thursday
        date(2025, 5, 16),
    ],
)
def test_an_ordinary_weekday_is_a_bank_day(day: date) -> None:
    """R-TIME-2."""
    assert is_bank_day(day)


def test_every_sunday_is_closed_but_not_because_the_holidays_package_counts_it() -> None:
    """R-TIME-2: the Norway calendar is built without its every-Sunday-is-a-holiday option; weekends close
    on their own, so a Sunday that is also Easter Sunday still is no bank day."""
    assert not is_bank_day(date(2025, 4, 20))
    assert not is_bank_day(date(2025, 6, 1))


@given(any_date)
def test_a_bank_day_is_always_a_weekday(day: date) -> None:
    """R-TIME-2."""
    if is_bank_day(day):
        assert day.weekday() <= FRIDAY


# -- R-TIME-3: moving a step to a bank day ----------------------------------------------------------------


def test_a_bank_day_stays_where_it_is() -> None:
    """R-TIME-3."""
    assert bank_day_on_or_after(date(2025, 6, 10)) == date(2025, 6, 10)


def test_a_step_due_at_easter_2025_happens_on_the_tuesday_after_easter_monday() -> None:
    """R-TIME-3: 17, 18 (holidays), 19, 20 (weekend), 21 (Easter Monday) → 22 April."""
    for day in (17, 18, 19, 20, 21):
        assert bank_day_on_or_after(date(2025, 4, day)) == date(2025, 4, 22)


def test_a_step_due_on_christmas_eve_2025_happens_on_the_monday_after() -> None:
    """R-TIME-3: 24 closed, 25 and 26 holidays, 27 and 28 weekend."""
    assert bank_day_on_or_after(date(2025, 12, 24)) == date(2025, 12, 29)


def test_the_next_bank_day_after_new_years_eve_is_in_the_new_year() -> None:
    """R-TIME-3 across the year boundary: 31 December closed, 1 January holiday."""
    assert next_bank_day_after(date(2025, 12, 30)) == date(2026, 1, 2)
    assert next_bank_day_after(date(2025, 12, 31)) == date(2026, 1, 2)
    assert bank_day_on_or_after(date(2026, 12, 31)) == date(2027, 1, 4)  # Thursday 31st, Friday 1st, weekend


def test_the_next_bank_day_after_a_friday_is_monday() -> None:
    """R-TIME-3."""
    assert next_bank_day_after(date(2025, 6, 13)) == date(2025, 6, 16)


def test_the_next_bank_day_after_the_day_before_whit_monday_is_tuesday() -> None:
    """R-TIME-3."""
    assert next_bank_day_after(date(2025, 6, 6)) == date(2025, 6, 10)


@given(any_date)
def test_bank_day_on_or_after_is_the_first_bank_day_not_before_the_date(day: date) -> None:
    """R-TIME-3: the result is a bank day, not before ``day``, with no bank day in between."""
    moved = bank_day_on_or_after(day)
    assert is_bank_day(moved)
    assert moved >= day
    between = day
    while between < moved:
        assert not is_bank_day(between)
        between += timedelta(days=1)


@given(any_date)
def test_next_bank_day_after_is_strictly_later_and_the_first_such(day: date) -> None:
    """R-TIME-3."""
    following = next_bank_day_after(day)
    assert following > day
    assert is_bank_day(following)
    assert following == bank_day_on_or_after(day + timedelta(days=1))


def test_adding_bank_days_skips_easter() -> None:
    """R-TIME-2: the first bank day after the Wednesday before Easter 2025 is the Tuesday after."""
    assert add_bank_days(date(2025, 4, 16), 1) == date(2025, 4, 22)
    assert add_bank_days(date(2025, 4, 16), 3) == date(2025, 4, 24)


def test_adding_negative_bank_days_goes_back_over_christmas() -> None:
    """R-TIME-2."""
    assert add_bank_days(date(2025, 12, 29), -1) == date(2025, 12, 23)


def test_adding_zero_bank_days_keeps_the_date() -> None:
    assert add_bank_days(date(2025, 12, 25), 0) == date(2025, 12, 25)


@given(any_date, st.integers(min_value=1, max_value=40))
def test_adding_and_then_removing_bank_days_lands_on_the_first_bank_day_at_or_before(day: date, n: int) -> None:
    """R-TIME-2: going n bank days forward and back returns to ``day`` when it is a bank day."""
    there = add_bank_days(day, n)
    assert is_bank_day(there)
    back = add_bank_days(there, -n)
    if is_bank_day(day):
        assert back == day
    else:
        assert back < day


# -- weekdays (R-CLM-4: the Tuesday list and the Thursday transfer) ----------------------------------------


def test_next_weekday_is_strictly_after_the_date() -> None:
    tuesday = date(2025, 6, 3)
    assert next_weekday(tuesday, TUESDAY) == date(2025, 6, 10)
    assert next_weekday(date(2025, 6, 2), TUESDAY) == tuesday
    assert next_weekday(date(2025, 6, 4), TUESDAY) == date(2025, 6, 10)
    assert next_weekday(tuesday, THURSDAY) == date(2025, 6, 5)


def test_weekday_on_or_after_keeps_a_date_on_that_weekday() -> None:
    assert weekday_on_or_after(date(2025, 6, 3), TUESDAY) == date(2025, 6, 3)
    assert weekday_on_or_after(date(2025, 6, 4), TUESDAY) == date(2025, 6, 10)
    assert weekday_on_or_after(date(2025, 12, 29), SUNDAY) == date(2026, 1, 4)


def test_a_collection_list_tuesday_on_christmas_eve_moves_to_the_next_bank_day() -> None:
    """R-CLM-4 with R-TIME-3: the first Tuesday after a deadline of Friday 20 December 2024 is Christmas Eve;
    25 and 26 December are holidays, so the list is drawn on Friday 27 December."""
    assert bank_day_on_or_after(next_weekday(date(2024, 12, 20), TUESDAY)) == date(2024, 12, 27)


@given(any_date, st.integers(min_value=MONDAY, max_value=SUNDAY))
def test_next_weekday_lies_one_to_seven_days_ahead_on_that_weekday(day: date, weekday: int) -> None:
    found = next_weekday(day, weekday)
    assert found.weekday() == weekday
    assert 1 <= (found - day).days <= 7
    on_or_after = weekday_on_or_after(day, weekday)
    assert on_or_after.weekday() == weekday
    assert 0 <= (on_or_after - day).days <= 6


@pytest.mark.parametrize("weekday", [-1, 7])
def test_a_weekday_outside_monday_to_sunday_is_refused(weekday: int) -> None:
    with pytest.raises(ValueError, match="weekday"):
        next_weekday(date(2025, 1, 1), weekday)


# -- months and years (R-ACT-1 pause expiry, R-CLM-6 day count) --------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 15), 6, date(2025, 7, 15)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 12, 31), 6, date(2026, 6, 30)),
        (date(2025, 7, 31), 6, date(2026, 1, 31)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 31), -2, date(2024, 11, 30)),
    ],
)
def test_a_pause_of_six_months_ends_on_the_same_day_or_the_last_day_of_the_month(
    start: date, months: int, expected: date
) -> None:
    """R-ACT-1: same day of the month six months later, the month's last day where that day does not exist."""
    assert add_months_clamped(start, months) == expected


@given(any_date, st.integers(min_value=-120, max_value=120))
def test_adding_months_keeps_the_day_unless_the_month_is_shorter(day: date, months: int) -> None:
    """R-ACT-1."""
    moved = add_months_clamped(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    if moved.day != day.day:
        assert moved.day < day.day
        assert (moved + timedelta(days=1)).day == 1


def test_2024_is_a_leap_year_with_366_days_and_2025_is_not() -> None:
    """R-CLM-6: interest days in a leap year count 1/366."""
    assert is_leap_year(2024)
    assert days_in_year(2024) == 366
    assert not is_leap_year(2025)
    assert days_in_year(2025) == 365
    assert not is_leap_year(2100)
    assert is_leap_year(2000)
