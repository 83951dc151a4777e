"""The dated rates of DOMAIN.md section 8, read from the packaged rates file through the public API."""

from __future__ import annotations

import doctest
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krav.adapters import ratefile
from krav.adapters.ratefile import load_rate_tables
from krav.domain import rates as rates_module
from krav.domain.errors import FileFormatError, KravError
from krav.domain.money import Money
from krav.domain.rates import RateLookup, RateNotKnownError, RatePeriod, RateTables, parse_rate_tables

PACKAGED = Path(rates_module.__file__).resolve().parent.parent / "data" / "rates.toml"


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(ratefile.ENV_VAR, raising=False)
    ratefile.clear_cache()
    yield
    ratefile.clear_cache()


@pytest.fixture
def tables() -> RateTables:
    return load_rate_tables()


def _text() -> str:
    return PACKAGED.read_text(encoding="utf-8")


def _without_entry(text: str, table: str, valid_from: str) -> str:
    """The rates text less the ``[[table]]`` entry dated ``valid_from`` (entries end at a blank line)."""
    start = text.index(f"[[{table}]]\nvalid_from = {valid_from}\n")
    end = text.index("\n\n", start)
    return text[:start] + text[end + 2 :]


def _nok(amount: str) -> Money:
    return Money.of(amount)


def test_the_examples_in_the_rates_module_run() -> None:
    assert doctest.testmod(rates_module).failed == 0


# -- inkassosats -------------------------------------------------------------------------------------------

INKASSOSATS = {2015: "650", 2016: "670", **dict.fromkeys(range(2017, 2026), "700"), 2026: "750"}


@pytest.mark.parametrize(("year", "amount"), sorted(INKASSOSATS.items()))
def test_the_inkassosats_of_each_year(tables: RateTables, year: int, amount: str) -> None:
    """DOMAIN.md section 8: 2015 650, 2016 670, 2017–2025 700, 2026 750."""
    assert tables.inkassosats(date(year, 1, 1)) == Decimal(amount)
    assert tables.inkassosats(date(year, 12, 31)) == Decimal(amount)


def test_a_date_before_the_first_inkassosats_is_refused_clearly(tables: RateTables) -> None:
    with pytest.raises(RateNotKnownError, match=r"no inkassosats is known for 2014-12-31: the table starts 2015"):
        tables.inkassosats(date(2014, 12, 31))
    assert issubclass(RateNotKnownError, KravError)


# -- the creditor's own fees (R-CLM-3) ---------------------------------------------------------------------

REMINDER_FEES = [
    (date(2015, 1, 1), "65.00"),
    (date(2016, 6, 1), "67.00"),
    (date(2017, 1, 1), "70.00"),
    (date(2019, 12, 31), "70.00"),
    (date(2020, 9, 30), "70.00"),
    (date(2020, 10, 1), "35.00"),
    *[(date(y, 6, 1), "35.00") for y in range(2021, 2026)],
    (date(2025, 12, 31), "35.00"),
    (date(2026, 1, 1), "38.00"),  # 750 / 20 = 37.50, rounded to whole kroner from 2026
    (date(2026, 12, 31), "38.00"),
]


@pytest.mark.parametrize(("sent_on", "fee"), REMINDER_FEES)
def test_the_fee_of_a_reminder_or_notice_is_a_fraction_of_the_inkassosats(
    tables: RateTables, sent_on: date, fee: str
) -> None:
    """R-CLM-3: 1/10 of the inkassosats before 2020-10-01, 1/20 from then, whole kroner from 2026."""
    assert tables.reminder_fee(sent_on) == _nok(fee)


PAYMENT_DEMAND_FEES = [
    (date(2015, 3, 1), "195.00"),
    (date(2016, 3, 1), "201.00"),
    (date(2017, 3, 1), "210.00"),
    (date(2020, 9, 30), "210.00"),
    (date(2020, 10, 1), "105.00"),
    *[(date(y, 3, 1), "105.00") for y in range(2021, 2026)],
    (date(2026, 1, 1), "113.00"),  # 3 × 750 / 20 = 112.50 → 113
]


@pytest.mark.parametrize(("sent_on", "fee"), PAYMENT_DEMAND_FEES)
def test_the_creditors_own_payment_demand_fee_is_three_tenths_then_three_twentieths(
    tables: RateTables, sent_on: date, fee: str
) -> None:
    """DOMAIN.md section 8: 3/10 of the inkassosats, 3/20 from 2020-10-01 (105.00; 2026: 113)."""
    assert tables.creditor_payment_demand_fee(sent_on) == _nok(fee)


