"""What needs a creditor (the portal's dashboard), and a settlement with its lines: read-side views over the same
queries as the CLI and the API, so every number is theirs.

* the items that fail validation, with every reason and what to do (R-VAL-1, from the proposal);
* the collection lists with claims that still wait for approval, and the Thursday they move on (R-CLM-4);
* the claims with an open objection (R-CLM-15);
* the company's deliveries that failed or may have left (R-SVC-2);
* the unmatched payments of the client account (only for the service's own people: they are no creditor's yet);
* the last business day the daily run worked for the creditor, when it finished, and how many of the day's steps
  it did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from krav.domain.collection.claims import Stage
from krav.domain.collection.settlement import SettlementReportLine
from krav.domain.errors import NotFound
from krav.domain.money import Money
from krav.domain.rates import RateTables
from krav.services import queries
from krav.services.daily_run import STEPS
from krav.services.ledger.submission import ProposalRow, proposal
from krav.services.ports import (
    Delivery,
    DeliveryStatus,
    Document,
    DocumentKind,
    HistoryEntry,
    StoredSettlement,
    UnitOfWork,
    company_id,
)
from krav.services.queries import ClaimView, ListView
from krav.services.reports import PAYMENT_KINDS


@dataclass(frozen=True, slots=True)
class PendingList:
    """A collection list with the claims on it that still wait for the creditor, and the day they move to
    inkasso unless stopped (the list's Thursday)."""

    listing: ListView
    waiting: tuple[ClaimView, ...]
    deadline: date | None


#: how many steps a business day of the daily run has
RUN_STEPS = len(STEPS)


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The tasks that hold the creditor's claims back, and how the daily run last went."""

    invalid: tuple[ProposalRow, ...]
    lists: tuple[PendingList, ...]
    disputed: tuple[ClaimView, ...]
    deliveries: tuple[Delivery, ...]
    unmatched_payments: int | None  # None: not the viewer's to see
    last_run: date | None
    last_run_at: datetime | None  # when its latest step finished
    last_run_steps: int  # the steps of the daily run done on its last day (all of them: the day ran through)
    open_claims: int
    owed: Money


def pending_lists(views: list[ClaimView], lists: list[ListView]) -> list[PendingList]:
    """The lists with claims still on them unapproved (newest first), each with the earliest day one moves on."""
    by_invoice = {v.claim.invoice_number: v for v in views}
    found = []
    for listing in reversed(lists):
        waiting = tuple(
            v
            for invoice in listing.invoices
            if (v := by_invoice.get(invoice)) is not None
            and v.claim.stage is Stage.COLLECTION_LIST
            and v.claim.approved_on is None
        )
        if waiting:
            days = [v.claim.transfer_on for v in waiting if v.claim.transfer_on is not None]
            found.append(PendingList(listing, waiting, min(days) if days else None))
    return found


def collection_list(uow: UnitOfWork, orgno: str, list_id: int, *, on: date, rates: RateTables) -> PendingList:
    """One collection list of the creditor with its claims as of ``on`` (all of them, approved or not)."""
    found = [lst for lst in queries.collection_lists(uow, orgno) if lst.id == list_id]
    if not found:
        raise NotFound(f"no collection list {list_id}")
    views = {v.claim.invoice_number: v for v in queries.claims_view(uow, orgno, on=on, rates=rates)}
    claims = tuple(views[i] for i in found[0].invoices if i in views)
    days = [v.claim.transfer_on for v in claims if v.claim.transfer_on is not None and v.claim.approved_on is None]
    return PendingList(found[0], claims, min(days) if days else None)


def dashboard(uow: UnitOfWork, orgno: str, *, on: date, rates: RateTables, service_view: bool) -> Dashboard:
    """The creditor's tasks on ``on``; ``service_view`` adds the client account's unmatched payments."""
    views = queries.claims_view(uow, orgno, on=on, rates=rates, include_closed=False)
    lists = queries.collection_lists(uow, orgno)
    invalid = proposal(uow, orgno, today=on, status="invalid")
    with uow:
        cid = company_id(uow, orgno)
        failed = uow.deliveries.deliveries(statuses=[DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN], company_id=cid)
        last_run = uow.collection.last_run_day(cid)
        last_run_at = uow.collection.last_run_finished(cid)
        steps = 0 if last_run is None else sum(uow.collection.step_done(cid, last_run, s.name) for s in STEPS)
    unmatched = len(queries.unmatched_payments(uow)) if service_view else None
    return Dashboard(
        invalid=tuple(invalid),
        lists=tuple(pending_lists(views, lists)),
        disputed=tuple(v for v in views if v.claim.disputed),
        deliveries=tuple(failed),
        unmatched_payments=unmatched,
        last_run=last_run,
        last_run_at=last_run_at,
        last_run_steps=steps,
        open_claims=len(views),
        owed=sum((v.owed for v in views), Money.zero()),
    )


@dataclass(frozen=True, slots=True)
class SettlementDetail:
    """A settlement with its lines per claim: the lines' remitted amounts add up to the settlement's total."""

    settlement: StoredSettlement
    lines: tuple[SettlementReportLine, ...]

    @property
    def lines_total(self) -> Money:
        return sum((line.remitted for line in self.lines), Money.zero())


def settlement(uow: UnitOfWork, orgno: str, reference: str) -> SettlementDetail:
    """The creditor's settlement ``reference`` with its lines; NotFound when it has none such."""
    with uow:
        cid = company_id(uow, orgno)
        found = [st for st in uow.collection.settlements(cid) if st.reference == reference]
        if not found:
            raise NotFound(f"no settlement {reference}")
        lines = uow.collection.settlement_lines(cid, found[0].id)
    return SettlementDetail(found[0], tuple(lines))


def archived(uow: UnitOfWork, orgno: str, kind: DocumentKind, ref: str) -> Document | None:
    """The creditor's document as archived (a letter by its id, a settlement's files by the settlement's id), or
    None when it was never archived: then it is made by the use cases of
    :mod:`krav.services.collection.delivery.archive`."""
    with uow:
        return uow.deliveries.document(company_id(uow, orgno), kind, ref)


def paid(history: tuple[HistoryEntry, ...]) -> Money:
    """What the debtor paid on a claim, to the client account or to the creditor: its payments in the history."""
    return sum((h.amount for h in history if h.kind in PAYMENT_KINDS and h.amount is not None), Money.zero())


def search_claims(
    views: list[ClaimView],
    *,
    text: str | None = None,
    customer: str | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
) -> list[ClaimView]:
    """The claims that match every filter given: ``text`` in the invoice number, the collection id, the debtor's
    name or organisation number (spaces ignored); the debtor's customer number; the due date between two days."""
    wanted = text.strip().lower() if text and text.strip() else None
    digits = wanted.replace(" ", "") if wanted else None

    def matches(v: ClaimView) -> bool:
        c = v.claim
        if customer is not None and c.debtor.number != customer:
            return False
        if (due_from is not None and c.due_date < due_from) or (due_to is not None and c.due_date > due_to):
            return False
        if wanted is None or digits is None:
            return True
        return (
            wanted in c.invoice_number.lower()
            or wanted in c.collection_id.lower()
            or wanted in c.debtor.name.lower()
            or (c.debtor.orgno is not None and bool(digits) and digits in c.debtor.orgno)
        )

    return [v for v in views if matches(v)]
