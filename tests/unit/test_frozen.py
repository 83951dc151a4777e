"""A frozen value built by :func:`krav.domain.frozen.builder` is the value its class's own constructor makes."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from krav.domain.frozen import builder
from krav.domain.ledger.open_items import OpenItem
from krav.domain.money import Money
from krav.domain.party import Address, Customer, CustomerKind


def _item_values() -> tuple[object, ...]:
    amount = Money.of("1250.00")
    return (
        7,
        "K-1",
        "F-100",
        1,
        amount,
        Money.of("250.50"),
        date(2025, 1, 2),
        date(2025, 2, 1),
        1,
        date(2025, 2, 20),
        False,
        "K1-000001",
        Money.of("70.00"),
        Money.zero(),
        "12345678903",
        "ref",
        3,
    )


def test_a_built_item_is_the_item_its_constructor_makes() -> None:
    values = _item_values()
    built = builder(OpenItem)(*values)
    made = OpenItem(*values)  # type: ignore[arg-type]
    assert type(built) is OpenItem
    assert built == made
    assert hash(built) == hash(made)
    assert repr(built) == repr(made)
    assert [getattr(built, f.name) for f in dataclasses.fields(OpenItem)] == list(values)
    assert built.status == made.status
    assert built.currency == "NOK"
    assert pickle.loads(pickle.dumps(built)) == made
    assert dataclasses.replace(built, number="F-101") == dataclasses.replace(made, number="F-101")


def test_a_built_value_stays_frozen() -> None:
    built = builder(OpenItem)(*_item_values())
    made = OpenItem(*_item_values())  # type: ignore[arg-type]
    for value in (built, made):
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.number = "F-999"  # type: ignore[misc]
        # no field of that name: refused as the class refuses it (slots, no dictionary)
        with pytest.raises((AttributeError, TypeError)):
            value.extra = 1  # type: ignore[attr-defined]
    assert built.number == "F-100"


def test_a_customer_built_with_its_address() -> None:
    values = (
        "K-1",
        "Ola Nordmann",
        CustomerKind.CONSUMER,
        None,
        builder(Address)("Gate 1", "0150", "Oslo", "NO"),
        "ola@example.no",
        False,
        14,
        "nb",
        5,
        True,
        None,
        None,
    )
    built = builder(Customer)(*values)
    assert built == Customer(*values)
    assert built.address.is_complete()


def test_money_read_from_ore_is_money_made_from_its_amount() -> None:
    for ore in (1, 99, 100, 123_456_789, -5_000, 10**15):
        read = Money.from_ore(ore, "NOK")
        assert type(read) is Money
        assert read == Money.of(Decimal(ore) / 100)
        assert read.amount.as_tuple().exponent == -2
    total = Money.from_ore(150) + Money.from_ore(250) - Money.from_ore(1)
    assert type(total) is Money
    assert total == Money.of("3.99")


@dataclass(slots=True)
class _Mutable:
    a: int


@dataclass(frozen=True)
class _NoSlots:
    a: int


@dataclass(frozen=True, slots=True)
class _Base:
    a: int


@dataclass(frozen=True, slots=True)
class _Derived(_Base):
    b: int


def test_only_a_frozen_slotted_dataclass_of_its_own_fields_has_a_builder() -> None:
    for cls in (_Mutable, _NoSlots, _Derived, int):
        with pytest.raises(TypeError):
            builder(cls)
