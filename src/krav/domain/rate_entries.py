"""The entries of the dated rate tables: one value per row of ``rates.toml``, and how a fee is rounded.

Each entry is in force from its ``valid_from`` until the next entry's in the same table; the lookups by date
are in :mod:`krav.domain.rate_tables`, the reading of the file in :mod:`krav.domain.rate_parsing`
(DOMAIN.md section 8).

Every entry carries its ``source``: the regulation or announcement that set the value, so that ``krav rates``
can show where each number comes from. ``correction`` is ``None`` unless a newer table changes a value the table
it replaces already had; it then says why (e.g. the regulation that proves the old value wrong), and
:func:`krav.domain.rate_update.check_update` accepts the change only with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from krav.domain.money import round_ore, round_ore_down

__all__ = [
    "AmountEntry",
    "Bracket",
    "FeeEntry",
    "Fraction",
    "InterestEntry",
    "Rounding",
    "RuleSet",
    "SalaerEntry",
]


class Rounding(StrEnum):
    """How a computed fee is rounded: half up to øre, half up to whole kroner, or down to øre (maxima)."""

    ORE = "ore"
    KRONE = "krone"
    ORE_DOWN = "ore_down"

    def apply(self, value: Decimal) -> Decimal:
        if self is Rounding.KRONE:
            return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return round_ore_down(value) if self is Rounding.ORE_DOWN else round_ore(value)


@dataclass(frozen=True, slots=True)
class Fraction:
    """A fee as a fraction of the inkassosats, e.g. 1/20."""

    numerator: int
    denominator: int

    def of(self, value: Decimal) -> Decimal:
        return value * self.numerator / self.denominator

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


@dataclass(frozen=True, slots=True)
class AmountEntry:
    """An amount in NOK in force from ``valid_from`` (inkassosats, standard compensation)."""

    valid_from: date
    amount: Decimal
    source: str
    correction: str | None = None


@dataclass(frozen=True, slots=True)
class FeeEntry:
    """The creditor's own fees as fractions of the inkassosats, in force from ``valid_from``."""

    valid_from: date
    reminder: Fraction
    payment_demand: Fraction
    rounding: Rounding
    source: str
    correction: str | None = None


@dataclass(frozen=True, slots=True)
class InterestEntry:
    """The forsinkelsesrente, percent a year, for the half-year starting ``valid_from``."""

    valid_from: date
    rate: Decimal
    source: str
    correction: str | None = None


@dataclass(frozen=True, slots=True)
class Bracket:
    """A salær bracket: principals up to and including ``up_to`` (``None``: no upper bound)."""

    up_to: Decimal | None
    multiple: Decimal


@dataclass(frozen=True, slots=True)
class SalaerEntry:
    """The salær table in force from ``valid_from``: light multiples by principal and the factors."""

    valid_from: date
    brackets: tuple[Bracket, ...]
    heavy_factor: Decimal
    business_factor: Decimal
    no_vat_factor: Decimal
    rounding: Rounding
    source: str
    correction: str | None = None

    def multiple_for(self, principal: Decimal) -> Decimal:
        """The light multiple of the bracket ``principal`` falls in."""
        for bracket in self.brackets:
            if bracket.up_to is None or principal <= bracket.up_to:
                return bracket.multiple
        raise AssertionError("the last bracket has no upper bound")  # pragma: no cover - checked on parsing


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A dated body of rules (e.g. ``inkassoloven-1988``); ``in_force_from`` is ``None`` until decided."""

    id: str
    title: str
    adopted: date
    in_force_from: date | None
    source: str
    correction: str | None = None
