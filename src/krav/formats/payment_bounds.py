"""The plausibility of a bank file's payments, checked whole before any is imported (R-BANK-2).

A bank file that parses can still carry what no bank means: a payment of 10^15 kroner (it would be matched and
remitted), one of 0,00, a date in the year 1 or 9999, a reference or payer name longer than its column, a KID
longer than 25 characters, a NUL byte. Every payment is checked against :mod:`krav.domain.plausible`, and the
file is refused whole with every problem, each naming the line and the field, when one fails:

* ``amount``: not 0, at most 100 000 000 000,00 either way (:data:`~krav.domain.plausible.MAX_AMOUNT`);
* ``date paid`` (and the file's own date): from 1990-01-01 to a year after the business date, or to 2099-12-31
  where the business date is not known (:func:`~krav.domain.plausible.payment_dates`);
* ``reference`` and ``payer name``: at most 200 characters, ``KID`` at most 25, each on one line.

The payer's free text is not checked: it is only ever shown, so the importer keeps it on one line and cut to its
column (:func:`~krav.domain.plausible.fit_text`) rather than refuse the bank's file for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from krav.domain.errors import FieldError, ImportRefused, Problem
from krav.domain.plausible import (
    KID,
    PAYMENT_REFERENCE,
    check_amount,
    check_date,
    check_text,
    payment_dates,
)
from krav.formats.payments import IncomingPayment, PaymentFile

__all__ = ["check_payments"]


def check_payments(parsed: PaymentFile, *, on: date | None = None) -> PaymentFile:
    """``parsed`` unchanged when every payment in it is plausible, with ``on`` the business date (None: not
    known); else :class:`ImportRefused` listing each implausible field."""
    filename = parsed.filename or "payment file"
    earliest, latest = payment_dates(on)
    problems: list[Problem] = []

    def collect(where: str, check: Callable[[], object]) -> None:
        try:
            check()
        except FieldError as exc:
            problems.append(Problem(where, exc.field, exc.problem))

    if parsed.created is not None:
        created = parsed.created
        collect(filename, lambda: check_date(created, field="file date", earliest=earliest, latest=latest))
    for payment in parsed.payments:
        where = _where(filename, payment)
        for check in _checks(payment, earliest, latest):
            collect(where, check)
    if problems:
        raise ImportRefused(filename, problems)
    return parsed


def _where(filename: str, payment: IncomingPayment) -> str:
    if payment.source_line is not None:
        return f"{filename}, line {payment.source_line}"
    return f"{filename}, payment {payment.reference[:40]}"


def _checks(payment: IncomingPayment, earliest: date, latest: date) -> list[Callable[[], object]]:
    return [
        lambda: check_amount(payment.amount, field="amount"),
        lambda: check_date(payment.paid_on, field="date paid", earliest=earliest, latest=latest),
        lambda: check_text(payment.reference, field="reference", limit=PAYMENT_REFERENCE),
        lambda: check_text(payment.kid, field="KID", limit=KID),
        lambda: check_text(payment.payer_name, field="payer name", limit=PAYMENT_REFERENCE),
    ]
