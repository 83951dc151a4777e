"""``krav import``: get data in: SAF-T, customers and invoices as CSV, and payment files of the client account."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated

import typer

from krav.domain.money import format_count
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
from krav.entrypoints.cli.presenters import LISTED, import_lines, iso_moment, more_lines
from krav.entrypoints.cli.progress import Bar, progress
from krav.entrypoints.labels import word
from krav.services import claim_import, imports
from krav.services.collection import payments

app = typer.Typer(help="Get data in: SAF-T, customers and invoices as CSV.", no_args_is_help=True)


def _importing(file: Path) -> AbstractContextManager[Bar]:
    """A pulsing bar on a terminal while ``file`` is read, checked whole and stored in one transaction."""
    return progress(f"{word('progress import')} {file.name}")


def _print_import(report: imports.ImportReport, json_out: bool) -> None:
    if json_out:
        echo_json(report)
    else:
        echo(import_lines(report))


# R-IMP-1
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
    """Import customers and open items from a SAF-T Financial file; the report says where each item's number
    and due date came from."""
    krav = get_app()
    with _importing(file):
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
    with _importing(file):
        report = imports.import_customers_csv(get_app().uow(), company, read_file(file), filename=file.name)
    _print_import(report, json_out)


@app.command("invoices")
@handle_errors
def import_invoices(
    file: Annotated[Path, typer.Argument(help="A CSV file of invoices (docs/imports.md).")],
    company: CompanyOpt,
    json_out: JsonOpt = False,
) -> None:
    """Import outgoing invoices from CSV, each posted as a voucher."""
    with _importing(file):
        report = imports.import_invoices_csv(get_app().uow(), company, read_file(file), filename=file.name)
    _print_import(report, json_out)


@app.command("payments")
@handle_errors
def import_payments(
    file: Annotated[Path, typer.Argument(help="A Nets OCR giro or ISO 20022 camt.054 file of the client account.")],
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Import a payment file: each payment matched to its letter by KID, or queued for manual matching; a payment
    dated more than a year after the business date is refused with the file."""
    with _importing(file):
        report = payments.import_payments(get_app().uow(), read_file(file), filename=file.name, on=business_date(on))
    if json_out:
        echo_json(payment_import_json(report))
        return
    echo(payment_import_lines(report))


@app.command("claims")
@handle_errors
def import_claims(
    file: Annotated[
        Path, typer.Argument(help="Claims from an earlier collection service, JSON Lines (docs/migration.md).")
    ],
    company: CompanyOpt,
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Import open claims from an earlier collection service with their history: checked whole, all or nothing;
    they go on from their stage as if Krav had run them from the start."""
    krav = get_app()
    with _importing(file):
        report = claim_import.import_claims(
            krav.uow(), company, read_file(file), filename=file.name, today=business_date(on), rates=krav.rates
        )
    if json_out:
        echo_json(report)
    elif report.already_imported:
        echo([f"{report.filename}: imported already on {iso_moment(report.imported_at)}; nothing changed"])
    else:
        echo(
            [f"{report.filename}: {format_count(len(report.claims))} claims imported for {report.company}"]
            + [
                f"  {c.invoice} ({c.customer}): {c.collection_id}, {c.stage}, earlier {c.earlier_id}"
                for c in report.claims[:LISTED]
            ]
            + more_lines(len(report.claims), f"`krav claims list --company {report.company}` lists every claim")
        )
