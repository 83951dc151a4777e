"""Money in on the client account: payment files, KID matching, the manual-matching queue (R-BANK-1, R-BANK-2).

A file is imported whole or not at all, and the same file twice changes nothing (its SHA-256 and each payment's
reference within it are the key). Every payment ends matched to a letter by its KID, or unmatched with a
reason; matched + unmatched always equals the file's total to the øre. Matched payments are applied to the
claims in the next daily run, first thing (R-TIME-5).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from krav.domain.errors import FieldError, NotFound
from krav.domain.kid import is_valid_kid
from krav.domain.money import Money
from krav.formats.payments import IncomingPayment, PaymentFile, parse_payment_file
from krav.services.ports import ClaimFilter, ClientPayment, PaymentStatus, UnitOfWork


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    reference: str
    amount: Money
    paid_on: date
    kid: str | None
    matched: bool
    company: str | None = None
    letter: str | None = None
    reason: str | None = None


@dataclass
class PaymentImportReport:
    filename: str
    format: str
    file_id: str
    already_imported: bool = False
    outcomes: list[PaymentOutcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    total: Money = field(default_factory=Money.zero)

    @property
    def matched(self) -> list[PaymentOutcome]:
        return [o for o in self.outcomes if o.matched]

    @property
    def unmatched(self) -> list[PaymentOutcome]:
        return [o for o in self.outcomes if not o.matched]

    @property
    def matched_total(self) -> Money:
        return Money.sum((o.amount for o in self.matched), self.total.currency)

    @property
    def unmatched_total(self) -> Money:
        return Money.sum((o.amount for o in self.unmatched), self.total.currency)


def _why_unmatched(payment: IncomingPayment, letter_found: bool) -> str | None:
    """Why a payment cannot go to a claim by itself (R-CLM-7: it goes to manual matching instead)."""
    if payment.is_reversal:
        return "a reversal of an earlier payment: handle it by hand"
    if payment.amount.currency != "NOK":
        return f"paid in {payment.amount.currency}; the client account takes NOK"
    if not payment.kid:
        return "no KID"
    if not is_valid_kid(payment.kid):
        return f"KID {payment.kid} fails its check digit (R-BANK-1)"
    if not letter_found:
        return f"no letter with KID {payment.kid}"
    return None


def import_payments(uow: UnitOfWork, data: bytes, *, filename: str) -> PaymentImportReport:
    """R-BANK-2: read a Nets OCR giro or camt.054 file of the client account and record every payment, matched
    to its letter by KID (R-CLM-12) or queued for manual matching with the reason."""
    parsed: PaymentFile = parse_payment_file(data, filename=filename)
    source = "sha256:" + hashlib.sha256(data).hexdigest()
    report = PaymentImportReport(filename, parsed.format, parsed.file_id, total=parsed.total)
    report.skipped = [f"{s.reference}: {s.amount.amount} {s.amount.currency}: {s.reason}" for s in parsed.skipped]
    with uow:
        if uow.collection.payments_from(source):
            report.already_imported = True
        for payment in parsed.payments:
            letter = uow.collection.letter_by_kid(payment.kid) if payment.kid else None
            reason = _why_unmatched(payment, letter is not None)
            company_orgno = None
            if letter is not None and reason is None:
                company_orgno = uow.companies.by_id(letter.company_id).orgno
            record = ClientPayment(
                received_on=payment.paid_on,
                amount=payment.amount,
                reference=payment.reference,
                source=source,
                kid=payment.kid,
                payer=payment.payer_name,
                company_id=letter.company_id if letter is not None and reason is None else None,
                letter_id=letter.id if letter is not None and reason is None else None,
                status=PaymentStatus.PENDING if reason is None else PaymentStatus.UNMATCHED,
                reason=reason,
            )
            uow.collection.add_payment(record)
            report.outcomes.append(
                PaymentOutcome(
                    payment.reference,
                    payment.amount,
                    payment.paid_on,
                    payment.kid,
                    reason is None,
                    company_orgno,
                    f"{letter.debtor}/{letter.n}" if letter is not None and reason is None else None,
                    reason,
                )
            )
        uow.commit()
    assert report.matched_total + report.unmatched_total == report.total
    return report


def unmatched(uow: UnitOfWork) -> list[ClientPayment]:
    """The manual-matching queue: payments that found no letter by themselves, with the reason."""
    with uow:
        return uow.collection.payments(status=PaymentStatus.UNMATCHED)


def assign(
    uow: UnitOfWork, payment_id: int, *, kid: str | None = None, orgno: str | None = None, invoice: str | None = None
) -> ClientPayment:
    """Settle an unmatched payment by hand: to the letter with ``kid``, or to the latest letter of the claim for
    ``invoice`` of company ``orgno``. It is applied in the next daily run."""
    with uow:
        found = [p for p in uow.collection.payments(status=PaymentStatus.UNMATCHED) if p.id == payment_id]
        if not found:
            raise NotFound(f"no unmatched payment {payment_id}")
        payment = found[0]
        if payment.amount.is_negative():
            raise FieldError("payment", "a reversal cannot be assigned to a letter; correct it in the books")
        if kid:
            letter = uow.collection.letter_by_kid(kid)
            if letter is None:
                raise NotFound(f"no letter with KID {kid}")
        elif orgno and invoice:
            company = uow.companies.get(orgno)
            assert company.id is not None
            claims = uow.collection.claims(company.id, ClaimFilter(invoice_numbers=[invoice]))
            if not claims or claims[0].id is None:
                raise NotFound(f"no claim for invoice {invoice} of {orgno}")
            letters = [lt for lt in uow.collection.letters(company.id, claim_id=claims[0].id) if lt.kid]
            if not letters:
                raise NotFound(f"the claim for invoice {invoice} has no letter to pay yet")
            letter = letters[-1]
        else:
            raise FieldError("assign", "give --kid, or --company and --invoice")
        assert payment.id is not None
        uow.collection.set_payment_status(
            payment.id,
            PaymentStatus.PENDING,
            reason=f"assigned by hand (was: {payment.reason})",
            letter=(letter.company_id, letter.id),
        )
        uow.commit()
        return payment


@dataclass(frozen=True, slots=True)
class InboxResult:
    path: Path
    report: PaymentImportReport | None
    error: str | None


def import_inbox(uow: UnitOfWork, inbox: Path) -> list[InboxResult]:
    """The daily run's first act: import every file waiting in the inbox folder; each moves to ``done/`` or,
    refused, to ``refused/`` with a ``.error`` file saying why."""
    from krav.domain.errors import KravError

    results: list[InboxResult] = []
    if not inbox.is_dir():
        return results
    for path in sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            report = import_payments(uow, path.read_bytes(), filename=path.name)
        except KravError as exc:
            target = inbox / "refused"
            target.mkdir(exist_ok=True)
            path.replace(target / path.name)
            (target / f"{path.name}.error").write_text(str(exc) + "\n", "utf-8")
            results.append(InboxResult(path, None, str(exc)))
            continue
        target = inbox / "done"
        target.mkdir(exist_ok=True)
        path.replace(target / path.name)
        results.append(InboxResult(path, report, None))
    return results
