"""``krav proposal`` and ``krav submit``: what may go to collection, and sending it."""

from __future__ import annotations

import shutil
from typing import Annotated

import typer

from krav.domain.errors import InputError
from krav.entrypoints.cli.common import (
    CompanyOpt,
    DateOpt,
    ItemsOpt,
    JsonOpt,
    business_date,
    echo,
    echo_json,
    get_app,
    handle_errors,
    read_app,
)
from krav.entrypoints.cli.presenters import proposal_json, proposal_lines, submit_json, submit_lines
from krav.entrypoints.labels import Lang
from krav.services.ledger import submission


@handle_errors
def proposal_command(
    company: CompanyOpt,
    on: DateOpt = None,
    status: Annotated[str, typer.Option(help="all | valid | invalid")] = "all",
    customer: Annotated[str | None, typer.Option(help="Only this customer's items.")] = None,
    lang: Annotated[
        Lang | None,
        typer.Option(help="nb | en: the language of the reasons (default: krav --lang, bokmål unless set)."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """The collection proposal: every open item past due, with every reason it may not be sent."""
    if status not in ("all", "valid", "invalid"):
        raise InputError(f"--status: {status!r} is not all, valid or invalid")
    rows = submission.proposal(read_app().reader(), company, today=business_date(on), customer=customer, status=status)
    if json_out:
        echo_json(proposal_json(rows))
        return
    echo(proposal_lines(rows, lang, width=shutil.get_terminal_size().columns))


@handle_errors
def submit_command(
    company: CompanyOpt,
    items: ItemsOpt = None,
    all_valid: Annotated[bool, typer.Option("--all-valid", help="Submit every valid item of the proposal.")] = False,
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Send chosen items (or every valid one) to collection; each result is reported per item."""
    krav = get_app()
    today = business_date(on)
    if all_valid and items:
        raise InputError("choose --items or --all-valid, not both")
    if all_valid:
        results = submission.submit_all_valid(krav.uow(), company, today=today)
        if not results:
            typer.echo("no valid items to submit")
            return
    elif not items:
        raise InputError("say what to submit: --items ID --items ID … or --all-valid")
    else:
        results = submission.submit(krav.uow(), company, items, today=today)
    if json_out:
        echo_json(submit_json(results))
    else:
        echo(submit_lines(results))
    if not any(r.submitted for r in results):
        raise typer.Exit(1)
