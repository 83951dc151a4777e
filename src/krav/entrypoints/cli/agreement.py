"""``krav agreement``: the collection agreement: show, set, activate."""

from __future__ import annotations

from typing import Annotated

import typer

from krav.domain.errors import InputError
from krav.entrypoints.cli.common import (
    CompanyOpt,
    DateOpt,
    JsonOpt,
    business_date,
    echo,
    echo_json,
    get_app,
    handle_errors,
    read_app,
    who,
)
from krav.entrypoints.cli.presenters import agreement_json, agreement_lines
from krav.services import agreements

app = typer.Typer(help="The collection agreement: show, set, activate.", no_args_is_help=True)


def _print_agreement(view: agreements.AgreementView, json_out: bool) -> None:
    if json_out:
        echo_json(agreement_json(view))
    else:
        echo(agreement_lines(view))


@app.command("show")
@handle_errors
def agreement_show(company: CompanyOpt, json_out: JsonOpt = False) -> None:
    """Show the collection agreement and its change history."""
    _print_agreement(agreements.show(read_app().reader(), company), json_out)


@app.command("set")
@handle_errors
def agreement_set(
    company: CompanyOpt,
    assignments: Annotated[list[str], typer.Argument(help="FIELD=VALUE … e.g. days_before_transfer=21")],
    on: DateOpt = None,
    by: Annotated[str | None, typer.Option(help="Who makes the change (default: your user name).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Change fields of the agreement; each change is recorded (who, when, old → new)."""
    changes: dict[str, str | None] = {}
    for assignment in assignments:
        if "=" not in assignment:
            raise InputError(f"{assignment!r}: write FIELD=VALUE")
        key, value = assignment.split("=", 1)
        changes[key.strip()] = value
    view = agreements.change(get_app().uow(), company, changes, by=by or who(), on=business_date(on))
    _print_agreement(view, json_out)


@app.command("activate")
@handle_errors
def agreement_activate(
    company: CompanyOpt,
    accept_terms: Annotated[bool, typer.Option("--accept-terms", help="Accept the terms as creditor admin.")] = False,
    on: DateOpt = None,
    by: Annotated[str | None, typer.Option(help="The creditor admin accepting (default: your user name).")] = None,
) -> None:
    """Accept the terms and activate the agreement; nothing can be submitted before."""
    view = agreements.activate(
        get_app().uow(), company, by=by or who(), on=business_date(on), accept_terms=accept_terms
    )
    typer.echo(f"agreement active from {view.agreement.activated_on} (accepted by {view.agreement.accepted_by})")
