"""The schema: migrations build exactly the tables the code declares, on both backends, and can be run twice."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from krav.adapters.db import tables as t
from krav.adapters.db.engine import make_engine
from krav.adapters.db.migrate import HEAD, alembic_config, current_revision, head_revision, stored_revisions, upgrade
from krav.adapters.db.tables import metadata
from tests.conftest import POSTGRES_URL


def test_the_migrations_build_exactly_the_declared_tables(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_upgrading_twice_is_harmless(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_the_newest_revision_known_without_alembic_is_the_scripts_own_head() -> None:
    """``HEAD`` spares every command loading Alembic: a new migration must move it, or databases would stay behind."""
    assert head_revision() == HEAD


def test_a_database_at_the_newest_revision_is_not_handed_to_alembic(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("Alembic asked to upgrade a database already at the newest revision")

    monkeypatch.setattr(command, "upgrade", refuse)
    assert stored_revisions(engine) == {HEAD}
    upgrade(engine)
    with pytest.raises(AssertionError, match="already at the newest"):
        upgrade(engine, HEAD)  # a revision asked for by name still goes through Alembic


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database with no tables yet, on each backend: a SQLite file, and a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        try:
            yield eng
        finally:
            eng.dispose()
        return
    request.getfixturevalue("postgres_schema_url")  # skips when PostgreSQL is not reachable
    schema = f"krav_migration_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'create schema "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    eng = make_engine(f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}")
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'drop schema "{schema}" cascade'))
        admin.dispose()


def test_a_new_database_has_no_revision_and_is_built_to_the_newest(empty_engine: Engine) -> None:
    assert stored_revisions(empty_engine) == set()
    upgrade(empty_engine)
    assert stored_revisions(empty_engine) == {HEAD} == {current_revision(empty_engine)}


def test_payments_recorded_before_0006_get_an_identity_from_their_file_and_reference(empty_engine: Engine) -> None:
    """Revision 0006: every payment on the client account has a ``bank_id``, unique; those recorded before it
    stand for themselves (``file:SOURCE/REFERENCE``), and a second payment of one identity is refused."""
    upgrade(empty_engine, "0005")
    row = {
        "received_on": date(2025, 4, 1),
        "amount_ore": 83884,
        "currency": "NOK",
        "reference": "P1/1",
        "source": "sha256:" + "ab" * 32,
        "status": "pending",
        "created_at": datetime(2025, 4, 1, 6, tzinfo=UTC),
    }
    columns = ", ".join(row)
    with empty_engine.begin() as conn:
        conn.execute(sa.text(f"insert into client_payment ({columns}) values (:{', :'.join(row)})"), row)
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        found = conn.execute(sa.select(t.client_payment.c.bank_id, t.client_payment.c.filename)).all()
    assert [tuple(r) for r in found] == [("file:sha256:" + "ab" * 32 + "/P1/1", None)]
    with pytest.raises(sa.exc.IntegrityError), empty_engine.begin() as conn:
        conn.execute(t.client_payment.insert().values({**row, "reference": "P1/2", "bank_id": found[0][0]}))


def test_revision_0013_adds_the_payers_message_to_an_existing_database_and_freezes_it_r_bank_2(
    empty_engine: Engine,
) -> None:
    """Revision 0013 on a database with payments: those recorded before it have no message; a new one keeps what
    the payer wrote, frozen with the bank's other fields (the trigger is made again with the column), while its
    handling may still change. Downgraded, the column goes and the payment's bank fields stay frozen."""
    upgrade(empty_engine, "0012")
    row = {
        "received_on": date(2025, 4, 1),
        "amount_ore": 83884,
        "currency": "NOK",
        "reference": "P1/1",
        "source": "sha256:" + "ab" * 32,
        "bank_id": "camt:P1/1",
        "status": "unmatched",
        "created_at": datetime(2025, 4, 1, 6, tzinfo=UTC),
    }
    seen_again = {k: v for k, v in row.items() if k != "status"} | {
        "payment_id": 1,
        "reference": "P2/1",
        "reason": "already received as payment 1",
    }
    with empty_engine.begin() as conn:
        for table, values in (("client_payment", row), ("client_payment_duplicate", seen_again)):
            columns = ", ".join(values)
            conn.execute(sa.text(f"insert into {table} ({columns}) values (:{', :'.join(values)})"), values)
    upgrade(empty_engine)

    p, d = t.client_payment, t.client_payment_duplicate
    with empty_engine.begin() as conn:
        assert conn.execute(sa.select(p.c.message)).scalars().all() == [None]
        assert conn.execute(sa.select(d.c.message)).scalars().all() == [None]
        conn.execute(p.insert().values({**row, "reference": "P3/1", "bank_id": "camt:P3/1", "message": "Faktura 5007"}))
        conn.execute(p.update().where(p.c.reference == "P3/1").values(status="pending", reason="assigned by hand"))
    with empty_engine.connect() as conn:
        stored = conn.execute(sa.select(p.c.message, p.c.status).where(p.c.reference == "P3/1")).one()
    assert tuple(stored) == ("Faktura 5007", "pending")
    for values in ({"message": "Faktura 6001"}, {"message": None}, {"amount_ore": 1}):
        with pytest.raises(sa.exc.DBAPIError, match="as the bank reported it"), empty_engine.begin() as conn:
            conn.execute(p.update().where(p.c.reference == "P3/1").values(values))

    config = alembic_config()
    with empty_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
    assert current_revision(empty_engine) == "0012"
    with empty_engine.connect() as conn:
        assert "message" not in {c["name"] for c in sa.inspect(conn).get_columns("client_payment")}
    with pytest.raises(sa.exc.DBAPIError, match="as the bank reported it"), empty_engine.begin() as conn:
        conn.execute(sa.text("update client_payment set amount_ore = 1"))
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
