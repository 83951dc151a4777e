"""The ports to the world outside storage: rendering, mail, the service's figures the ledger asks for, and what
the daily run works with."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from krav.domain.collection.letters import CollectionListRow, Letter, Sender
from krav.domain.collection.settlement import SettlementReport
from krav.domain.errors import RunInProgress
from krav.domain.money import Money
from krav.domain.plausible import MAX_FILE_BYTES
from krav.domain.rates import RateTables
from krav.services.ports.models import OutgoingMail, Service

if TYPE_CHECKING:
    from krav.services.ports.storage import UnitOfWork


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> None:
        """Hand ``mail`` to the mail server; :class:`RecipientRefused` when it refuses the address for good."""
        ...


class RecipientRefused(Exception):
    """The mail server refused the recipient's address for good (a 5xx reply to RCPT): nothing was sent, and
    the letter goes on paper instead (R-SVC-2)."""


class Renderer(Protocol):
    """Turns letters and lists into PDF bytes, the same bytes for the same input."""

    def render_letter(self, letter: Letter) -> bytes: ...
    def render_letters(self, letters: Sequence[Letter]) -> bytes: ...
    def render_collection_list(
        self, creditor: Sender, list_date: date, rows: Sequence[CollectionListRow], *, automatic: bool = True
    ) -> bytes: ...
    def render_settlement_report(self, report: SettlementReport) -> bytes: ...


class ClaimFigures(Protocol):
    """What the collection service says a claim owes on a day. The ledger asks it before it splits a payment on
    the creditor's own account (R-LED-6), so both sides book the same figures; an ERP asks the same through the
    API. Bootstrap always wires it."""

    def fee_and_interest(
        self, uow: UnitOfWork, company_id: int, collection_id: str, on: date
    ) -> tuple[Money, Money] | None: ...


class Progress(Protocol):
    """Where long work says how far it has come (a terminal's progress bar, or nobody): ``done`` of ``total`` units
    of ``task`` (``steps``: a creditor's steps of the day; ``deliveries``: e-mails and print batches). Called per
    unit of work that costs something (a step, an e-mail, a print batch), never per row; the receiver decides how
    often it draws."""

    def __call__(self, task: str, done: int, total: int) -> None: ...


def quiet(task: str, done: int, total: int) -> None:
    """Progress nobody watches: tests, pipes, a what-if."""


class RunLock(Protocol):
    """One run at a time per database (``krav run``, ``simulate``, ``demo``, the delivery worker)."""

    def hold(self, what: str) -> AbstractContextManager[None]:
        """Hold the lock while the block runs; :class:`krav.domain.errors.RunInProgress` when another holds it."""
        ...

    def share(self, what: str) -> AbstractContextManager[None]:
        """Hold the lock shared while the block runs (a worker's part of a day): beside other shared holders,
        never beside :meth:`hold` (:class:`krav.domain.errors.RunInProgress`)."""
        ...


class ProcessRunLock:
    """A run lock within one process, for a database no other process can reach (one in memory)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()

    @contextmanager
    def hold(self, what: str) -> Iterator[None]:
        if not self._lock.acquire(blocking=False):
            raise RunInProgress(f"{what}: another run is working on this database")
        try:
            yield
        finally:
            self._lock.release()

    def share(self, what: str) -> AbstractContextManager[None]:
        """One process has no workers beside it: a part of a day holds the lock as a run does."""
        return self.hold(what)


@dataclass(frozen=True, slots=True)
class Collaborators:
    """What the daily run works with besides the database, wired by bootstrap: the rate tables, the service as
    letters name it, and where letters, files and mail go. ``inbox`` is the folder of payment files the run
    imports first (None: none); ``lock`` keeps runs on one database one at a time; ``what_if`` marks a simulation
    or scenario, which may assume rates the table does not know."""

    rates: RateTables
    service: Service
    renderer: Renderer
    mailer: Mailer
    print_dir: Path
    remittance_dir: Path
    inbox: Path | None = None
    max_file_bytes: int = MAX_FILE_BYTES  # the largest payment file the inbox takes
    lock: RunLock = field(default_factory=ProcessRunLock)
    # a what-if (a scenario, a simulation): a day the rate table does not know assumes the last known rates and
    # says so; a real run holds the creditor's day instead (DOMAIN.md section 8)
    what_if: bool = False
    # how far the run and the delivery have come: a command that a person watches on a terminal draws it
    progress: Progress = quiet
