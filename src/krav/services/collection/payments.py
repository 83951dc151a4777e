"""Money in on the client account: payment files, KID matching, the manual-matching queue (R-BANK-1, R-BANK-2).

A file is imported whole or not at all, and the same file twice changes nothing (its SHA-256 and each payment's
reference within it are the key). A payment is the bank's transaction, not the file's bytes: one whose bank
identity (:attr:`krav.formats.payments.IncomingPayment.bank_id`) is on the client account already, from another
file or from earlier in the same one, is recorded as a duplicate naming the first sighting and is never applied.
Every other payment ends matched to a letter by its KID, or unmatched with a reason; matched + unmatched +
duplicates always equals the file's total to the øre. Matched payments are applied to the claims in the next
daily run, first thing (R-TIME-5).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from krav.domain.errors import FieldError, NotFound
from krav.domain.kid import is_valid_kid
from krav.domain.money import Money
from krav.domain.plausible import MAX_FILE_BYTES, PAYMENT_MESSAGE, check_file_size, fit_text
from krav.formats.payments import IncomingPayment, PaymentFile, parse_payment_file
from krav.services.ports import ClaimFilter, ClientPayment, PaymentStatus, UnitOfWork


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    """What became of one payment of a file: matched to a letter, unmatched with the reason, or a duplicate of a
    payment received before (``duplicate``; the reason names the first sighting)."""

    reference: str
    amount: Money
    paid_on: date
    kid: str | None
    matched: bool
    company: str | None = None
    letter: str | None = None
    reason: str | None = None
    duplicate: bool = False
    ordered_on: date | None = None  # the day the debtor's bank got the order, where the file says (R-CLM-14)


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
        return [o for o in self.outcomes if not o.matched and not o.duplicate]

    @property
    def duplicates(self) -> list[PaymentOutcome]:
        return [o for o in self.outcomes if o.duplicate]

    @property
    def matched_total(self) -> Money:
        return Money.sum((o.amount for o in self.matched), self.total.currency)

    @property
    def unmatched_total(self) -> Money:
        return Money.sum((o.amount for o in self.unmatched), self.total.currency)

    @property
    def duplicates_total(self) -> Money:
        return Money.sum((o.amount for o in self.duplicates), self.total.currency)


#: a payment booked this many days or more before the business day is not applied by itself: a person checks it
STALE_PAYMENT_DAYS = 365


def _why_unmatched(
    payment: IncomingPayment, letter_found: bool, *, written: date | None = None, on: date | None = None
) -> str | None:
    """Why a payment cannot go to a claim by itself (R-CLM-7: it goes to manual matching instead): among them a
    payment dated before the letter whose KID it carries was written (``written``), or more than a year before
    the business day ``on`` — plausible only as a mistake in the file or the KID."""
    if payment.is_reversal:
        return "a reversal of an earlier payment: handle it by hand"
    if payment.amount.currency != "NOK":
        return f"paid in {payment.amount.currency}; the client account takes NOK"
    if not payment.kid:
        return "no KID"
    if not is_valid_kid(payment.kid):
        return f"KID {payment.kid} fails its check digit"  # R-BANK-1
    if not letter_found:
        return f"no letter with KID {payment.kid}"
    paid = payment.ordered_on or payment.paid_on
    if written is not None and paid < written:
        return (
            f"paid {paid:%d.%m.%Y}, before the letter with KID {payment.kid} was written ({written:%d.%m.%Y}): "
            "check it by hand"
        )
    if on is not None and (on - payment.paid_on).days >= STALE_PAYMENT_DAYS:
        return f"paid {payment.paid_on:%d.%m.%Y}, more than a year before {on:%d.%m.%Y}: check it by hand"
    return None


def _duplicate_reason(first: ClientPayment) -> str:
    """Why a payment is not applied: the bank reported it before, as ``first`` (R-BANK-2)."""
    where = first.filename or first.source
    seen = f"{first.reference} in {where}, {first.received_on:%d.%m.%Y}"
    return f"already received as payment {first.id} ({seen}); not applied again"[:500]


def _message(payment: IncomingPayment) -> str | None:
    """What the payer wrote, kept to show the person who matches the payment by hand: on one line and cut to its
    column, never a reason to refuse the bank's file."""
    return fit_text(payment.free_text, limit=PAYMENT_MESSAGE)


