"""The dated rates' sources, how far the table reaches, and a newer table checked before it may replace the one
in use (DOMAIN.md section 8: rates ship as data, updatable without a release; a period missing from the table
uses the last known rate, and the report says so)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from importlib.resources import files

import pytest

from krav.domain.errors import FileFormatError, InputError, Problem
from krav.domain.money import Money
from krav.domain.rates import (
    AmountEntry,
    AmountLookup,
    FeeEntry,
    InterestEntry,
    RateCheck,
    RateLookup,
    RateTableRefused,
    RateTables,
    RuleSet,
    SalaerEntry,
    check_update,
    parse_rate_tables,
)

BUILT_IN = files("krav").joinpath("data", "rates.toml").read_text(encoding="utf-8")

NEXT_HALF_YEAR = """
[[interest]]
valid_from = 2027-01-01
rate = "11.75"
source = "Finansdepartementet, forskrift om forsinkelsesrente fra 1. januar 2027"

[[standard_compensation]]
valid_from = 2027-01-01
amount = "440.00"
source = "Finansdepartementet, forskrift om forsinkelsesrente fra 1. januar 2027"
"""


@pytest.fixture(scope="module")
def tables() -> RateTables:
    return parse_rate_tables(BUILT_IN)


def _entry(text: str, table: str, valid_from: str) -> tuple[int, int]:
    """Where the ``[[table]]`` entry dated ``valid_from`` is in ``text``: from its header to its blank line."""
    start = text.index(f"[[{table}]]\nvalid_from = {valid_from}\n")
    return start, text.index("\n\n", start)


def _replace_in(text: str, table: str, valid_from: str, old: str, new: str) -> str:
    start, end = _entry(text, table, valid_from)
    assert old in text[start:end], (table, valid_from, old)
    return text[:start] + text[start:end].replace(old, new, 1) + text[end:]


def _without(text: str, table: str, valid_from: str) -> str:
    start, end = _entry(text, table, valid_from)
    return text[:start] + text[end + 2 :]


def _problems(text: str, old: RateTables) -> list[str]:
    return [str(p) for p in check_update(parse_rate_tables(text), old).problems]


# -- the source of every entry ---------------------------------------------------------------------------------

LEGAL_BASIS = re.compile(r"forskrift|FOR-\d{4}|LOV-\d{4}|Finansdepartementet", re.IGNORECASE)


def test_every_entry_of_every_table_names_the_regulation_or_announcement_it_comes_from(tables: RateTables) -> None:
    """DOMAIN.md section 8: inkassosats, fees, each half-year's forsinkelsesrente and standard compensation,
    salær and rule sets each carry a source naming its legal basis."""
    entries: list[AmountEntry | FeeEntry | InterestEntry | SalaerEntry | RuleSet] = [
        *tables.inkassosatser,
        *tables.fees,
        *tables.interest_rates,
        *tables.salaer_tables,
        *tables.standard_compensations,
        *tables.rule_sets,
    ]
    assert len(entries) == 4 + 3 + 24 + 2 + 22 + 2
    unsourced = [e for e in entries if not LEGAL_BASIS.search(e.source)]
    assert unsourced == []
    assert all(e.correction is None for e in entries)


def test_every_half_year_from_2015_has_its_own_forsinkelsesrente_and_from_2016_its_standard_compensation(
    tables: RateTables,
) -> None:
    assert [e.valid_from for e in tables.interest_rates] == [date(y, m, 1) for y in range(2015, 2027) for m in (1, 7)]
    assert [e.valid_from for e in tables.standard_compensations] == [
        date(y, m, 1) for y in range(2016, 2027) for m in (1, 7)
    ]


def test_the_2023_h2_standard_compensation_stays_410_as_domain_md_says_and_its_source_says_it_is_unconfirmed(
    tables: RateTables,
) -> None:
    """Issue 11: one source gives 460 (FOR-2023-06-22-1075); no primary source was at hand to confirm it, so
    DOMAIN.md's 410 stands and the entry says what was found."""
    entry = next(e for e in tables.standard_compensations if e.valid_from == date(2023, 7, 1))
    assert entry.amount == Decimal("410.00")
    assert entry.source.startswith("UNCONFIRMED")
    for finding in (
        "DOMAIN.md section 8",
        "460",
        "FOR-2023-06-22-1075",
        "https://lovdata.no/forskrift/2023-06-22-1075",
    ):
        assert finding in entry.source


