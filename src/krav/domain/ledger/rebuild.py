"""Rebuilding open items from a general ledger export: the pure rule R-IMP-1.

A SAF-T Financial file holds no open items, only each customer's opening and closing balance and the ledger
lines in between. :func:`rebuild_open_items` turns them back into items, per customer:

* the opening balance, when not zero, is one item dated the first day of the selection period;
* each debit line is an invoice, numbered by its ReferenceNumber, else its SourceDocumentID, else its
  TransactionID;
* a credit line whose ReferenceNumber names one of the customer's invoices settles it; the other credits
  settle the customer's oldest open debits first (oldest date, then number);
* what is left on the credit side stays an unmatched credit item;
* due date: the line's DueDate, else the invoice date plus the customer's payment terms, else plus the
  default terms (the agreement's, 14 days);
* the items must sum to the customer's closing balance, or the whole rebuild is refused.

Three readings of the rule that the text leaves open, decided here (the import report shows each):

1. *Numbers must identify.* A ReferenceNumber, SourceDocumentID or TransactionID shared by several lines of
   the file cannot be an invoice number (the official example file puts SourceDocumentID ``1234`` on six
   invoices of five customers), so the next rule is used; when even the TransactionID is shared (a voucher
   with lines for two customers) the number is ``TransactionID-RecordID``. ``number_note`` says why.
2. *A credit settles what was open at its date.* An unreferenced credit settles only debits dated on or before
   it; a payment that came before any invoice is a prepayment and stays an unmatched credit (R-VAL-1 then
   blocks the customer's items as ``customer_unmatched_entries`` until someone matches it by hand). Credits
   that name their invoice are applied first, whatever their date, since they are facts and FIFO is a guess.
3. *A credit that names an invoice pays that invoice only*; any excess stays an unmatched credit.

>>> from datetime import date
>>> result = rebuild_open_items(
...     [CustomerBalances("1001", opening=Money.of("100"), closing=Money.of("250"), payment_terms_days=10)],
...     [LedgerLine("7", "1", "1001", date(2024, 1, 5), Money.of("400"), source_document_id="F7"),
...      LedgerLine("8", "1", "1001", date(2024, 1, 20), Money.of("-250"))],
...     period_start=date(2024, 1, 1),
... )
>>> [(i.number, str(i.remaining.amount), i.due_date.isoformat()) for i in result.open_items()]
[('F7', '250.00', '2024-01-15')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from krav.domain.errors import ImportRefused, Problem
from krav.domain.money import Money, format_amount

DEFAULT_TERMS_DAYS = 14


class NumberRule(StrEnum):
    """Which part of R-IMP-1 gave an item its number."""

    OPENING_BALANCE = "opening balance"
    REFERENCE_NUMBER = "ReferenceNumber"
    SOURCE_DOCUMENT_ID = "SourceDocumentID"
    TRANSACTION_ID = "TransactionID"


class DueRule(StrEnum):
    """Which part of R-IMP-1 gave an item its due date (a credit has none)."""

    DUE_DATE = "DueDate"
    CUSTOMER_TERMS = "customer terms"
    DEFAULT_TERMS = "default terms"
    OPENING_BALANCE = "opening balance"
    CREDIT = "none (credit)"


class SettleRule(StrEnum):
    """Why a credit settled a debit."""

    REFERENCE_NUMBER = "ReferenceNumber"
    OLDEST_FIRST = "oldest first"


# -- input --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CustomerBalances:
    """A customer as the rebuild needs it: its number, balances (signed, debit positive) and payment terms."""

    customer: str
    opening: Money
    closing: Money
    payment_terms_days: int | None = None


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One general-ledger line on a receivables account that names a customer; ``amount`` debit positive."""

    transaction_id: str
    record_id: str
    customer: str
    transaction_date: date
    amount: Money
    reference_number: str | None = None
    source_document_id: str | None = None
    due_date: date | None = None
    description: str = ""


