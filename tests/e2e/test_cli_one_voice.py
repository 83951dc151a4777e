"""One voice for a newcomer, end to end: the tables print words for Krav's codes in bokmål, or in English with
``krav --lang en`` or ``KRAV_LANG=en``, while ``--json`` keeps the codes; no rule id (``R-CLM-3``) in any
command's help, error or history; the long commands draw no progress where nobody watches; and the interest each
list shows says what it is counted to.

Invoice 1001 (1000.00, due 14 March 2025) and 2001 (800.00, same day) get their collection notices on Friday 28
March 2025 (fee 35.00, interest 4.79 and 3.84 to that day), deadline 11 April.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from krav.domain.agreement import Agreement
from krav.entrypoints import cli
from krav.services import ledger
from tests.builders import ORGNO, consumer, invoice, make_company, post
from tests.e2e.runner import run

RULE_ID = re.compile(r"\bR-[A-Z]+-\d+")


def _two_notices(krav: CliRunner) -> str:
    """The notices of 28 March 2025; what `krav run` printed."""
    uow = cli.get_app().uow()
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001"), consumer("20001", "Kari Nordmann")])
    post(uow, invoice("1001", "10001", "1000.00", date(2025, 2, 28), date(2025, 3, 14)))
    post(uow, invoice("2001", "20001", "800.00", date(2025, 2, 28), date(2025, 3, 14)))
    with uow:
        uow.agreements.save(
            1,
            Agreement(
                active=True, activated_on=date(2025, 3, 28), accepted_by="test", collection_list_email="l@example.no"
            ),
        )
        uow.commit()
    return run(krav, "run", "--date", "2025-03-28")


def _row(table: str, invoice: str) -> list[str]:
    """The cells of the table's row of ``invoice`` (columns are two or more spaces apart)."""
    (line,) = [line for line in table.splitlines() if f" {invoice} " in f" {line} "]
    return re.split(r"\s{2,}", line.strip())


# -- words for codes, in bokmål or English; codes in JSON ------------------------------------------------------


def test_claims_list_shows_the_stage_as_a_bokmal_word_and_in_english_with_lang_en(krav: CliRunner) -> None:
    _two_notices(krav)
    norsk = run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-03-28")
    assert norsk.splitlines()[0].split()[:4] == ["innfordrings-id", "faktura", "skyldner", "steg"]
    assert "inkassovarsel" in _row(norsk, "1001")
    english = run(krav, "--lang", "en", "claims", "list", "--company", ORGNO, "--date", "2025-03-28")
    assert english.splitlines()[0].split()[:4] == ["collection", "id", "invoice", "debtor"]
    assert "collection notice" in _row(english, "1001")
    assert "collection list from 15.04.2025" in _row(english, "1001")
    assert "inkassovarsel" not in english
    assert "hovedstol" not in english


def test_krav_lang_comes_from_the_environment_and_a_wrong_one_is_refused(
    krav: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_notices(krav)
    monkeypatch.setenv("KRAV_LANG", "en")
    assert "collection notice" in run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-03-28")
    assert "inkassovarsel" in run(krav, "--lang", "nb", "claims", "list", "--company", ORGNO, "--date", "2025-03-28")
    monkeypatch.setenv("KRAV_LANG", "fr")
    refused = krav.invoke(cli.app, ["claims", "list", "--company", ORGNO])
    assert refused.exit_code == 2
    assert "KRAV_LANG" in refused.output


def test_json_prints_the_codes_in_either_language(krav: CliRunner) -> None:
    _two_notices(krav)
    for lang in ("nb", "en"):
        claims = json.loads(run(krav, "--lang", lang, "claims", "list", "--company", ORGNO, "--json"))
        assert {c["claim"]["stage"] for c in claims} == {"notice"}
        letters = json.loads(run(krav, "--lang", lang, "letters", "list", "--company", ORGNO, "--json"))
        assert {lt["type"] for lt in letters} == {"notice"}
        assert {lt["delivery"]["status"] for lt in letters} == {"sent"}
        items = json.loads(run(krav, "--lang", lang, "ledger", "items", "--company", ORGNO, "--json"))
        assert {(i["voucher_type"], i["status"]) for i in items} == {(11, 1)}


def test_ledger_items_show_the_voucher_type_beside_its_word_and_the_settled_status_as_a_word(
    krav: CliRunner,
) -> None:
    _two_notices(krav)
    table = run(krav, "ledger", "items", "--company", ORGNO)
    headers = re.split(r"\s{2,}", table.splitlines()[0].strip())
    assert headers[:4] == ["id", "kunde", "nummer", "bilagsart"]
    assert "status" in headers
    row = _row(table, "1001")
    assert "11 utgående faktura" in row
    assert "åpen" in row
    assert "1" not in row[headers.index("status")]  # never a bare `status 1`
    english = run(krav, "--lang", "en", "ledger", "items", "--company", ORGNO)
    assert "11 outgoing invoice" in _row(english, "1001")
    assert "open" in _row(english, "1001")


def test_letters_list_shows_the_type_and_the_delivery_as_words(krav: CliRunner) -> None:
    _two_notices(krav)
    table = run(krav, "letters", "list", "--company", ORGNO)
    assert "brevtype" in table.splitlines()[0]
    assert "inkassovarsel" in _row(table, "10001")
    assert any(cell.startswith("sendt (") for cell in _row(table, "10001"))
    english = run(krav, "--lang", "en", "letters", "list", "--company", ORGNO)
    assert "collection notice" in _row(english, "10001")
    assert "notice" not in english.replace("collection notice", "")  # no bare code


def test_the_history_shows_words_for_its_codes_and_no_rule_id(krav: CliRunner) -> None:
    _two_notices(krav)
    history = run(krav, "claims", "history", "--company", ORGNO, "1001")
    assert "sendt til innfordring" in history
    assert re.search(r"brev\s+inkassovarsel", history)
    assert re.search(r"nytt steg\s+inkassovarsel", history)
    assert re.search(r"gebyr\s+35,00\s+notice fee", history)
    assert not RULE_ID.search(history)
    events = json.loads(run(krav, "claims", "history", "--company", ORGNO, "1001", "--json"))
    assert {(e["kind"], e["detail"]) for e in events} >= {("letter", "notice"), ("stage", "notice")}
    assert not any(RULE_ID.search(e["detail"]) for e in events)


def test_the_run_counts_its_letters_by_their_words(krav: CliRunner) -> None:
    out = _two_notices(krav)
    assert "2 inkassovarsel" in out
    assert "2 notice" not in out


# -- no rule ids in what a user reads ----------------------------------------------------------------------------


def _commands(command: Any, path: list[str]) -> list[list[str]]:
    """Every command of the typer app, as the words that call it (the groups too)."""
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, [*path, name])
    return found


