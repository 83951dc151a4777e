"""``krav letters`` and ``krav outbox``: letters sent to debtors, and what is on its way out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from krav.entrypoints.cli import collection_presenters as show
from krav.entrypoints.cli.common import CompanyOpt, JsonOpt, echo, echo_json, get_app, handle_errors
from krav.services import queries
from krav.services.collection import delivery
from krav.services.collection.delivery.archive import archive_letter_pdf

letters_app = typer.Typer(help="Letters sent to debtors: list, show, PDF.", no_args_is_help=True)
outbox_app = typer.Typer(help="Letters and lists on their way out: status, send, retry.", no_args_is_help=True)


@letters_app.command("list")
@handle_errors
def letters_list(
    company: CompanyOpt,
    debtor: Annotated[str | None, typer.Option(help="Only this debtor's letters.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Letters sent, by date, debtor and number."""
    letters = queries.letters(get_app().reader(), company, debtor=debtor)
    if json_out:
        echo_json(show.letters_json(letters))
        return
    typer.echo(show.letters_table(letters))


@letters_app.command("show")
@handle_errors
def letters_show(company: CompanyOpt, letter_id: Annotated[int, typer.Argument()], json_out: JsonOpt = False) -> None:
    """One letter's content as data: its claims and amounts."""
    krav = get_app()
    view = queries.letter(krav.reader(), company, letter_id, krav.service)
    if json_out:
        echo_json(view.letter)
        return
    echo(show.letter_lines(view.letter))


@letters_app.command("pdf")
@handle_errors
def letters_pdf(
    company: CompanyOpt,
    letter_id: Annotated[int, typer.Argument()],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Where to write the PDF (default: its name).")] = None,
) -> None:
    """Write a letter's PDF: the archived bytes (with their SHA-256) once it was sent, byte for byte."""
    krav = get_app()
    doc = archive_letter_pdf(krav.uow(), company, letter_id, renderer=krav.renderer, service=krav.service)
    target = out or Path(doc.filename)
    target.write_bytes(doc.content)
    typer.echo(f"{target} ({len(doc.content)} bytes, sha256 {doc.sha256})")


@outbox_app.command("status")
@handle_errors
def outbox_status(json_out: JsonOpt = False) -> None:
    """Deliveries by status; failed and uncertain ones are listed with their reason."""
    status = queries.outbox_status(get_app().reader())
    if json_out:
        echo_json(show.outbox_status_json(status))
        return
    echo(show.outbox_status_lines(status))


@outbox_app.command("send")
@handle_errors
def outbox_send() -> None:
    """Render, archive and send what is waiting (krav run does this after the day's steps)."""
    krav = get_app()
    echo(show.outbox_lines(delivery.send_outbox(krav.uow(), krav.collaborators())))


@outbox_app.command("retry")
@handle_errors
def outbox_retry(
    uncertain: Annotated[
        bool,
        typer.Option("--uncertain", help="Also resend deliveries that may have left (check with the recipient first)."),
    ] = False,
) -> None:
    """Put failed deliveries back in line (and uncertain ones with --uncertain)."""
    typer.echo(f"{delivery.retry(get_app().uow(), uncertain=uncertain)} deliveries back in line")
