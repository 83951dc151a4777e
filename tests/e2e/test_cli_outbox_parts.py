"""Every letter of a day goes out that day, however many (R-SVC-2): the outbox is delivered part by part, each
part committed before the next, and `krav run --no-send` leaves the day's letters for `krav outbox send`.

The creditor of :mod:`tests.e2e.test_cli_letters` (Ola by e-mail, Kari on paper), with parts of one delivery.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from krav.services.collection.delivery import round as delivery_round
from tests.e2e.runner import run
from tests.e2e.test_cli_letters import NOTICE_DAY, days, set_up_the_creditor


def outbox_counts(krav: CliRunner) -> dict[str, int]:
    counts = json.loads(run(krav, "outbox", "status", "--json"))["counts"]
    assert isinstance(counts, dict)
    return counts


def test_a_day_with_more_letters_than_a_part_sends_every_one_of_them_the_same_day(
    krav: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery_round, "PART", 1)
    set_up_the_creditor(krav, tmp_path)
    for day in days(date(2025, 3, 14), NOTICE_DAY):
        out = run(krav, "run", "--no-send", "--date", day.isoformat())
    assert "2 inkassovarsel" in out
    assert outbox_counts(krav) == {"pending": 2}

    sent = run(krav, "outbox", "send", "--date", NOTICE_DAY.isoformat())
    assert sent.strip() == "1 e-mailed, 1 to print, 0 failed, 0 uncertain"
    assert outbox_counts(krav) == {"sent": 2}
    assert len(list((tmp_path / "home" / "mail").glob("*.eml"))) == 1
    assert len(list((tmp_path / "home").rglob("utskrift-*.pdf"))) == 1
