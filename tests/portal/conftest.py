"""The creditor portal over the demo creditor: one SQLite database with the demo's 45 days of collection (its
claims, letters, collection lists and settlements) and a second creditor, each with a portal user; every test
module works on a copy of its own."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from krav.adapters.db.engine import make_engine
from krav.adapters.db.migrate import upgrade
from krav.bootstrap import App
from krav.config import Settings
from krav.domain.access import Role
from krav.domain.money import parse_decimal
from krav.domain.party import Address, Company
from krav.entrypoints.api import create_app
from krav.entrypoints.api.deps import business_date
from krav.services import access, demo, ledger, users
from tests.conftest import SERVICE_SETTINGS

DEMO = demo.DEMO_ORGNO
OTHER = "974760673"
OTHER_USER = "regnskap@eksempel.example"
OTHER_PASSWORD = "eksempel-passord"


def settings_for(home: Path, database: Path) -> Settings:
    """Krav's settings for a portal test: its own home and database, and the tests' complete service identity."""
    service = {name.removeprefix("KRAV_").lower(): value for name, value in SERVICE_SETTINGS.items()}
    return Settings(home=home, database_url=f"sqlite:///{database}", **service)


def last_wednesday(today: date) -> date:
    """The last Wednesday up to ``today``: the day after a Tuesday's collection list, before its Thursday, so the
    demo has claims awaiting approval whatever day the tests run."""
    return today - timedelta(days=(today.weekday() - 2) % 7)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo creditor run to today with its portal user, and another creditor with its own user."""
    where = tmp_path_factory.mktemp("portal-demo")
    database = where / "krav.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    krav = App(settings=settings_for(where, database), engine=engine, _migrated=True)
    now = datetime.now(UTC)
    demo.run_demo(krav.uow(), krav.collaborators(what_if=True), today=last_wednesday(business_date(None)))
    demo.demo_user(krav.uow(), krav.hasher, now=now)
    ledger.create_company(
        krav.uow(),
        Company(OTHER, "Eksempel AS", "86011117947", address=Address("Storgata 1", "0155", "Oslo")),
    )
    users.create_user(
        krav.uow(), krav.hasher, email=OTHER_USER, name="Eksempel", password=OTHER_PASSWORD, by="test", now=now
    )
    users.grant(krav.uow(), OTHER_USER, Role.CREDITOR_ADMIN, OTHER, by="test", now=now)
    engine.dispose()
    return database


@dataclass
class Portal:
    """The portal (and the API) over a copy of the demo database."""

    krav: App
    client: TestClient

    def log_in(self, email: str = demo.DEMO_USER, password: str = demo.DEMO_PASSWORD) -> Any:
        page = self.client.get("/login")
        return self.client.post(
            "/login",
            data={"csrf": csrf_of(page.text), "email": email, "password": password, "next": "/"},
            follow_redirects=False,
        )

    def api_key(self, orgno: str = DEMO) -> dict[str, str]:
        made = access.create_key(
            self.krav.uow(),
            self.krav.hasher,
            name="test",
            role=Role.VIEWER,
            orgno=orgno,
            by="test",
            now=datetime.now(UTC),
        )
        return {"Authorization": f"Bearer {made.token}"}


def copy_of(demo_database: Path, where: Path) -> App:
    where.mkdir(parents=True, exist_ok=True)
    database = where / "krav.sqlite3"
    shutil.copyfile(demo_database, database)
    return App(settings=settings_for(where, database), engine=make_engine(f"sqlite:///{database}"), _migrated=True)


@pytest.fixture
def portal(demo_database: Path, tmp_path: Path) -> Iterator[Portal]:
    krav = copy_of(demo_database, tmp_path / "portal")
    with TestClient(create_app(krav, deliver_webhooks=False), raise_server_exceptions=False) as client:
        yield Portal(krav, client)
    krav.close()


_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


_FIELD = re.compile(r'data-field="(\w+)">([^<]*)<')


def amounts_of(html: str) -> dict[str, Decimal]:
    """The amounts a page shows in its fields marked ``data-field``, read back from ``12 345,50 kr``."""
    return {
        name: parse_decimal(text.removesuffix("kr").strip())
        for name, text in _FIELD.findall(html)
        if text.strip().endswith("kr")
    }
