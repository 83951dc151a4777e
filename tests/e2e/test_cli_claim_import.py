"""`krav import claims` end to end with the example file, as docs/migration.md walks through it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.e2e.runner import run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ORGNO = "974760673"


def _books(krav: CliRunner) -> None:
    """Eksempel AS with its customers, invoices and agreement, as the README sets them up."""
    run(krav, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS", "--account", "86011117947")
    run(krav, "import", "customers", str(EXAMPLES / "customers.csv"), "--company", ORGNO)
    run(krav, "import", "invoices", str(EXAMPLES / "invoices.csv"), "--company", ORGNO)
    run(
        krav,
        "agreement",
        "set",
        "--company",
        ORGNO,
        "collection_list_email=regnskap@eksempel.no",
        "reminder_before_notice=true",
        "--date",
        "2025-03-31",
    )
    run(krav, "agreement", "activate", "--company", ORGNO, "--accept-terms", "--date", "2025-03-31")


def test_the_example_claims_are_imported_once_and_go_on_from_their_stage(krav: CliRunner) -> None:
    _books(krav)
    out = run(krav, "import", "claims", str(EXAMPLES / "claims.jsonl"), "--company", ORGNO, "--date", "2025-04-01")
    assert "2 claims imported" in out
    assert "1001 (10001)" in out
    assert "notice, earlier AC-2025-0117" in out
    again = json.loads(
        run(
            krav,
            "import",
            "claims",
            str(EXAMPLES / "claims.jsonl"),
            "--company",
            ORGNO,
            "--date",
            "2025-04-01",
            "--json",
        )
    )
    assert again["already_imported"] is True
    history = run(krav, "claims", "history", "--company", ORGNO, "1001")
    assert "imported from the earlier service" in history
    # the notice's deadline (31 March) has passed: listed on Tuesday 1 April, to inkasso on Thursday 3 April;
    # 1002's reminder runs to 3 April: its notice the day after
    for day in ("2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04"):
        run(krav, "run", "--date", day)
    letters = json.loads(run(krav, "letters", "list", "--company", ORGNO, "--json"))
    assert [(lt["type"], lt["sent"], lt["invoices"], lt["kid"][0]) for lt in letters] == [
        ("notice", "2025-03-17", ["1001"], "9"),  # the earlier service's, with its KID
        ("reminder", "2025-03-27", ["1002"], "9"),
        ("payment_demand", "2025-04-03", ["1001"], "0"),  # Krav's own
        ("notice", "2025-04-04", ["1002"], "0"),
    ]
    # the earlier service's letter is kept for its KID, but Krav did not send it: it has no PDF to show for it
    refused = run(krav, "letters", "pdf", "--company", ORGNO, str(letters[0]["id"]), code=1)
    assert "sent by the earlier collection service" in refused


def test_a_file_with_a_contradiction_is_refused_with_its_line_and_field_and_nothing_is_stored(
    krav: CliRunner, tmp_path: Path
) -> None:
    _books(krav)
    bad = tmp_path / "claims.jsonl"
    lines = (EXAMPLES / "claims.jsonl").read_text("utf-8").splitlines()
    bad.write_text("\n".join([lines[0], lines[1].replace('"notice_fee": "35.00"', '"notice_fee": "70.00"'), lines[2]]))
    out = run(krav, "import", "claims", str(bad), "--company", ORGNO, "--date", "2025-04-01", code=2)
    assert "line 2: notice_fee: 70.00 NOK is above the § 1-3 limit of 35.00 NOK" in out
    assert json.loads(run(krav, "claims", "list", "--company", ORGNO, "--json")) == []
