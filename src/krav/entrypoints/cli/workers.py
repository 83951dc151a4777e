"""``krav worker`` and ``krav jobs``: the daily run on worker processes (PostgreSQL), and the jobs an operator
looks after."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from krav.entrypoints.cli.common import DateOpt, JsonOpt, business_date, echo_json, get_app, handle_errors
from krav.entrypoints.clock import oslo_moment
from krav.entrypoints.output import table
from krav.services import jobs as job_service
from krav.services.ports import lasting_collector

jobs_app = typer.Typer(
    help="The workers' jobs (PostgreSQL): queue a business day, list the jobs, retry a failed one.",
    no_args_is_help=True,
)

STATUSES = ("todo", "doing", "succeeded", "failed", "cancelled", "aborted")


@handle_errors
def worker_command(
    processes: Annotated[
        int, typer.Option("--processes", "-p", min=1, max=64, help="Worker processes side by side.")
    ] = 1,
    once: Annotated[bool, typer.Option("--once", help="Work until the queue is empty, then stop.")] = False,
) -> None:
    """Start workers on the PostgreSQL database: they run the business day each morning (04:30 UTC), each
    creditor's day, and its letters in shares, and queue again the jobs of a worker that stopped. On SQLite
    `krav run` does the day's work itself."""
    from krav.entrypoints import worker

    lasting_collector()  # workers run until stopped: the collector as Python sets it, not a batch command's
    krav = get_app()
    krav.job_queue_url()  # refuses SQLite at once, and makes the queue's tables the first time
    krav.close()  # each worker opens its own connections
    typer.echo(f"krav: {processes} worker(s) on the job queue{' until it is empty' if once else ''}", err=True)
    failed = worker.work_in_processes(processes, once=once)
    if failed:
        typer.echo(f"krav: {failed} worker(s) stopped with an error; see the log above", err=True)
        raise typer.Exit(1)


@jobs_app.command("day")
@handle_errors
def jobs_day(on: DateOpt = None) -> None:
    """Queue a business day for the workers (as the morning schedule does): its start, then each creditor's day
    and letters. Running a date again changes nothing that was done."""
    krav = get_app()
    krav.job_queue_url()
    day = business_date(on)
    job = job_service.queue_business_day(krav.uow(), day)
    typer.echo(f"Virkedagen {day:%d.%m.%Y} er lagt i køen (jobb {job}); `krav worker` gjør den.")


@jobs_app.command("list")
@handle_errors
def jobs_list(
    status: Annotated[
        list[str] | None, typer.Option("--status", "-s", help=f"Only jobs with this status: {', '.join(STATUSES)}.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="The most jobs shown, newest first.")] = 100,
    json_out: JsonOpt = False,
) -> None:
    """The jobs, newest first: task, what it is for, status, attempts and when it last changed. Failed ones are
    those a worker gave up on after its tries (`krav jobs retry ID` queues one again)."""
    wanted = [s.lower() for s in status or []]
    unknown = [s for s in wanted if s not in STATUSES]
    if unknown:
        raise typer.BadParameter(
            f"unknown status {', '.join(unknown)}; one of {', '.join(STATUSES)}", param_hint="--status"
        )
    krav = get_app()
    krav.job_queue_url()
    with krav.reader() as uow:
        found = uow.jobs.listed(statuses=wanted, limit=limit)
    if json_out:
        echo_json([{**vars(j), "args": dict(j.args)} for j in found])
        return
    if not found:
        typer.echo("Ingen jobber" + (f" med status {', '.join(wanted)}." if wanted else "."))
        return
    rows = [(j.id, j.task.removeprefix("krav."), _args(j.args), j.status, j.attempts, _when(j.at)) for j in found]
    typer.echo(table(["id", "oppgave", "gjelder", "status", "forsøk", "sist endret"], rows, right={0, 4}))


@jobs_app.command("retry")
@handle_errors
def jobs_retry(
    job_id: Annotated[int, typer.Argument(help="The failed job's id (`krav jobs list -s failed`).")],
) -> None:
    """Queue a failed job again at once."""
    krav = get_app()
    krav.job_queue_url()
    with krav.uow() as uow:
        done = uow.jobs.retry(job_id)
        uow.commit()
    if not done:
        typer.echo(f"krav: no failed job {job_id} (see `krav jobs list --status failed`)", err=True)
        raise typer.Exit(1)
    typer.echo(f"Jobb {job_id} er lagt i køen igjen.")


def _args(args: object) -> str:
    if not isinstance(args, dict):
        return ""
    shown = []
    for key, value in args.items():
        if key == "on":
            shown.append(datetime.fromisoformat(str(value)).strftime("%d.%m.%Y"))
        elif key == "share":
            shown.append(f"del {int(value) + 1}/{args.get('shares', '?')}")
        elif key != "shares":
            shown.append(f"{key} {value}")
    return ", ".join(shown)


def _when(at: str | None) -> str:
    return "" if at is None else oslo_moment(datetime.fromisoformat(at), seconds=True)