def test_an_entry_may_say_why_it_corrects_a_value_and_an_empty_correction_is_refused() -> None:
    corrected = _replace_in(
        BUILT_IN, "standard_compensation", "2023-07-01", 'amount = "410.00"', 'amount = "460.00"\ncorrection = "x"'
    )
    entry = parse_rate_tables(corrected).standard_compensations[15]
    assert (entry.amount, entry.correction) == (Decimal("460.00"), "x")
    empty = corrected.replace('correction = "x"', 'correction = " "')
    with pytest.raises(FileFormatError, match=r"entry 16 \(valid_from 2023-07-01\): correction must be a non-empty"):
        parse_rate_tables(empty)


# -- how far the table reaches (the query a letter asks before printing a rate) --------------------------------


def test_the_table_knows_the_half_yearly_rates_to_the_end_of_its_last_half_year(tables: RateTables) -> None:
    assert tables.known_until() == date(2026, 12, 31)
    assert tables.is_known(date(2026, 12, 31))
    assert not tables.is_known(date(2027, 1, 1))


def test_a_day_in_the_table_is_known_with_its_own_values(tables: RateTables) -> None:
    check = tables.check(date(2026, 8, 3))
    assert check == RateCheck(
        date(2026, 8, 3),
        date(2026, 12, 31),
        RateLookup(Decimal("12.25"), True, date(2026, 7, 1)),
        AmountLookup(Money.of("430.00"), True, date(2026, 7, 1)),
    )
    assert check.known
    assert check.assumption() is None


def test_a_day_beyond_the_table_is_not_known_and_says_what_would_be_assumed(tables: RateTables) -> None:
    """DOMAIN.md section 8: a missing period uses the last known rate, and the report says so; the letter step
    holds a real letter on it and a simulation goes on with the assumed values."""
    check = tables.check(date(2027, 3, 1))
    assert not check.known
    assert check.interest == RateLookup(Decimal("12.25"), False, date(2026, 7, 1))
    assert check.standard_compensation == AmountLookup(Money.of("430.00"), False, date(2026, 7, 1))
    assert check.needed_from == date(2027, 1, 1)
    assert check.assumption() == (
        "no rates are known for 2027-03-01 (the rate table ends 2026-12-31): assumed the last known "
        "forsinkelsesrente 12.25 % (from 2026-07-01) and standard compensation 430.00 NOK (from 2026-07-01); "
        "a rate table covering the half-year from 2027-01-01 is needed"
    )


def test_a_table_with_one_half_yearly_value_further_reaches_only_as_far_as_the_other() -> None:
    only_interest = parse_rate_tables(BUILT_IN + NEXT_HALF_YEAR.split("[[standard_compensation]]")[0])
    assert only_interest.known_until() == date(2026, 12, 31)
    check = only_interest.check(date(2027, 2, 1))
    assert check.interest.from_table
    assert check.standard_compensation is not None
    assert not check.standard_compensation.from_table
    assert "standard compensation 430.00 NOK" in (check.assumption() or "")
    assert "forsinkelsesrente" not in (check.assumption() or "")
    assert parse_rate_tables(BUILT_IN + NEXT_HALF_YEAR).known_until() == date(2027, 6, 30)


def test_a_gap_inside_the_table_is_not_known_and_names_its_own_half_year() -> None:
    tables = parse_rate_tables(_without(BUILT_IN, "interest", "2025-07-01"))
    check = tables.check(date(2025, 9, 1))
    assert not check.known
    assert check.needed_from == date(2025, 7, 1)


def test_a_day_before_the_standard_compensation_has_none_to_assume(tables: RateTables) -> None:
    check = tables.check(date(2015, 3, 1))
    assert check.standard_compensation is None
    assert check.known


def test_the_standard_compensation_lookup_says_whether_its_half_year_is_in_the_table(tables: RateTables) -> None:
    assert tables.standard_compensation_lookup(date(2024, 7, 1)) == AmountLookup(
        Money.of("460.00"), True, date(2024, 7, 1)
    )
    assert tables.standard_compensation_lookup(date(2030, 1, 1)).from_table is False


# -- a newer table checked against the one it replaces -----------------------------------------------------------


def test_a_table_with_the_next_half_year_added_may_replace_the_built_in_one(tables: RateTables) -> None:
    update = check_update(parse_rate_tables(BUILT_IN + NEXT_HALF_YEAR), tables)
    assert update.ok
    assert update.added == (
        "[[interest]] 2027-01-01: rate 11.75",
        "[[standard_compensation]] 2027-01-01: amount 440.00",
    )
    assert update.corrected == ()


