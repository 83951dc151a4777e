"""Claims from an earlier collection service, as CSV: one row per claim (docs/migration.md).

The columns are the fields of the JSON Lines format (:mod:`krav.formats.claims_import`) but ``payments``; a
payment goes in the columns ``payment_date``, ``payment_amount``, ``payment_principal``, ``payment_fees``,
``payment_salaer`` and ``payment_interest`` of the claim's row, and each further payment of the claim on a row
of its own that repeats the ``invoice`` and leaves the claim's other columns empty. Encoding, delimiter, dates
(``YYYY-MM-DD`` or ``DD.MM.YYYY``) and amounts (``1234.50``, ``1 234,50``) are read as in the other CSV imports
(:mod:`krav.formats.csv_dialect`); every problem is named with its line and column, and the file refused whole.

>>> [c.stage for c in parse_claims_csv(
...     b"invoice;customer;stage;earlier_id;principal;notice_sent;notice_deadline\\n"
...     b"1001;10001;notice;AC-1;1 000,00;28.03.2025;11.04.2025\\n", filename="k.csv")]
['notice']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from krav.domain.collection.migrated import MigratedClaim, MigratedPayment
from krav.domain.errors import ImportRefused, Problem
from krav.domain.money import Money, parse_decimal
from krav.domain.plausible import check_amount
from krav.formats.claims_import import AMOUNTS, DATES, TEXTS
from krav.formats.csv_dialect import Columns, Row, read_rows
from krav.formats.ledger_csv import read_date

PAYMENT_COLUMNS = (
    "payment_date",
    "payment_amount",
    "payment_principal",
    "payment_fees",
    "payment_salaer",
    "payment_interest",
)
_CLAIM_COLUMNS = (*TEXTS, "principal", "currency", "kid", *DATES, *AMOUNTS)
_COLUMNS = Columns(names=(*_CLAIM_COLUMNS, *PAYMENT_COLUMNS), required=(*TEXTS, "principal"), aliases={})


def _amount(currency: str) -> Callable[[str], Money]:
    def read(text: str) -> Money:
        try:
            value = parse_decimal(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an amount (write 1234.50, 1234,50 or 1 234,50)") from None
        check_amount(value, field="amount", allow_zero=True)
        return Money.of(value, currency)

    return read


def _payment(row: Row, currency: str, n: int) -> MigratedPayment | None:
    if not any(row.get(c) for c in PAYMENT_COLUMNS):
        return None
    amount = _amount(currency)
    on = row.required("payment_date", read_date)
    total = row.required("payment_amount", amount)
    principal, fees, salaer, interest = (
        row.field(c, amount, default=Money.zero(currency)) for c in PAYMENT_COLUMNS[2:]
    )
    if on is None or total is None:
        return None
    return MigratedPayment(on, total, principal, fees, salaer, interest, where=f"{row.where}, payment {n}")


def _claim(row: Row) -> MigratedClaim | None:
    currency = (row.get("currency") or "NOK").upper()
    amount = _amount(currency)
    texts = {name: row.text(name) for name in TEXTS}
    principal = row.required("principal", amount)
    dates = {name: row.field(name, read_date, default=None) for name in DATES}
    amounts = {name: row.field(name, amount, default=None) for name in AMOUNTS}
    payment = _payment(row, currency, 1)
    if principal is None or any(v is None for v in texts.values()):
        return None
    return MigratedClaim(
        where=row.where,
        invoice=texts["invoice"] or "",
        customer=texts["customer"] or "",
        stage=texts["stage"] or "",
        earlier_id=texts["earlier_id"] or "",
        principal=principal,
        kid=row.get("kid"),
        payments=() if payment is None else (payment,),
        **dates,  # type: ignore[arg-type]
        **amounts,  # type: ignore[arg-type]
    )


def parse_claims_csv(data: bytes, *, filename: str) -> list[MigratedClaim]:
    """The claims of a migration file in CSV, each with its line; every bad row and column refuses the file."""
    claims: dict[str, MigratedClaim] = {}
    problems: list[Problem] = []
    for row in read_rows(data, filename, _COLUMNS):
        invoice = row.get("invoice")
        earlier = claims.get(invoice or "")
        if earlier is not None and not any(row.get(c) for c in _CLAIM_COLUMNS if c != "invoice"):
            payment = _payment(row, earlier.principal.currency, len(earlier.payments) + 1)
            if payment is None and not row.problems:
                row.problem("payment_date", "a row that repeats an invoice holds one more of its payments")
            if payment is not None:
                claims[earlier.invoice] = _with(earlier, payment)
        elif earlier is not None:
            row.problem("invoice", f"{invoice} is already on {earlier.where}: repeat it only for a further payment")
        else:
            claim = _claim(row)
            if claim is not None and not row.problems:
                claims[claim.invoice] = claim
        problems.extend(row.problems)
    if problems:
        raise ImportRefused(filename, problems)
    return list(claims.values())


def _with(claim: MigratedClaim, payment: MigratedPayment) -> MigratedClaim:
    return replace(claim, payments=(*claim.payments, payment))