# -- forsinkelsesrente (R-CLM-6) ----------------------------------------------------------------------------

INTEREST = {
    2015: ("9.25", "9.00"),
    2016: ("8.75", "8.50"),
    2017: ("8.50", "8.50"),
    2018: ("8.50", "8.50"),
    2019: ("8.75", "9.25"),
    2020: ("9.50", "8.00"),
    2021: ("8.00", "8.00"),
    2022: ("8.50", "9.25"),
    2023: ("10.75", "11.75"),
    2024: ("12.50", "12.50"),
    2025: ("12.50", "12.25"),
    2026: ("12.00", "12.25"),
}
INTEREST_CASES = [
    (start, end, rate)
    for year, (first, second) in INTEREST.items()
    for start, end, rate in (
        (date(year, 1, 1), date(year, 6, 30), first),
        (date(year, 7, 1), date(year, 12, 31), second),
    )
]


@pytest.mark.parametrize(("first_day", "last_day", "rate"), INTEREST_CASES)
def test_the_forsinkelsesrente_of_each_half_year(
    tables: RateTables, first_day: date, last_day: date, rate: str
) -> None:
    """R-CLM-6 and DOMAIN.md section 8: the table's rate from 1 January / 1 July, through the half-year."""
    for day in (first_day, last_day):
        assert tables.interest_rate(day) == RateLookup(Decimal(rate), True, first_day)


def test_a_date_beyond_the_last_period_uses_the_last_known_rate_and_says_so(tables: RateTables) -> None:
    """DOMAIN.md section 8: a period missing from the table uses the last known rate, and the report says so."""
    lookup = tables.interest_rate(date(2027, 1, 1))
    assert lookup.rate == Decimal("12.25")
    assert lookup.from_table is False
    assert lookup.period_start == date(2026, 7, 1)
    assert tables.interest_rate(date(2026, 12, 31)).from_table is True


def test_a_half_year_missing_in_the_middle_uses_the_previous_rate_and_says_so() -> None:
    """DOMAIN.md section 8: the missing-period flag also marks a gap inside the table."""
    tables = parse_rate_tables(_without_entry(_text(), "interest", "2025-07-01"))
    assert tables.interest_rate(date(2025, 8, 1)) == RateLookup(Decimal("12.50"), False, date(2025, 1, 1))
    assert tables.interest_rate(date(2026, 1, 1)) == RateLookup(Decimal("12.00"), True, date(2026, 1, 1))
    assert [p.from_table for p in tables.interest_periods(date(2025, 6, 1), date(2026, 2, 1))] == [
        True,
        False,
        True,
    ]


def test_interest_periods_split_at_each_half_year_and_flag_the_unknown_one(tables: RateTables) -> None:
    """R-CLM-6, R-TIME-4: start inclusive, end exclusive; one period per half-year touched."""
    periods = tables.interest_periods(date(2026, 6, 15), date(2027, 2, 1))
    assert periods == [
        RatePeriod(date(2026, 6, 15), date(2026, 7, 1), Decimal("12.00"), True),
        RatePeriod(date(2026, 7, 1), date(2027, 1, 1), Decimal("12.25"), True),
        RatePeriod(date(2027, 1, 1), date(2027, 2, 1), Decimal("12.25"), False),
    ]
    assert [p.days for p in periods] == [16, 184, 31]


def test_an_empty_interest_period_has_no_rate_periods(tables: RateTables) -> None:
    """R-TIME-4: the due date itself is not an interest day."""
    assert tables.interest_periods(date(2025, 3, 1), date(2025, 3, 1)) == []


def test_an_interest_period_that_ends_before_it_starts_is_refused(tables: RateTables) -> None:
    with pytest.raises(ValueError, match="before it starts"):
        tables.interest_periods(date(2025, 3, 2), date(2025, 3, 1))


def test_interest_before_the_first_period_is_refused(tables: RateTables) -> None:
    with pytest.raises(RateNotKnownError, match="forsinkelsesrente"):
        tables.interest_periods(date(2014, 12, 1), date(2015, 2, 1))


