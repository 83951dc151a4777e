"""Incoming payment files: what every bank format yields, and reading a file by its content (R-BANK-2).

Two formats bring payments in: Nets OCR giro (:mod:`krav.formats.ocr_giro`) and ISO 20022 camt.054
(:mod:`krav.formats.camt054`). Both give a :class:`PaymentFile`: the payments to the client account, the
entries that are no payment to it (each with its reason), and the total the file credits.

Identity: :attr:`IncomingPayment.bank_id` is the bank's transaction, not the file's bytes. It is read from what
the bank numbers the transaction by (the OCR transmission, assignment and transaction numbers with the Nets
agreement; the camt.054 account servicer's reference with the account and the booking date), so the same payment
has the same ``bank_id`` however the file is written again: other line endings, another indentation, the entries
in another order or in several notifications. Each format's module says how it makes it. Two payments with one
``bank_id`` are one payment seen twice; the importer applies the first sighting only.

Sign convention: :attr:`IncomingPayment.amount` is signed. A payment is positive; a reversal of an earlier
payment (OCR giro sign ``-``; camt.054 debit entry with ``RvslInd`` true) is negative, with
:attr:`IncomingPayment.is_reversal` true. ``PaymentFile.total`` is the net sum, checked against the file's own
totals by the format's parser; a :class:`PaymentFile` cannot be built whose total is not the sum of its
payments.

:func:`parse_payment_file` tells the formats apart by content, never by the file name: OCR giro files are
80-character lines starting ``NY``; camt.054 is XML whose root is ``Document`` in a namespace
``urn:iso:std:iso:20022:tech:xsd:camt.054.001.0N``. Anything else, an AvtaleGiro agreement file included, is
refused as "not a payment file".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from krav.domain.errors import FileFormatError
from krav.domain.money import Money

__all__ = [
    "IncomingPayment",
    "PaymentFile",
    "SkippedEntry",
    "parse_payment_file",
]


@dataclass(frozen=True, slots=True)
class IncomingPayment:
    """One payment to the client account, or the reversal of one (negative ``amount``), as the bank reports it.

    ``reference`` is unique within its file and the same each time the file is read (the importer's
    idempotency key together with the file). ``bank_id`` is the bank's identity of the transaction, the same in
    every file that reports it (see the module docstring); a file may repeat it, when the bank reports one
    payment twice. ``kid`` is the KID as given, blanks removed; it is not checked here: an invalid KID sends the
    payment to manual matching (R-BANK-1). ``paid_on`` is the day the payment was booked on the client account;
    ``ordered_on`` the day the debtor's bank received the order, where the file says (OCR giro: the bank date of
    the transaction; camt.054: ``AccptncDtTm``), else None (R-CLM-14).
    """

    reference: str
    amount: Money
    paid_on: date
    kid: str | None
    bank_id: str
    payer_name: str | None = None
    payer_account: str | None = None
    free_text: str | None = None
    creditor_account: str | None = None
    source_line: int | None = None
    end_to_end_id: str | None = None
    ordered_on: date | None = None

    @property
    def is_reversal(self) -> bool:
        """Whether this takes back an earlier payment (its amount is negative)."""
        return self.amount.is_negative()


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """An entry of the file that is no payment to the client account (a debit, a pending entry, an
    AvtaleGiro agreement …), kept for the import report. ``amount`` is as written, without sign."""

    reference: str
    amount: Money
    reason: str
    booked_on: date | None = None
    source_line: int | None = None


@dataclass(frozen=True, slots=True)
class PaymentFile:
    """A bank file read whole: its payments, what was skipped and why, and its total (R-BANK-2).

    ``format`` is ``"ocr_giro"`` or ``"camt054.001.0N"``; ``file_id`` the OCR transmission number or the
    camt.054 ``GrpHdr/MsgId``; ``created`` the date the bank made the file (Nets date of the transmission;
    ``GrpHdr/CreDtTm``). ``total`` is the net sum of ``payments``: refused otherwise.
    """

    format: str
    file_id: str
    created: date | None
    payments: tuple[IncomingPayment, ...]
    skipped: tuple[SkippedEntry, ...]
    total: Money
    filename: str = ""

    def __post_init__(self) -> None:
        # The balance check no parser can skip: total = sum of the payments, one currency, unique references,
        # every payment with its bank identity.
        for payment in self.payments:
            if not payment.bank_id:
                raise ValueError(f"payment {payment.reference} has no bank identity")
            if payment.amount.currency != self.total.currency:
                raise ValueError(
                    f"payment {payment.reference} is in {payment.amount.currency}, the file total in "
                    f"{self.total.currency}"
                )
        computed = Money.sum((p.amount for p in self.payments), self.total.currency)
        if computed != self.total:
            raise ValueError(f"the payments sum to {computed}, the file total is {self.total}")
        references = [p.reference for p in self.payments]
        if len(set(references)) != len(references):
            raise ValueError("payment references repeat within the file")

    @property
    def reversals(self) -> tuple[IncomingPayment, ...]:
        """The payments that take back earlier ones."""
        return tuple(p for p in self.payments if p.is_reversal)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"


def parse_payment_file(data: bytes, *, filename: str, on: date | None = None) -> PaymentFile:
    """Read a Nets OCR giro or ISO 20022 camt.054 file, telling them apart by content (R-BANK-2).

    Raises :class:`FileFormatError` naming ``filename`` (and the line or element) for a file that is neither,
    an AvtaleGiro agreement file ("not a payment file: an AvtaleGiro agreement file"), a damaged file, or one
    whose own totals do not add up; :class:`ImportRefused` for one with an implausible payment (an amount of 0
    or over the maximum, a date outside the window around the business date ``on``, a reference too long:
    :mod:`krav.formats.payment_bounds`). Nothing is returned for such a file: it is imported whole or not at all.
    """
    from krav.formats.payment_bounds import check_payments

    return check_payments(_read_payment_file(data, filename=filename), on=on)


def _read_payment_file(data: bytes, *, filename: str) -> PaymentFile:
    # Imported here: both format modules build the types above.
    from krav.formats.camt054 import parse_camt054
    from krav.formats.ocr_giro import parse_ocr_giro

    if data.startswith(_UTF16_BOMS):
        return parse_camt054(data, filename=filename)
    head = data.removeprefix(_UTF8_BOM).lstrip()
    if not head:
        raise FileFormatError(filename, "not a payment file: the file is empty")
    if head.startswith(b"NY"):
        return parse_ocr_giro(data, filename=filename)
    if head.startswith(b"<"):
        return parse_camt054(data, filename=filename)
    raise FileFormatError(
        filename,
        "not a payment file: neither Nets OCR giro (80-character records starting 'NY') nor ISO 20022 camt.054 XML",
        line=1,
    )
