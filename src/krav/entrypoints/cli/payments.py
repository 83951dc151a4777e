"""``krav payments`` and ``krav settlements``: money on the client account in (the manual-matching queue) and out
to the creditor (settlements and their report files)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from krav.entrypoints.cli import collection_presenters as show
from krav.entrypoints.cli import queue_presenters as waiting
from krav.entrypoints.cli.common import CompanyOpt, JsonOpt, echo, echo_json, get_app, handle_errors, read_app
from krav.entrypoints.cli.spreadsheets import CsvOpt, XlsxOpt, unmatched_sheet, write_sheet
from krav.services import queries
from krav.services.collection import payments
from krav.services.collection.delivery.archive import write_settlement_files

app = typer.Typer(help="Payments on the client account: the manual-matching queue.", no_args_is_help=True)


@app.command("list")
@handle_errors
def payments_list(
    company: Annotated[str | None, typer.Option("--company", "-c", help="Only this creditor's payments.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Payments on the client account: when booked, when the debtor's bank got the order, status and reason."""
    received = payments.received(read_app().reader(), company)
    if json_out:
        echo_json(received)
        return
    typer.echo(show.payments_table(received))


@app.command("unmatched")
@handle_errors
def payments_unmatched(json_out: JsonOpt = False, csv_file: CsvOpt = None, xlsx_file: XlsxOpt = None) -> None:
    """The manual-matching queue: each payment with its payer, message, reference, file and reason, and up to three
    claims it most likely pays, with why and the command that assigns it; --csv or --xlsx: as a spreadsheet."""
    krav = read_app()
    queue = queries.manual_matching(krav.reader(), rates=krav.rates)
    if write_sheet(unmatched_sheet(queue), csv_file, xlsx_file, json_out=json_out):
        return
    if json_out:
        echo_json(waiting.unmatched_json(queue))
        return
    echo(waiting.unmatched_lines(queue))


@app.command("assign")
@handle_errors
def payments_assign(
    payment_id: Annotated[int, typer.Argument(help="The unmatched payment's id.")],
    kid: Annotated[str | None, typer.Option(help="The KID of the letter it pays.")] = None,
    company: Annotated[str | None, typer.Option("--company", "-c", help="The creditor (with --invoice).")] = None,
    invoice: Annotated[str | None, typer.Option(help="The invoice whose claim it pays (latest letter).")] = None,
) -> None:
    """Assign an unmatched payment to a letter by hand; it is applied in the next daily run."""
    payments.assign(get_app().uow(), payment_id, kid=kid, orgno=company, invoice=invoice)
    typer.echo(f"payment {payment_id} assigned; it is applied in the next daily run")


@handle_errors
def settlements_command(
    company: CompanyOpt,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write each settlement's PDF, CSV and pain.001 into this folder.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Settlements remitted to the creditor, with their report files."""  # R-BANK-3
    krav = read_app()
    settled = queries.settlements(krav.reader(), company)
    files = []
    if out is not None:
        files = write_settlement_files(krav.uow(), company, out, renderer=krav.renderer, service=krav.service)
    if json_out:
        echo_json({"settlements": settled, "files": files})
        return
    typer.echo(show.settlements_table(settled))
    if files:
        typer.echo(f"wrote {len(files)} file(s) to {out}")