@given(
    st.dates(min_value=date(2015, 1, 1), max_value=date(2028, 12, 31)),
    st.integers(min_value=0, max_value=2000),
)
def test_interest_periods_cover_the_whole_span_without_gaps_each_inside_one_half_year(start: date, length: int) -> None:
    """R-CLM-6, R-TIME-4: the periods tile [start, end) and none crosses 1 January or 1 July."""
    tables = load_rate_tables()
    end = start + timedelta(days=length)
    periods = tables.interest_periods(start, end)
    assert sum(p.days for p in periods) == length
    cursor = start
    for period in periods:
        assert period.start == cursor
        assert period.end > period.start
        last_day = period.end - timedelta(days=1)
        assert rates_module.half_year_start(period.start) == rates_module.half_year_start(last_day)
        assert period.rate == tables.interest_rate(period.start).rate
        cursor = period.end
    assert cursor == end


# -- salær (R-CLM-5) ----------------------------------------------------------------------------------------

LIGHT_FROM_2020_10 = [
    ("0.01", "175.00"),  # 0.25 × 700
    ("500.00", "175.00"),
    ("500.01", "245.00"),  # 0.35
    ("1000.00", "245.00"),
    ("1000.01", "280.00"),  # 0.40
    ("2500.00", "280.00"),
    ("2500.01", "560.00"),  # 0.80
    ("10000.00", "560.00"),
    ("10000.01", "1120.00"),  # 1.60
    ("50000.00", "1120.00"),
    ("50000.01", "2520.00"),  # 3.60
    ("250000.00", "2520.00"),
    ("250000.01", "5040.00"),  # 7.20
    ("10000000.00", "5040.00"),
]


@pytest.mark.parametrize(("principal", "light"), LIGHT_FROM_2020_10)
def test_the_light_salaer_from_2020_10_01_by_principal_bracket(tables: RateTables, principal: str, light: str) -> None:
    """R-CLM-5: multiples 0.25 · 0.35 · 0.40 · 0.80 · 1.60 · 3.60 · 7.20 of the inkassosats; brackets
    include their upper bound (500.00 is in the first, 500.01 in the second)."""
    on = date(2025, 3, 1)
    consumer = tables.salaer(_nok(principal), on, heavy=False, business=False, creditor_vat_registered=True)
    assert consumer == _nok(light)


@pytest.mark.parametrize(("principal", "light"), LIGHT_FROM_2020_10)
def test_the_heavy_salaer_is_twice_the_light(tables: RateTables, principal: str, light: str) -> None:
    """R-CLM-5: heavy = 2 × light."""
    on = date(2025, 3, 1)
    heavy = tables.salaer(_nok(principal), on, heavy=True, business=False, creditor_vat_registered=True)
    assert heavy == _nok(light).times(2)


LIGHT_BEFORE_2020_10 = [
    ("2500.00", "350.00"),  # 0.5 × 700
    ("2500.01", "700.00"),  # 1
    ("10000.00", "700.00"),
    ("10000.01", "1400.00"),  # 2
    ("50000.00", "1400.00"),
    ("50000.01", "2800.00"),  # 4
    ("250000.00", "2800.00"),
    ("250000.01", "5600.00"),  # 8
]


@pytest.mark.parametrize(("principal", "light"), LIGHT_BEFORE_2020_10)
def test_the_light_salaer_before_2020_10_01_by_principal_bracket(
    tables: RateTables, principal: str, light: str
) -> None:
    """R-CLM-5: before 2020-10-01, 0.5 up to 2 500, then 1, 2, 4, 8."""
    on = date(2020, 9, 30)
    consumer = tables.salaer(_nok(principal), on, heavy=False, business=False, creditor_vat_registered=True)
    assert consumer == _nok(light)


def test_the_salaer_table_changes_between_30_september_and_1_october_2020(tables: RateTables) -> None:
    """R-CLM-5: a claim of 1 000 costs 0.5 × 700 on 2020-09-30 and 0.35 × 700 on 2020-10-01."""

    def consumer(on: date, brackets_on: date | None = None) -> Money:
        return tables.salaer(
            _nok("1000"), on, heavy=False, business=False, creditor_vat_registered=True, brackets_on=brackets_on
        )

    assert consumer(date(2020, 9, 30)) == _nok("350.00")
    assert consumer(date(2020, 10, 1)) == _nok("245.00")
    assert consumer(date(2020, 10, 1), brackets_on=date(2020, 9, 30)) == _nok("350.00")


def test_the_salaer_of_a_business_outside_vat_is_rounded_down_to_459_37(tables: RateTables) -> None:
    """R-CLM-5, DOMAIN.md section 8: 700 × 0.35 = 245 → × 1.5 = 367.50 → × 1.25 = 459.375 → 459.37 (down)."""
    salaer = tables.salaer(_nok("1000.00"), date(2025, 6, 1), heavy=False, business=True, creditor_vat_registered=False)
    assert salaer == _nok("459.37")