def import_payments(uow: UnitOfWork, data: bytes, *, filename: str, on: date | None = None) -> PaymentImportReport:
    """R-BANK-2: read a Nets OCR giro or camt.054 file of the client account and record every payment, matched
    to its letter by KID (R-CLM-12) or queued for manual matching with the reason; a payment the bank reported
    before (the same bank identity) is recorded as a duplicate and not applied again."""
    parsed: PaymentFile = parse_payment_file(data, filename=filename, on=on)
    source = "sha256:" + hashlib.sha256(data).hexdigest()
    report = PaymentImportReport(filename, parsed.format, parsed.file_id, total=parsed.total)
    report.skipped = [f"{s.reference}: {s.amount.amount} {s.amount.currency}: {s.reason}" for s in parsed.skipped]
    with uow:
        if uow.collection.payments_from(source):
            report.already_imported = True
        firsts = uow.collection.payments_by_bank_id(p.bank_id for p in parsed.payments)
        letters = uow.collection.letters_of_kids(p.kid for p in parsed.payments if p.kid)
        orgnos: dict[int, str] = {}
        records: list[ClientPayment] = []
        sightings: list[tuple[ClientPayment, ClientPayment | int]] = []  # with the first, or its place in records
        in_file: dict[str, int] = {}
        for payment in parsed.payments:
            first = firsts.get(payment.bank_id)
            if first is not None and (first.source, first.reference) != (source, payment.reference):
                sightings.append((_sighting(payment, source, filename), first))
                report.outcomes.append(_duplicate_outcome(payment, first))
                continue
            earlier = in_file.get(payment.bank_id)
            if first is None and earlier is not None and records[earlier].reference != payment.reference:
                sightings.append((_sighting(payment, source, filename), earlier))
                report.outcomes.append(_duplicate_outcome(payment, None))
                continue
            letter = letters.get(payment.kid) if payment.kid else None
            reason = _why_unmatched(
                payment, letter is not None, written=letter.written if letter is not None else None, on=on
            )
            to = letter if letter is not None and reason is None else None
            if to is not None and to.company_id not in orgnos:
                orgnos[to.company_id] = uow.companies.by_id(to.company_id).orgno
            in_file.setdefault(payment.bank_id, len(records))
            records.append(
                replace(
                    _as_recorded(payment, source, filename),
                    company_id=to.company_id if to is not None else None,
                    letter_id=to.id if to is not None else None,
                    status=PaymentStatus.PENDING if reason is None else PaymentStatus.UNMATCHED,
                    reason=reason,
                )
            )
            report.outcomes.append(
                PaymentOutcome(
                    payment.reference,
                    payment.amount,
                    payment.paid_on,
                    payment.kid,
                    reason is None,
                    orgnos[to.company_id] if to is not None else None,
                    f"{to.debtor}/{to.n}" if to is not None else None,
                    reason,
                    ordered_on=payment.ordered_on,
                )
            )
        ids = uow.collection.add_payments(records)
        _record_duplicates(uow, sightings, records, ids, report)
        uow.commit()
    assert report.matched_total + report.unmatched_total + report.duplicates_total == report.total
    return report


def _as_recorded(payment: IncomingPayment, source: str, filename: str) -> ClientPayment:
    """A payment of the bank's file as the client account records it, before it is matched."""
    return ClientPayment(
        received_on=payment.paid_on,
        ordered_on=payment.ordered_on,
        amount=payment.amount,
        reference=payment.reference,
        source=source,
        kid=payment.kid,
        payer=payment.payer_name,
        bank_id=payment.bank_id,
        filename=filename,
        message=_message(payment),
    )


def _sighting(payment: IncomingPayment, source: str, filename: str) -> ClientPayment:
    """A second sighting of a payment on the account, never to be applied (R-BANK-2); its reason comes later."""
    return replace(_as_recorded(payment, source, filename), status=PaymentStatus.DUPLICATE)


def _duplicate_outcome(payment: IncomingPayment, first: ClientPayment | None) -> PaymentOutcome:
    """The report's line of a duplicate; its reason is filled in once the first sighting has its id."""
    reason = _duplicate_reason(first) if first is not None else None
    return PaymentOutcome(
        payment.reference, payment.amount, payment.paid_on, payment.kid, False, reason=reason, duplicate=True
    )


