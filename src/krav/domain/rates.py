"""Dated rates: inkassosats, fees, forsinkelsesrente, salær, standard compensation, rule sets (DOMAIN.md §8).

Numbers that change over time are data, never constants: they live in ``krav/data/rates.toml`` (replaceable
without a release) and are read by :func:`parse_rate_tables` into an immutable :class:`RateTables`, whose
methods answer "what applies on this date". This module reads no file: the adapter
``krav.adapters.ratefile`` hands it the text.

Each table is a step function: an entry is in force from its ``valid_from`` until the next entry's. The
forsinkelsesrente is set per half-year, so a date in a half-year the table does not have uses the last known
rate, and :class:`RateLookup` says so (``from_table=False``) for the run report.

This module is the public face; the parts are :mod:`krav.domain.rate_entries` (the rows of each table),
:mod:`krav.domain.rate_tables` (what applies on a date, and whether the table knows it),
:mod:`krav.domain.rate_parsing` (the file read and checked) and :mod:`krav.domain.rate_update` (a newer table
checked against the one it replaces).

>>> from datetime import date
>>> from krav.domain.money import Money
>>> tables = parse_rate_tables(_EXAMPLE)
>>> tables.reminder_fee(date(2025, 3, 1)), tables.reminder_fee(date(2026, 3, 1))
(Money('35.00', 'NOK'), Money('38.00', 'NOK'))
>>> tables.salaer(Money.of("1000.00"), date(2025, 3, 1), heavy=False, business=True,
...               creditor_vat_registered=False)
Money('459.37', 'NOK')
>>> tables.interest_rate(date(2027, 2, 1))
RateLookup(rate=Decimal('12.25'), from_table=False, period_start=datetime.date(2026, 7, 1))
>>> tables.known_until(), tables.is_known(date(2026, 12, 31)), tables.is_known(date(2027, 1, 1))
(datetime.date(2026, 12, 31), True, False)
"""

from __future__ import annotations

from krav.domain.rate_entries import (
    AmountEntry,
    Bracket,
    FeeEntry,
    Fraction,
    InterestEntry,
    Rounding,
    RuleSet,
    SalaerEntry,
)
from krav.domain.rate_parsing import parse_rate_tables
from krav.domain.rate_source import RateOrigin, RatesInUse, RatesLoaded
from krav.domain.rate_tables import (
    AmountLookup,
    RateCheck,
    RateLookup,
    RateNotKnownError,
    RatePeriod,
    RateTables,
    half_year_start,
)
from krav.domain.rate_update import RateTableRefused, RateUpdate, check_update

__all__ = [
    "AmountEntry",
    "AmountLookup",
    "Bracket",
    "FeeEntry",
    "Fraction",
    "InterestEntry",
    "RateCheck",
    "RateLookup",
    "RateNotKnownError",
    "RateOrigin",
    "RatePeriod",
    "RateTableRefused",
    "RateTables",
    "RateUpdate",
    "RatesInUse",
    "RatesLoaded",
    "Rounding",
    "RuleSet",
    "SalaerEntry",
    "check_update",
    "half_year_start",
    "parse_rate_tables",
]

# doctest.testmod of this module also runs the examples kept in its parts.
__test__ = {"half_year_start": half_year_start, "RateCheck": RateCheck, "check_update": check_update}

_EXAMPLE = """
[[inkassosats]]
valid_from = 2017-01-01
amount = "700.00"
source = "example"
[[inkassosats]]
valid_from = 2026-01-01
amount = "750.00"
source = "example"
[[fee]]
valid_from = 2020-10-01
reminder = "1/20"
payment_demand = "3/20"
rounding = "ore"
source = "example"
[[fee]]
valid_from = 2026-01-01
reminder = "1/20"
payment_demand = "3/20"
rounding = "krone"
source = "example"
[[interest]]
valid_from = 2026-07-01
rate = "12.25"
source = "example"
[[salaer]]
valid_from = 2020-10-01
brackets = [
    { up_to = "500.00", multiple = "0.25" },
    { up_to = "1000.00", multiple = "0.35" },
    { multiple = "7.2" },
]
heavy_factor = "2"
business_factor = "1.5"
no_vat_factor = "1.25"
rounding = "ore_down"
source = "example"
[[standard_compensation]]
valid_from = 2026-07-01
amount = "430.00"
source = "example"
[[rule_set]]
id = "inkassoloven-1988"
title = "example"
adopted = 1988-05-13
in_force_from = 1989-10-01
source = "example"
"""
"""A small rates file for examples and tests; the real one is ``krav/data/rates.toml``."""
