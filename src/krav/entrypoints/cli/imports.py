"""``krav import``: get data in: SAF-T, customers and invoices as CSV, and payment files of the client account."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from krav.entrypoints.cli.collection_presenters import payment_import_json, payment_import_lines
from krav.entrypoints.cli.common import (
    CompanyOpt,
    DateOpt,
    JsonOpt,
    business_date,
    echo,
    echo_json,
    get_app,
    handle_errors,
    read_file,
)
from krav.entrypoints.cli.presenters import import_lines
from krav.services import imports
from krav.services.collection import payments

app = typer.Typer(help="Get data in: SAF-T, customers and invoices as CSV.", no_args_is_help=True)


def _print_import(report: imports.ImportReport, json_out: bool) -> None:
    if json_out:
        echo_json(report)
    else:
        echo(import_lines(report))


@app.command("saft")
@handle_errors
def import_saft(
    file: Annotated[Path, typer.Argument(help="A SAF-T Financial XML file (1.10 or 1.30).")],
    company: CompanyOpt,
    default_terms: Annotated[
        int, typer.Option(help="Payment terms (days) when neither line nor customer has them.")
    ] = 14,
    json_out: JsonOpt = False,
) -> None:
    """Import customers and open items from a SAF-T Financial file (R-IMP-1)."""
    krav = get_app()
    report = imports.import_saft(
        krav.uow(),
        company,
        read_file(file),
        filename=file.name,
        schema_dir=krav.saft_schema_dir,
        default_terms_days=default_terms,
    )
    _print_import(report, json_out)


@app.command("customers")
@handle_errors
def import_customers(
    file: Annotated[Path, typer.Argument(help="A CSV file of customers (docs/imports.md).")],
    company: CompanyOpt,
    json_out: JsonOpt = False,
) -> None:
    """Import customers from CSV: created or updated by customer number."""
    _print_import(imports.import_customers_csv(get_app().uow(), company, read_file(file), filename=file.name), json_out)


@app.command("invoices")
@handle_errors
def import_invoices(
    file: Annotated[Path, typer.Argument(help="A CSV file of invoices (docs/imports.md).")],
    company: CompanyOpt,
    json_out: JsonOpt = False,
) -> None:
    """Import outgoing invoices from CSV, each posted as a voucher."""
    _print_import(imports.import_invoices_csv(get_app().uow(), company, read_file(file), filename=file.name), json_out)


@app.command("payments")
@handle_errors
def import_payments(
    file: Annotated[Path, typer.Argument(help="A Nets OCR giro or ISO 20022 camt.054 file of the client account.")],
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Import a payment file: each payment matched to its letter by KID, or queued for manual matching; a payment
    dated more than a year after the business date is refused with the file."""
    report = payments.import_payments(get_app().uow(), read_file(file), filename=file.name, on=business_date(on))
    if json_out:
        echo_json(payment_import_json(report))
        return
    echo(payment_import_lines(report))
