"""``krav users``: the people who log in to the creditor portal, and their roles per company."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from krav.domain.access import User, parse_role
from krav.domain.errors import FieldError
from krav.entrypoints.cli.common import JsonOpt, echo_json, get_app, handle_errors, read_app, who
from krav.entrypoints.output import table
from krav.services import queries, users

app = typer.Typer(help="The portal's users: make one, list them, grant and revoke roles.", no_args_is_help=True)

CompanyOpt = Annotated[
    str | None,
    typer.Option("--company", "-c", help="The creditor (for a creditor's role; none for the service's roles)."),
]


def read_password(from_stdin: bool) -> str:
    """The password from the first line of standard input, or asked for twice without showing it."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise FieldError("password", "give a password")
    return password


def _roles(user: User, orgnos: dict[int | None, str]) -> str:
    return ", ".join(f"{r.role.value}@{orgnos.get(r.company_id, 'alle')}" for r in user.roles)


@app.command("create")
@handle_errors
def users_create(
    email: Annotated[str, typer.Argument(help="The user's e-mail address: what the user logs in with.")],
    name: Annotated[str, typer.Option(help="The user's name (default: the e-mail).")] = "",
    role: Annotated[str | None, typer.Option(help="A role to grant at once (see `krav users grant`).")] = None,
    company: CompanyOpt = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input, not a prompt.")
    ] = False,
) -> None:
    """Make a portal user; the password is asked for (hidden) or read from standard input, and stored hashed."""
    krav = get_app()
    now = datetime.now(UTC)
    password = read_password(password_stdin)
    made = users.create_user(krav.uow(), krav.hasher, email=email, name=name, password=password, by=who(), now=now)
    typer.echo(f"user {made.email} made")
    if role is not None:
        users.grant(krav.uow(), made.email, parse_role(role), company, by=who(), now=now)
        typer.echo(f"{made.email} is {role} in {company or 'every company'}")


@app.command("list")
@handle_errors
def users_list(company: CompanyOpt = None, json_out: JsonOpt = False) -> None:
    """The portal's users (never their passwords) with their roles per company."""
    krav = read_app()
    orgnos: dict[int | None, str] = {c.id: c.orgno for c in queries.companies(krav.reader())}
    found = users.users(krav.reader(), company)
    if json_out:
        echo_json(
            [
                {
                    "id": u.id,
                    "email": u.email,
                    "name": u.name,
                    "roles": [{"role": r.role, "company": orgnos.get(r.company_id)} for r in u.roles],
                    "disabled_at": u.disabled_at.isoformat() if u.disabled_at else None,
                }
                for u in found
            ]
        )
        return
    rows = [(u.id, u.email, u.name, _roles(u, orgnos), f"{u.created_at:%d.%m.%Y}") for u in found]
    typer.echo(table(["id", "e-post", "navn", "roller", "laget"], rows))


@app.command("grant")
@handle_errors
def users_grant(
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
    role: Annotated[str, typer.Option(help="creditor_admin, creditor_user, viewer, case_handler or operator.")],
    company: CompanyOpt = None,
) -> None:
    """Give a user a role in a company (a role of the service: in every company); it replaces the role held
    there before."""
    changed = users.grant(get_app().uow(), email, parse_role(role), company, by=who(), now=datetime.now(UTC))
    typer.echo(f"{changed.email} is {parse_role(role).value} in {company or 'every company'}")


@app.command("revoke")
@handle_errors
def users_revoke(
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
    company: CompanyOpt = None,
) -> None:
    """Take away a user's role in a company (without --company: the roles across companies); refused at once."""
    changed = users.revoke(get_app().uow(), email, company, now=datetime.now(UTC))
    typer.echo(f"{changed.email}'s role in {company or 'every company'} revoked")