# -- output -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RebuiltItem:
    """An item as rebuilt, settled or not; ``amount`` and ``remaining`` are signed (debit positive)."""

    customer: str
    number: str
    number_rule: NumberRule
    amount: Money
    remaining: Money
    invoice_date: date
    due_date: date | None
    due_rule: DueRule
    transaction_id: str | None = None
    record_id: str | None = None
    reference: str | None = None  # the line's ReferenceNumber
    source_document_id: str | None = None
    description: str = ""
    number_note: str | None = None  # why an earlier numbering rule was passed over

    @property
    def is_debit(self) -> bool:
        return self.amount.is_positive()

    @property
    def is_credit(self) -> bool:
        return self.amount.is_negative()

    @property
    def is_open(self) -> bool:
        return not self.remaining.is_zero()


@dataclass(frozen=True, slots=True)
class Settlement:
    """``amount`` (positive) of the debit item ``debit`` was settled by the credit item ``credit``."""

    customer: str
    debit: str
    credit: str
    amount: Money
    rule: SettleRule


@dataclass(frozen=True, slots=True)
class RebuildResult:
    """Every rebuilt item (settled ones too, with remaining 0) and every settlement that was made."""

    items: tuple[RebuiltItem, ...]
    settlements: tuple[Settlement, ...]

    def open_items(self) -> tuple[RebuiltItem, ...]:
        """The items that still have something remaining: what the ledger keeps as open items."""
        return still_open(self.items)

    def for_customer(self, customer: str) -> tuple[RebuiltItem, ...]:
        return tuple(item for item in self.items if item.customer == customer)


def still_open(items: Iterable[RebuiltItem]) -> tuple[RebuiltItem, ...]:
    """The items whose remaining amount is not zero."""
    return tuple(item for item in items if item.is_open)


# -- the rule -----------------------------------------------------------------------------------------------


def rebuild_open_items(
    customers: Sequence[CustomerBalances],
    lines: Sequence[LedgerLine],
    *,
    period_start: date,
    default_terms_days: int = DEFAULT_TERMS_DAYS,
    source: str = "SAF-T",
) -> RebuildResult:
    """R-IMP-1: the open items of each customer, rebuilt from its opening balance and ledger lines.

    Raises :class:`ImportRefused` (naming ``source``) when a line names a customer that is not among
    ``customers``, a customer is listed twice, or a customer's items do not sum to its closing balance; every
    such problem is listed, not just the first.
    """
    problems = _input_problems(customers, lines)
    if problems:
        raise ImportRefused(source, problems)

    numbers = _Numbering(customers, lines, period_start)
    by_customer: dict[str, list[LedgerLine]] = {}
    for line in lines:
        by_customer.setdefault(line.customer, []).append(line)
    items: list[RebuiltItem] = []
    settlements: list[Settlement] = []
    for balances in customers:
        own = by_customer.get(balances.customer, [])
        customer_items, customer_settlements = _rebuild_customer(
            balances, own, numbers, period_start=period_start, default_terms_days=default_terms_days
        )
        try:
            total = Money.sum((item.remaining for item in customer_items), balances.closing.currency)
        except ValueError as exc:
            problems.append(Problem(f"customer {balances.customer}", "currency", str(exc)))
            continue
        if total != balances.closing:
            problems.append(_does_not_add_up(balances, own, total))
        items.extend(customer_items)
        settlements.extend(customer_settlements)
    if problems:
        raise ImportRefused(source, problems)
    return RebuildResult(tuple(items), tuple(settlements))


def _input_problems(customers: Sequence[CustomerBalances], lines: Sequence[LedgerLine]) -> list[Problem]:
    problems: list[Problem] = []
    seen = Counter(c.customer for c in customers)
    for number, count in seen.items():
        if count > 1:
            problems.append(Problem(f"customer {number}", None, f"listed {count} times in the customer register"))
    for line in lines:
        if line.customer not in seen:
            problems.append(
                Problem(
                    f"transaction {line.transaction_id}, record {line.record_id}",
                    "CustomerID",
                    f"customer {line.customer} is not in the customer register (MasterFiles)",
                )
            )
    return problems


def _does_not_add_up(balances: CustomerBalances, lines: Sequence[LedgerLine], total: Money) -> Problem:
    movement = Money.sum((line.amount for line in lines), balances.closing.currency)
    return Problem(
        f"customer {balances.customer}",
        "closing balance",
        f"the items sum to {_signed(total)} (opening balance {_signed(balances.opening)} plus {len(lines)} "
        f"line(s) of {_signed(movement)}) but the closing balance is {_signed(balances.closing)}; "
        "the file is incomplete or the balances are wrong",
    )