def test_the_same_table_with_sharper_sources_changes_nothing(tables: RateTables) -> None:
    sharper = BUILT_IN.replace("fra 1. januar 2017 (forsinkelsesrenteloven", "FOR-2016-12-xx (forsinkelsesrenteloven")
    assert sharper != BUILT_IN
    update = check_update(parse_rate_tables(sharper), tables)
    assert (update.ok, update.added, update.corrected) == (True, (), ())


def test_a_value_changed_without_a_correction_is_refused_naming_the_entry_and_field(tables: RateTables) -> None:
    text = _replace_in(BUILT_IN, "standard_compensation", "2023-07-01", 'amount = "410.00"', 'amount = "460.00"')
    assert _problems(text, tables) == [
        "[[standard_compensation]] valid_from 2023-07-01: amount: is 460.00 here but 410.00 in the table in use; "
        'add correction = "…" to the entry saying why, if it corrects that value'
    ]


def test_a_value_changed_with_a_correction_is_accepted_and_listed(tables: RateTables) -> None:
    text = _replace_in(
        BUILT_IN,
        "standard_compensation",
        "2023-07-01",
        'amount = "410.00"',
        'amount = "460.00"\ncorrection = "FOR-2023-06-22-1075 § 2: 460 kroner"',
    )
    update = check_update(parse_rate_tables(text), tables)
    assert update.ok
    assert update.corrected == (
        "[[standard_compensation]] 2023-07-01: amount 410.00 → 460.00 (FOR-2023-06-22-1075 § 2: 460 kroner)",
    )


@pytest.mark.parametrize(
    ("table", "valid_from", "old", "new", "problem"),
    [
        (
            "interest",
            "2024-07-01",
            'rate = "12.50"',
            'rate = "12.75"',
            "[[interest]] valid_from 2024-07-01: rate: is 12.75 here but 12.50",
        ),
        (
            "inkassosats",
            "2026-01-01",
            'amount = "750.00"',
            'amount = "760.00"',
            "[[inkassosats]] valid_from 2026-01-01: amount: is 760.00 here but 750.00",
        ),
        (
            "fee",
            "2026-01-01",
            'rounding = "krone"',
            'rounding = "ore"',
            "[[fee]] valid_from 2026-01-01: rounding: is ore here but krone",
        ),
        (
            "salaer",
            "2020-10-01",
            'heavy_factor = "2"',
            'heavy_factor = "3"',
            "[[salaer]] valid_from 2020-10-01: heavy_factor: is 3 here but 2",
        ),
        (
            "salaer",
            "2020-10-01",
            '{ up_to = "500.00", multiple = "0.25" }',
            '{ up_to = "500.00", multiple = "0.30" }',
            "[[salaer]] valid_from 2020-10-01: brackets: is [500.00: 0.30,",
        ),
    ],
)
def test_each_kind_of_entry_refuses_a_changed_value_without_a_correction(
    tables: RateTables, table: str, valid_from: str, old: str, new: str, problem: str
) -> None:
    [found] = _problems(_replace_in(BUILT_IN, table, valid_from, old, new), tables)
    assert found.startswith(problem)


@pytest.mark.parametrize(
    ("table", "valid_from"),
    [("inkassosats", "2016-01-01"), ("fee", "2020-10-01"), ("salaer", "2015-01-01"), ("interest", "2026-07-01")],
)
def test_a_table_that_drops_an_entry_of_the_one_in_use_is_refused(
    tables: RateTables, table: str, valid_from: str
) -> None:
    found = _problems(_without(BUILT_IN, table, valid_from), tables)
    assert found[0].startswith(f"[[{table}]] valid_from {valid_from}: missing: the table in use has it (")
    assert found[0].endswith("; a newer table keeps every entry")


def test_a_half_year_missing_in_the_middle_is_refused_as_a_gap(tables: RateTables) -> None:
    found = _problems(_without(BUILT_IN, "standard_compensation", "2025-01-01"), tables)
    assert found == [
        "[[standard_compensation]] valid_from 2025-01-01: missing: the table in use has it (amount 470.00); a newer "
        "table keeps every entry",
        "[[standard_compensation]] valid_from 2025-07-01: valid_from: the half-year from 2025-01-01 is missing "
        "before it: the table is set per half-year and must have no gaps",
    ]