def test_no_rule_id_in_the_help_of_any_command(krav: CliRunner) -> None:
    commands = _commands(typer.main.get_command(cli.app), [])
    assert ["claims", "dispute"] in commands  # the walk reaches every level
    assert ["outbox", "send"] in commands
    shown = {}
    for path in commands:
        result = krav.invoke(cli.app, [*path, "--help"], env={"COLUMNS": "250"})
        assert result.exit_code == 0, (path, result.output)
        shown[" ".join(path) or "krav"] = RULE_ID.findall(result.output)
    assert {name: ids for name, ids in shown.items() if ids} == {}
    assert "--lang" in krav.invoke(cli.app, ["--help"]).output


def test_errors_name_no_rule_id(krav: CliRunner) -> None:
    _two_notices(krav)
    refused = run(krav, "ledger", "remind", "--company", ORGNO, "--items", "1", code=1)
    assert "reminders are sent by the collection service" in refused
    out = run(krav, "agreement", "set", "--company", ORGNO, "days_before_transfer=3", code=2)
    assert "at least 14 days without a reminder before the notice, not 3" in out
    for text in (refused, out):
        assert not RULE_ID.search(text)


# -- progress only where a person watches ---------------------------------------------------------------------


def test_the_long_commands_print_no_progress_into_a_pipe(krav: CliRunner, tmp_path: Path) -> None:
    """CliRunner's stdout and stderr are no terminal, as in a pipe, a redirect or cron: only the result."""
    customers = tmp_path / "kunder.csv"
    customers.write_text("number;name;street;postcode;city\n10001;Ola Nordmann;Storgata 1;0155;Oslo\n", "utf-8")
    run(krav, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS")
    outputs = {
        "import": krav.invoke(cli.app, ["import", "customers", str(customers), "--company", ORGNO]),
        "run": krav.invoke(cli.app, ["run", "--date", "2025-03-28"]),
        "outbox": krav.invoke(cli.app, ["outbox", "send", "--date", "2025-03-28"]),
        "simulate": krav.invoke(cli.app, ["simulate", "--from", "2025-03-28", "--to", "2025-04-02"]),
    }
    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.output)
        assert result.stderr == "", name
        assert "\x1b[" not in result.output, name  # no terminal codes
        for word in ("importerer", "kjører dagen", "sender det som venter", "simulerer", "simulating"):
            assert word not in result.output, (name, word)
    assert outputs["import"].output.startswith("kunder.csv: customers 1 created")
    assert outputs["simulate"].output.startswith("simulated 28.03.2025 to 02.04.2025: no letters")


# -- the interest: to the day asked, or as last reported --------------------------------------------------------


def test_claims_list_counts_the_interest_to_its_date_and_ledger_items_show_it_as_last_reported(
    krav: CliRunner,
) -> None:
    """On 10 April, 27 days after the due date, 1001's interest is 1000.00 × 12.50 % × 27/365 = 9.246… = 9.25;
    the ledger has the 4.79 (14 days) of 28 March, the day its claim last changed, until the claim changes again."""
    _two_notices(krav)
    claims = json.loads(run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-04-10", "--json"))
    (ola,) = [c for c in claims if c["claim"]["invoice_number"] == "1001"]
    assert ola["interest_to"] == "2025-04-10"
    assert ola["interest_outstanding"] == "9.25"
    table = run(krav, "claims", "list", "--company", ORGNO, "--date", "2025-04-10")
    assert "renter til 10.04.2025" in table.splitlines()[0]
    assert "9,25" in _row(table, "1001")
    english = run(krav, "--lang", "en", "claims", "list", "--company", ORGNO, "--date", "2025-04-10")
    assert "interest to 10.04.2025" in english.splitlines()[0]

    items = json.loads(run(krav, "ledger", "items", "--company", ORGNO, "--json"))
    (item,) = [i for i in items if i["number"] == "1001"]
    assert item["interest_outstanding"] == item["interest_last_reported"] == "4.79"
    assert Decimal(item["interest_last_reported"]) < Decimal(ola["interest_outstanding"])
    shown = run(krav, "ledger", "items", "--company", ORGNO)
    assert "renter sist meldt" in shown.splitlines()[0]
    assert "4,79" in _row(shown, "1001")
    assert "renter til i dag: krav claims list" in shown  # the line under the table says what the column is
    assert "interest last reported" in run(krav, "--lang", "en", "ledger", "items", "--company", ORGNO)
