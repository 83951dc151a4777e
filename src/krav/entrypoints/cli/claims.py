"""``krav claims``: claims under collection: list, history, and the creditor's actions on them."""

from __future__ import annotations

from typing import Annotated

import typer

from krav.domain.collection.actions import Action
from krav.domain.collection.claims import Stage
from krav.domain.errors import InputError
from krav.entrypoints.cli import collection_presenters as show
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
from krav.entrypoints.cli.spreadsheets import CsvOpt, XlsxOpt, claims_sheet, write_sheet
from krav.services import collection, queries

app = typer.Typer(help="Claims under collection: list, history, actions.", no_args_is_help=True)

InvoicesArg = Annotated[list[str], typer.Argument(help="Invoice numbers of the claims.")]


def _stage(value: str | None) -> Stage | None:
    if value is None:
        return None
    try:
        return Stage(value)
    except ValueError:
        raise InputError(f"--stage: {value!r} is not one of {', '.join(s.value for s in Stage)}") from None


@app.command("list")
@handle_errors
def claims_list(
    company: CompanyOpt,
    stage: Annotated[str | None, typer.Option(help="Only claims in this stage.")] = None,
    all_claims: Annotated[bool, typer.Option("--all", help="Closed claims too (default: the open ones).")] = False,
    on: DateOpt = None,
    json_out: JsonOpt = False,
    csv_file: CsvOpt = None,
    xlsx_file: XlsxOpt = None,
) -> None:
    """Open claims with what they owe on the date (interest counted to it), and each one's next step and its date
    or what holds it (--all: closed claims too; --csv or --xlsx: as a spreadsheet)."""
    krav = read_app()
    chosen = _stage(stage)
    today = business_date(on)
    views = queries.claims_view(
        krav.reader(),
        company,
        on=today,
        rates=krav.rates,
        stage=chosen,
        include_closed=all_claims or chosen is Stage.CLOSED,
    )
    if write_sheet(claims_sheet(views), csv_file, xlsx_file, json_out=json_out):
        return
    if json_out:
        echo_json(show.claims_json(views, today))
        return
    typer.echo(show.claims_table(views, today))


def _act(company: str, invoices: list[str], action: Action, on: str | None, text: str | None, json_out: bool) -> None:
    krav = get_app()
    results = collection.act(
        krav.uow(), company, invoices, action, on=business_date(on), by=who(), rates=krav.rates, text=text
    )
    if json_out:
        echo_json(show.actions_json(results))
    else:
        echo(show.actions_lines(results))
    if not all(r.accepted for r in results):  # every refusal is said, and the command exits 1
        raise typer.Exit(1)


@app.command("pause")
@handle_errors
def claims_pause(company: CompanyOpt, invoices: InvoicesArg, on: DateOpt = None, json_out: JsonOpt = False) -> None:
    """Pause claims (no letters or moves; closes by itself after six months)."""
    _act(company, invoices, Action.PAUSE, on, None, json_out)


@app.command("resume")
@handle_errors
def claims_resume(company: CompanyOpt, invoices: InvoicesArg, on: DateOpt = None, json_out: JsonOpt = False) -> None:
    """Resume paused claims where they stood."""
    _act(company, invoices, Action.RESUME, on, None, json_out)


@app.command("close")
@handle_errors
def claims_close(
    company: CompanyOpt,
    invoices: InvoicesArg,
    on: DateOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="Close even claims in inkasso whose costs are invoiced.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Stop and close claims (in inkasso, costs so far may be invoiced as the agreement says)."""
    costs = collection.closing_costs(read_app().reader(), company, invoices)
    if costs and not yes:
        echo([*show.closing_costs_warnings(costs), "nothing closed; run again with --yes to close"], err=True)
        raise typer.Exit(1)
    _act(company, invoices, Action.CLOSE, on, None, json_out)


@app.command("message")
@handle_errors
def claims_message(
    company: CompanyOpt,
    invoices: InvoicesArg,
    text: Annotated[str, typer.Option(help="The message to the case handler.")],
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Send a message to the case handler, kept in the claims' history."""
    _act(company, invoices, Action.MESSAGE, on, text, json_out)


ObjectionText = Annotated[str, typer.Option(help="The debtor's objection, or the reasons of the answer.")]


# R-CLM-15 (the objection commands: dispute, reject, uphold)
@app.command("dispute")
@handle_errors
def claims_dispute(
    company: CompanyOpt, invoices: InvoicesArg, text: ObjectionText, on: DateOpt = None, json_out: JsonOpt = False
) -> None:
    """Record the debtor's objection: no letter, fee, listing or move until it is answered."""
    _act(company, invoices, Action.DISPUTE, on, text, json_out)


@app.command("reject")
@handle_errors
def claims_reject(
    company: CompanyOpt, invoices: InvoicesArg, text: ObjectionText, on: DateOpt = None, json_out: JsonOpt = False
) -> None:
    """Reject the objection with reasons: the day's run sends the answer with a new 14-day deadline."""
    _act(company, invoices, Action.REJECT, on, text, json_out)


@app.command("uphold")
@handle_errors
def claims_uphold(
    company: CompanyOpt, invoices: InvoicesArg, text: ObjectionText, on: DateOpt = None, json_out: JsonOpt = False
) -> None:
    """Uphold the objection: the claim closes without costs or interest; the debtor gets the answer.
    Credit or write off the invoice in the books."""
    _act(company, invoices, Action.UPHOLD, on, text, json_out)


# R-ACT-3
@app.command("answer")
@handle_errors
def claims_answer(
    company: CompanyOpt,
    invoice: Annotated[str, typer.Argument(help="The claim's invoice number.")],
    text: Annotated[str, typer.Option(help="The case handler's answer.")],
    on: DateOpt = None,
) -> None:
    """The case handler answers the creditor's message; kept in the claim's history."""
    collection.answer(get_app().uow(), company, invoice, text, on=business_date(on), by=who())
    typer.echo(f"answer recorded on invoice {invoice}")


@app.command("approve")
@handle_errors
def claims_approve(company: CompanyOpt, invoices: InvoicesArg, on: DateOpt = None) -> None:
    """Approve listed claims for inkasso; they move in the day's run. Exits 1 when any was not approved."""
    results = collection.approve(get_app().uow(), company, invoices, on=business_date(on), by=who())
    for r in results:
        typer.echo(f"invoice {r.invoice}: " + ("approved" if r.approved else f"not approved: {r.reason}"))
    if not all(r.approved for r in results):
        raise typer.Exit(1)


# R-ACT-5
@app.command("history")
@handle_errors
def claims_history(
    company: CompanyOpt,
    invoice: Annotated[str, typer.Argument(help="The claim's invoice number, or its collection ID (K1-000001).")],
    json_out: JsonOpt = False,
) -> None:
    """The append-only history of a claim: every event with its day, amount, detail and who."""
    events = queries.claim_history(read_app().reader(), company, invoice)
    if json_out:
        echo_json(events)
        return
    typer.echo(show.history_table(events))
