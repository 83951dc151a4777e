"""``krav serve``, ``krav keys`` and ``krav webhooks``: the REST API, the API keys that open it, and the webhook
deliveries it posts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from krav.domain.access import parse_role
from krav.entrypoints.cli.common import JsonOpt, echo_json, get_app, handle_errors, read_app, who
from krav.entrypoints.clock import oslo_moment
from krav.entrypoints.output import table
from krav.services import access, queries, webhooks

keys_app = typer.Typer(help="API keys: make one (shown once), list them, revoke one.", no_args_is_help=True)
webhooks_app = typer.Typer(help="The creditors' webhooks: post the deliveries that are due.", no_args_is_help=True)


@handle_errors
def serve_command(
    host: Annotated[str, typer.Option(envvar="KRAV_HOST", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="KRAV_PORT", help="The port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(envvar="KRAV_WORKERS", min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the REST API (/api/v1, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs) and the creditor
    portal (/) on the configured database. Requests need a key (`krav keys create`); the portal, a user (`krav
    users create`)."""
    import uvicorn

    get_app()  # the database is created or brought up to date before the first request
    typer.echo(f"Krav API on http://{host}:{port}/api/v1 (docs: http://{host}:{port}/api/v1/docs)", err=True)
    typer.echo(f"The creditor portal on http://{host}:{port}/ (users: krav users create)", err=True)
    uvicorn.run("krav.entrypoints.api:serve_app", factory=True, host=host, port=port, workers=workers, log_level="info")


@keys_app.command("create")
@handle_errors
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what uses the key (an ERP, a person).")],
    role: Annotated[
        str,
        typer.Option(help="creditor_admin, creditor_user, viewer, integration, case_handler or operator."),
    ],
    company: Annotated[
        str | None,
        typer.Option("--company", "-c", help="The creditor (for a creditor's role; none for the service's)."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Make an API key; the key is printed this once and only its hash is kept."""
    made = access.create_key(
        get_app().uow(),
        get_app().hasher,
        name=name,
        role=parse_role(role),
        orgno=company,
        by=who(),
        now=datetime.now(UTC),
    )
    if json_out:
        echo_json({"id": made.key.id, "name": name, "role": made.key.role, "company": company, "token": made.token})
        return
    typer.echo(made.token)
    scope = f"company {company}" if company else "every company"
    typer.echo(f"key {made.key.id} ({made.key.role.value}, {scope}) made; it is shown only now: keep it safe", err=True)


@keys_app.command("list")
@handle_errors
def keys_list(
    company: Annotated[str | None, typer.Option("--company", "-c", help="Only this creditor's keys.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """The API keys (never their secrets): name, role, company, when made and revoked."""
    krav = read_app()
    orgnos = {c.id: c.orgno for c in queries.companies(krav.reader())}
    found = access.keys(krav.reader(), company)
    if json_out:
        echo_json(
            [
                {
                    "id": k.id,
                    "name": k.name,
                    "role": k.role,
                    "company": orgnos.get(k.company_id),
                    "created_at": k.created_at.isoformat(),
                    "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
                }
                for k in found
            ]
        )
        return
    rows = [
        (
            k.id,
            k.name,
            k.role.value,
            orgnos.get(k.company_id, "alle"),
            oslo_moment(k.created_at),
            oslo_moment(k.revoked_at),
        )
        for k in found
    ]
    typer.echo(table(["id", "navn", "rolle", "selskap", "laget", "tilbakekalt"], rows))


@keys_app.command("revoke")
@handle_errors
def keys_revoke(key_id: Annotated[int, typer.Argument(help="The key's id (see `krav keys list`).")]) -> None:
    """Revoke an API key: it is refused on its next request."""
    access.revoke_key(get_app().uow(), key_id, now=datetime.now(UTC))
    typer.echo(f"key {key_id} revoked")


@webhooks_app.command("deliver")
@handle_errors
def webhooks_deliver(json_out: JsonOpt = False) -> None:
    """Post the webhook deliveries that are due (`krav serve` does this by itself every few seconds)."""
    krav = get_app()
    report = webhooks.deliver(krav.uow(), krav.webhook_sender, now=datetime.now(UTC), limit=1000)
    if json_out:
        echo_json(report)
        return
    typer.echo(f"delivered {report.delivered}, to try again {report.retrying}, given up {report.failed}")
    if report.failed:
        raise typer.Exit(1)
