"""The schema: migrations build exactly the tables the code declares, on both backends, and can be run twice."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from krav.adapters.db import tables as t
from krav.adapters.db.engine import make_engine
from krav.adapters.db.migrate import current_revision, head_revision, upgrade
from krav.adapters.db.tables import metadata
from tests.conftest import POSTGRES_URL


def test_the_migrations_build_exactly_the_declared_tables(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_upgrading_twice_is_harmless(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == head_revision()


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
