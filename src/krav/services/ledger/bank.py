"""The creditor's own bank files into the built-in ledger: payments matched by KID or reference (R-LED-5, R-LED-6).

Each payment whose KID or text names one open invoice is posted against it (split into principal, fee, interest
and overpayment when R-LED-6 says so, and reported to collection); the others are left for the bookkeeper,
listed with the reason. The same file twice changes nothing, and a payment is posted once however many files
report it: the ledger keeps the bank's identity of each payment it posted
(:attr:`krav.formats.payments.IncomingPayment.bank_id`), and one posted from another file, or earlier in the same
one, is listed as already posted from that file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from krav.domain.errors import ImportRefused, Problem
from krav.domain.ledger import accounts as std_accounts
from krav.domain.ledger.open_items import OpenItem, SettledStatus
from krav.domain.money import Money
from krav.formats.payments import IncomingPayment, parse_payment_file
from krav.services.ledger.payments import pay_invoice_in
from krav.services.ports import ClaimFigures, ItemFilter, PostedBankPayment, UnitOfWork

_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]*")


@dataclass(frozen=True, slots=True)
class BankLine:
    reference: str
    amount: Money
    invoice: str | None
    matched_by: str | None
    reason: str | None = None
    voucher: int | None = None
    posted_from: str | None = None  # the file a payment was posted from before, when it was


@dataclass
class BankImportReport:
    filename: str
    already_imported: bool = False
    lines: list[BankLine] = field(default_factory=list)

    @property
    def posted(self) -> list[BankLine]:
        return [line for line in self.lines if line.invoice is not None]

    @property
    def left(self) -> list[BankLine]:
        return [line for line in self.lines if line.invoice is None and line.posted_from is None]

    @property
    def already_posted(self) -> list[BankLine]:
        """The payments posted before, from another file or earlier in this one: not posted again."""
        return [line for line in self.lines if line.posted_from is not None]


def _find(
    payment: IncomingPayment, by_kid: dict[str, OpenItem], by_number: dict[str, OpenItem]
) -> tuple[OpenItem | None, str | None, str | None]:
    if payment.is_reversal:
        return None, None, "a reversal: correct the books by hand"
    if payment.kid and payment.kid in by_kid:
        return by_kid[payment.kid], "kid", None
    named = {t for t in _TOKEN.findall(payment.free_text or "") if t in by_number}
    if payment.kid and payment.kid in by_number:
        named.add(payment.kid)
    if len(named) == 1:
        return by_number[named.pop()], "reference", None
    if len(named) > 1:
        return None, None, f"names several invoices ({', '.join(sorted(named))}): match by hand"
    return None, None, "no KID or invoice number of an open invoice"


def import_bank_file(
    uow: UnitOfWork,
    figures: ClaimFigures,
    orgno: str,
    data: bytes,
    *,
    filename: str,
    bank_account: str = std_accounts.BANK,
    on: date | None = None,
) -> BankImportReport:
    """Import a payment file of the creditor's own bank account into its ledger; ``on``, the business date,
    bounds the dates its payments may carry (a year ahead at most)."""
    parsed = parse_payment_file(data, filename=filename, on=on)
    digest = hashlib.sha256(data).hexdigest()
    report = BankImportReport(filename)
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        if uow.imports.find(company.id, "bank", digest) is not None:
            report.already_imported = True
            return report
        if bank_account not in uow.ledger.accounts(company.id):
            raise ImportRefused(
                filename, [Problem(filename, "bank_account", f"no account {bank_account} in the chart")]
            )
        items = [i for i in uow.ledger.items(company.id, ItemFilter(open_only=True)) if i.is_debit]
        by_kid = {i.kid: i for i in items if i.kid}
        by_number = {i.number: i for i in items}
        for payment in parsed.payments:
            before = uow.ledger.posted_bank_payment(company.id, payment.bank_id)
            if before is not None:
                seen = f"already posted from {before.filename}"
                report.lines.append(
                    BankLine(payment.reference, payment.amount, None, None, seen, None, before.filename)
                )
                continue
            item, how, reason = _find(payment, by_kid, by_number)
            if item is None or item.status is SettledStatus.SETTLED:
                report.lines.append(BankLine(payment.reference, payment.amount, None, None, reason or "settled"))
                continue
            result = pay_invoice_in(
                uow,
                figures,
                orgno,
                item.number,
                payment.amount,
                on=payment.paid_on,
                bank_account=bank_account,
                text=f"Innbetaling {item.number} ({payment.payer_name or payment.reference})"[:200],
            )
            voucher = result.vouchers[0]
            report.lines.append(BankLine(payment.reference, payment.amount, item.number, how, None, voucher.number))
            uow.ledger.add_posted_bank_payment(company.id, PostedBankPayment(payment.bank_id, filename, voucher.id))
            refreshed = uow.ledger.items(company.id, ItemFilter(numbers=[item.number], debits_only=True))
            if refreshed:
                by_number[item.number] = refreshed[0]
                if refreshed[0].kid:
                    by_kid[refreshed[0].kid] = refreshed[0]
        uow.imports.record(company.id, "bank", digest, filename, f'{{"posted": {len(report.posted)}}}')
        uow.commit()
    return report
