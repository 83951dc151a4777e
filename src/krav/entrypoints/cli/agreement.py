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
from krav.entrypoints.cli.presenters import day as day_text
from krav.entrypoints.cli.terms import terms_json, terms_lines
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


@app.command("terms")
@handle_errors
def agreement_terms(company: CompanyOpt, on: DateOpt = None, json_out: JsonOpt = False) -> None:
    """The terms and prices of the agreement on a day: what `agreement activate --accept-terms` accepts."""
    krav = read_app()
    terms = agreements.terms(krav.reader(), company, krav.rates, business_date(on))
    if json_out:
        echo_json(terms_json(terms))
        return
    echo(terms_lines(terms))


@app.command("activate")
@handle_errors
def agreement_activate(
    company: CompanyOpt,
    accept_terms: Annotated[
        bool, typer.Option("--accept-terms", help="Accept the terms shown (see `krav agreement terms`).")
    ] = False,
    on: DateOpt = None,
    by: Annotated[str | None, typer.Option(help="The creditor admin accepting (default: your user name).")] = None,
) -> None:
    """Show the terms, accept them and activate the agreement; nothing can be submitted before. Without
    --accept-terms the terms are shown and nothing is activated."""
    krav = get_app()
    day = business_date(on)
    terms = agreements.terms(krav.reader(), company, krav.rates, day)
    echo(terms_lines(terms))
    view = agreements.activate(krav.uow(), company, by=by or who(), on=day, accept_terms=accept_terms, rates=krav.rates)
    activated = view.agreement.activated_on
    typer.echo(
        f"\nagreement active from {day_text(activated) if activated else '-'} "
        f"(accepted by {view.agreement.accepted_by}; terms sha256:{terms.fingerprint[:16]}…)"
    )
