"""Nets OCR giro: the payments Nets reports to a payee, read from a transmission file (R-BANK-2).

A transmission is 80-character records (ISO-8859-1), each parsed by otovo's ``netsgiro`` records API, one
line at a time so that every problem names its line::

    10 transmission start         (transmission number, data transmitter, data recipient)
      20 assignment start         (service code 09, agreement id, assignment number, account credited)
        30 amount item 1          (transaction number, Nets date, sign, amount in øre, KID)
        31 amount item 2          (form number, archive reference, bank date, debited account)
        32 amount item 3          (free text; transaction types 20 and 21)
      88 assignment end           (number of transactions, of records, total amount, dates)
    89 transmission end           (number of transactions, of records, total amount, Nets date)

Each transaction becomes an :class:`~krav.formats.payments.IncomingPayment`: the amount signed by the sign
field of amount item 1 (position 32: ``-`` is a reversal, made negative here; ``netsgiro`` reads the field but
leaves the amount unsigned), the KID as given (positions 50-74, blanks removed), the Nets date as the date
paid, the debited account (when not zeros) as the payer's account, the assignment account as the account
credited, and ``transmission/assignment/transaction`` numbers as the reference.

The payment's identity (:attr:`~krav.formats.payments.IncomingPayment.bank_id`) is what Nets numbers it by:
``ocr:AGREEMENT:TRANSMISSION/ASSIGNMENT/TRANSACTION``, the agreement id of the assignment start (the payee's OCR
agreement with Nets, which names the account credited), the transmission number of the transmission start, the
assignment number and the transaction number of amount item 1. Nets numbers each transmission it sends a data
recipient, each assignment within it and each transaction within an assignment, so the four name one
transaction whatever bytes carry them: the same transmission saved with CRLF line endings, or with a byte order
mark, has the same identities.

The file's own totals are checked, and the file refused whole when one does not hold: every assignment end
and the transmission end must count the transactions and records that are there, and declare the **net**
sum (reversals subtracted) in øre. Net, because the example transmission of Nets' OCR giro system
specification (reproduced in ``tests/data/nets_ocr_giro_spec_example.txt``) carries three ``-`` transactions
of 250,00, 400,00 and 1 500,00 among 23 and declares 15 630,00: the gross sum would be 19 930,00. A net
negative total cannot be written in the unsigned total field; such a file is refused.

Two things ``netsgiro`` 2.0.1 does not admit are handled here: a MOD11 KID whose check digit is 10 ends in
``-`` (R-BANK-1), which its layout for amount item 1 refuses, so that character is masked for ``netsgiro`` and
the KID read from the line itself; and its ``Transmission.from_records`` groups assignments by number without
noticing a missing end record, so the structure is walked here.

An AvtaleGiro agreement file (service code 21, assignment type 24) is no payment file and is refused; agreement
assignments inside an OCR giro transmission are skipped, each agreement reported. AvtaleGiro payment claims
(service 21, types 00 and 36) are files a payee sends to Nets, and are refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netsgiro import AssignmentType, ServiceCode
from netsgiro.records import (
    AssignmentEnd,
    AssignmentStart,
    AvtaleGiroAgreement,
    Record,
    TransactionAmountItem1,
    TransactionAmountItem2,
    TransactionAmountItem3,
    TransactionSpecification,
    TransmissionEnd,
    TransmissionStart,
)

from krav.domain.errors import FileFormatError
from krav.domain.money import Money, format_amount
from krav.formats.payments import IncomingPayment, PaymentFile, SkippedEntry

__all__ = ["OCR_GIRO_FORMAT", "RECORD_LENGTH", "parse_ocr_giro"]

OCR_GIRO_FORMAT = "ocr_giro"
RECORD_LENGTH = 80

_RECORDS: dict[str, tuple[type[Record], str]] = {
    "10": (TransmissionStart, "transmission start"),
    "20": (AssignmentStart, "assignment start"),
    "30": (TransactionAmountItem1, "amount item 1"),
    "31": (TransactionAmountItem2, "amount item 2"),
    "32": (TransactionAmountItem3, "amount item 3"),
    "49": (TransactionSpecification, "specification"),
    "70": (AvtaleGiroAgreement, "AvtaleGiro agreement"),
    "88": (AssignmentEnd, "assignment end"),
    "89": (TransmissionEnd, "transmission end"),
}
_UTF8_BOM = b"\xef\xbb\xbf"
# 0-based slices of amount item 1 (record type 30, service code 09)
_SIGN = 31
_KID = slice(49, 74)


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str
    record: Record

    @property
    def name(self) -> str:
        return _RECORDS[self.text[6:8]][1]


@dataclass(frozen=True, slots=True)
class _Transaction:
    item1: _Line
    item2: _Line
    item3: _Line | None


@dataclass(slots=True)
class _Assignment:
    start: _Line
    end: _Line
    body: list[_Line] = field(default_factory=list)
    transactions: list[_Transaction] = field(default_factory=list)  # OCR giro only

    @property
    def record(self) -> AssignmentStart:
        record = self.start.record
        assert isinstance(record, AssignmentStart)
        return record

    @property
    def end_record(self) -> AssignmentEnd:
        record = self.end.record
        assert isinstance(record, AssignmentEnd)
        return record

    @property
    def is_ocr_giro(self) -> bool:
        return self.record.service_code == ServiceCode.OCR_GIRO


def parse_ocr_giro(data: bytes, *, filename: str) -> PaymentFile:
    """The payments of a Nets OCR giro transmission, with its totals checked (R-BANK-2).

    Raises :class:`FileFormatError` naming ``filename`` and the line for a record that is not 80 characters, of
    an unknown type or not in the Nets layout, a transmission or assignment that does not start or end where it
    should (a truncated file has no transmission end), a total, transaction count or record count that does
    not match what is there, and for files that are not payment files (AvtaleGiro agreements or claims).
    """
    lines = [_record(number, text, filename) for number, text in _split_lines(data, filename)]
    start, assignments, end = _structure(lines, filename)
    if assignments and not any(a.is_ocr_giro for a in assignments):
        raise FileFormatError(filename, "not a payment file: an AvtaleGiro agreement file")
    _check_transmission_totals(start, assignments, end, len(lines), filename)
    transmission = start.record
    assert isinstance(transmission, TransmissionStart)
    number = transmission.transmission_number
    payments: list[IncomingPayment] = []
    skipped: list[SkippedEntry] = []
    for assignment in assignments:
        if assignment.is_ocr_giro:
            payments.extend(_payment(number, assignment, t) for t in assignment.transactions)
        else:
            skipped.extend(_skipped_agreement(number, assignment, line) for line in assignment.body)
    end_record = end.record
    assert isinstance(end_record, TransmissionEnd)
    return PaymentFile(
        format=OCR_GIRO_FORMAT,
        file_id=number,
        created=end_record.nets_date,
        payments=tuple(payments),
        skipped=tuple(skipped),
        total=Money.from_ore(end_record.total_amount),
        filename=filename,
    )


# -- lines and records --------------------------------------------------------------------------------------


def _split_lines(data: bytes, filename: str) -> list[tuple[int, str]]:
    # Nets writes ISO-8859-1; every byte decodes, so a bad byte shows up as a bad record, with its line.
    text = data.removeprefix(_UTF8_BOM).decode("iso-8859-1")
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise FileFormatError(filename, "not a payment file: the file is empty")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            raise FileFormatError(
                filename, "an empty line inside the file: every line is an 80-character record", line=number
            )
    return list(enumerate(lines, start=1))


def _record(number: int, text: str, filename: str) -> _Line:
    if len(text) != RECORD_LENGTH:
        raise FileFormatError(
            filename, f"a record is {RECORD_LENGTH} characters long; this line has {len(text)}", line=number
        )
    if not text.startswith("NY"):
        raise FileFormatError(
            filename, f"not an OCR giro record: records start with the format code 'NY', not {text[:2]!r}", line=number
        )
    record_type = text[6:8]
    if record_type not in _RECORDS:
        raise FileFormatError(
            filename,
            f"unknown record type {record_type!r} (positions 7-8); Nets OCR giro and AvtaleGiro records are of "
            f"type {', '.join(_RECORDS)}",
            line=number,
        )
    cls, name = _RECORDS[record_type]
    readable = text
    if record_type == "30" and text[2:4] == "09" and text[_KID.stop - 1] == "-":
        # A MOD11 KID whose check digit is 10 ends in "-" (R-BANK-1); netsgiro's layout admits only digits
        # there, so it reads a masked copy and the KID is taken from the line itself.
        readable = text[: _KID.stop - 1] + "0" + text[_KID.stop :]
    try:
        record = cls.from_string(readable)
    except (ValueError, TypeError) as exc:
        message = str(exc)
        if "did not match" in message:
            message = (
                "its fields do not fit the Nets layout (letters or blanks where digits belong, an unknown "
                "service code or transaction type, or a filler that is not zeros)"
            )
        raise FileFormatError(
            filename, f"not a valid {name} record (type {record_type}): {message}", line=number
        ) from exc
    return _Line(number, text, record)


# -- structure ------------------------------------------------------------------------------------------------


def _incomplete(lines: list[_Line], filename: str, missing: str) -> FileFormatError:
    last = lines[-1].number
    return FileFormatError(filename, f"the file ends at line {last} without {missing}: it is incomplete", line=last)


def _structure(lines: list[_Line], filename: str) -> tuple[_Line, list[_Assignment], _Line]:
    first = lines[0]
    if not isinstance(first.record, TransmissionStart):
        raise FileFormatError(
            filename, f"the file starts with {first.name}, not with a transmission start (type 10)", line=first.number
        )
    assignments: list[_Assignment] = []
    index = 1
    while True:
        if index >= len(lines):
            raise _incomplete(lines, filename, "a transmission end record (type 89)")
        line = lines[index]
        if isinstance(line.record, TransmissionEnd):
            break
        if not isinstance(line.record, AssignmentStart):
            raise FileFormatError(
                filename,
                f"expected an assignment start (type 20) or the transmission end (type 89), found {line.name}",
                line=line.number,
            )
        assignment, index = _assignment(lines, index, filename)
        for earlier in assignments:
            if earlier.record.assignment_number == assignment.record.assignment_number:
                raise FileFormatError(
                    filename,
                    f"assignment number {assignment.record.assignment_number} is already used by the assignment "
                    f"of line {earlier.start.number}",
                    line=assignment.start.number,
                )
        assignments.append(assignment)
    end = lines[index]
    if index != len(lines) - 1:
        raise FileFormatError(
            filename,
            f"records follow the transmission end (type 89) of line {end.number}",
            line=lines[index + 1].number,
        )
    return first, assignments, end


def _assignment(lines: list[_Line], index: int, filename: str) -> tuple[_Assignment, int]:
    start = lines[index]
    record = start.record
    assert isinstance(record, AssignmentStart)
    if record.service_code == ServiceCode.AVTALEGIRO and record.assignment_type != AssignmentType.AVTALEGIRO_AGREEMENTS:
        what = "cancellations" if record.assignment_type == AssignmentType.AVTALEGIRO_CANCELLATIONS else "claims"
        raise FileFormatError(
            filename,
            f"not a payment file: AvtaleGiro payment {what}, which a payee sends to Nets",
            line=start.number,
        )
    body: list[_Line] = []
    index += 1
    while True:
        if index >= len(lines):
            raise _incomplete(lines, filename, f"an end record (type 88) for the assignment of line {start.number}")
        line = lines[index]
        if isinstance(line.record, AssignmentEnd):
            break
        if isinstance(line.record, AssignmentStart | TransmissionStart | TransmissionEnd):
            raise FileFormatError(
                filename,
                f"the assignment started on line {start.number} has no end record (type 88) before this {line.name}",
                line=line.number,
            )
        if line.record.service_code != record.service_code:
            raise FileFormatError(
                filename,
                f"a record of service code {line.record.service_code:02d} inside the service code "
                f"{record.service_code:02d} assignment of line {start.number}",
                line=line.number,
            )
        body.append(line)
        index += 1
    end = lines[index]
    end_record = end.record
    assert isinstance(end_record, AssignmentEnd)
    if end_record.service_code != record.service_code or end_record.assignment_type != record.assignment_type:
        raise FileFormatError(
            filename,
            f"the assignment end does not match the assignment start of line {start.number} (service code "
            f"{end_record.service_code:02d}/{record.service_code:02d}, assignment type "
            f"{end_record.assignment_type:02d}/{record.assignment_type:02d})",
            line=end.number,
        )
    assignment = _Assignment(start=start, end=end, body=body)
    if assignment.is_ocr_giro:
        assignment.transactions = _transactions(body, filename)
        count = len(assignment.transactions)
    else:
        for line in body:
            if not isinstance(line.record, AvtaleGiroAgreement):
                raise FileFormatError(
                    filename, f"{line.name} inside an AvtaleGiro agreement assignment", line=line.number
                )
        count = len(body)
    _check_assignment_totals(assignment, count, filename)
    return assignment, index + 1


def _transactions(body: list[_Line], filename: str) -> list[_Transaction]:
    transactions: list[_Transaction] = []
    first_line: dict[int, int] = {}
    index = 0
    while index < len(body):
        item1 = body[index]
        record = item1.record
        if not isinstance(record, TransactionAmountItem1):
            raise FileFormatError(
                filename,
                f"expected amount item 1 (type 30) to start a transaction, found {item1.name}",
                line=item1.number,
            )
        number = record.transaction_number
        if number in first_line:
            raise FileFormatError(
                filename,
                f"transaction number {number} is used twice in the assignment (first on line {first_line[number]})",
                line=item1.number,
            )
        first_line[number] = item1.number
        if index + 1 >= len(body) or not isinstance(body[index + 1].record, TransactionAmountItem2):
            where = body[index + 1].number if index + 1 < len(body) else item1.number
            raise FileFormatError(
                filename, f"transaction {number} of line {item1.number} has no amount item 2 (type 31)", line=where
            )
        item2 = body[index + 1]
        _same_transaction(item1, item2, filename)
        index += 2
        item3 = None
        if index < len(body) and isinstance(body[index].record, TransactionAmountItem3):
            item3 = body[index]
            _same_transaction(item1, item3, filename)
            index += 1
        transactions.append(_Transaction(item1, item2, item3))
    return transactions


def _same_transaction(item1: _Line, other: _Line, filename: str) -> None:
    first, second = item1.record, other.record
    assert isinstance(first, TransactionAmountItem1)
    assert isinstance(second, TransactionAmountItem2 | TransactionAmountItem3)
    if (second.transaction_number, second.transaction_type) != (first.transaction_number, first.transaction_type):
        raise FileFormatError(
            filename,
            f"{other.name} is for transaction {second.transaction_number} (type {second.transaction_type:02d}); "
            f"the amount item 1 of line {item1.number} is transaction {first.transaction_number} "
            f"(type {first.transaction_type:02d})",
            line=other.number,
        )


# -- totals ---------------------------------------------------------------------------------------------------


def _signed_ore(transaction: _Transaction) -> int:
    record = transaction.item1.record
    assert isinstance(record, TransactionAmountItem1)
    return -record.amount if transaction.item1.text[_SIGN] == "-" else record.amount


def _net_ore(assignment: _Assignment) -> int:
    return sum(_signed_ore(t) for t in assignment.transactions)


def _kroner(ore: int) -> str:
    return format_amount(Money.from_ore(ore))


def _check_counts(declared: tuple[int, int], found: tuple[int, int], what: str, line: int, filename: str) -> None:
    for noun, said, there in zip(("transactions", "records"), declared, found, strict=True):
        if said != there:
            raise FileFormatError(filename, f"{what} declares {said} {noun}; there are {there}", line=line)


def _check_assignment_totals(assignment: _Assignment, count: int, filename: str) -> None:
    end = assignment.end_record
    what = f"the end of the assignment of line {assignment.start.number}"
    _check_counts(
        (end.num_transactions, end.num_records),
        (count, len(assignment.body) + 2),
        what,
        assignment.end.number,
        filename,
    )
    if not assignment.is_ocr_giro:
        return
    net = _net_ore(assignment)
    declared = end.total_amount or 0
    if declared != net:
        raise FileFormatError(
            filename,
            f"{what} declares a total of {_kroner(declared)}; its transactions sum to {_kroner(net)} "
            "(reversals, sign '-', subtracted): the file is refused whole",
            line=assignment.end.number,
        )


def _check_transmission_totals(
    start: _Line, assignments: list[_Assignment], end: _Line, records: int, filename: str
) -> None:
    record = end.record
    assert isinstance(record, TransmissionEnd)
    transactions = sum(len(a.transactions) if a.is_ocr_giro else len(a.body) for a in assignments)
    what = f"the transmission end (transmission started on line {start.number})"
    _check_counts((record.num_transactions, record.num_records), (transactions, records), what, end.number, filename)
    net = sum(_net_ore(a) for a in assignments if a.is_ocr_giro)
    if record.total_amount != net:
        raise FileFormatError(
            filename,
            f"{what} declares a total of {_kroner(record.total_amount)}; the transactions sum to {_kroner(net)}: "
            "the file is refused whole",
            line=end.number,
        )


# -- values ---------------------------------------------------------------------------------------------------


def _kid(text: str) -> str | None:
    kid = "".join(text[_KID].split())
    return kid or None


def _payment(transmission: str, assignment: _Assignment, transaction: _Transaction) -> IncomingPayment:
    item1, item2 = transaction.item1.record, transaction.item2.record
    assert isinstance(item1, TransactionAmountItem1)
    assert isinstance(item2, TransactionAmountItem2)
    text = None
    if transaction.item3 is not None:
        item3 = transaction.item3.record
        assert isinstance(item3, TransactionAmountItem3)
        text = item3.text
    debit_account = item2.debit_account
    numbers = f"{transmission}/{assignment.record.assignment_number}/{item1.transaction_number:07d}"
    return IncomingPayment(
        reference=numbers,
        amount=Money.from_ore(_signed_ore(transaction)),
        paid_on=item1.nets_date,
        kid=_kid(transaction.item1.text),
        bank_id=f"ocr:{assignment.record.agreement_id or '-'}:{numbers}",
        payer_name=None,  # OCR giro does not carry the payer's name
        payer_account=debit_account if debit_account and debit_account.strip("0") else None,
        free_text=text,
        creditor_account=assignment.record.assignment_account,
        source_line=transaction.item1.number,
        ordered_on=item2.bank_date,  # the day the payer's bank got the order (R-CLM-14)
    )


def _skipped_agreement(transmission: str, assignment: _Assignment, line: _Line) -> SkippedEntry:
    record = line.record
    assert isinstance(record, AvtaleGiroAgreement)
    return SkippedEntry(
        reference=f"{transmission}/{assignment.record.assignment_number}/{record.transaction_number:07d}",
        amount=Money.zero(),
        reason=f"an AvtaleGiro agreement update for KID {record.kid}, not a payment",
        source_line=line.number,
    )
