"""The fake unit of work over the fake repositories, and fakes of the renderer and the mail server."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Self

from krav.domain.collection.letters import CollectionListRow, Letter, Sender
from krav.domain.collection.settlement import SettlementReport
from krav.domain.rates import RateTables
from krav.services.ports import (
    NO_JOB_QUEUE,
    NoJobQueue,
    OutgoingMail,
    UnitOfWork,
)
from krav.services.relay import Relay
from tests.fakes.access import FakeAccess
from tests.fakes.collection import FakeCollection
from tests.fakes.deliveries import FakeDeliveries
from tests.fakes.ledger import FakeCompanies, FakeLedger
from tests.fakes.pages import FakeClaimPages
from tests.fakes.personal_data import FakePersonalData
from tests.fakes.shared import FakeAgreements, FakeImportLog, FakeOutbox
from tests.fakes.store import FakeStore


@dataclass(frozen=True, slots=True)
class _Repositories:
    companies: FakeCompanies
    ledger: FakeLedger
    outbox: FakeOutbox
    imports: FakeImportLog
    agreements: FakeAgreements
    collection: FakeCollection
    deliveries: FakeDeliveries
    personal_data: FakePersonalData
    access: FakeAccess
    pages: FakeClaimPages

    @classmethod
    def over(cls, store: FakeStore) -> _Repositories:
        return cls(
            FakeCompanies(store),
            FakeLedger(store),
            FakeOutbox(store),
            FakeImportLog(store),
            FakeAgreements(store),
            FakeCollection(store),
            FakeDeliveries(store),
            FakePersonalData(store),
            FakeAccess(store),
            FakeClaimPages(store),
        )


class FakeUnitOfWork:
    """Use as ``with uow: ...; uow.commit()``, like :class:`krav.adapters.db.uow.SqlUnitOfWork`: leaving the block
    without a commit discards what it wrote.

    ``committed`` is the state every new block starts from; ``commits`` counts the commits that went through.
    """

    def __init__(self, *, before_commit: Callable[[FakeUnitOfWork], None], store: FakeStore | None = None) -> None:
        self.before_commit = before_commit
        self.committed = store if store is not None else FakeStore()
        self.commits = 0
        self._working: FakeStore | None = None
        self._repositories: _Repositories | None = None

    def _open(self) -> _Repositories:
        if self._repositories is None:
            raise RuntimeError("the unit of work is not open; use it in a with-block")
        return self._repositories

    def _start_from_committed(self) -> None:
        self._working = self.committed.snapshot()
        self._repositories = _Repositories.over(self._working)

    @property
    def companies(self) -> FakeCompanies:
        return self._open().companies

    @property
    def ledger(self) -> FakeLedger:
        return self._open().ledger

    @property
    def outbox(self) -> FakeOutbox:
        return self._open().outbox

    @property
    def imports(self) -> FakeImportLog:
        return self._open().imports

    @property
    def agreements(self) -> FakeAgreements:
        return self._open().agreements

    @property
    def collection(self) -> FakeCollection:
        return self._open().collection

    @property
    def deliveries(self) -> FakeDeliveries:
        return self._open().deliveries

    @property
    def personal_data(self) -> FakePersonalData:
        return self._open().personal_data

    @property
    def access(self) -> FakeAccess:
        return self._open().access

    @property
    def pages(self) -> FakeClaimPages:
        return self._open().pages

    @property
    def jobs(self) -> NoJobQueue:
        """As on SQLite: no job queue; the work runs in the command's own process."""
        self._open()
        return NO_JOB_QUEUE

    def __enter__(self) -> Self:
        if self._repositories is not None:
            # the SQL unit of work would lose the outer block's connection: a use case must not nest them
            raise RuntimeError("the unit of work is open already; blocks on one unit of work do not nest")
        self._start_from_committed()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._working = None
        self._repositories = None

    def commit(self) -> None:
        """Deliver the messages written in the transaction (``before_commit``), then publish what it wrote; the
        block goes on from there, and a later commit publishes what follows."""
        self._open()
        self.before_commit(self)
        assert self._working is not None
        self.committed = self._working.snapshot()
        self.commits += 1

    def rollback(self) -> None:
        self._open()
        self._start_from_committed()


def relayed_unit_of_work(rates: RateTables, store: FakeStore | None = None) -> FakeUnitOfWork:
    """A fake unit of work wired as bootstrap wires the SQL one: its commit relays the messages between the two
    sides (:class:`krav.services.relay.Relay`)."""
    return FakeUnitOfWork(before_commit=Relay(rates), store=store)


def _satisfies_the_port(uow: FakeUnitOfWork) -> UnitOfWork:
    """mypy checks here that the fake is a :class:`UnitOfWork` (the Protocols are structural)."""
    return uow


@dataclass
class FakeRenderer:
    """Renders each letter, list and report as a few recognisable bytes, and remembers what it rendered."""

    rendered: list[str] = field(default_factory=list)

    def _bytes(self, what: str) -> bytes:
        self.rendered.append(what)
        return f"%PDF-fake {what}".encode()

    def render_letter(self, letter: Letter) -> bytes:
        return self._bytes(f"{letter.type.value} {letter.recipient.number}/{letter.n}")

    def render_letters(self, letters: Sequence[Letter]) -> bytes:
        return self._bytes("batch " + ", ".join(f"{x.type.value} {x.recipient.number}/{x.n}" for x in letters))

    def render_collection_list(
        self, creditor: Sender, list_date: date, rows: Sequence[CollectionListRow], *, automatic: bool = True
    ) -> bytes:
        return self._bytes(f"collection list {creditor.orgno} {list_date.isoformat()} ({len(rows)} claims)")

    def render_settlement_report(self, report: SettlementReport) -> bytes:
        return self._bytes(f"settlement {report.reference}")


@dataclass
class FakeMailer:
    """Keeps every mail it is given instead of sending it; ``refuse`` makes the next sends fail with that error."""

    sent: list[OutgoingMail] = field(default_factory=list)
    refuse: Exception | None = None

    def send(self, mail: OutgoingMail) -> None:
        if self.refuse is not None:
            raise self.refuse
        self.sent.append(mail)
