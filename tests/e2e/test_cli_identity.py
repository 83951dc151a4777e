"""R-SVC-1 through the `krav` command line: while the collection service's identity (the ``KRAV_SERVICE_*``
settings) is incomplete or invalid, whatever would produce or render a letter for real refuses before it opens
the database, naming every setting to set or correct, and changes nothing (no letter, no file, not a byte of the
database); the what-ifs (`krav simulate`, `krav scenario run`) and the demo need no settings and name the demo
identity, whose every page says it is a demo (R-SVC-3: they touch nothing real either).

Debtor 10001 (Ola, with an e-mail for letters) owes invoice 1001, 1000.00; debtor 20001 (Kari, on paper) owes
2001, 800.00; both due 14 March 2025, so their notices go out on Friday 28 March (R-CLM-3).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from krav.bootstrap import App, setting_of
from krav.bootstrap import what_if_copy as real_copy
from krav.config import get_settings
from krav.domain.collection.identity import PARTS
from krav.entrypoints import cli
from krav.entrypoints.cli import run as run_module
from krav.services import daily_run, queries
from krav.services.collection.delivery.archive import archive_letter_pdf
from krav.services.demo import DEMO_SERVICE
from krav.services.ports import Collaborators
from tests.conftest import SCENARIOS, SERVICE_SETTINGS
from tests.e2e.runner import import_ola_and_kari, run

ORGNO = "974760673"
NOTICE_DAY = "2025-03-28"
ALL_SETTINGS = [setting_of(part) for part in PARTS]
REFUSED = "the collection service's identity is incomplete: "


def set_up_the_creditor(krav: CliRunner, tmp_path: Path) -> None:
    """Company, customers and invoices from CSV, and the agreement, activated: the run of 28 March sends notices."""
    run(krav, "company", "create", "--orgno", ORGNO, "--name", "Eksempel AS", "--account", "86011117947")
    import_ola_and_kari(krav, tmp_path, ORGNO)
    run(
        krav,
        "agreement",
        "set",
        "--company",
        ORGNO,
        "collection_list_email=liste@eksempel.example",
        "--date",
        "2025-03-01",
    )
    run(krav, "agreement", "activate", "--company", ORGNO, "--accept-terms", "--date", "2025-03-01")


def reconfigure() -> None:
    """The next command reads the settings afresh, on a database with every connection closed."""
    get_settings.cache_clear()
    cli.reset_app()


def without_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ALL_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    reconfigure()


def with_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SERVICE_SETTINGS.items():
        monkeypatch.setenv(name, value)
    reconfigure()


def home() -> Path:
    return get_settings().home


def files_of(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (the database, letters, mail, print batches, remittance) with its SHA-256."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def letters(krav: CliRunner) -> list[dict[str, Any]]:
    found = json.loads(run(krav, "letters", "list", "--company", ORGNO, "--json"))
    assert isinstance(found, list)
    return found


def pdf_pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def assert_a_demo_letter(content: bytes) -> None:
    """R-SVC-1: a letter under the demo identity names it, and says on every page that it is a demo."""
    pages = pdf_pages(content)
    assert pages
    assert any(DEMO_SERVICE.name in page for page in pages)
    assert all("DEMO" in page and "not a real letter" in page for page in pages), pages


def test_a_run_without_the_identity_is_refused_naming_every_setting_and_changes_nothing_r_svc_1(
    krav: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_up_the_creditor(krav, tmp_path)
    without_identity(monkeypatch)
    letters_before = letters(krav)
    outbox_before = run(krav, "outbox", "status", "--json")
    claims_before = run(krav, "claims", "list", "--company", ORGNO, "--date", NOTICE_DAY, "--json")
    reconfigure()
    before = files_of(home())
    assert "krav.sqlite3" in before

    out = run(krav, "run", "--date", NOTICE_DAY, code=1)

    assert REFUSED in out
    assert f"set {', '.join(ALL_SETTINGS)}; no letter was produced" in out
    assert all(name in out for name in ALL_SETTINGS)
    reconfigure()
    assert files_of(home()) == before  # the database to the byte; no letter, print batch or e-mail
    assert letters(krav) == letters_before == []
    assert run(krav, "outbox", "status", "--json") == outbox_before
    assert run(krav, "claims", "list", "--company", ORGNO, "--date", NOTICE_DAY, "--json") == claims_before

    # the day was not lost: with the identity set, the same run sends the two notices
    with_identity(monkeypatch)
    run(krav, "run", "--date", NOTICE_DAY)
    assert [(lt["debtor"], lt["type"]) for lt in letters(krav)] == [("10001", "notice"), ("20001", "notice")]


def test_a_run_without_the_identity_does_not_even_create_the_database_r_svc_1(
    krav: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_identity(monkeypatch)
    out = run(krav, "run", "--date", NOTICE_DAY, code=1)
    assert all(name in out for name in ALL_SETTINGS)
    assert not home().exists() or files_of(home()) == {}


@pytest.mark.parametrize(
    "command",
    [
        ("run", "--date", NOTICE_DAY, "--dry-run"),
        ("outbox", "send", "--date", NOTICE_DAY),
        ("outbox", "retry", "--uncertain", "--date", NOTICE_DAY),
        ("letters", "pdf", "--company", ORGNO, "1", "--out", "{out}"),
    ],
    ids=["run-dry-run", "outbox-send", "outbox-retry", "letters-pdf"],
)
def test_every_command_that_would_render_a_letter_is_refused_without_the_identity_r_svc_1(
    krav: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    set_up_the_creditor(krav, tmp_path)
    run(krav, "run", "--date", NOTICE_DAY)
    assert len(letters(krav)) == 2
    without_identity(monkeypatch)
    before = files_of(home())
    out_pdf = tmp_path / "letter.pdf"

    out = run(krav, *(part.replace("{out}", str(out_pdf)) for part in command), code=1)

    assert f"{REFUSED}set {', '.join(ALL_SETTINGS)}; no letter was produced" in out
    assert not out_pdf.exists()
    reconfigure()
    assert files_of(home()) == before


@pytest.mark.parametrize(
    ("setting", "value", "problem"),
    [
        ("KRAV_SERVICE_ACCOUNT", "16020000001", "not a valid Norwegian bank account number (11 digits, MOD11)"),
        ("KRAV_SERVICE_IBAN", "NO9386011117947", "not the IBAN of the client account 16020000000"),
        ("KRAV_SERVICE_ORGNO", "916000007", "not a valid Norwegian organisation number"),
        ("KRAV_SERVICE_POSTCODE", "104", "not a Norwegian postcode (four digits)"),
        ("KRAV_SERVICE_EMAIL", "post.krav-inkasso.example", "not an e-mail address"),
        ("KRAV_SERVICE_BIC", "DNBAXXKK", "not a valid BIC (SWIFT code)"),
    ],
)
def test_a_run_with_an_invalid_setting_is_refused_naming_it_and_changes_nothing_r_svc_1(
    krav: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, value: str, problem: str
) -> None:
    set_up_the_creditor(krav, tmp_path)
    monkeypatch.setenv(setting, value)
    reconfigure()
    before = files_of(home())

    out = run(krav, "run", "--date", NOTICE_DAY, code=1)

    assert f"{REFUSED}correct {setting} ({problem}); no letter was produced" in out
    assert all(name not in out for name in ALL_SETTINGS if name != setting)
    reconfigure()
    assert files_of(home()) == before
    assert letters(krav) == []


def test_simulate_needs_no_identity_and_its_letters_say_they_are_a_demo_r_svc_1_r_svc_3(
    krav: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_up_the_creditor(krav, tmp_path)
    without_identity(monkeypatch)
    before = files_of(home())
    simulated: list[Collaborators] = []
    rendered: list[bytes] = []
    real_run_days = daily_run.run_days

    def run_days(*args: Any, **kwargs: Any) -> Any:
        simulated.append(args[3])  # (uow, first, last, collab): the collaborators the simulation runs with
        return real_run_days(*args, **kwargs)

    @contextmanager
    def what_if_copy(app: App, **kwargs: Any) -> Iterator[App]:
        """The copy the simulation works on; before it is thrown away, its letters are rendered as the simulation
        would have sent them, under the identity it ran with."""
        with real_copy(app, **kwargs) as copy:
            yield copy
            (collab,) = simulated
            for letter in queries.letters(copy.reader(), ORGNO):
                assert letter.id is not None
                doc = archive_letter_pdf(copy.uow(), ORGNO, letter.id, renderer=collab.renderer, service=collab.service)
                rendered.append(doc.content)

    monkeypatch.setattr(daily_run, "run_days", run_days)
    monkeypatch.setattr(run_module, "what_if_copy", what_if_copy)

    out = run(krav, "simulate", "--from", NOTICE_DAY, "--to", "2025-03-31", "--company", ORGNO)

    assert "simulated 28.03.2025 to 31.03.2025: 2 inkassovarsel" in out, out
    assert "nothing was changed: the simulation ran on a copy of the database, and nothing was sent" in out
    assert REFUSED not in out
    (collab,) = simulated
    assert collab.service == DEMO_SERVICE
    assert collab.service.demo
    assert len(rendered) == 2
    for content in rendered:
        assert_a_demo_letter(content)
    reconfigure()
    assert files_of(home()) == before  # R-SVC-3
    assert letters(krav) == []


def test_a_scenario_runs_without_the_identity_and_its_letters_say_they_are_a_demo_r_svc_1(
    krav: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_identity(monkeypatch)
    folder = tmp_path / "letters"
    scenario = SCENARIOS / "a_notice_paid_in_time.yaml"

    out = run(krav, "scenario", "run", str(scenario), "--letters", str(folder))

    assert f"{scenario}: matches its expect" in out
    assert "wrote 2 letter PDF(s)" in out
    pdfs = sorted(folder.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["10001-1-notice.pdf", "10001-2-paid_confirmation.pdf"]
    for pdf in pdfs:
        assert_a_demo_letter(pdf.read_bytes())


def test_the_demo_needs_no_identity_and_its_letters_say_they_are_a_demo_r_svc_1(
    krav: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_identity(monkeypatch)
    out = run(krav, "demo", "--date", "2025-06-02", "--days", "30")
    assert REFUSED not in out
    pdfs = sorted((home() / "letters").glob("*.pdf"))
    assert pdfs, out
    for pdf in pdfs:
        assert_a_demo_letter(pdf.read_bytes())
