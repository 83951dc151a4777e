"""`krav claims close` warns before closing a claim in inkasso whose costs would be invoiced (R-ACT-2)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from krav.bootstrap import bootstrap
from krav.config import get_settings
from krav.domain.agreement import Agreement
from krav.entrypoints import cli
from krav.services import ledger
from tests.builders import ORGNO, consumer, invoice, make_company, post, run_day


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("KRAV_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KRAV_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    cli.reset_app()
    app = bootstrap()
    uow = app.uow()
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001")])
    post(uow, invoice("1001", "10001", "1000.00", date(2025, 3, 1), date(2025, 3, 14)))
    with uow:
        agreement = Agreement(collection_list_email="liste@eksempel.no", invoice_inkasso_costs_on_close=True)
        uow.agreements.save(1, replace(agreement, active=True, activated_on=date(2025, 3, 1)))
        uow.commit()
    day = date(2025, 3, 14)
    while day <= date(2025, 4, 22):  # to inkasso on 22.04 (after Easter)
        run_day(uow, ORGNO, day, rates=app.rates, service=app.service)
        day += timedelta(days=1)
    app.close()
    yield tmp_path / "home"
    cli.reset_app()
    get_settings.cache_clear()


def test_closing_a_claim_in_inkasso_needs_yes_after_the_warning_r_act_2(home: Path) -> None:
    runner = CliRunner()
    refused = runner.invoke(cli.app, ["claims", "close", "--company", ORGNO, "1001", "--date", "2025-04-23"])
    assert refused.exit_code == 1
    assert "invoice 1001 is in inkasso; closing it invoices you 245,00 in collection costs" in refused.output
    assert "nothing closed" in refused.output
    still = runner.invoke(cli.app, ["claims", "list", "--company", ORGNO, "--stage", "inkasso", "--date", "2025-04-23"])
    assert "1001" in still.output
    done = runner.invoke(cli.app, ["claims", "close", "--company", ORGNO, "1001", "--date", "2025-04-23", "--yes"])
    assert done.exit_code == 0, done.output
    assert "invoice 1001: close accepted" in done.output
