"""`krav simulate` end to end: the demo creditor's agreement is activated and 90 days run through the CLI
(R-TIME-5 day by day; R-CLM-2 … R-CLM-5 in the letters and stages it reports)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from tests.e2e.runner import run

DEMO = "921605900"
D = date(2025, 6, 2)
LAST = D + timedelta(days=90)  # 31 August 2025


def _counts(text: str) -> dict[str, int]:
    """``3 notice, 1 payment_demand`` → {"notice": 3, "payment_demand": 1}."""
    return {name: int(n) for n, name in re.findall(r"(\d+) ([a-z_]+)", text)}


def _stages(text: str) -> dict[str, int]:
    """``inkasso 14, legal 28`` → {"inkasso": 14, "legal": 28}."""
    return {name: int(n) for name, n in re.findall(r"([a-z_]+) (\d+)", text)}


@pytest.mark.slow
def test_the_demo_creditor_simulated_for_90_days_reports_letters_by_type_and_claims_by_stage(
    krav: CliRunner,
) -> None:
    run(krav, "demo", "--date", D.isoformat())
    run(krav, "agreement", "set", "--company", DEMO, "collection_list_email=x@example.no", "--date", D.isoformat())
    assert "agreement active from " in run(
        krav, "agreement", "activate", "--company", DEMO, "--accept-terms", "--date", D.isoformat()
    )
    out = run(krav, "simulate", "--from", D.isoformat(), "--to", LAST.isoformat(), "--company", DEMO)

    letters_line = next(
        line for line in out.splitlines() if line.startswith(f"simulated {D:%d.%m.%Y} to {LAST:%d.%m.%Y}: ")
    )
    letters = _counts(letters_line.split(": ", 1)[1])
    assert letters, out
    assert set(letters) <= {
        "reminder",
        "notice",
        "interest_note",
        "payment_demand",
        "legal_notice",
        "paid_confirmation",
    }
    # 90 days take unpaid claims from their first letter through the list to inkasso (R-CLM-2 … R-CLM-5)
    assert letters.get("reminder", 0) + letters.get("notice", 0) > 0
    assert letters.get("payment_demand", 0) > 0
    assert re.search(r"^submitted \d+, listed [1-9]\d*, payments \d+, remitted ", out, re.MULTILINE), out

    stages_line = next(line for line in out.splitlines() if line.startswith(f"{DEMO}: claims by stage: "))
    stages = _stages(stages_line.split(": ", 2)[2])
    assert set(stages) <= {"reminder", "notice", "collection_list", "inkasso", "legal", "closed"}
    assert stages.get("inkasso", 0) + stages.get("legal", 0) > 0

    # the printed stages are the claims' stages on the last day
    claims = json.loads(run(krav, "claims", "list", "--company", DEMO, "--date", LAST.isoformat(), "--json"))
    from_json: dict[str, int] = {}
    for c in claims:
        from_json[c["claim"]["stage"]] = from_json.get(c["claim"]["stage"], 0) + 1
    assert from_json == stages

    again = run(krav, "simulate", "--from", D.isoformat(), "--to", LAST.isoformat(), "--company", DEMO)
    assert f"simulated {D:%d.%m.%Y} to {LAST:%d.%m.%Y}: no letters" in again  # every day was run already (R-TIME-1)
    assert stages_line in again
