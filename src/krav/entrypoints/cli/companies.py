"""``krav init`` and ``krav company``: the database and the creditor companies (tenants)."""

from __future__ import annotations

from typing import Annotated

import typer

from krav.domain.errors import InputError
from krav.domain.party import Address, Company
from krav.entrypoints.cli.common import JsonOpt, echo_json, get_app, handle_errors, read_app
from krav.entrypoints.cli.presenters import companies_table
from krav.services import ledger, queries

app = typer.Typer(help="Creditor companies (tenants).", no_args_is_help=True)


@handle_errors
def init() -> None:
    """Create the database (or bring it to the newest schema)."""
    typer.echo(f"database ready: {get_app().database_url}")


@app.command("create")
@handle_errors
def company_create(
    orgno: Annotated[str, typer.Option("--orgno", "--company", "-c", help="Organisation number (9 digits, MOD11).")],
    name: Annotated[str, typer.Option(help="The company's name.")],
    account: Annotated[str | None, typer.Option(help="The company's bank account (11 digits).")] = None,
    vat_registered: Annotated[bool, typer.Option("--vat-registered/--not-vat-registered")] = True,
    street: Annotated[str | None, typer.Option()] = None,
    postcode: Annotated[str | None, typer.Option()] = None,
    city: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option()] = None,
    json_out: JsonOpt = False,
) -> None:
    """Register a creditor company with the standard chart of accounts and voucher types."""
    company = ledger.create_company(
        get_app().uow(),
        Company(
            orgno=orgno,
            name=name,
            bank_account=account,
            vat_registered=vat_registered,
            address=Address(street, postcode, city),
            email=email,
        ),
    )
    if json_out:
        echo_json(company)
    else:
        typer.echo(f"created company {company.orgno} {company.name}")


@app.command("set")
@handle_errors
def company_set(
    orgno: Annotated[str, typer.Option("--orgno", "--company", "-c", help="The company's organisation number.")],
    name: Annotated[str | None, typer.Option()] = None,
    account: Annotated[str | None, typer.Option(help="The bank account collected money is remitted to.")] = None,
    vat_registered: Annotated[bool | None, typer.Option("--vat-registered/--not-vat-registered")] = None,
    street: Annotated[str | None, typer.Option()] = None,
    postcode: Annotated[str | None, typer.Option()] = None,
    city: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Change a company's details (name, bank account, VAT registration, address, e-mail)."""
    given = {
        "name": name,
        "bank_account": account,
        "vat_registered": vat_registered,
        "street": street,
        "postcode": postcode,
        "city": city,
        "email": email,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise InputError("say what to change, e.g. --account 86011117947")
    company = ledger.update_company(get_app().uow(), orgno, changes)
    typer.echo(f"updated company {company.orgno} {company.name}")


@app.command("list")
@handle_errors
def company_list(json_out: JsonOpt = False) -> None:
    """List the creditor companies."""
    companies = queries.companies(read_app().reader())
    if json_out:
        echo_json(companies)
        return
    typer.echo(companies_table(companies))
