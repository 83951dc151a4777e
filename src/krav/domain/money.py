"""Money: a ``Decimal`` amount with its currency (R-MONEY-1).

Money in memory is a ``Decimal`` quantised to øre; storage uses integer øre. Computations (interest, salær,
fractions of the inkassosats) run on unrounded ``Decimal`` and round once, at the end, with ROUND_HALF_UP, by
calling :func:`Money.of`. There is no ``float`` anywhere on a money path: :func:`Money.of` refuses one.

>>> Money.of("1234.505")
Money('1234.51', 'NOK')
>>> Money.from_ore(-12345).amount
Decimal('-123.45')
>>> [m.amount for m in Money.of("100.00").allocate([1, 1, 1])]
[Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
>>> format_amount(Money.of("1234.5"))
'1 234,50'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from krav.domain.frozen import builder

ORE = Decimal("0.01")
_NOTHING = Decimal(0)
_HUNDRED = Decimal(100)
DEFAULT_CURRENCY = "NOK"
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_SEEN_CURRENCIES: set[str] = {DEFAULT_CURRENCY}  # codes already checked against _CURRENCY
_ZEROS: dict[str, Money] = {}  # one zero per currency, shared by every read of a stored 0


def round_ore(value: Decimal) -> Decimal:
    """Round a computed amount to øre, half up (R-MONEY-1)."""
    return value.quantize(ORE, rounding=ROUND_HALF_UP)


def round_ore_down(value: Decimal) -> Decimal:
    """Round down to øre: for statutory maxima, where rounding up would exceed the maximum (section 8)."""
    return value.quantize(ORE, rounding=ROUND_DOWN)


def parse_decimal(text: str) -> Decimal:
    """Read an amount written as ``1234.50``, ``1234,50``, ``1 234,50`` or ``-12``.

    Raises ``ValueError`` with the text when it is not an amount.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        # 1.234,50 (Norwegian thousands separator) or 1,234.50
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise ValueError(f"not an amount: {text!r}")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex above admits only valid decimals
        raise ValueError(f"not an amount: {text!r}") from exc


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of money in one currency, exact to the øre."""

    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money needs a Decimal amount, got {type(self.amount).__name__}")
        if self.amount != self.amount.quantize(ORE):
            raise ValueError(f"Money is exact to the øre; round first: {self.amount}")
        if self.currency not in _SEEN_CURRENCIES:
            if not isinstance(self.currency, str) or not _CURRENCY.match(self.currency):
                raise ValueError(f"currency must be an ISO 4217 code, got {self.currency!r}")
            _SEEN_CURRENCIES.add(self.currency)

    # -- construction: the one place that builds money -----------------------------------------------------

    @classmethod
    def of(cls, value: Decimal | int | str, currency: str = DEFAULT_CURRENCY) -> Money:
        """Money from a ``Decimal``, an int (kroner) or a string, rounded half up to øre."""
        if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
            raise TypeError(f"money from {type(value).__name__} is not allowed (no float on a money path)")
        number = parse_decimal(value) if isinstance(value, str) else Decimal(value)
        try:
            return cls(round_ore(number), currency)
        except InvalidOperation:  # NaN, an infinity, or more digits than a Decimal context holds
            raise ValueError(f"not an amount of money: {str(value)[:40]!r}") from None

    @classmethod
    def from_ore(cls, ore: int, currency: str = DEFAULT_CURRENCY) -> Money:
        """Money from integer øre, as stored."""
        if isinstance(ore, bool) or not isinstance(ore, int):
            raise TypeError(f"øre must be an int, got {type(ore).__name__}")
        if currency not in _SEEN_CURRENCIES:
            return cls(Decimal(ore).scaleb(-2), currency)
        if ore == 0:  # most stored fees and interest are nothing
            return cls.zero(currency)
        # whole øre scaled by 10^-2 is exact to the øre by construction: skip the checks (storage reads many)
        return _unchecked(Decimal(ore).scaleb(-2), currency)

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        """Nothing in ``currency``: one shared zero per currency (Money is frozen)."""
        zero = _ZEROS.get(currency)
        if zero is None:
            zero = _ZEROS[currency] = cls(Decimal("0.00"), currency)
        return zero

    @classmethod
    def sum(cls, items: Iterable[Money], currency: str = DEFAULT_CURRENCY) -> Money:
        """Sum of amounts in one currency; an empty sum is zero in ``currency``. Raises ``TypeError`` for an item
        that is not Money and ``ValueError`` for one in another currency, as adding them one by one would.

        The amounts are added as ``Decimal`` and made Money once: a sum of exact øre is exact (see :meth:`_exact`).
        """
        zero = cls.zero(currency)
        total = zero.amount
        added = False
        for item in items:
            if item.__class__ is not Money:
                zero._same_currency(item)  # a subclass passes; anything else raises TypeError
            if item.currency != currency:
                raise ValueError(f"cannot combine {currency} with {item.currency}")
            total += item.amount
            added = True
        return zero._exact(total) if added else zero

    # -- reading ---------------------------------------------------------------------------------------------

    @property
    def ore(self) -> int:
        """The amount in integer øre, for storage (the amount is exact to the øre: a hundred times it is whole)."""
        return int(self.amount * _HUNDRED)

    # the sign against a Decimal zero (or the amount's truth), not the int 0: half the cost of comparing with an int
    def is_zero(self) -> bool:
        return not self.amount

    def is_positive(self) -> bool:
        return self.amount > _NOTHING

    def is_negative(self) -> bool:
        return self.amount < _NOTHING

    # -- arithmetic ------------------------------------------------------------------------------------------

    def _same_currency(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def _exact(self, amount: Decimal) -> Money:
        """Money in this currency of ``amount``, known exact to the øre: a sum, difference or sign of amounts that
        are (within the 28 digits of ``Decimal``'s context, far beyond any amount :mod:`krav.domain.plausible`
        admits). The checks of construction are skipped: on the hot paths of allocation and interest they cost
        more than the arithmetic."""
        return _unchecked(amount, self.currency)

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return self._exact(self.amount + other.amount)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return self._exact(self.amount - other.amount)

    def __neg__(self) -> Money:
        return self._exact(-self.amount)

    def __abs__(self) -> Money:
        return self._exact(abs(self.amount))

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount >= other.amount

    def times(self, factor: Decimal | int) -> Money:
        """This amount times ``factor``, rounded half up to øre once."""
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            raise TypeError(f"factor must be Decimal or int, got {type(factor).__name__}")
        return Money(round_ore(self.amount * factor), self.currency)

    def min(self, other: Money) -> Money:
        return self if self <= other else other

    def max(self, other: Money) -> Money:
        return self if self >= other else other

    def allocate(self, weights: Sequence[int | Decimal]) -> list[Money]:
        """Split into parts proportional to ``weights`` without losing an øre.

        Each part gets its floor share; the øre left over go one each to the parts with the largest remainders
        (ties: the earlier part). The parts always sum to the whole.
        """
        if not weights:
            raise ValueError("allocate needs at least one weight")
        if any(w < 0 for w in weights):
            raise ValueError("weights must not be negative")
        total_weight = sum((Decimal(w) for w in weights), Decimal(0))
        if total_weight == 0:
            raise ValueError("weights must not all be zero")
        sign = -1 if self.ore < 0 else 1
        whole = abs(self.ore)
        exact = [Decimal(whole) * Decimal(w) / total_weight for w in weights]
        floors = [int(e) for e in exact]  # exact >= 0, so int() is floor
        left = whole - sum(floors)
        by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
        for i in by_remainder[:left]:
            floors[i] += 1
        return [Money.from_ore(sign * part, self.currency) for part in floors]

    def split(self, parts: int) -> list[Money]:
        """Split into ``parts`` near-equal amounts that sum to the whole (the first parts carry the extra øre)."""
        if parts < 1:
            raise ValueError("split needs at least one part")
        return self.allocate([1] * parts)

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


#: Money of an amount known exact to the øre in a currency already seen, without the checks of construction
#: (:mod:`krav.domain.frozen`): for :meth:`Money.from_ore` and the arithmetic of :meth:`Money._exact` alone
_unchecked = builder(Money)


def format_amount(money: Money | Decimal) -> str:
    """An amount as Norwegian letters print it: ``1 234,50`` (thin groups by a space, decimal comma)."""
    amount = money.amount if isinstance(money, Money) else round_ore(money)
    sign = "-" if amount < 0 else ""
    whole, frac = f"{abs(amount):.2f}".split(".")
    return f"{sign}{_grouped(whole)},{frac}"


def format_count(count: int) -> str:
    """A count as Norwegian text writes it: ``99 990`` (thousands grouped by a space, as in :func:`format_amount`).

    >>> format_count(99990), format_count(999), format_count(-1234567)
    ('99 990', '999', '-1 234 567')
    """
    return ("-" if count < 0 else "") + _grouped(str(abs(count)))


def _grouped(whole: str) -> str:
    """The digits of a whole number in groups of three from the right, a space between."""
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return " ".join(groups)
