"""Money: Decimal in memory, integer øre in storage, half-up rounding at the end (R-MONEY-1)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krav.domain.money import Money, format_amount, parse_decimal, round_ore, round_ore_down

ore_amounts = st.integers(min_value=-(10**13), max_value=10**13)


def test_money_rounds_half_up_to_the_ore_r_money_1() -> None:
    assert Money.of("0.005").amount == Decimal("0.01")
    assert Money.of("0.004999").amount == Decimal("0.00")
    assert Money.of("-0.005").amount == Decimal("-0.01")
    assert Money.of("2.675").amount == Decimal("2.68")  # a float would give 2.67


def test_money_refuses_floats_anywhere_on_a_money_path_r_money_1() -> None:
    with pytest.raises(TypeError, match="no float"):
        Money.of(0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.from_ore(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.of("1").times(1.5)  # type: ignore[arg-type]


def test_money_is_exact_to_the_ore_and_refuses_more_digits_r_money_1() -> None:
    with pytest.raises(ValueError, match="round first"):
        Money(Decimal("1.001"))


def test_money_carries_a_currency_and_nok_is_the_default_r_money_1() -> None:
    assert Money.of(1).currency == "NOK"
    with pytest.raises(ValueError, match="cannot combine NOK with EUR"):
        _ = Money.of(1) + Money.of(1, "EUR")
    with pytest.raises(ValueError, match="ISO 4217"):
        Money.of(1, "kr")


@given(ore_amounts)
def test_ore_round_trip_is_exact_r_money_1(ore: int) -> None:
    assert Money.from_ore(ore).ore == ore
    assert Money.of(Money.from_ore(ore).amount) == Money.from_ore(ore)


@given(ore_amounts, st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=30))
def test_no_ore_is_lost_in_any_allocation_r_money_1(ore: int, weights: list[int]) -> None:
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    whole = Money.from_ore(ore)
    parts = whole.allocate(weights)
    assert sum(p.ore for p in parts) == ore
    assert len(parts) == len(weights)
    total_weight = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Decimal(ore) * weight / total_weight
        assert abs(Decimal(part.ore) - exact) < 1  # each part within one øre of its exact share


@given(ore_amounts, st.integers(min_value=1, max_value=50))
def test_no_ore_is_lost_in_any_equal_split_r_money_1(ore: int, parts: int) -> None:
    split = Money.from_ore(ore).split(parts)
    assert sum(p.ore for p in split) == ore
    assert max(p.ore for p in split) - min(p.ore for p in split) <= 1


@given(ore_amounts, ore_amounts, st.sampled_from(["NOK", "EUR"]))
def test_addition_and_subtraction_are_exact(a: int, b: int, currency: str) -> None:
    """Sums, differences and signs skip the checks of construction: they must equal the checked construction."""
    x, y = Money.of(Decimal(a).scaleb(-2), currency), Money.from_ore(b, currency)
    for made, ore in ((x + y, a + b), (x - y, a - b), (-x, -a), (abs(x), abs(a))):
        assert made == Money(Decimal(ore).scaleb(-2), currency)
        assert (made.ore, made.currency) == (ore, currency)
    with pytest.raises(ValueError, match="cannot combine"):
        _ = x + Money.from_ore(b, "SEK")


@given(st.lists(ore_amounts, max_size=30), st.sampled_from(["NOK", "EUR"]))
def test_a_sum_is_the_amounts_added_one_by_one_r_money_1(ores: list[int], currency: str) -> None:
    """``Money.sum`` adds the amounts at once and makes Money once: the same as adding them one by one, øre for
    øre, with the same refusals."""
    items = [Money.from_ore(ore, currency) for ore in ores]
    one_by_one = Money.zero(currency)
    for item in items:
        one_by_one = one_by_one + item
    total = Money.sum(items, currency)
    assert total == one_by_one == Money(Decimal(sum(ores)).scaleb(-2), currency)
    assert (total.ore, total.currency, total.amount.as_tuple().exponent) == (sum(ores), currency, -2)
    with pytest.raises(ValueError, match=f"cannot combine {currency} with SEK"):
        Money.sum([*items, Money.from_ore(1, "SEK")], currency)
    with pytest.raises(TypeError, match="cannot combine Money with Decimal"):
        Money.sum([*items, Decimal(1)], currency)  # type: ignore[list-item]


def test_an_empty_sum_is_the_shared_zero_of_its_currency() -> None:
    assert Money.sum([], "EUR") is Money.zero("EUR")
    assert Money.sum(iter(())) is Money.zero()


def test_one_zero_per_currency_is_shared() -> None:
    assert Money.zero() is Money.zero("NOK") is Money.from_ore(0)
    assert Money.zero("EUR") == Money(Decimal("0.00"), "EUR")
    assert Money.zero("EUR").currency == "EUR"
    with pytest.raises(ValueError, match="ISO 4217"):
        Money.zero("kroner")


def test_a_product_is_rounded_once_at_the_end_r_money_1() -> None:
    assert Money.of("700").times(Decimal("0.35")).amount == Decimal("245.00")
    assert Money.of("0.01").times(Decimal("0.5")).amount == Decimal("0.01")
    assert round_ore(Decimal("459.375")) == Decimal("459.38")
    assert round_ore_down(Decimal("459.375")) == Decimal("459.37")


def test_amounts_are_read_in_norwegian_and_international_notation() -> None:
    assert parse_decimal("1 234,50") == Decimal("1234.50")
    assert parse_decimal("1.234,50") == Decimal("1234.50")
    assert parse_decimal("1,234.50") == Decimal("1234.50")
    assert parse_decimal("-12") == Decimal("-12")
    for bad in ("", "abc", "1,2,3", "12e3", "NaN", "--1"):
        with pytest.raises(ValueError, match="not an amount"):
            parse_decimal(bad)


def test_letters_print_amounts_as_1_234_50() -> None:
    assert format_amount(Money.of("1234.5")) == "1 234,50"
    assert format_amount(Money.of("-1234567.891")) == "-1 234 567,89"
    assert format_amount(Money.of("0")) == "0,00"
    assert format_amount(Money.of("999")) == "999,00"