@pytest.mark.parametrize(
    ("principal", "heavy", "business", "vat", "expected"),
    [
        ("400", False, True, True, "262.50"),  # 175 × 1.5
        ("400", False, False, False, "218.75"),  # 175 × 1.25
        ("400", False, True, False, "328.12"),  # 175 × 1.5 × 1.25 = 328.125, down
        ("400", True, True, False, "656.25"),
        ("1000", True, True, False, "918.75"),
        ("300000", True, True, False, "18900.00"),  # 5040 × 2 × 1.5 × 1.25
    ],
)
def test_the_business_and_vat_multipliers_compound(
    tables: RateTables, principal: str, heavy: bool, business: bool, vat: bool, expected: str
) -> None:
    """R-CLM-5: business debtor × 1.5, creditor not VAT-registered × 1.25, rounded down to øre."""
    salaer = tables.salaer(
        _nok(principal), date(2025, 6, 1), heavy=heavy, business=business, creditor_vat_registered=vat
    )
    assert salaer == _nok(expected)


def test_the_salaer_uses_the_inkassosats_of_the_day(tables: RateTables) -> None:
    """R-CLM-5: 2026, inkassosats 750: 750 × 0.35 × 1.5 × 1.25 = 492.1875 → 492.18."""
    salaer = tables.salaer(_nok("1000.00"), date(2026, 2, 1), heavy=False, business=True, creditor_vat_registered=False)
    assert salaer == _nok("492.18")


