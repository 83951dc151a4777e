"""The fake of the collection side's repository: claims and their history, letters, lists, payments,
allocations, settlements and the daily run's done-records."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from krav.domain.collection.allocation import Applied
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.events import Event
from krav.domain.collection.letter_content import PaymentApplied
from krav.domain.collection.letters import CollectionListRow, LetterLine, Recipient, deadline_from
from krav.domain.collection.settlement import SettlementReportLine
from krav.domain.collection.steps import LetterDraft
from krav.domain.money import Money
from krav.services.ports import (
    AllocationChannel,
    ClaimEventRecord,
    ClaimFilter,
    ClaimToMatch,
    ClaimWaiting,
    ClientPayment,
    DeliveryKind,
    HistoryEntry,
    PaymentStatus,
    StoredChain,
    StoredLetter,
    StoredSettlement,
    UnsettledAllocation,
)
from tests.fakes import queues
from tests.fakes.chains import add_events as add_event_rows
from tests.fakes.chains import event_chain
from tests.fakes.payment_batches import PaymentBatches
from tests.fakes.store import (
    _SETTLED_CHANNELS,
    AllocationRow,
    DuplicateRow,
    EventRow,
    FakeStore,
    LetterRow,
    ListLineRow,
    ListRow,
    SettlementRow,
    _now,
    _refuse_duplicate,
)


def _letter_line_as_read_back(line: LetterLine) -> LetterLine:
    """A letter line as storage returns it: interest counted from the due date when a rate is shown, and the
    interest paid before as an amount (0.00 when there was none)."""
    return replace(
        line,
        interest_from=line.due_date if line.interest_rate is not None or line.interest_periods else None,
        interest_paid_before=line.interest_paid_before or Money.zero(line.principal.currency),
    )


class FakeCollection(PaymentBatches):
    """Claims and their history, letters, lists, payments, allocations, settlements and the run's done-records."""

    def __init__(self, store: FakeStore) -> None:
        self.s = store

    # -- claims ----------------------------------------------------------------------------------------------

    def add_claims(self, claims: Sequence[Claim]) -> list[Claim]:
        """Store new claims; returns them with their ids, in the same order."""
        for claim in claims:
            _refuse_duplicate(
                any(c.collection_id == claim.collection_id for c in self.s.claims.values()),
                f"collection ID {claim.collection_id}",
            )
            _refuse_duplicate(
                any(
                    (c.company_id, c.invoice_number) == (claim.company_id, claim.invoice_number)
                    for c in self.s.claims.values()
                ),
                f"claim for invoice {claim.invoice_number}",
            )
            stored = claim.stored_as(self.s.new_id("claim"))
            assert stored.id is not None
            self.s.claims[stored.id] = copy.deepcopy(stored)
        return list(claims)

    def save_claims(self, claims: Iterable[Claim]) -> None:
        """Write the claims' state back (a claim never stored changes nothing, as an UPDATE of no row)."""
        for claim in claims:
            if claim.id is not None and claim.id in self.s.claims:
                self.s.claims[claim.id] = copy.deepcopy(claim)

    def claim(self, company_id: int, collection_id: str) -> Claim | None:
        found = next(
            (c for c in self.s.claims.values() if c.company_id == company_id and c.collection_id == collection_id),
            None,
        )
        return copy.deepcopy(found)

    def recipients(self, company_id: int, collection_ids: Iterable[str]) -> dict[str, tuple[date, Recipient]]:
        wanted = set(collection_ids)
        return {
            c.collection_id: (c.submitted_on, c.debtor)
            for c in self.s.claims.values()
            if c.company_id == company_id and c.collection_id in wanted
        }

    def claims(self, company_id: int, where: ClaimFilter | None = None) -> list[Claim]:
        """Claims of one company as ``where`` narrows them, by due date and invoice number."""
        f = where or ClaimFilter()
        rows = [c for c in self.s.claims.values() if c.company_id == company_id]
        if f.open_only:
            rows = [c for c in rows if c.stage is not Stage.CLOSED]
        if f.due_by is not None:
            due_by = f.due_by
            rows = [
                c
                for c in rows
                if c.stage is not Stage.CLOSED and c.next_action_on is not None and c.next_action_on <= due_by
            ]
        if f.letters_due:
            rows = [c for c in rows if c.paid_confirmation_due or c.interest_note_due or c.objection_answer_due]
        if f.stage is not None:
            rows = [c for c in rows if c.stage == f.stage]
        if f.stages is not None:
            stages = set(f.stages)
            rows = [c for c in rows if c.stage in stages]
        if f.paused is not None:
            rows = [c for c in rows if c.paused is f.paused]
        if f.debtor is not None:
            rows = [c for c in rows if c.debtor.number == f.debtor]
        rows.sort(key=lambda c: (c.due_date, c.invoice_number))
        # every key given narrows, as in the SQL adapter
        if f.collection_ids is not None:
            cids = set(f.collection_ids)
            rows = [c for c in rows if c.collection_id in cids]
        if f.invoice_numbers is not None:
            numbers = set(f.invoice_numbers)
            rows = [c for c in rows if c.invoice_number in numbers]
        if f.ids is not None:
            ids = set(f.ids)
            rows = [c for c in rows if c.id in ids]
        return copy.deepcopy(rows)

    def add_events(self, company_id: int, claim_ids: dict[str, int], events: Sequence[Event], *, by: str) -> None:
        now = _now()
        rows = [
            EventRow(
                self.s.new_id("claim_event"),
                company_id,
                claim_ids[e.collection_id],
                HistoryEntry(date=e.on, kind=e.kind, by=by, amount=e.amount, detail=e.detail, at=now),
            )
            for e in events
        ]
        add_event_rows(self.s, rows)

    def event_chain(self, company_id: int) -> StoredChain:
        return event_chain(self.s, company_id)

    def history(self, company_id: int, claim_id: int) -> list[HistoryEntry]:
        return [
            e.entry
            for e in sorted(self.s.events.values(), key=lambda e: e.id)
            if e.company_id == company_id and e.claim_id == claim_id
        ]

    def last_event_seq(self, company_id: int) -> int:
        return max((e.seq or 0 for e in self.s.events.values() if e.company_id == company_id), default=0)

    def events_after(self, company_id: int, after: int, limit: int) -> list[ClaimEventRecord]:
        rows = sorted(
            (e for e in self.s.events.values() if e.company_id == company_id and (e.seq or 0) > after),
            key=lambda e: e.seq or 0,
        )[:limit]
        return [
            ClaimEventRecord(
                e.seq or 0, self.s.claims[e.claim_id].collection_id, self.s.claims[e.claim_id].invoice_number, e.entry
            )
            for e in rows
        ]

    def next_case_number(self, company_id: int) -> str:
        return f"S{company_id:03d}-{self.s.next_values(company_id, 'case', 1)[0]:06d}"

    # -- letters ---------------------------------------------------------------------------------------------

    def add_letters(
        self, company_id: int, drafts: Sequence[LetterDraft], *, kid_for: Callable[[int], str], account: str | None
    ) -> list[StoredLetter]:
        """Store letters, each numbered as its debtor's next (``n``); ``kid_for(letter_id)`` makes the KID of a
        letter with a deadline (R-BANK-1)."""
        stored: list[StoredLetter] = []
        for draft in drafts:
            debtor = draft.recipient.number
            n = 1 + max(
                (
                    r.letter.n
                    for r in self.s.letters.values()
                    if r.letter.company_id == company_id and r.letter.debtor == debtor
                ),
                default=0,
            )
            letter_id = self.s.new_id("letter")
            kid = kid_for(letter_id) if draft.deadline is not None else None
            if kid is not None:
                _refuse_duplicate(any(r.letter.kid == kid for r in self.s.letters.values()), f"KID {kid}")
            claim_ids = {c.collection_id: c.id for c in draft.claims}
            line_claims = tuple(claim_ids[line.collection_id] for line in draft.lines)
            if any(claim_id is None for claim_id in line_claims):
                raise ValueError("a letter line names a claim that was never stored")
            letter = StoredLetter(
                id=letter_id,
                company_id=company_id,
                debtor=debtor,
                n=n,
                type=draft.type,
                sent_on=draft.sent_on,
                deadline=draft.deadline,
                kid=kid,
                account=account if draft.deadline is not None else None,
                case_number=draft.case_number,
                lines=tuple(draft.lines),
            )
            kept = replace(letter, lines=tuple(_letter_line_as_read_back(line) for line in draft.lines))
            self.s.letters[letter_id] = LetterRow(kept, tuple(c for c in line_claims if c is not None))
            stored.append(letter)
        return stored

    def letters(
        self,
        company_id: int,
        *,
        letter_ids: Iterable[int] | None = None,
        kid: str | None = None,
        debtor: str | None = None,
        claim_id: int | None = None,
    ) -> list[StoredLetter]:
        wanted = None if letter_ids is None else set(letter_ids)
        rows = [
            r
            for r in self.s.letters.values()
            if r.letter.company_id == company_id
            and (wanted is None or r.letter.id in wanted)
            and (kid is None or r.letter.kid == kid)
            and (debtor is None or r.letter.debtor == debtor)
            and (claim_id is None or claim_id in r.claim_ids)
        ]
        ordered = sorted(rows, key=lambda r: (r.letter.sent_on, r.letter.debtor, r.letter.n))
        return [self._as_delivered(r.letter) for r in ordered]

    def _as_delivered(self, letter: StoredLetter) -> StoredLetter:
        """The letter as it went out (R-SVC-2), with where its latest delivery stands."""
        mine = sorted(
            (d for d in self.s.deliveries.values() if d.kind is DeliveryKind.LETTER and d.ref_id == letter.id),
            key=lambda d: d.id,
        )
        if not mine:
            return letter
        went = [d for d in mine if d.sent_on is not None]
        sent_on = went[-1].sent_on if went else None
        return replace(
            letter,
            sent_on=sent_on or letter.sent_on,
            deadline=deadline_from(sent_on, letter.sent_on, letter.deadline) if sent_on else letter.deadline,
            account=(went[-1].account if went else None) or letter.account,
            written_on=letter.sent_on,
            status=mine[-1].status,
            channel=mine[-1].channel,
        )

    def wait_for_letter(self, company_id: int, letter_id: int, since: date) -> dict[str, int]:
        """R-SVC-2: the claims of the letter whose latest letter it is wait for it from ``since``."""
        row = self.s.letters.get(letter_id)
        if row is None or row.letter.company_id != company_id:
            return {}
        held: dict[str, int] = {}
        for claim_id in set(row.claim_ids):
            if any(claim_id in r.claim_ids and r.letter.id > letter_id for r in self.s.letters.values()):
                continue
            claim = self.s.claims.get(claim_id)
            if claim is None:
                continue
            work = copy.deepcopy(claim)
            work.wait_for_letter(since)
            self.save_claims([work])
            held[work.collection_id] = claim_id
        return held

    def letter_by_kid(self, kid: str) -> StoredLetter | None:
        """The letter with this KID, whatever creditor it belongs to (payments reach one client account)."""
        return next((r.letter for r in self.s.letters.values() if r.letter.kid == kid), None)

    def claims_to_match(self) -> list[ClaimToMatch]:
        return queues.claims_to_match(self.s)

    def claims_waiting(self) -> list[ClaimWaiting]:
        return queues.claims_waiting(self.s)

    # -- collection lists ------------------------------------------------------------------------------------

    def add_list(
        self, company_id: int, list_date: date, transfer_on: date | None, rows: Sequence[tuple[Claim, Money]]
    ) -> int:
        """Store a collection list: each claim with what it owed that day (``rows``: claim and its interest)."""
        _refuse_duplicate(
            any(x.company_id == company_id and x.list_date == list_date for x in self.s.lists.values()),
            f"collection list of {list_date}",
        )
        lines = []
        for claim, interest in rows:
            assert claim.id is not None
            lines.append(ListLineRow(claim.id, claim.principal_outstanding, claim.fees_outstanding, interest))
        list_id = self.s.new_id("collection_list")
        self.s.lists[list_id] = ListRow(list_id, company_id, list_date, transfer_on, tuple(lines))
        return list_id

    def list_rows(self, company_id: int, list_id: int) -> list[CollectionListRow]:
        """A list's claims as shown on the list: the debtor and deadline as the claim has them now, with what
        each owed on the list's date."""
        found = self.s.lists.get(list_id)
        if found is None or found.company_id != company_id:
            return []
        rows = []
        for line in found.lines:
            c = self.s.claims[line.claim_id]
            rows.append(
                CollectionListRow(
                    c.debtor.number,
                    c.debtor.name,
                    c.collection_id,
                    c.invoice_number,
                    c.due_date,
                    line.principal,
                    line.fee,
                    line.interest,
                    c.deadlines.notice_deadline,
                )
            )
        return rows

    def lists(self, company_id: int) -> list[tuple[date, list[str], int]]:
        """Every collection list of a company: its date, its invoices in list order, and its id."""
        found = sorted(
            (x for x in self.s.lists.values() if x.company_id == company_id and x.lines),
            key=lambda x: (x.list_date, x.id),
        )
        return [(x.list_date, [self.s.claims[line.claim_id].invoice_number for line in x.lines], x.id) for x in found]

    # -- payments on the client account ----------------------------------------------------------------------

    def add_payment(self, payment: ClientPayment) -> int | None:
        """Record an incoming payment; None when the same (source, reference) is there already. A second
        payment of one bank identity is refused, as the unique index on ``bank_id`` does."""
        if any((p.source, p.reference) == (payment.source, payment.reference) for p in self.s.payments.values()):
            return None
        _refuse_duplicate(
            any(p.bank_id == payment.bank_id for p in self.s.payments.values()), f"payment {payment.bank_id}"
        )
        payment_id = self.s.new_id("client_payment")
        self.s.payments[payment_id] = replace(payment, id=payment_id, status=PaymentStatus(payment.status))
        self.s.payments_applied_on[payment_id] = None
        return payment_id

    def add_duplicate(self, payment: ClientPayment, *, first_id: int) -> int | None:
        """Record a later sighting of the payment ``first_id``; None when the same (source, reference) is there
        already."""
        if any(
            (d.sighting.source, d.sighting.reference) == (payment.source, payment.reference)
            for d in self.s.payment_duplicates.values()
        ):
            return None
        duplicate_id = self.s.new_id("client_payment_duplicate")
        sighting = replace(
            payment,
            id=duplicate_id,
            company_id=None,
            letter_id=None,
            status=PaymentStatus.DUPLICATE,
            reason=payment.reason or f"a duplicate of payment {first_id}",
        )
        self.s.payment_duplicates[duplicate_id] = DuplicateRow(first_id, sighting)
        return duplicate_id

    def payment_by_bank_id(self, bank_id: str) -> ClientPayment | None:
        return next((p for p in self.s.payments.values() if p.bank_id == bank_id), None)

    def payments_from(self, source: str) -> bool:
        return any(p.source == source for p in self.s.payments.values()) or any(
            d.sighting.source == source for d in self.s.payment_duplicates.values()
        )

    def _duplicates(self, company_id: int | None) -> list[ClientPayment]:
        """The sightings recorded as duplicates, each with the creditor of the payment it repeats."""
        found = [
            replace(d.sighting, company_id=self.s.payments[d.first_id].company_id)
            for d in self.s.payment_duplicates.values()
        ]
        return sorted(
            (p for p in found if company_id is None or p.company_id == company_id),
            key=lambda p: (p.received_on, p.id or 0),
        )

    def _payments_in_order(self) -> list[ClientPayment]:
        return sorted(self.s.payments.values(), key=lambda p: (p.received_on, p.id or 0))

    def pending_payments(self, company_id: int, up_to: date) -> list[ClientPayment]:
        return [
            p
            for p in self._payments_in_order()
            if p.company_id == company_id and p.status == PaymentStatus.PENDING and p.received_on <= up_to
        ]

    def payments(self, *, status: PaymentStatus | None = None, company_id: int | None = None) -> list[ClientPayment]:
        if status == PaymentStatus.DUPLICATE:
            return self._duplicates(company_id)
        return [
            p
            for p in self._payments_in_order()
            if (status is None or p.status == status) and (company_id is None or p.company_id == company_id)
        ]

    def set_payment_status(
        self,
        payment_id: int,
        status: PaymentStatus,
        *,
        on: date | None = None,
        reason: str | None = None,
        letter: tuple[int, int] | None = None,
    ) -> None:
        found = self.s.payments.get(payment_id)
        if found is None:
            return
        changed = replace(found, status=PaymentStatus(status), reason=reason)
        if letter is not None:
            changed = replace(changed, company_id=letter[0], letter_id=letter[1])
        self.s.payments[payment_id] = changed
        self.s.payments_applied_on[payment_id] = on

    def add_allocations(
        self,
        company_id: int,
        claim_ids: dict[str, int],
        applied: Sequence[Applied],
        *,
        on: date,
        channel: AllocationChannel,
        payment_id: int | None,
    ) -> None:
        for a in applied:
            allocation_id = self.s.new_id("allocation")
            self.s.allocations[allocation_id] = AllocationRow(
                allocation_id, company_id, claim_ids[a.collection_id], on, AllocationChannel(channel), payment_id, a
            )

    def payments_applied(self, company_id: int, collection_ids: Iterable[str]) -> dict[str, list[PaymentApplied]]:
        """R-CLM-9: the debtor's payments applied to these claims, by collection ID in the order applied, each
        dated the day it was made (the day the bank got the order, where known: R-CLM-14)."""
        wanted = set(collection_ids)
        found: dict[str, list[PaymentApplied]] = {}
        for r in sorted(self.s.allocations.values(), key=lambda r: r.id):
            collection_id = self.s.claims[r.claim_id].collection_id
            if r.company_id != company_id or collection_id not in wanted:
                continue
            if r.channel not in (AllocationChannel.DIRECT, AllocationChannel.CLIENT_ACCOUNT):
                continue
            payment = self.s.payments.get(r.payment_id) if r.payment_id is not None else None
            ordered = payment.ordered_on if payment is not None else None
            a = r.applied
            found.setdefault(collection_id, []).append(
                PaymentApplied(
                    r.on if ordered is None else min(ordered, r.on),
                    a.principal,
                    a.fee,
                    a.interest,
                    a.salaer,
                    a.overpaid,
                )
            )
        return found

    # -- settlements -----------------------------------------------------------------------------------------

    def unsettled(self, company_id: int, up_to: date) -> list[UnsettledAllocation]:
        return [
            UnsettledAllocation(
                id=r.id,
                collection_id=self.s.claims[r.claim_id].collection_id,
                channel=r.channel,
                principal=r.applied.principal,
                fee=r.applied.fee,
                interest=r.applied.interest,
                salaer=r.applied.salaer,
                overpaid=r.applied.overpaid,
            )
            for r in sorted(self.s.allocations.values(), key=lambda r: r.id)
            if r.company_id == company_id
            and r.channel in _SETTLED_CHANNELS
            and r.settlement_id is None
            and r.on <= up_to
        ]

    def add_settlement(
        self, company_id: int, settled_on: date, totals: dict[str, Money], allocation_ids: list[int]
    ) -> StoredSettlement:
        reference = f"OPG-{company_id:03d}-{settled_on:%Y%m%d}"
        _refuse_duplicate(
            any(
                r.settlement.reference == reference
                or (r.company_id == company_id and r.settlement.settled_on == settled_on)
                for r in self.s.settlements.values()
            ),
            f"settlement {reference}",
        )
        settlement_id = self.s.new_id("settlement")
        self.s.settlements[settlement_id] = SettlementRow(
            company_id,
            StoredSettlement(
                id=settlement_id,
                reference=reference,
                settled_on=settled_on,
                principal=totals["principal"],
                fee=totals["fee"],
                interest=totals["interest"],
                overpaid=totals["overpaid"],
                costs=totals["costs"],
                costs_vat=totals["costs_vat"],
            ),
        )
        for allocation_id in allocation_ids:
            if allocation_id in self.s.allocations:
                self.s.allocations[allocation_id] = replace(
                    self.s.allocations[allocation_id], settlement_id=settlement_id
                )
        return self.s.settlements[settlement_id].settlement

    def settlements(self, company_id: int) -> list[StoredSettlement]:
        found = sorted(
            (r.settlement for r in self.s.settlements.values() if r.company_id == company_id),
            key=lambda st: (st.settled_on, st.id),
        )
        return list(found)

    def settlement_lines(self, company_id: int, settlement_id: int) -> list[SettlementReportLine]:
        """Per claim, what a settlement remits (and the salær the service kept from the same payments)."""
        sums: dict[int, dict[str, Money]] = {}
        for r in sorted(self.s.allocations.values(), key=lambda r: r.id):
            if r.company_id != company_id or r.settlement_id != settlement_id:
                continue
            line = sums.setdefault(
                r.claim_id, {k: Money.zero() for k in ("principal", "fee", "interest", "salaer", "costs", "overpaid")}
            )
            a = r.applied
            costs = r.channel is AllocationChannel.CREDITOR_COSTS
            line["principal"] += a.principal
            line["fee"] += a.fee
            line["interest"] += a.interest
            line["salaer"] += Money.zero() if costs else a.salaer
            line["costs"] += a.salaer if costs else Money.zero()
            line["overpaid"] += a.overpaid
        lines = []
        for claim_id, line in sums.items():
            c = self.s.claims[claim_id]
            lines.append(
                (
                    (c.due_date, c.invoice_number),
                    SettlementReportLine(
                        c.collection_id,
                        c.invoice_number,
                        c.debtor.number,
                        c.debtor.name,
                        line["principal"],
                        line["fee"],
                        line["interest"],
                        line["salaer"],
                        line["overpaid"],
                        line["costs"],
                    ),
                )
            )
        return [report_line for _, report_line in sorted(lines, key=lambda pair: pair[0])]

    # -- the daily run's done-records ------------------------------------------------------------------------

    def step_done(self, company_id: int, day: date, step: str) -> bool:
        return (company_id, day, step) in self.s.run_steps

    def last_run_day(self, company_id: int) -> date | None:
        return max((day for cid, day, _ in self.s.run_steps if cid == company_id), default=None)

    def last_run_finished(self, company_id: int) -> datetime | None:
        return max((at for (cid, _, _), at in self.s.run_finished.items() if cid == company_id), default=None)

    def mark_step(self, company_id: int, day: date, step: str, summary: dict[str, Any]) -> None:
        key = (company_id, day, step)
        _refuse_duplicate(key in self.s.run_steps, f"run step {step} of {day}")
        self.s.run_steps[key] = json.dumps(summary, default=str, sort_keys=True)
        self.s.run_finished[key] = _now()
