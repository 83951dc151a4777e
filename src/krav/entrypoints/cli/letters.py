"""``krav letters`` and ``krav outbox``: letters sent to debtors, and what is on its way out."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from krav.bootstrap import require_service_identity
from krav.domain.money import format_amount
from krav.entrypoints import labels
from krav.entrypoints.cli import collection_presenters as show
from krav.entrypoints.cli import queue_presenters as waiting
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
from krav.entrypoints.cli.progress import progress
from krav.entrypoints.cli.spreadsheets import CsvOpt, XlsxOpt, letters_sheet, write_sheet
from krav.entrypoints.labels import word
from krav.services import queries
from krav.services.collection import delivery
from krav.services.collection.delivery.archive import archive_letter_pdf
from krav.services.collection.delivery.cancel import cancel as cancel_letter
from krav.services.daily_run import BOUNCES

DeliveryDateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="The business day it goes out (dd.mm.åååå or YYYY-MM-DD, default today): a letter is dated the day it went.",
    ),
]

letters_app = typer.Typer(help="Letters sent to debtors: list, show, PDF.", no_args_is_help=True)
outbox_app = typer.Typer(help="Letters and lists on their way out: status, send, retry.", no_args_is_help=True)


@letters_app.command("list")
@handle_errors
def letters_list(
    company: CompanyOpt,
    debtor: Annotated[str | None, typer.Option(help="Only this debtor's letters.")] = None,
    json_out: JsonOpt = False,
    csv_file: CsvOpt = None,
    xlsx_file: XlsxOpt = None,
) -> None:
    """Letters sent, by date, debtor and number; --csv or --xlsx: as a spreadsheet."""
    letters = queries.letters(read_app().reader(), company, debtor=debtor)
    if write_sheet(letters_sheet(letters), csv_file, xlsx_file, json_out=json_out):
        return
    if json_out:
        echo_json(show.letters_json(letters))
        return
    typer.echo(show.letters_table(letters))


@letters_app.command("show")
@handle_errors
def letters_show(company: CompanyOpt, letter_id: Annotated[int, typer.Argument()], json_out: JsonOpt = False) -> None:
    """One letter's content as data: its claims and amounts."""
    krav = read_app()
    view = queries.letter(krav.reader(), company, letter_id, krav.service)
    if json_out:
        echo_json(view.letter)
        return
    echo(show.letter_lines(view.letter, view.stored))


# R-SVC-1
@letters_app.command("pdf")
@handle_errors
def letters_pdf(
    company: CompanyOpt,
    letter_id: Annotated[int, typer.Argument()],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Where to write the PDF (default: its name).")] = None,
) -> None:
    """Write a letter's PDF: the archived bytes (with their SHA-256) once it was sent, byte for byte. Refused while
    the service's identity is incomplete."""
    require_service_identity()
    krav = get_app()
    doc = archive_letter_pdf(krav.uow(), company, letter_id, renderer=krav.renderer, service=krav.service)
    target = out or Path(doc.filename)
    target.write_bytes(doc.content)
    typer.echo(f"{target} ({len(doc.content)} bytes, sha256 {doc.sha256})")


@letters_app.command("cancel")
@handle_errors
def letters_cancel(
    company: CompanyOpt,
    letter_id: Annotated[int, typer.Argument(help="The letter (see `krav letters list`).")],
    on: DateOpt = None,
) -> None:
    """Cancel a reminder or collection notice that has not gone out (its delivery pending or failed): it is never
    sent, and its claims go back to where they were before it, without its fee or deadline. The next run writes
    the letter a claim is then due, unless you pause or close the claim first. Refused for a letter sent or that
    may have gone (uncertain), and for other letters (their claims wait for them: `krav outbox retry`)."""
    krav = get_app()
    done = cancel_letter(krav.uow(), company, letter_id, on=business_date(on), by=who(), rates=krav.rates)
    letter = done.letter
    kind = labels.letter_type(letter.type)
    lines = [f"letter {letter_id} ({kind} {letter.n} to debtor {letter.debtor}) cancelled: it will not be sent"]
    lines += [f"  invoice {invoice}: back in stage {labels.stage(stage)}" for invoice, stage in done.claims.items()]
    if done.waived.is_positive():
        lines.append(f"  fees no longer owed: {format_amount(done.waived)}")
    lines.append("the next run writes the letter each claim is due then; pause or close a claim to stop it")
    echo(lines)


