"""``krav debtor``: a debtor's rights over their personal data — access (export), restriction and erasure.

What these commands print names the customer by number only, never by name or identity number: their output may
end up in a log.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from krav.entrypoints.cli.common import (
    CompanyOpt,
    DateOpt,
    business_date,
    get_app,
    handle_errors,
    read_app,
    who,
)
from krav.entrypoints.output import dumps
from krav.services import personal_data

app = typer.Typer(help="A debtor's personal data: export it, restrict its processing, erase it.", no_args_is_help=True)

CustomerArg = Annotated[str, typer.Argument(help="The customer number.")]


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value is not None else "-"


@app.command("export")
@handle_errors
def export_command(
    company: CompanyOpt,
    customer: CustomerArg,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the JSON to this file.")] = None,
    on: DateOpt = None,
) -> None:
    """Everything Krav holds on the customer, as JSON (GDPR art. 15): the customer record, open items, voucher
    lines, claims with their history, letters (not the PDFs: their SHA-256), payments and objections."""
    found = personal_data.export(read_app().reader(), company, customer, on=business_date(on))
    text = dumps(found)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", "utf-8")
    typer.echo(f"customer {customer}: personal data written to {out}")


@app.command("restrict")
@handle_errors
def restrict_command(
    company: CompanyOpt,
    customer: CustomerArg,
    off: Annotated[bool, typer.Option("--off", help="Lift the restriction instead.")] = False,
    on: DateOpt = None,
) -> None:
    """Restrict the processing of the customer's data (GDPR art. 18): its items are no longer valid for collection
    (customer_restricted) and its open claims are paused; a claim in inkasso or legal collection goes on."""
    app_ = get_app()
    result = personal_data.restrict(
        app_.uow(), company, customer, on=business_date(on), by=who(), rates=app_.rates, lift=off
    )
    if off:
        if not result.changed:
            typer.echo(f"customer {customer}: processing not restricted, nothing changed")
            return
        typer.echo(
            f"customer {customer}: restriction lifted; its paused claims stay paused until resumed "
            "(`krav claims resume`)"
        )
        return
    since = _day(result.new)
    typer.echo(
        f"customer {customer}: processing restricted from {since}"
        + ("" if result.changed else " already")
        + "; its items are not valid for collection (customer_restricted)"
    )
    if result.paused:
        typer.echo(f"  paused: invoice {', '.join(result.paused)}")
    if result.already:
        typer.echo(f"  paused already: invoice {', '.join(result.already)}")
    if result.continuing:
        typer.echo(
            f"  going on: invoice {', '.join(result.continuing)} — in inkasso or legal collection, which a "
            "restriction does not stop (a legal claim, GDPR art. 18(2))"
        )


@app.command("erase")
@handle_errors
def erase_command(company: CompanyOpt, customer: CustomerArg, on: DateOpt = None) -> None:
    """Erase the customer's personal fields (GDPR art. 17) once no claim or item of it is open and the books'
    retention has run (bokføringsloven § 13: five years after the end of the financial year); refused before,
    saying from which day it is allowed."""
    result = personal_data.erase(get_app().uow(), company, customer, on=business_date(on), by=who())
    if result.already:
        typer.echo(f"customer {customer}: erased already on {_day(result.erased_on)}, nothing changed")
        return
    counted = ", ".join(f"{table} {n}" for table, n in result.changed.items() if n)
    typer.echo(f"customer {customer}: personal data erased on {_day(result.erased_on)} ({counted or 'no rows'})")
    if result.documents_kept:
        typer.echo(
            f"  kept: {len(result.documents_kept)} archived letter PDF(s) — the archive is append-only "
            "(docs/legal.md, Personal data)"
        )
