"""``--csv FILE`` and ``--xlsx FILE`` on the list commands: the list a command shows, as a file a spreadsheet opens.

The sheets hold typed cells, not the text of the tables: amounts as amounts (numbers in Excel) and dates as
dates, so that a creditor can sum and sort them. The column names are the ones ``--json`` uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from krav.domain.errors import InputError
from krav.domain.ledger.open_items import OpenItem
from krav.entrypoints.cli.collection_presenters import letter_went
from krav.services import queries
from krav.services.collection.matching import QueuedPayment
from krav.services.exports import Sheet, SheetFormat, sheet_bytes
from krav.services.ports import StoredLetter

CsvOpt = Annotated[
    Path | None,
    typer.Option(
        "--csv",
        help="Write the list to this CSV file for a spreadsheet (;-separated, UTF-8, amounts 12345,50, dates "
        "dd.mm.åååå) instead of printing it.",
        dir_okay=False,
    ),
]
XlsxOpt = Annotated[
    Path | None,
    typer.Option(
        "--xlsx",
        help="Write the list to this Excel workbook (amounts as numbers, dates as dates) instead of printing it.",
        dir_okay=False,
    ),
]


def write_sheet(sheet: Sheet, csv: Path | None, xlsx: Path | None, *, json_out: bool = False) -> bool:
    """Write the sheet to the files asked for and say so; False when none was asked for (the list is printed)."""
    asked = [(path, kind) for path, kind in ((csv, SheetFormat.CSV), (xlsx, SheetFormat.XLSX)) if path is not None]
    if not asked:
        return False
    if json_out:
        raise InputError("--json prints the list; --csv and --xlsx write it to a file: choose one")
    for path, kind in asked:
        data = sheet_bytes(sheet, kind)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise InputError(f"{path}: cannot write the file ({exc.strerror})") from None
        typer.echo(f"wrote {path} ({len(sheet.rows)} row(s), {kind.value.upper()})")
    return True


def claims_sheet(views: Sequence[queries.ClaimView]) -> Sheet:
    headers = (
        "collection_id",
        "invoice",
        "invoice_date",
        "due_date",
        "debtor",
        "debtor_name",
        "stage",
        "paused",
        "principal",
        "fee",
        "interest",
        "salaer",
        "currency",
        "closed",
        "closed_on",
        "next_action_on",
    )
    rows = tuple(
        (
            c.collection_id,
            c.invoice_number,
            c.invoice_date,
            c.due_date,
            c.debtor.number,
            c.debtor.name,
            c.stage.value,
            c.paused,
            c.principal_outstanding,
            c.fees_outstanding,
            v.interest_outstanding,
            c.salaer_outstanding,
            c.principal_outstanding.currency,
            c.closed_reason.value if c.closed_reason else None,
            c.closed_on,
            c.next_action_on,
        )
        for v in views
        for c in (v.claim,)
    )
    return Sheet("claims", headers, rows)


def items_sheet(items: Sequence[OpenItem]) -> Sheet:
    headers = (
        "id",
        "customer",
        "number",
        "voucher_type",
        "invoice_date",
        "due_date",
        "amount",
        "remaining",
        "currency",
        "status",
        "exempt",
        "kid",
        "collection_id",
    )
    rows = tuple(
        (
            i.id,
            i.customer,
            i.number,
            i.voucher_type,
            i.invoice_date,
            i.due_date,
            i.amount,
            i.remaining,
            i.currency,
            int(i.status),
            i.exempt,
            i.kid,
            i.collection_id,
        )
        for i in items
    )
    return Sheet("items", headers, rows)


def letters_sheet(letters: Sequence[StoredLetter]) -> Sheet:
    """``sent`` is empty while the letter has not gone (R-SVC-2), as in the table and ``--json``."""
    headers = (
        "id",
        "written",
        "sent",
        "delivery",
        "channel",
        "debtor",
        "n",
        "type",
        "deadline",
        "kid",
        "total",
        "currency",
        "invoices",
    )
    rows = tuple(
        (
            lt.id,
            lt.written,
            lt.sent_on if letter_went(lt) else None,
            lt.status.value if lt.status is not None else None,
            lt.channel.value if lt.channel is not None else None,
            lt.debtor,
            lt.n,
            lt.type.value,
            lt.deadline,
            lt.kid,
            lt.total,
            lt.total.currency,
            ", ".join(line.invoice_number for line in lt.lines),
        )
        for lt in letters
    )
    return Sheet("letters", headers, rows)


def unmatched_sheet(queue: Sequence[QueuedPayment]) -> Sheet:
    """The manual-matching queue, one row per payment: what the bank file said (``message``: what the payer wrote),
    why it waits, and the claims it most likely pays, best first (``faktura 5007 hos 974760673, KID …: why``)."""
    headers = (
        "id",
        "received",
        "ordered",
        "amount",
        "currency",
        "kid",
        "payer",
        "message",
        "reason",
        "reference",
        "file",
        "suggestions",
    )
    rows = tuple(
        (
            p.id,
            p.received_on,
            p.ordered_on,
            p.amount,
            p.amount.currency,
            p.kid,
            p.payer,
            p.message,
            p.reason,
            p.reference,
            p.filename,
            " | ".join(
                f"faktura {s.invoice_number} hos {s.creditor}, KID {s.kid}: {', '.join(s.reasons)}"
                for s in q.suggestions
            )
            or None,
        )
        for q in queue
        for p in (q.payment,)
    )
    return Sheet("unmatched payments", headers, rows)