def _signed(money: Money) -> str:
    side = "credit" if money.is_negative() else "debit"
    return f"{format_amount(abs(money))} {money.currency} {side}" if not money.is_zero() else "0,00"


def _rebuild_customer(
    balances: CustomerBalances,
    lines: Sequence[LedgerLine],
    numbers: _Numbering,
    *,
    period_start: date,
    default_terms_days: int,
) -> tuple[list[RebuiltItem], list[Settlement]]:
    items: list[RebuiltItem] = []
    if not balances.opening.is_zero():
        items.append(
            RebuiltItem(
                customer=balances.customer,
                number=numbers.opening(balances.customer),
                number_rule=NumberRule.OPENING_BALANCE,
                amount=balances.opening,
                remaining=balances.opening,
                invoice_date=period_start,
                due_date=period_start if balances.opening.is_positive() else None,
                due_rule=DueRule.OPENING_BALANCE if balances.opening.is_positive() else DueRule.CREDIT,
                description="Inngående balanse",
            )
        )
    for line in lines:
        if line.amount.is_zero():
            continue
        number, rule, note = numbers.of(line)
        due_date, due_rule = _due(line, balances.payment_terms_days, default_terms_days)
        items.append(
            RebuiltItem(
                customer=balances.customer,
                number=number,
                number_rule=rule,
                amount=line.amount,
                remaining=line.amount,
                invoice_date=line.transaction_date,
                due_date=due_date,
                due_rule=due_rule,
                transaction_id=line.transaction_id,
                record_id=line.record_id,
                reference=line.reference_number,
                source_document_id=line.source_document_id,
                description=line.description,
                number_note=note,
            )
        )
    items.sort(key=lambda item: (item.invoice_date, item.is_credit, _natural(item.number)))
    settlements = _settle(items)
    return items, settlements


def _due(line: LedgerLine, terms: int | None, default_terms: int) -> tuple[date | None, DueRule]:
    if line.amount.is_negative():
        return None, DueRule.CREDIT
    if line.due_date is not None:
        return line.due_date, DueRule.DUE_DATE
    if terms is not None:
        return line.transaction_date + timedelta(days=terms), DueRule.CUSTOMER_TERMS
    return line.transaction_date + timedelta(days=default_terms), DueRule.DEFAULT_TERMS


def _settle(items: list[RebuiltItem]) -> list[Settlement]:
    """Apply the credits to the debits in place: first those that name their invoice, then the rest FIFO.

    ``items`` come sorted by date, side and natural number, so the debits are already oldest first (date, then
    number): the debits a credit names keep that order, and those on or before a date are a leading run of them.
    The work grows with the customer's items, not with its credits times its debits.
    """
    settlements: list[Settlement] = []
    debits = [i for i, item in enumerate(items) if item.is_debit]
    credits = [i for i, item in enumerate(items) if item.is_credit]

    def settle(credit: int, debit: int, rule: SettleRule) -> bool:
        """Settle what the credit can of the debit; whether the credit is used up (nothing was settled then)."""
        left = -items[credit].remaining
        if left.is_zero():
            return True
        amount = left.min(items[debit].remaining)
        if amount.is_positive():
            items[debit] = replace(items[debit], remaining=items[debit].remaining - amount)
            items[credit] = replace(items[credit], remaining=items[credit].remaining + amount)
            settlements.append(
                Settlement(items[debit].customer, items[debit].number, items[credit].number, amount, rule)
            )
        return False

    # Debits only shrink while credits are applied: one that is settled stays settled and is passed over once
    # for all, in the debits a reference names as in the oldest-first run.
    named_by: dict[str, _Run] = {}
    for debit in debits:
        for key in dict.fromkeys(_names_of(items[debit])):
            named_by.setdefault(key, _Run([])).debits.append(debit)
    unnamed: list[int] = []
    for credit in credits:
        reference = items[credit].reference
        named = named_by.get(reference) if reference else None
        if named is None:
            unnamed.append(credit)
            continue
        for debit in named.open_debits(items):
            if settle(credit, debit, SettleRule.REFERENCE_NUMBER):
                break
    oldest_first = _Run(debits)
    for credit in unnamed:
        on = items[credit].invoice_date
        for debit in oldest_first.open_debits(items):
            if items[debit].invoice_date > on or settle(credit, debit, SettleRule.OLDEST_FIRST):
                break
    return settlements