def test_a_new_half_year_that_skips_one_is_refused_as_a_gap(tables: RateTables) -> None:
    later = NEXT_HALF_YEAR.replace("2027-01-01", "2027-07-01")
    found = _problems(BUILT_IN + later, tables)
    assert found == [
        "[[interest]] valid_from 2027-07-01: valid_from: the half-year from 2027-01-01 is missing before it: the "
        "table is set per half-year and must have no gaps",
        "[[standard_compensation]] valid_from 2027-07-01: valid_from: the half-year from 2027-01-01 is missing "
        "before it: the table is set per half-year and must have no gaps",
    ]


def test_a_new_entry_dated_inside_the_table_needs_a_correction(tables: RateTables) -> None:
    inserted = BUILT_IN.replace(
        "[[inkassosats]]\nvalid_from = 2017-01-01",
        '[[inkassosats]]\nvalid_from = 2016-07-01\namount = "680.00"\nsource = "FOR-2016-06-01-1"\n\n'
        "[[inkassosats]]\nvalid_from = 2017-01-01",
    )
    assert _problems(inserted, tables) == [
        "[[inkassosats]] valid_from 2016-07-01: valid_from: a new entry before the table in use's last one "
        '(2026-01-01) changes values already in force; add correction = "…" to the entry saying why, if it '
        "corrects that value"
    ]
    corrected = inserted.replace('source = "FOR-2016-06-01-1"', 'source = "FOR-2016-06-01-1"\ncorrection = "why"')
    assert check_update(parse_rate_tables(corrected), tables).corrected == (
        "[[inkassosats]] 2016-07-01: amount 680.00 inserted (why)",
    )


def test_a_forsinkelsesrente_of_zero_is_refused(tables: RateTables) -> None:
    zero = BUILT_IN + NEXT_HALF_YEAR.replace('rate = "11.75"', 'rate = "0.00"')
    assert _problems(zero, tables) == ["[[interest]] valid_from 2027-01-01: rate: must be greater than zero, got 0.00"]


def test_a_rule_set_is_kept_and_may_get_its_date_once(tables: RateTables) -> None:
    decided = BUILT_IN.replace("adopted = 2026-05-22\n", "adopted = 2026-05-22\nin_force_from = 2027-07-01\n")
    update = check_update(parse_rate_tables(decided), tables)
    assert update.ok
    assert update.added == ("[[rule_set]] inkassoloven-2026: in force from 2027-07-01",)
    moved = decided.replace("in_force_from = 2027-07-01", "in_force_from = 2028-01-01")
    assert _problems(moved, parse_rate_tables(decided)) == [
        "[[rule_set]] id inkassoloven-2026: in_force_from: is 2028-01-01 here but 2027-07-01 in the table in use; "
        'add correction = "…" to the entry saying why, if it corrects that value'
    ]
    renamed = BUILT_IN.replace('id = "inkassoloven-2026"', 'id = "inkassolov-2026"')
    assert _problems(renamed, tables) == [
        "[[rule_set]] id inkassoloven-2026: missing: the table in use has it; a newer table keeps every rule set"
    ]


def test_every_problem_is_reported_not_just_the_first(tables: RateTables) -> None:
    text = _replace_in(BUILT_IN, "interest", "2024-07-01", 'rate = "12.50"', 'rate = "12.75"')
    text = _without(text, "inkassosats", "2015-01-01")
    found = _problems(text, tables)
    assert len(found) == 2
    assert found[0].startswith("[[inkassosats]] valid_from 2015-01-01: missing")
    assert found[1].startswith("[[interest]] valid_from 2024-07-01: rate")


def test_a_refused_table_is_bad_input_that_lists_every_problem_and_says_nothing_changed() -> None:
    refused = RateTableRefused("new.toml", [Problem("[[fee]] valid_from 2020-10-01", "rounding", "is x")])
    assert isinstance(refused, InputError)
    assert str(refused) == (
        "new.toml: not loaded, nothing changed; 1 problem(s):\n  - [[fee]] valid_from 2020-10-01: rounding: is x"
    )


def test_each_value_changed_in_one_entry_is_its_own_problem(tables: RateTables) -> None:
    text = _replace_in(BUILT_IN, "fee", "2026-01-01", 'reminder = "1/20"', 'reminder = "1/10"')
    text = _replace_in(text, "fee", "2026-01-01", 'rounding = "krone"', 'rounding = "ore"')
    assert [p.field for p in check_update(parse_rate_tables(text), tables).problems] == ["reminder", "rounding"]
