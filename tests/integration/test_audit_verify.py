"""``krav audit verify`` on SQLite and PostgreSQL (R-LED-1, R-ACT-5): the hash chains over the vouchers with their
lines and over the claims' history hold for books Krav wrote, and name each row edited behind Krav's back with
the triggers out of the way, exiting 1.

The books are :mod:`tests.integration.fortnight`, written afresh for each test, since each edits them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from krav.adapters.db import tables as t
from krav.adapters.db.migrate import alembic_config, current_revision, upgrade
from krav.bootstrap import unit_of_work
from krav.config import get_settings
from krav.entrypoints import cli
from krav.services import ledger
from tests.builders import ORGNO
from tests.integration.fortnight import a_fortnight, first_row, triggers_lifted


@pytest.fixture
def books(engine: Engine) -> Engine:
    return a_fortnight(engine)


def _verify(engine: Engine, *args: str) -> tuple[int, dict[str, Any]]:
    """``krav audit verify --json`` on the database of ``engine``: the exit code and the report."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KRAV_DATABASE_URL", engine.url.render_as_string(hide_password=False))
        get_settings.cache_clear()
        cli.reset_app()
        try:
            result = CliRunner().invoke(cli.app, ["audit", "verify", "--json", *args])
        finally:
            cli.reset_app()
            get_settings.cache_clear()
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def _findings(report: dict[str, Any]) -> list[tuple[str, int | None, str]]:
    return [(f["table"], f["id"], f["problem"]) for c in report["companies"] for f in c["findings"]]


def test_the_books_krav_wrote_in_a_fortnight_are_intact(books: Engine) -> None:
    code, report = _verify(books)
    assert (code, report["intact"], _findings(report)) == (0, True, [])
    (company,) = report["companies"]
    with books.connect() as conn:
        counts = {
            name: conn.execute(sa.select(sa.func.count()).select_from(t.metadata.tables[name])).scalar_one()
            for name in ("voucher", "voucher_line", "claim_event")
        }
    assert [(c["table"], c["rows"], c["parts"], c["length"]) for c in company["chains"]] == [
        ("voucher", counts["voucher"], counts["voucher_line"], counts["voucher"]),
        ("claim_event", counts["claim_event"], 0, counts["claim_event"]),
    ]
    assert _verify(books, "--company", ORGNO)[0] == 0


def test_the_text_report_names_the_company_and_its_chain_heads(books: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRAV_DATABASE_URL", books.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    cli.reset_app()
    result = CliRunner().invoke(cli.app, ["audit", "verify"])
    cli.reset_app()
    assert result.exit_code == 0, result.output
    assert f"{ORGNO} Eksempel AS:" in result.output
    assert "voucher chain head " in result.output
    assert "claim_event chain head " in result.output
    assert result.output.rstrip().endswith("the books are as Krav wrote them")


def test_a_voucher_line_and_a_claim_event_edited_behind_kravs_back_are_named(books: Engine) -> None:
    line = first_row(books, t.voucher_line, t.voucher_line.c.account == "1500")
    event = first_row(books, t.claim_event, t.claim_event.c.kind == "fee")
    line_c, event_c = t.voucher_line.c, t.claim_event.c
    with triggers_lifted(books, "voucher_line", "claim_event") as conn:
        conn.execute(t.voucher_line.update().where(line_c.id == line["id"]).values(amount_ore=line_c.amount_ore + 1))
        conn.execute(t.claim_event.update().where(event_c.id == event["id"]).values(amount_ore=0))
    assert not ledger.balance(unit_of_work(books), ORGNO).balanced  # what the edit did to the books
    code, report = _verify(books)
    assert code == 1
    assert _findings(report) == [
        ("voucher_line", line["id"], "content changed"),
        ("claim_event", event["id"], "content changed"),
    ]


def test_claim_events_deleted_behind_kravs_back_are_missing(books: Engine) -> None:
    e = t.claim_event
    with books.connect() as conn:
        places = list(conn.execute(sa.select(e.c.seq).order_by(e.c.seq)).scalars())
    with triggers_lifted(books, "claim_event") as conn:
        conn.execute(e.delete().where(e.c.seq.in_([places[3], places[-1]])))
    code, report = _verify(books)
    assert code == 1
    assert [(f["table"], f["id"], f["problem"], f["detail"]) for f in report["companies"][0]["findings"]] == [
        ("claim_event", None, "row missing", f"claim event {places[3]} is gone"),
        ("claim_event", None, "row missing", f"claim event {places[-1]} is gone"),
    ]


def test_a_voucher_added_by_hand_breaks_the_chain(books: Engine) -> None:
    """Inserting is not refused (the books grow); a voucher Krav did not post does not fit its chain."""
    v = t.voucher
    last = first_row(books, v, v.c.number == sa.select(sa.func.max(v.c.number)).scalar_subquery())
    del last["id"]
    with books.begin() as conn:
        conn.execute(v.insert().values({**last, "number": last["number"] + 1, "text": "by hand"}))
        added = conn.execute(sa.select(sa.func.max(v.c.id))).scalar_one()
    code, report = _verify(books)
    assert code == 1
    assert _findings(report) == [("voucher", added, "content changed")]


def test_the_migration_seals_the_rows_written_before_it_as_krav_seals_them(books: Engine) -> None:
    """Revision 0007 seals the vouchers and events written before it, with the hashes the stores write."""
    sealed = {
        "voucher": "prev_hash, chain_hash",
        "voucher_line": "line_hash",
        "claim_event": "seq, prev_hash, chain_hash",
    }

    def hashes() -> dict[str, list[tuple[Any, ...]]]:
        with books.connect() as conn:
            return {
                name: [tuple(r) for r in conn.execute(sa.text(f"SELECT id, {columns} FROM {name} ORDER BY id"))]
                for name, columns in sealed.items()
            }

    written = hashes()
    config = alembic_config()
    try:
        with books.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0006")
        assert current_revision(books) == "0006"
    finally:
        upgrade(books)
    assert hashes() == written
    assert _verify(books)[0] == 0