@given(
    st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_the_salaer_never_exceeds_the_exact_maximum_and_misses_it_by_under_one_ore(
    principal: Decimal, heavy: bool, business: bool, vat: bool
) -> None:
    """R-CLM-5: the table gives maxima, so the amount is rounded down, never up."""
    tables = load_rate_tables()
    on = date(2025, 6, 1)
    salaer = tables.salaer(Money.of(principal), on, heavy=heavy, business=business, creditor_vat_registered=vat)
    table = tables.salaer_tables[-1]
    exact = tables.inkassosats(on) * table.multiple_for(principal)
    exact *= Decimal(2) if heavy else 1
    exact *= Decimal("1.5") if business else 1
    exact *= Decimal("1.25") if not vat else 1
    assert salaer.amount <= exact < salaer.amount + Decimal("0.01")
    light = tables.salaer(Money.of(principal), on, heavy=False, business=business, creditor_vat_registered=vat)
    assert light <= salaer


def test_a_salaer_of_a_negative_or_foreign_principal_is_refused(tables: RateTables) -> None:
    on = date(2025, 1, 1)
    with pytest.raises(ValueError, match="negative"):
        tables.salaer(_nok("-1.00"), on, heavy=False, business=False, creditor_vat_registered=True)
    with pytest.raises(ValueError, match="NOK"):
        tables.salaer(Money.of("100", "EUR"), on, heavy=False, business=False, creditor_vat_registered=True)


# -- standard compensation (R-CLM-11) -------------------------------------------------------------------------

STANDARD_COMPENSATION = {
    2016: ("370", "370"),
    2017: ("360", "360"),
    2018: ("380", "380"),
    2019: ("380", "390"),
    2020: ("400", "430"),
    2021: ("400", "400"),
    2022: ("390", "400"),
    2023: ("410", "410"),
    2024: ("470", "460"),
    2025: ("470", "460"),
    2026: ("460", "430"),
}
COMPENSATION_CASES = [
    (day, amount)
    for year, (first, second) in STANDARD_COMPENSATION.items()
    for day, amount in (
        (date(year, 1, 1), first),
        (date(year, 6, 30), first),
        (date(year, 7, 1), second),
        (date(year, 12, 31), second),
    )
]


@pytest.mark.parametrize(("day", "amount"), COMPENSATION_CASES)
def test_the_standard_compensation_of_each_half_year(tables: RateTables, day: date, amount: str) -> None:
    """R-CLM-11: the NOK amount of EUR 40 for the half-year."""
    assert tables.standard_compensation(day) == _nok(amount)


def test_standard_compensation_before_2016_is_not_known(tables: RateTables) -> None:
    """R-CLM-11: the table starts 2016."""
    with pytest.raises(RateNotKnownError, match="standard compensation"):
        tables.standard_compensation(date(2015, 12, 31))


# -- rule sets ------------------------------------------------------------------------------------------------


def test_the_inkasso_act_of_1988_is_the_rule_set_in_force_today(tables: RateTables) -> None:
    """DOMAIN.md section 8: the new Inkasso Act is adopted but not in force."""
    assert tables.rule_set_on(date(2015, 1, 1)).id == "inkassoloven-1988"
    assert tables.rule_set_on(date(2026, 12, 31)).id == "inkassoloven-1988"
    new_act = next(r for r in tables.rule_sets if r.id == "inkassoloven-2026")
    assert new_act.adopted == date(2026, 5, 22)
    assert new_act.in_force_from is None
    assert "LOV-2026-05-22-19" in new_act.source


def test_a_new_rule_set_takes_over_from_its_date_once_one_is_set() -> None:
    """DOMAIN.md section 8: a new set takes over from its date without touching older dates."""
    text = _text().replace("adopted = 2026-05-22\n", "adopted = 2026-05-22\nin_force_from = 2027-07-01\n")
    tables = parse_rate_tables(text)
    assert tables.rule_set_on(date(2027, 6, 30)).id == "inkassoloven-1988"
    assert tables.rule_set_on(date(2027, 7, 1)).id == "inkassoloven-2026"


def test_no_rule_set_before_the_first_is_in_force(tables: RateTables) -> None:
    with pytest.raises(RateNotKnownError, match="no rule set is in force on 1980-01-01"):
        tables.rule_set_on(date(1980, 1, 1))


# -- the file -------------------------------------------------------------------------------------------------


def test_every_entry_of_the_packaged_file_cites_its_source(tables: RateTables) -> None:
    sources = [
        *(e.source for e in tables.inkassosatser),
        *(e.source for e in tables.fees),
        *(e.source for e in tables.interest_rates),
        *(e.source for e in tables.salaer_tables),
        *(e.source for e in tables.standard_compensations),
        *(e.source for e in tables.rule_sets),
    ]
    assert len(sources) == 4 + 3 + 24 + 2 + 22 + 2
    assert all(len(source) > 10 for source in sources)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'valid_from = 2015-01-01\namount = "650.00"',
            "valid_from = 2015-01-01\namount = 650.00",
            r"\[\[inkassosats\]\] entry 1 \(valid_from 2015-01-01\): amount must be a decimal written as a "
            r"string \(\"9.25\"\), not a TOML float: 650.0",
        ),
        (
            'valid_from = 2015-07-01\nrate = "9.00"',
            "valid_from = 2015-07-01\nrate = 9",
            r"\[\[interest\]\] entry 2 \(valid_from 2015-07-01\): rate must be .* not a TOML int",
        ),
        (
            'valid_from = 2015-07-01\nrate = "9.00"',
            'valid_from = 2015-07-01\nrate = "nine"',
            r"\[\[interest\]\] entry 2 .*: rate is not a decimal number: 'nine'",
        ),
        (
            "[[interest]]\nvalid_from = 2015-07-01",
            "[[interest]]\nvalid_from = 2014-07-01",
            r"\[\[interest\]\] entry 2 \(valid_from 2014-07-01\): valid_from 2014-07-01 is not after the "
            r"previous entry's 2015-01-01: entries must be sorted by date and must not overlap",
        ),
        (
            "[[standard_compensation]]\nvalid_from = 2016-07-01",
            "[[standard_compensation]]\nvalid_from = 2016-01-01",
            r"\[\[standard_compensation\]\] entry 2 \(valid_from 2016-01-01\): .* is not after",
        ),
        (
            "[[interest]]\nvalid_from = 2015-07-01",
            "[[interest]]\nvalid_from = 2015-07-02",
            r"\[\[interest\]\] entry 2 .*: valid_from 2015-07-02 must be 1 January or 1 July",
        ),
        (
            "[[inkassosats]]\nvalid_from = 2016-01-01",
            "[[inkassosats]]\nvalid_from = 2016-01-01T00:00:00",
            r"\[\[inkassosats\]\] entry 2: valid_from must be a TOML date",
        ),
        (
            'reminder = "1/10"',
            'reminder = "0.1"',
            r"\[\[fee\]\] entry 1 .*: reminder must be a fraction like \"1/20\"",
        ),
        (
            'rounding = "krone"',
            'rounding = "up"',
            r"\[\[fee\]\] entry 3 .*: rounding must be one of ore, krone, ore_down",
        ),
        (
            '{ up_to = "1000.00", multiple = "0.35" }',
            '{ up_to = "400.00", multiple = "0.35" }',
            r"\[\[salaer\]\] entry 2 .*: bracket 2: up_to 400.00 is not above the previous bracket's 500.00",
        ),
        (
            '{ multiple = "7.20" }',
            '{ up_to = "900000.00", multiple = "7.20" }',
            r"\[\[salaer\]\] entry 2 .*: bracket 7: only the last bracket, and it always, has no up_to",
        ),
        (
            'heavy_factor = "2"\nbusiness_factor = "1.5"\nno_vat_factor = "1.25"\nrounding = "ore_down"\n'
            'source = "Inkassoforskriften (FOR-1989-07-14-562) kapittel 2 (§ 2-2 maksimalsatser, lett og tung '
            "sats) as in force from",
            'heavy_factor = "0"\nbusiness_factor = "1.5"\nno_vat_factor = "1.25"\nrounding = "ore_down"\n'
            'source = "Inkassoforskriften (FOR-1989-07-14-562) kapittel 2 (§ 2-2 maksimalsatser, lett og tung '
            "sats) as in force from",
            r"\[\[salaer\]\] entry 2 .*: heavy_factor must be greater than zero",
        ),
        (
            'amount = "370.00"\nsource = "Finansdepartementet, forskrift 17. desember 2015',
            'amount = "370.00"\nsorce = "Finansdepartementet, forskrift 17. desember 2015',
            r"\[\[standard_compensation\]\] entry 1 .*: source is missing",
        ),
        (
            'valid_from = 2015-01-01\namount = "650.00"',
            'valid_from = 2015-01-01\namount = "650.00"\nnote = "x"',
            r"\[\[inkassosats\]\] entry 1 .*: unknown key\(s\) note",
        ),
        (
            'id = "inkassoloven-2026"',
            'id = "inkassoloven-1988"',
            r"\[\[rule_set\]\] entry 2: duplicate id 'inkassoloven-1988'",
        ),
        (
            "[[rule_set]]\nid",
            "[[rule_sets]]\nid",
            r"unknown table\(s\) rule_sets",
        ),
        (
            '[[inkassosats]]\nvalid_from = 2015-01-01\namount = "650.00"',
            '[[inkassosats]\nvalid_from = 2015-01-01\namount = "650.00"',
            r"rates.toml: not valid TOML",
        ),
    ],
)
def test_a_malformed_rates_file_is_refused_naming_the_table_and_entry(old: str, new: str, message: str) -> None:
    """DOMAIN.md section 8: a bad rates file is refused whole, saying which table and entry is wrong."""
    text = _text()
    assert old in text, old
    with pytest.raises(FileFormatError, match=message) as raised:
        parse_rate_tables(text.replace(old, new, 1), file="rates.toml")
    assert raised.value.file == "rates.toml"


