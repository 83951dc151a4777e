"""``krav run``, ``krav simulate`` and ``krav demo``: business days, one or many, and the demo creditor."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Annotated

import typer

from krav.bootstrap import App, require_service_identity, what_if_copy
from krav.domain.errors import InputError
from krav.entrypoints.cli import collection_presenters as show
from krav.entrypoints.cli.claims import claims_list
from krav.entrypoints.cli.common import (
    DateOpt,
    JsonOpt,
    business_date,
    echo,
    echo_json,
    get_app,
    given_date,
    handle_errors,
)
from krav.entrypoints.cli.ledger import ledger_customers, ledger_items
from krav.entrypoints.cli.presenters import day
from krav.entrypoints.cli.progress import progress
from krav.entrypoints.labels import word
from krav.services import daily_run, demo, queries

OneCompanyOpt = Annotated[str | None, typer.Option("--company", "-c", help="One creditor (default: all).")]


DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show what the day's run would do and send, on a copy; change nothing.")
]
NoSendOpt = Annotated[
    bool,
    typer.Option("--no-send", help="Run the day's steps and leave the letters in the outbox (for `krav outbox send`)."),
]


# R-TIME-5 (the steps of a day, in order), R-SVC-1 (refused without the service's identity)
@handle_errors
def run_command(
    on: DateOpt = None,
    company: OneCompanyOpt = None,
    json_out: JsonOpt = False,
    dry_run: DryRunOpt = False,
    no_send: NoSendOpt = False,
) -> None:
    """Run one business day for each creditor, step by step in the order of the day; running the same date again
    changes nothing. Refused, with nothing changed, while the service's identity is incomplete."""
    require_service_identity()  # before the database is opened: a refused run changes nothing
    krav = get_app()
    if dry_run:
        _dry_run(krav, business_date(on), company, json_out)
        return
    with progress(word("progress run")) as bar:
        collab = replace(krav.collaborators(), progress=bar)
        today = daily_run.run_business_day(
            krav.uow(), business_date(on), collab, company=company, deliver_letters=not no_send
        )
    if json_out:
        echo_json(show.business_day_json(today))
    else:
        echo(show.business_day_lines(today))
    if today.troubled:
        raise typer.Exit(1)


def _dry_run(krav: App, on: date, company: str | None, json_out: bool) -> None:
    """R-SVC-3: the day's run on a copy of the database (and of the inbox's files), as a real run would do it, with
    the letters it would send; the real books, inbox and outbox are not touched."""
    with what_if_copy(krav, inbox=True) as copy:
        orgnos = daily_run.creditors(copy.reader(), company)
        before = {orgno: {lt.id for lt in queries.letters(copy.reader(), orgno)} for orgno in orgnos}
        with progress(word("progress run")) as bar:
            collab = replace(copy.collaborators(what_if=False), progress=bar)
            today = daily_run.run_business_day(copy.uow(), on, collab, company=company, deliver_letters=False)
        new = [
            (orgno, letter)
            for orgno in orgnos
            for letter in queries.letters(copy.reader(), orgno)
            if letter.id not in before[orgno]
        ]
    if json_out:
        echo_json({"day": today, "letters": [letter for _, letter in new], "changed": False})
    else:
        echo(show.business_day_lines(today))
        echo(show.dry_run_letter_lines(new))
        typer.echo("nothing was changed: a dry run works on a copy of the database; nothing was sent")
    if today.troubled:
        raise typer.Exit(1)


# R-SVC-3: a what-if never touches the real books
@handle_errors
def simulate_command(
    start: Annotated[str, typer.Option("--from", help="First day (dd.mm.åååå or YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day (dd.mm.åååå or YYYY-MM-DD).")],
    company: OneCompanyOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """A what-if: run the days from --from to --to on a copy of the database and report what would happen; the
    real books, claims, letters and outbox are not touched and nothing is sent."""
    krav = get_app()
    first, last = given_date(start, "--from"), given_date(end, "--to")
    if last < first:
        raise InputError("--to is before --from")
    with what_if_copy(krav) as copy:
        total, done = (last - first).days + 1, itertools.count(1)
        with progress(word("progress days"), total) as bar:
            days = daily_run.run_days(
                copy.uow(),
                first,
                last,
                copy.collaborators(inbox=False),
                company=company,
                deliver_letters=False,
                after_day=lambda _: bar("days", next(done), total),
            )
        reports = [r for d in days for r in d.creditors]
        stages = [
            show.stages_line(orgno, queries.claims_view(copy.reader(), orgno, on=last, rates=copy.rates))
            for orgno in daily_run.creditors(copy.reader(), company)
        ]
    if json_out:
        echo_json({"days": reports, "changed": False})
    else:
        echo(show.simulation_lines(first, last, reports))
        for report in reports:
            if report.troubled:
                echo(show.creditor_day_lines(report))
        echo(stages)
        typer.echo("nothing was changed: the simulation ran on a copy of the database, and nothing was sent")
    if any(d.troubled for d in days):
        raise typer.Exit(1)


@handle_errors
def demo_command(
    on: DateOpt = None,
    days: Annotated[int, typer.Option(help="How many days of collection to run up to the date.")] = 45,
) -> None:
    """Load the demo creditor (once): customers, invoices, an active agreement and the last weeks of collection
    run day by day; then show its books, its claims and where its letters are."""
    krav = get_app()
    today = business_date(on)
    collab = krav.collaborators(what_if=True)  # the demo creditor is no real one: unknown rates are assumed
    done = itertools.count(1)
    with progress(word("progress demo"), days + 1) as bar:
        summary = demo.run_demo(
            krav.uow(), collab, today=today, days=days, after_day=lambda _: bar("days", next(done), days + 1)
        )
    if summary is not None:
        typer.echo(
            f"loaded the demo creditor {demo.DEMO_COMPANY.name} ({summary.orgno}): {summary.customers} customers, "
            f"{summary.invoices} invoices, {summary.payments} payments"
        )
    letters_dir = krav.settings.home / "letters"
    count = demo.export_letters(krav.uow(), collab, letters_dir)
    typer.echo(f"\nDatabase: {krav.database_url}")
    typer.echo(f"\nCustomers of {demo.DEMO_COMPANY.name} ({demo.DEMO_ORGNO}):")
    ledger_customers(company=demo.DEMO_ORGNO)
    typer.echo(f"\nOpen items on {day(today)}:")
    ledger_items(company=demo.DEMO_ORGNO)
    typer.echo(f"\nClaims under collection on {day(today)}:")
    claims_list(company=demo.DEMO_ORGNO, on=today.isoformat())
    typer.echo(f"\n{count} letter(s) as PDF in {letters_dir}")
    typer.echo(f"print batches in {krav.print_dir}, e-mails in {krav.settings.home / 'mail'}")
    typer.echo(f"\nTry: krav proposal --company {demo.DEMO_ORGNO}   krav letters list --company {demo.DEMO_ORGNO}")
    demo.demo_user(krav.uow(), krav.hasher, now=datetime.now(UTC))
    typer.echo(f"\nThe creditor portal (krav serve): log in as {demo.DEMO_USER} with the password {demo.DEMO_PASSWORD}")
