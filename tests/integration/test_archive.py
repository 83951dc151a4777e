"""The document archive on SQLite and PostgreSQL: every letter's PDF is kept once, with its SHA-256, and fetched
again byte for byte (docs/collection.md "Letters"); the database itself refuses to change or delete a document.

The letters come from a public scenario with every kind of letter but the interest note (reminders, notices,
payment demands, notices of legal collection, a paid confirmation), run on the test database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from krav.adapters.db.engine import make_engine
from krav.adapters.db.migrate import upgrade
from krav.adapters.pdf import LetterRenderer, LetterTexts
from krav.adapters.ratefile import load_rate_tables
from krav.bootstrap import unit_of_work
from krav.config import get_settings
from krav.domain.collection.letters import CollectionListRow, Letter, Sender
from krav.domain.collection.settlement import SettlementReport
from krav.domain.party import Company
from krav.entrypoints import cli
from krav.formats.scenario import parse_scenario
from krav.services.collection import delivery
from krav.services.ports import Document, DocumentKind, StoredLetter, UnitOfWork
from krav.services.scenario import run_scenario
from tests.builders import FIGURES, SERVICE, collaborators
from tests.conftest import SCENARIOS, _truncate_postgres

SCENARIO = SCENARIOS / "generated" / "g099_007.yaml"
RATES = load_rate_tables()


class NoRendering:
    """A renderer that must not be called: what is archived is served from the archive."""

    def render_letter(self, letter: Letter) -> bytes:
        raise AssertionError(f"letter {letter.recipient.number}-{letter.n} rendered again instead of fetched")

    def render_letters(self, letters: Sequence[Letter]) -> bytes:
        raise AssertionError("rendered again")

    def render_collection_list(
        self, creditor: Sender, list_date: date, rows: Sequence[CollectionListRow], *, automatic: bool = True
    ) -> bytes:
        raise AssertionError("rendered again")

    def render_settlement_report(self, report: SettlementReport) -> bytes:
        raise AssertionError("rendered again")


@dataclass
class Archive:
    engine: Engine
    company: Company
    letters: list[StoredLetter]
    archived_after_the_run: list[Document]

    def uow(self) -> UnitOfWork:
        return unit_of_work(self.engine)

    def fetch(self, stored: StoredLetter, renderer: object) -> Document:
        with self.uow() as uow:
            doc = delivery.letter_document(uow, self.company, stored, SERVICE, renderer)  # type: ignore[arg-type]
            uow.commit()
        return doc

    def documents(self, kind: DocumentKind | None = DocumentKind.LETTER) -> list[Document]:
        assert self.company.id is not None
        with self.uow() as uow:
            return uow.deliveries.documents(self.company.id, kind)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def archive(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    """The scenario run once per backend for the module (it takes seconds); the tests below hold whatever order
    they run in, since the archive only grows and serves the same bytes."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('archive') / 'krav.sqlite3'}")
        upgrade(engine)
    else:
        engine = make_engine(request.getfixturevalue("postgres_schema_url"))
        _truncate_postgres(engine)
    try:
        scenario = parse_scenario(SCENARIO.read_bytes(), filename=str(SCENARIO))
        collab = collaborators(RATES, SERVICE, tmp_path_factory.mktemp("files"), inbox=True)
        run_scenario(unit_of_work(engine), scenario, collab=collab, figures=FIGURES)
        with unit_of_work(engine) as uow:
            company = uow.companies.get(scenario.creditor_orgno)
            assert company.id is not None
            letters = uow.collection.letters(company.id)
            archived = uow.deliveries.documents(company.id)
        assert len(letters) >= 10
        yield Archive(engine, company, letters, archived)
    finally:
        engine.dispose()


def test_a_letter_is_rendered_and_archived_once_when_it_is_delivered(archive: Archive) -> None:
    """The daily run's delivery renders each letter and archives it, once; nothing else is archived for it."""
    letters = [d for d in archive.archived_after_the_run if d.kind == "letter"]
    assert sorted(d.ref for d in letters) == sorted(str(lt.id) for lt in archive.letters)
    assert all(d.content.startswith(b"%PDF-") for d in letters)


def test_every_letter_is_archived_once_and_fetched_again_byte_for_byte(archive: Archive) -> None:
    first = {lt.id: archive.fetch(lt, LetterRenderer()) for lt in archive.letters}
    for stored in archive.letters:
        doc = first[stored.id]
        assert doc.content.startswith(b"%PDF-")
        assert doc.sha256 == hashlib.sha256(doc.content).hexdigest()
        assert doc.filename == f"{stored.debtor}-{stored.n}-{stored.type.value}.pdf"
        again = archive.fetch(stored, NoRendering())
        assert again == doc  # same bytes, hash, name and time of archiving
    kept = archive.documents()
    assert len(kept) == len(archive.letters)
    assert sorted(d.ref for d in kept) == sorted(str(lt.id) for lt in archive.letters)
    assert len({d.sha256 for d in kept}) == len(kept)  # no two letters share a document