def test_a_rates_file_without_a_table_is_refused() -> None:
    text = _text()
    while "[[salaer]]" in text:
        text = _without_entry(text, "salaer", text.split("[[salaer]]\nvalid_from = ")[1][:10])
    with pytest.raises(FileFormatError, match=r"rates.toml, \[\[salaer\]\]: the table \[\[salaer\]\] is missing"):
        parse_rate_tables(text)
    with pytest.raises(FileFormatError, match=r"\[\[inkassosats\]\]: the table \[\[inkassosats\]\] is missing"):
        parse_rate_tables("")


# -- the adapter ----------------------------------------------------------------------------------------------


def test_the_packaged_rates_file_is_loaded_once_and_cached() -> None:
    first = load_rate_tables()
    assert load_rate_tables() is first
    assert first == parse_rate_tables(_text())


def test_krav_rates_file_points_the_loader_to_another_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DOMAIN.md section 8: rates are updatable without a release."""
    newer = tmp_path / "rates.toml"
    newer.write_text(
        _text() + '\n[[interest]]\nvalid_from = 2027-01-01\nrate = "11.50"\nsource = "a later announcement"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(ratefile.ENV_VAR, str(newer))
    tables = load_rate_tables()
    assert tables.interest_rate(date(2027, 2, 1)) == RateLookup(Decimal("11.50"), True, date(2027, 1, 1))
    assert load_rate_tables(PACKAGED).interest_rate(date(2027, 2, 1)).from_table is False


def test_a_missing_rates_file_is_refused_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(FileFormatError, match=r"nope\.toml: cannot read the rates file"):
        load_rate_tables(missing)


def test_a_refused_rates_file_names_its_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(_text().replace('amount = "650.00"', "amount = 650.00"), encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"bad.toml, \[\[inkassosats\]\] entry 1"):
        load_rate_tables(bad)
