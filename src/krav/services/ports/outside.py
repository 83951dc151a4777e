"""The ports to the world outside storage: rendering, mail, the service's figures the ledger asks for, and what
the daily run works with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from krav.domain.collection.letters import CollectionListRow, Letter, Sender
from krav.domain.collection.settlement import SettlementReport
from krav.domain.money import Money
from krav.domain.rates import RateTables
from krav.services.ports.models import OutgoingMail, Service

if TYPE_CHECKING:
    from krav.services.ports.storage import UnitOfWork


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> None: ...


class Renderer(Protocol):
    """Turns letters and lists into PDF bytes, the same bytes for the same input."""

    def render_letter(self, letter: Letter) -> bytes: ...
    def render_letters(self, letters: Sequence[Letter]) -> bytes: ...
    def render_collection_list(self, creditor: Sender, list_date: date, rows: Sequence[CollectionListRow]) -> bytes: ...
    def render_settlement_report(self, report: SettlementReport) -> bytes: ...


class ClaimFigures(Protocol):
    """What the collection service says a claim owes on a day. The ledger asks it before it splits a payment on
    the creditor's own account (R-LED-6), so both sides book the same figures; an ERP asks the same through the
    API. Bootstrap always wires it."""

    def fee_and_interest(
        self, uow: UnitOfWork, company_id: int, collection_id: str, on: date
    ) -> tuple[Money, Money] | None: ...


@dataclass(frozen=True, slots=True)
class Collaborators:
    """What the daily run works with besides the database, wired by bootstrap: the rate tables, the service as
    letters name it, and where letters, files and mail go. ``inbox`` is the folder of payment files the run
    imports first (None: none)."""

    rates: RateTables
    service: Service
    renderer: Renderer
    mailer: Mailer
    print_dir: Path
    remittance_dir: Path
    inbox: Path | None = None