def test_the_archive_keeps_the_bytes_sent_when_the_wording_changes_later(archive: Archive, tmp_path: Path) -> None:
    """A creditor who adapts a template later does not change what was sent: the archive wins."""
    stored = archive.letters[0]
    sent = archive.fetch(stored, LetterRenderer())
    own = tmp_path / "tekster" / "nb"
    own.mkdir(parents=True)
    template = "# Ny overskrift\nNy tekst {{ total }}.\n"
    for kind in ("reminder", "notice", "payment_demand", "legal_notice", "paid_confirmation", "interest_note"):
        (own / f"{kind}.j2").write_text(template, "utf-8")
    changed = LetterRenderer(LetterTexts([tmp_path / "tekster"]))
    with archive.uow() as uow:
        fresh = changed.render_letter(delivery.compose_letter(uow, archive.company, stored, SERVICE))
    assert fresh != sent.content  # the new wording would give other bytes
    assert archive.fetch(stored, changed).content == sent.content


# -- krav letters pdf --------------------------------------------------------------------------------------------


@pytest.fixture
def krav(archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("KRAV_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KRAV_DATABASE_URL", archive.engine.url.render_as_string(hide_password=False))
    for name, value in (("SERVICE_NAME", SERVICE.name), ("SERVICE_ORGNO", SERVICE.orgno)):
        monkeypatch.setenv(f"KRAV_{name}", value)
    monkeypatch.setenv("KRAV_SERVICE_ACCOUNT", SERVICE.account)
    monkeypatch.setenv("KRAV_SERVICE_EMAIL", SERVICE.email or "")
    get_settings.cache_clear()
    cli.reset_app()
    yield CliRunner()
    cli.reset_app()
    get_settings.cache_clear()


def test_krav_letters_pdf_writes_exactly_the_archived_bytes_and_prints_their_sha256(
    archive: Archive, krav: CliRunner, tmp_path: Path
) -> None:
    orgno = archive.company.orgno
    for stored in (archive.letters[0], archive.letters[-1]):
        target = tmp_path / f"brev-{stored.id}.pdf"
        result = krav.invoke(cli.app, ["letters", "pdf", "--company", orgno, str(stored.id), "-o", str(target)])
        assert result.exit_code == 0, result.output
        written = target.read_bytes()
        digest = hashlib.sha256(written).hexdigest()
        assert result.output.strip() == f"{target} ({len(written)} bytes, sha256 {digest})"
        # the command archived the letter (if nothing had asked for it before): it is served from the archive now
        doc = archive.fetch(stored, NoRendering())
        assert written == doc.content
        assert digest == doc.sha256
        target.unlink()
        again = krav.invoke(cli.app, ["letters", "pdf", "--company", orgno, str(stored.id), "-o", str(target)])
        assert again.output == result.output
        assert target.read_bytes() == written


def test_krav_letters_pdf_names_a_letter_that_does_not_exist(archive: Archive, krav: CliRunner) -> None:
    missing = max(lt.id for lt in archive.letters) + 100
    result = krav.invoke(cli.app, ["letters", "pdf", "--company", archive.company.orgno, str(missing)])
    assert result.exit_code == 1
    assert f"no letter {missing} for company {archive.company.orgno}" in result.output


# -- append-only ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE document SET content = :forged, sha256 = :digest",
        "UPDATE document SET filename = 'endret.pdf'",
        "DELETE FROM document",
    ],
    ids=["forge-content", "rename", "delete"],
)
def test_the_database_refuses_to_change_or_delete_an_archived_document(archive: Archive, statement: str) -> None:
    for stored in archive.letters[:3]:
        archive.fetch(stored, LetterRenderer())
    sent = archive.documents(None)
    assert len(sent) >= 3
    forged = b"%PDF-1.4 forged"
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), archive.engine.begin() as conn:
        conn.execute(sa.text(statement), {"forged": forged, "digest": hashlib.sha256(forged).hexdigest()})
    kept = archive.documents(None)
    assert kept == sent
    for doc in kept:
        assert hashlib.sha256(doc.content).hexdigest() == doc.sha256


def test_archiving_goes_on_after_a_refused_change(archive: Archive) -> None:
    """The trigger refuses changes, not additions: a new document is still archived, and the same one again
    returns the first copy."""
    first = archive.fetch(archive.letters[0], LetterRenderer())
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), archive.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM document WHERE ref = :ref"), {"ref": first.ref})
    assert archive.company.id is not None
    ref = f"test-{len(archive.documents(None))}"
    with archive.uow() as uow:
        added = uow.deliveries.archive(archive.company.id, DocumentKind.PRINT_BATCH, ref, "a.txt", "text/plain", b"one")
        same = uow.deliveries.archive(archive.company.id, DocumentKind.PRINT_BATCH, ref, "b.txt", "text/plain", b"two")
        uow.commit()
    assert (same.filename, same.content, same.sha256) == ("a.txt", b"one", hashlib.sha256(b"one").hexdigest())
    assert same == added
    assert any(d.ref == ref and d.content == b"one" for d in archive.documents(DocumentKind.PRINT_BATCH))
    assert archive.fetch(archive.letters[0], NoRendering()) == first