def _record_duplicates(
    uow: UnitOfWork,
    sightings: list[tuple[ClientPayment, ClientPayment | int]],
    records: list[ClientPayment],
    ids: list[int | None],
    report: PaymentImportReport,
) -> None:
    """Record the second sightings, each naming its first: one on the account before, or one of ``records`` (by
    its place; stored as ``ids``), whose reason goes into the report's outcome for it too."""
    if not sightings:
        return
    places = iter(n for n, o in enumerate(report.outcomes) if o.duplicate)
    rows: list[tuple[ClientPayment, int]] = []
    for sighting, first in sightings:
        place = next(places)
        if isinstance(first, int):
            first_id = ids[first]
            assert first_id is not None  # a payment of this file, stored just now
            first = replace(records[first], id=first_id)
            report.outcomes[place] = replace(report.outcomes[place], reason=_duplicate_reason(first))
        assert first.id is not None
        rows.append((replace(sighting, reason=_duplicate_reason(first)), first.id))
    uow.collection.add_duplicates(rows)


def received(uow: UnitOfWork, orgno: str | None = None) -> list[ClientPayment]:
    """Every payment on the client account (of one creditor, if ``orgno``), with the day it was booked, the day
    the debtor's bank got the order where the file says (R-CLM-14), its status and reason."""
    with uow:
        company_id = None
        if orgno is not None:
            company_id = uow.companies.get(orgno).id
        return uow.collection.payments(company_id=company_id)


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


#: The folders of the inbox that imported and refused files move to.
DONE, REFUSED = "done", "refused"


def import_inbox(
    uow: UnitOfWork, inbox: Path, *, on: date | None = None, max_bytes: int = MAX_FILE_BYTES
) -> list[InboxResult]:
    """The daily run's first act: import every file waiting in the inbox folder; each moves to ``done/`` or,
    refused, to ``refused/`` with a ``.error`` file saying why.

    Nothing there is overwritten: a file named as one moved there before (the same name on a later day) gets a
    number (``ocr.txt`` → ``ocr-2.txt``). A symbolic link is refused unread, as is a file of more than
    ``max_bytes``. A plain file named ``done`` or ``refused`` is moved aside first (``done-2``) and imported
    like any other, so that the folders can be made."""
    from krav.domain.errors import KravError

    results: list[InboxResult] = []
    if not inbox.is_dir():
        return results
    for folder in (DONE, REFUSED):
        _free_folder_name(inbox, folder)
    for path in sorted(inbox.iterdir()):
        if path.name.startswith(".") or (path.name in (DONE, REFUSED) and _is_real_dir(path)):
            continue
        if path.is_symlink():
            results.append(_refuse(inbox, path, "a symbolic link: the inbox takes files, not links to files elsewhere"))
            continue
        if not path.is_file():
            continue
        try:
            data = _read_inbox_file(path, max_bytes)
        except OSError as exc:  # unreadable now (its rights, or made a link meanwhile): left for the next run
            results.append(InboxResult(path, None, f"cannot be read ({exc.strerror}); left in the inbox"))
            continue
        except KravError as exc:
            results.append(_refuse(inbox, path, str(exc)))
            continue
        try:
            report = import_payments(uow, data, filename=path.name, on=on)
        except KravError as exc:
            results.append(_refuse(inbox, path, str(exc)))
            continue
        _move(path, inbox / DONE)
        results.append(InboxResult(path, report, None))
    return results


def _is_real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _free_folder_name(inbox: Path, name: str) -> None:
    """Move aside whatever holds the folder's name and is no folder (a file, a link), to be imported with the rest."""
    path = inbox / name
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.rename(_free_name(inbox, name))


def _free_name(folder: Path, name: str, *companions: str) -> Path:
    """``folder/name``, or the first ``stem-2.suffix``, ``stem-3.suffix`` … taken by nothing, nor its companions
    (``name`` + each suffix in ``companions``)."""
    stem, dot, suffix = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
    n = 1
    while True:
        candidate = name if n == 1 else f"{stem}-{n}{dot}{suffix}"
        if not any(_taken(folder / f"{candidate}{extra}") for extra in ("", *companions)):
            return folder / candidate
        n += 1


def _taken(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _move(path: Path, folder: Path, *companions: str) -> Path:
    folder.mkdir(exist_ok=True)
    target = _free_name(folder, path.name, *companions)
    path.rename(target)
    return target


def _read_inbox_file(path: Path, max_bytes: int) -> bytes:
    # O_NOFOLLOW: a file swapped for a link since it was listed is not followed either
    with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb") as file:
        check_file_size(os.fstat(file.fileno()).st_size, file=path.name, limit=max_bytes)
        data = file.read(max_bytes + 1)
    check_file_size(len(data), file=path.name, limit=max_bytes)  # it grew while being read
    return data


def _refuse(inbox: Path, path: Path, error: str) -> InboxResult:
    target = _move(path, inbox / REFUSED, ".error")
    (target.parent / f"{target.name}.error").write_text(error + "\n", "utf-8")
    return InboxResult(path, None, error)
