"""The portal's users on both backends: made with the password hashed, roles granted per company and revoked,
log-in refused for a wrong password; and `krav users` on the command line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from krav.bootstrap import App
from krav.config import get_settings
from krav.domain.access import Permission, Role
from krav.domain.errors import Conflict, FieldError, NotFound
from krav.domain.party import Company
from krav.entrypoints.cli import app as cli
from krav.services import ledger, queries, users

A, B = "974760673", "923609016"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def app(engine: Engine) -> App:
    app = App(settings=get_settings(), engine=engine, _migrated=True)
    for orgno, name in ((A, "A AS"), (B, "B AS")):
        ledger.create_company(app.uow(), Company(orgno, name, "86011117947"))
    return app


def test_a_user_is_stored_with_its_password_hashed_and_logs_in_with_it(app: App) -> None:
    krav = app
    made = users.create_user(
        krav.uow(), krav.hasher, email=" Kari@Eksempel.NO ", name="Kari", password="riktig-passord", by="t", now=NOW
    )
    assert made.email == "kari@eksempel.no"
    assert "riktig-passord" not in made.password_hash
    assert made.password_hash.startswith("$argon2id$")
    assert users.authenticate(krav.reader(), krav.hasher, "KARI@eksempel.no", "riktig-passord").id == made.id
    with pytest.raises(users.LoginRefused):
        users.authenticate(krav.reader(), krav.hasher, "kari@eksempel.no", "feil-passord")
    with pytest.raises(users.LoginRefused):
        users.authenticate(krav.reader(), krav.hasher, "ola@eksempel.no", "riktig-passord")
    with pytest.raises(Conflict):
        users.create_user(krav.uow(), krav.hasher, email="kari@eksempel.no", name="", password="x" * 8, by="t", now=NOW)
    with pytest.raises(FieldError):
        users.create_user(krav.uow(), krav.hasher, email="ola@eksempel.no", name="", password="kort", by="t", now=NOW)


def test_saved_filters_are_each_users_own_per_company_and_a_name_is_kept_once(app: App) -> None:
    krav = app
    kari = users.create_user(krav.uow(), krav.hasher, email="kari@a.no", name="", password="passord-1", by="t", now=NOW)
    ola = users.create_user(krav.uow(), krav.hasher, email="ola@a.no", name="", password="passord-2", by="t", now=NOW)
    assert kari.id is not None
    assert ola.id is not None
    users.save_filter(krav.uow(), kari.id, A, " Inkasso  store ", "stage=inkasso&owed_from=10000", now=NOW)
    users.save_filter(krav.uow(), kari.id, A, "Inkasso store", "stage=inkasso&owed_from=20000", now=NOW)  # replaces
    users.save_filter(krav.uow(), kari.id, B, "Alle", "closed=true", now=NOW)
    found = users.saved_filters(krav.reader(), kari.id, A)
    assert [(f.name, f.query) for f in found] == [("Inkasso store", "stage=inkasso&owed_from=20000")]
    assert [f.name for f in users.saved_filters(krav.reader(), kari.id, B)] == ["Alle"]
    assert users.saved_filters(krav.reader(), ola.id, A) == []
    with pytest.raises(NotFound):
        users.delete_filter(krav.uow(), ola.id, A, "Inkasso store")  # not Ola's
    users.delete_filter(krav.uow(), kari.id, A, "Inkasso store")
    assert users.saved_filters(krav.reader(), kari.id, A) == []
    with pytest.raises(FieldError):
        users.save_filter(krav.uow(), kari.id, A, " ", "stage=notice", now=NOW)
    with pytest.raises(FieldError):
        users.save_filter(krav.uow(), kari.id, A, "lang", "q=" + "x" * 600, now=NOW)


def test_roles_are_per_company_and_a_revoked_role_is_gone_at_once(app: App) -> None:
    krav = app
    users.create_user(krav.uow(), krav.hasher, email="kari@a.no", name="", password="passord-1", by="t", now=NOW)
    users.grant(krav.uow(), "kari@a.no", Role.VIEWER, A, by="t", now=NOW)
    user = users.grant(krav.uow(), "kari@a.no", Role.CREDITOR_USER, A, by="t", now=NOW)  # replaces the viewer
    ids = {c.orgno: c.id for c in queries.companies(krav.reader()) if c.id is not None}
    assert [r.role for r in user.roles] == [Role.CREDITOR_USER]
    who = user.principal(ids[A])
    assert who is not None
    assert who.may(Permission.COLLECT)
    assert not who.may(Permission.ADMIN)
    assert who.actor == "portal:kari@a.no"
    assert user.principal(ids[B]) is None  # no role in B: B is not hers to see
    assert [u.email for u in users.users(krav.reader(), A)] == ["kari@a.no"]
    assert users.users(krav.reader(), B) == []
    revoked = users.revoke(krav.uow(), "kari@a.no", A, now=NOW)
    assert revoked.principal(ids[A]) is None
    with pytest.raises(NotFound):
        users.revoke(krav.uow(), "kari@a.no", A, now=NOW)
    with pytest.raises(FieldError):
        users.grant(krav.uow(), "kari@a.no", Role.VIEWER, None, by="t", now=NOW)  # a creditor's role needs a company
    service = users.grant(krav.uow(), "kari@a.no", Role.CASE_HANDLER, None, by="t", now=NOW)
    assert service.principal(ids[B]) is not None  # the service's roles work across companies


def test_the_users_commands(krav: CliRunner) -> None:
    runner = krav
    assert runner.invoke(cli, ["company", "create", "--orgno", A, "--name", "A AS"]).exit_code == 0
    made = runner.invoke(
        cli,
        ["users", "create", "kari@a.no", "--role", "creditor_admin", "--company", A, "--password-stdin"],
        input="et-godt-passord\n",
    )
    assert made.exit_code == 0, made.output
    listed = runner.invoke(cli, ["users", "list"])
    assert "kari@a.no" in listed.output
    assert f"creditor_admin@{A}" in listed.output
    assert "et-godt-passord" not in listed.output
    assert runner.invoke(cli, ["users", "revoke", "kari@a.no", "--company", A]).exit_code == 0
    assert f"creditor_admin@{A}" not in runner.invoke(cli, ["users", "list"]).output
    granted = runner.invoke(cli, ["users", "grant", "kari@a.no", "--role", "viewer", "--company", A])
    assert granted.exit_code == 0, granted.output
    assert f"viewer@{A}" in runner.invoke(cli, ["users", "list"]).output
