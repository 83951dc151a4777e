"""Shared test fixtures: the external fixture folder and databases on both backends."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from krav.adapters.db.engine import make_engine
from krav.adapters.db.migrate import upgrade
from krav.adapters.db.tables import GUARDED, metadata
from krav.config import get_settings
from krav.entrypoints import cli, labels

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"
SCENARIOS = SHARED / "scenarios"

POSTGRES_URL = os.environ.get("KRAV_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("KRAV_REQUIRE_POSTGRES") == "1"


#: R-SVC-1: the service's identity every test runs with, as the settings give it (tests.builders.SERVICE).
SERVICE_SETTINGS = {
    "KRAV_SERVICE_NAME": "Krav Inkasso",
    "KRAV_SERVICE_ORGNO": "916000006",
    "KRAV_SERVICE_STREET": "Postboks 123 Sentrum",
    "KRAV_SERVICE_POSTCODE": "0104",
    "KRAV_SERVICE_CITY": "Oslo",
    "KRAV_SERVICE_PHONE": "22 33 44 55",
    "KRAV_SERVICE_EMAIL": "post@krav-inkasso.example",
    "KRAV_SERVICE_ACCOUNT": "16020000000",
    "KRAV_SERVICE_IBAN": "NO3916020000000",
    "KRAV_SERVICE_BIC": "DNBANOKKXXX",
}


@pytest.fixture(autouse=True)
def krav_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own ``KRAV_HOME``, so nothing a test does reaches a real one, and the complete identity
    of the tests' collection service (R-SVC-1)."""
    home = tmp_path_factory.mktemp("krav-home")
    monkeypatch.setenv("KRAV_HOME", str(home))
    monkeypatch.delenv("KRAV_LANG", raising=False)  # the tables in bokmål, whatever the shell running the tests says
    labels.use(labels.Lang.NB)
    for name, value in SERVICE_SETTINGS.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture
def krav(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """The `krav` command line on a fresh SQLite database in a temporary KRAV_HOME."""
    monkeypatch.setenv("KRAV_HOME", str(tmp_path / "home"))
    for name in ("KRAV_DATABASE_URL", "KRAV_SMTP_HOST", "KRAV_TEMPLATES_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in SERVICE_SETTINGS.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    cli.reset_app()
    yield CliRunner()
    cli.reset_app()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    assert FIXTURES.is_dir(), f"the external fixtures are missing at {FIXTURES}"
    return FIXTURES


def _postgres_reachable() -> str | None:
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any connection failure: reported below
        return f"{type(exc).__name__}: {exc}"


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A fresh schema in the PostgreSQL test database, migrated once, dropped at the end of the session."""
    problem = _postgres_reachable()
    if problem is not None:
        message = f"PostgreSQL at {POSTGRES_URL} is not reachable ({problem})"
        if REQUIRE_POSTGRES:
            pytest.fail(message + "; KRAV_REQUIRE_POSTGRES=1 makes this a failure")
        pytest.skip(message)
    schema = f"krav_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'create schema "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'drop schema "{schema}" cascade'))
        admin.dispose()


def _truncate_postgres(engine: Engine) -> None:
    """Empty every table for the next test; the guarded tables refuse TRUNCATE, so their triggers are lifted
    (as their owner) for this transaction only."""
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        for table in GUARDED:
            conn.execute(sa.text(f'alter table "{table}" disable trigger user'))
        conn.execute(sa.text(f"truncate {names} restart identity cascade"))
        for table in GUARDED:
            conn.execute(sa.text(f'alter table "{table}" enable trigger user'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database on each backend: a SQLite file, and a PostgreSQL schema."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'krav.sqlite3'}")
        upgrade(eng)
    else:
        eng = make_engine(request.getfixturevalue("postgres_schema_url"))
        _truncate_postgres(eng)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'krav.sqlite3'}")
    upgrade(eng)
    try:
        yield eng
    finally:
        eng.dispose()