@outbox_app.command("status")
@handle_errors
def outbox_status(json_out: JsonOpt = False) -> None:
    """Deliveries by status; failed and uncertain ones are listed with their reason, and the claims that wait for
    a letter that could not be sent with since when, why and what to do."""
    status = queries.outbox_status(read_app().reader())
    if json_out:
        echo_json({**show.outbox_status_json(status), "held": waiting.held_json(status.held)})
        return
    echo(show.outbox_status_lines(status) + waiting.held_lines(status.held))


# R-SVC-1, R-SVC-2
@outbox_app.command("send")
@handle_errors
def outbox_send(on: DeliveryDateOpt = None) -> None:
    """Render, archive and send what is waiting (krav run does this after the day's steps); refused while the
    service's identity is incomplete."""
    require_service_identity()
    krav = get_app()
    with progress(word("progress send")) as bar:
        report = delivery.send_outbox(krav.uow(), replace(krav.collaborators(), progress=bar), on=business_date(on))
    echo(show.outbox_lines(report))
    _exit_if_undelivered(report)


# R-SVC-1, R-SVC-2
@outbox_app.command("retry")
@handle_errors
def outbox_retry(
    uncertain: Annotated[
        bool,
        typer.Option("--uncertain", help="Also resend deliveries that may have left (check with the recipient first)."),
    ] = False,
    on: DeliveryDateOpt = None,
) -> None:
    """Put failed deliveries back in line (and uncertain ones with --uncertain); refused while the service's
    identity is incomplete, as they would fail again."""
    require_service_identity()
    krav = get_app()
    with progress(word("progress send")) as bar:
        collab = replace(krav.collaborators(), progress=bar)
        count, report = delivery.retry_and_send(krav.uow(), collab, on=business_date(on), uncertain=uncertain)
    typer.echo(f"{count} deliveries back in line")
    echo(show.outbox_lines(report))
    _exit_if_undelivered(report)


# R-SVC-2
@outbox_app.command("bounce")
@handle_errors
def outbox_bounce(
    delivery_id: Annotated[int, typer.Argument(help="The delivery whose e-mail came back (see `krav outbox status`).")],
    reason: Annotated[str, typer.Option("--reason", help="What the bounce said.")] = "reported bounced",
    on: DateOpt = None,
) -> None:
    """Record that an e-mail came back: its letter's claims wait again, and it goes on paper in the next print
    batch; `krav run` reads the delivery status notifications in $KRAV_HOME/inbox/bounces itself."""
    paper = delivery.record_bounce(get_app().uow(), delivery_id=delivery_id, on=business_date(on), reason=reason)
    typer.echo(
        f"delivery {delivery_id} bounced: on paper as delivery {paper.id} ({paper.delivery_key}), {paper.status}"
    )


@outbox_app.command("bounces")
@handle_errors
def outbox_bounces(on: DateOpt = None) -> None:
    """Read the delivery status notifications (RFC 3464) in $KRAV_HOME/inbox/bounces now, as `krav run` does."""
    krav = get_app()
    results = delivery.read_bounces(krav.uow(), krav.inbox / BOUNCES, on=business_date(on))
    echo(show.bounce_lines(results) or ["no bounces waiting"])
    if any(r.problem for r in results):
        raise typer.Exit(1)


def _exit_if_undelivered(report: delivery.OutboxReport) -> None:
    """R-SVC-2: a delivery that failed leaves its letter unsent; the command says so and exits 1."""
    if report.failed or report.uncertain:
        echo(show.undelivered_lines(report.failed + report.uncertain))
        raise typer.Exit(1)