@dataclass(slots=True)
class _Run:
    """Debits in the order they are settled, and where the first that may still be open is."""

    debits: list[int]
    first: int = 0

    def open_debits(self, items: Sequence[RebuiltItem]) -> Iterator[int]:
        """The debits from the first one still open, in order; a settled one is passed over once for all."""
        while self.first < len(self.debits) and not items[self.debits[self.first]].remaining.is_positive():
            self.first += 1
        for k in range(self.first, len(self.debits)):
            yield self.debits[k]


def _names_of(debit: RebuiltItem) -> tuple[str, ...]:
    """What a credit's ReferenceNumber may say to name this invoice: its number, or what the file calls it."""
    return tuple(k for k in (debit.number, debit.reference, debit.source_document_id, debit.transaction_id) if k)


_DIGITS = re.compile(r"(\d+)")


def _natural(number: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts invoice ``99`` before ``100`` and ``F-9`` before ``F-10``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(number) if part)


class _Numbering:
    """Gives every item a number that is unique in the file, following the order of R-IMP-1.

    Invoice numbers are one series per company, so uniqueness is counted over all customers. A value shared
    by several lines identifies none of them and is passed over, with a note.
    """

    def __init__(self, customers: Sequence[CustomerBalances], lines: Sequence[LedgerLine], start: date) -> None:
        self._taken: set[str] = set()
        self._opening_numbers = {c.customer: f"IB-{c.customer}" for c in customers}
        self._taken.update(self._opening_numbers.values())
        items = [line for line in lines if not line.amount.is_zero()]
        debits = [line for line in items if line.amount.is_positive()]
        debit_keys = {(line.customer, key) for line in debits for key in _keys(line)}
        # A credit's ReferenceNumber normally names the invoice it pays; only when it names none of the
        # customer's invoices may it be the credit's own number (a credit note number).
        self._own_reference = {
            id(line): line.reference_number
            for line in items
            if line.reference_number
            and (line.amount.is_positive() or (line.customer, line.reference_number) not in debit_keys)
        }
        self._counts: dict[NumberRule, Counter[str | None]] = {
            NumberRule.REFERENCE_NUMBER: Counter(self._own_reference.values()),
            NumberRule.SOURCE_DOCUMENT_ID: Counter(line.source_document_id for line in items),
            NumberRule.TRANSACTION_ID: Counter(line.transaction_id for line in items),
        }

    def opening(self, customer: str) -> str:
        return self._opening_numbers[customer]

    def of(self, line: LedgerLine) -> tuple[str, NumberRule, str | None]:
        candidates = (
            (NumberRule.REFERENCE_NUMBER, self._own_reference.get(id(line))),
            (NumberRule.SOURCE_DOCUMENT_ID, line.source_document_id),
            (NumberRule.TRANSACTION_ID, line.transaction_id),
        )
        passed: list[str] = []
        for rule, value in candidates:
            if not value:
                continue
            count = self._counts[rule][value]
            if count == 1 and value not in self._taken:
                self._taken.add(value)
                return value, rule, "; ".join(passed) or None
            reason = f"on {count} lines" if count > 1 else "already the number of another item"
            passed.append(f"{rule} {value} is {reason}")
        number = f"{line.transaction_id}-{line.record_id}"
        suffix = 2
        while number in self._taken:
            number, suffix = f"{line.transaction_id}-{line.record_id}-{suffix}", suffix + 1
        self._taken.add(number)
        passed.append("RecordID added")
        return number, NumberRule.TRANSACTION_ID, "; ".join(passed)


def _keys(line: LedgerLine) -> tuple[str, ...]:
    return tuple(k for k in (line.reference_number, line.source_document_id, line.transaction_id) if k)
