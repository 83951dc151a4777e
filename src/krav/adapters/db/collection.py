"""SQL storage for the collection side: claims, their history, letters, lists, payments, settlements, run steps.

Nothing here reads ledger tables (DESIGN.md, "Two sides, one contract").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.claim_rows import claim_from_row, claim_values
from krav.adapters.db.counters import next_value
from krav.adapters.db.types import chunks, utcnow
from krav.domain.collection.allocation import Applied
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.letters import CollectionListRow, LetterLine, LetterType
from krav.domain.collection.settlement import SettlementReportLine
from krav.domain.collection.steps import Event, LetterDraft
from krav.domain.money import Money
from krav.services.ports import (
    AllocationChannel,
    ClaimFilter,
    ClientPayment,
    HistoryEntry,
    PaymentStatus,
    StoredLetter,
    StoredSettlement,
    UnsettledAllocation,
)


class SqlCollection:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    # -- claims ----------------------------------------------------------------------------------------------

    def add_claims(self, claims: Sequence[Claim]) -> list[Claim]:
        """Store new claims in one statement; returns them with their ids, in the same order."""
        if not claims:
            return []
        ids = self.conn.execute(
            t.claim.insert().returning(t.claim.c.id, sort_by_parameter_order=True),
            [{"company_id": c.company_id, **claim_values(c)} for c in claims],
        ).scalars()
        return [claim.stored_as(int(claim_id)) for claim, claim_id in zip(claims, ids, strict=True)]

    def save_claims(self, claims: Iterable[Claim]) -> None:
        """Write the claims' state back in one bulk statement (``executemany``)."""
        rows = [{"the_id": c.id, **claim_values(c)} for c in claims]
        if not rows:
            return
        values: dict[str, Any] = {name: sa.bindparam(name) for name in rows[0] if name != "the_id"}
        self.conn.execute(t.claim.update().where(t.claim.c.id == sa.bindparam("the_id")).values(values), rows)

    def claim(self, company_id: int, collection_id: str) -> Claim | None:
        row = self.conn.execute(
            sa.select(t.claim).where(t.claim.c.company_id == company_id, t.claim.c.collection_id == collection_id)
        ).one_or_none()
        return None if row is None else claim_from_row(row)

    def claims(self, company_id: int, where: ClaimFilter | None = None) -> list[Claim]:
        """Claims of one company as ``where`` narrows them, by due date and invoice number."""
        f = where or ClaimFilter()
        c = t.claim
        query = sa.select(c).where(c.c.company_id == company_id)
        if f.open_only:
            query = query.where(c.c.stage != Stage.CLOSED.value)
        if f.due_by is not None:
            query = query.where(c.c.stage != Stage.CLOSED.value, c.c.next_action_on <= f.due_by)
        if f.letters_due:
            query = query.where(sa.or_(c.c.paid_confirmation_due.is_(True), c.c.interest_note_due.is_(True)))
        if f.stage is not None:
            query = query.where(c.c.stage == f.stage.value)
        if f.debtor is not None:
            query = query.where(c.c.debtor_number == f.debtor)
        query = query.order_by(c.c.due_date, c.c.invoice_number)
        keyed: list[tuple[Any, Iterable[Any] | None]] = [
            (c.c.collection_id, f.collection_ids),
            (c.c.invoice_number, f.invoice_numbers),
            (c.c.id, f.ids),
        ]
        for column, values in keyed:
            if values is not None:
                rows: list[sa.Row[Any]] = []
                for chunk in chunks(sorted(set(values))):
                    rows.extend(self.conn.execute(query.where(column.in_(chunk))))
                return [claim_from_row(r) for r in rows]
        return [claim_from_row(r) for r in self.conn.execute(query)]

    def add_events(self, company_id: int, claim_ids: dict[str, int], events: Sequence[Event], *, by: str) -> None:
        if not events:
            return
        now = utcnow()
        self.conn.execute(
            t.claim_event.insert(),
            [
                {
                    "claim_id": claim_ids[e.collection_id],
                    "company_id": company_id,
                    "on_date": e.on,
                    "kind": e.kind,
                    "by": by,
                    "amount_ore": e.amount.ore if e.amount is not None else None,
                    "detail": e.detail,
                    "created_at": now,
                }
                for e in events
            ],
        )

    def history(self, company_id: int, claim_id: int) -> list[HistoryEntry]:
        e = t.claim_event
        rows = self.conn.execute(
            sa.select(e).where(e.c.company_id == company_id, e.c.claim_id == claim_id).order_by(e.c.id)
        ).all()
        return [
            HistoryEntry(
                date=r.on_date,
                kind=r.kind,
                by=r.by,
                amount=Money.from_ore(r.amount_ore) if r.amount_ore is not None else None,
                detail=r.detail,
                at=r.created_at,
            )
            for r in rows
        ]

    def next_case_number(self, company_id: int) -> str:
        return f"S{company_id:03d}-{next_value(self.conn, company_id, 'case'):06d}"

    # -- letters ---------------------------------------------------------------------------------------------

    def add_letters(
        self, company_id: int, drafts: Sequence[LetterDraft], *, kid_for: Callable[[int], str], account: str | None
    ) -> list[StoredLetter]:
        """Store letters, each numbered as its debtor's next (``n``), in a fixed number of statements however
        many there are; ``kid_for(letter_id)`` makes the KID of a letter that asks for money (R-BANK-1)."""
        if not drafts:
            return []
        lt = t.letter
        debtors = sorted({d.recipient.number for d in drafts})
        last_n: dict[str, int] = {}
        for chunk in chunks(debtors):
            rows = self.conn.execute(
                sa.select(lt.c.debtor_number, sa.func.max(lt.c.n).label("last"))
                .where(lt.c.company_id == company_id, lt.c.debtor_number.in_(chunk))
                .group_by(lt.c.debtor_number)
            )
            last_n.update((r.debtor_number, int(r.last)) for r in rows)
        now = utcnow()
        heads: list[dict[str, Any]] = []
        for draft in drafts:
            n = last_n.get(draft.recipient.number, 0) + 1
            last_n[draft.recipient.number] = n
            heads.append(
                {
                    "company_id": company_id,
                    "debtor_number": draft.recipient.number,
                    "n": n,
                    "type": draft.type.value,
                    "sent_on": draft.sent_on,
                    "deadline": draft.deadline,
                    "account": account if draft.deadline is not None else None,
                    "case_number": draft.case_number,
                    "total_ore": draft.total.ore,
                    "created_at": now,
                }
            )
        ids = [
            int(i)
            for i in self.conn.execute(lt.insert().returning(lt.c.id, sort_by_parameter_order=True), heads).scalars()
        ]
        # the letter row is append-only; the KID is derived from its id, so it is stored in a side table
        kids = {
            letter_id: kid_for(letter_id) for letter_id, d in zip(ids, drafts, strict=True) if d.deadline is not None
        }
        if kids:
            self.conn.execute(t.letter_kid.insert(), [{"letter_id": k, "kid": v} for k, v in kids.items()])
        lines: list[dict[str, Any]] = []
        for letter_id, draft in zip(ids, drafts, strict=True):
            claim_ids = {c.collection_id: c.id for c in draft.claims}
            lines.extend(
                {
                    "letter_id": letter_id,
                    "claim_id": claim_ids[line.collection_id],
                    "position": pos,
                    "principal_ore": line.principal.ore,
                    "fee_ore": line.fee.ore,
                    "interest_ore": line.interest.ore,
                    "salaer_ore": line.salaer.ore,
                    "interest_paid_before_ore": line.interest_paid_before.ore if line.interest_paid_before else 0,
                    "interest_rate": str(line.interest_rate) if line.interest_rate is not None else None,
                }
                for pos, line in enumerate(draft.lines, start=1)
            )
        self.conn.execute(t.letter_line.insert(), lines)
        return [
            StoredLetter(
                id=letter_id,
                company_id=company_id,
                debtor=draft.recipient.number,
                n=head["n"],
                type=draft.type,
                sent_on=draft.sent_on,
                deadline=draft.deadline,
                kid=kids.get(letter_id),
                account=head["account"],
                case_number=draft.case_number,
                lines=tuple(draft.lines),
            )
            for letter_id, draft, head in zip(ids, drafts, heads, strict=True)
        ]

    def letters(
        self,
        company_id: int,
        *,
        letter_ids: Iterable[int] | None = None,
        kid: str | None = None,
        debtor: str | None = None,
        claim_id: int | None = None,
    ) -> list[StoredLetter]:
        lt, ll, c, lk = t.letter, t.letter_line, t.claim, t.letter_kid
        query = (
            sa.select(lt, lk.c.kid.label("the_kid"))
            .outerjoin(lk, lk.c.letter_id == lt.c.id)
            .where(lt.c.company_id == company_id)
            .order_by(lt.c.sent_on, lt.c.debtor_number, lt.c.n)
        )
        if letter_ids is not None:
            query = query.where(lt.c.id.in_(list(letter_ids)))
        if kid is not None:
            query = query.where(lk.c.kid == kid)
        if debtor is not None:
            query = query.where(lt.c.debtor_number == debtor)
        if claim_id is not None:
            query = query.where(lt.c.id.in_(sa.select(ll.c.letter_id).where(ll.c.claim_id == claim_id)))
        heads = self.conn.execute(query).all()
        if not heads:
            return []
        lines: dict[int, list[LetterLine]] = {}
        line_rows = self.conn.execute(
            sa.select(ll, c.c.collection_id, c.c.invoice_number, c.c.invoice_date, c.c.due_date, c.c.currency)
            .join(c, c.c.id == ll.c.claim_id)
            .where(ll.c.letter_id.in_([h.id for h in heads]))
            .order_by(ll.c.letter_id, ll.c.position)
        )
        for r in line_rows:
            lines.setdefault(r.letter_id, []).append(
                LetterLine(
                    collection_id=r.collection_id,
                    invoice_number=r.invoice_number,
                    invoice_date=r.invoice_date,
                    due_date=r.due_date,
                    principal=Money.from_ore(r.principal_ore, r.currency),
                    fee=Money.from_ore(r.fee_ore, r.currency),
                    interest=Money.from_ore(r.interest_ore, r.currency),
                    salaer=Money.from_ore(r.salaer_ore, r.currency),
                    interest_rate=Decimal(r.interest_rate) if r.interest_rate else None,
                    interest_from=r.due_date if r.interest_rate else None,
                    interest_paid_before=Money.from_ore(r.interest_paid_before_ore, r.currency),
                )
            )
        return [
            StoredLetter(
                id=h.id,
                company_id=h.company_id,
                debtor=h.debtor_number,
                n=h.n,
                type=LetterType(h.type),
                sent_on=h.sent_on,
                deadline=h.deadline,
                kid=h.the_kid,
                account=h.account,
                case_number=h.case_number,
                lines=tuple(lines.get(h.id, [])),
            )
            for h in heads
        ]

    def letter_by_kid(self, kid: str) -> StoredLetter | None:
        """The letter with this KID, whatever creditor it belongs to (payments reach one client account)."""
        row = self.conn.execute(
            sa.select(t.letter.c.company_id)
            .join(t.letter_kid, t.letter_kid.c.letter_id == t.letter.c.id)
            .where(t.letter_kid.c.kid == kid)
        ).one_or_none()
        if row is None:
            return None
        found = self.letters(row.company_id, kid=kid)
        return found[0] if found else None

    # -- collection lists ------------------------------------------------------------------------------------

    def add_list(
        self, company_id: int, list_date: date, transfer_on: date | None, rows: Sequence[tuple[Claim, Money]]
    ) -> int:
        """Store a collection list: each claim with what it owed that day (``rows``: claim and its interest)."""
        list_id = int(
            self.conn.execute(
                t.collection_list.insert()
                .values(company_id=company_id, list_date=list_date, transfer_on=transfer_on, created_at=utcnow())
                .returning(t.collection_list.c.id)
            ).scalar_one()
        )
        self.conn.execute(
            t.collection_list_line.insert(),
            [
                {
                    "list_id": list_id,
                    "claim_id": c.id,
                    "position": n,
                    "principal_ore": c.principal_outstanding.ore,
                    "fee_ore": c.fees_outstanding.ore,
                    "interest_ore": interest.ore,
                }
                for n, (c, interest) in enumerate(rows, start=1)
            ],
        )
        return list_id

    def list_rows(self, company_id: int, list_id: int) -> list[CollectionListRow]:
        """A list's claims as shown on the list, with what each owed on the list's date."""
        cl, line, c = t.collection_list, t.collection_list_line, t.claim
        rows = self.conn.execute(
            sa.select(
                line,
                c.c.debtor_number,
                c.c.debtor_name,
                c.c.collection_id,
                c.c.invoice_number,
                c.c.due_date,
                c.c.notice_deadline,
                c.c.currency,
            )
            .join(cl, cl.c.id == line.c.list_id)
            .join(c, c.c.id == line.c.claim_id)
            .where(cl.c.company_id == company_id, cl.c.id == list_id)
            .order_by(line.c.position)
        )
        return [
            CollectionListRow(
                r.debtor_number,
                r.debtor_name,
                r.collection_id,
                r.invoice_number,
                r.due_date,
                Money.from_ore(r.principal_ore, r.currency),
                Money.from_ore(r.fee_ore, r.currency),
                Money.from_ore(r.interest_ore, r.currency),
                r.notice_deadline,
            )
            for r in rows
        ]

    def lists(self, company_id: int) -> list[tuple[date, list[str], int]]:
        """Every collection list of a company: its date, its invoices in list order, and its id."""
        cl, line, c = t.collection_list, t.collection_list_line, t.claim
        rows = self.conn.execute(
            sa.select(cl.c.id, cl.c.list_date, c.c.invoice_number)
            .join(line, line.c.list_id == cl.c.id)
            .join(c, c.c.id == line.c.claim_id)
            .where(cl.c.company_id == company_id)
            .order_by(cl.c.list_date, cl.c.id, line.c.position)
        )
        out: dict[int, tuple[date, list[str]]] = {}
        for r in rows:
            out.setdefault(r.id, (r.list_date, []))[1].append(r.invoice_number)
        return [(d, invoices, list_id) for list_id, (d, invoices) in out.items()]

    # -- payments on the client account ----------------------------------------------------------------------

    def add_payment(self, payment: ClientPayment) -> int | None:
        """Record an incoming payment; None when the same (source, reference) is there already."""
        exists = self.conn.execute(
            sa.select(t.client_payment.c.id).where(
                t.client_payment.c.source == payment.source, t.client_payment.c.reference == payment.reference
            )
        ).scalar_one_or_none()
        if exists is not None:
            return None
        return int(
            self.conn.execute(
                t.client_payment.insert()
                .values(
                    company_id=payment.company_id,
                    received_on=payment.received_on,
                    amount_ore=payment.amount.ore,
                    currency=payment.amount.currency,
                    kid=payment.kid,
                    reference=payment.reference,
                    payer=payment.payer,
                    source=payment.source,
                    letter_id=payment.letter_id,
                    status=payment.status,
                    reason=payment.reason,
                    created_at=utcnow(),
                )
                .returning(t.client_payment.c.id)
            ).scalar_one()
        )

    def payments_from(self, source: str) -> bool:
        """Whether payments of this source (a file's SHA-256) were recorded before."""
        p = t.client_payment
        return self.conn.execute(sa.select(p.c.id).where(p.c.source == source).limit(1)).first() is not None

    def pending_payments(self, company_id: int, up_to: date) -> list[ClientPayment]:
        p = t.client_payment
        rows = self.conn.execute(
            sa.select(p)
            .where(p.c.company_id == company_id, p.c.status == PaymentStatus.PENDING.value, p.c.received_on <= up_to)
            .order_by(p.c.received_on, p.c.id)
        )
        return [self._payment(r) for r in rows]

    def payments(self, *, status: PaymentStatus | None = None, company_id: int | None = None) -> list[ClientPayment]:
        p = t.client_payment
        query = sa.select(p).order_by(p.c.received_on, p.c.id)
        if status is not None:
            query = query.where(p.c.status == status)
        if company_id is not None:
            query = query.where(p.c.company_id == company_id)
        return [self._payment(r) for r in self.conn.execute(query)]

    @staticmethod
    def _payment(r: sa.Row[Any]) -> ClientPayment:
        return ClientPayment(
            id=r.id,
            company_id=r.company_id,
            received_on=r.received_on,
            amount=Money.from_ore(r.amount_ore, r.currency),
            kid=r.kid,
            reference=r.reference,
            payer=r.payer,
            source=r.source,
            letter_id=r.letter_id,
            status=PaymentStatus(r.status),
            reason=r.reason,
        )

    def set_payment_status(
        self, payment_id: int, status: PaymentStatus, *, on: date | None = None, reason: str | None = None, **extra: Any
    ) -> None:
        self.conn.execute(
            t.client_payment.update()
            .where(t.client_payment.c.id == payment_id)
            .values(status=status, applied_on=on, reason=reason, **extra)
        )

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
        rows = [
            {
                "company_id": company_id,
                "claim_id": claim_ids[a.collection_id],
                "on_date": on,
                "channel": channel,
                "payment_id": payment_id,
                "principal_ore": a.principal.ore,
                "fee_ore": a.fee.ore,
                "interest_ore": a.interest.ore,
                "salaer_ore": a.salaer.ore,
                "overpaid_ore": a.overpaid.ore,
            }
            for a in applied
        ]
        if rows:
            self.conn.execute(t.allocation.insert(), rows)

    # -- settlements -----------------------------------------------------------------------------------------

    def unsettled(self, company_id: int, up_to: date) -> list[UnsettledAllocation]:
        a, c = t.allocation, t.claim
        rows = self.conn.execute(
            sa.select(a, c.c.collection_id)
            .join(c, c.c.id == a.c.claim_id)
            .where(
                a.c.company_id == company_id,
                a.c.channel.in_((AllocationChannel.CLIENT_ACCOUNT.value, AllocationChannel.CREDITOR_COSTS.value)),
                a.c.settlement_id.is_(None),
                a.c.on_date <= up_to,
            )
            .order_by(a.c.id)
        )
        return [
            UnsettledAllocation(
                id=r.id,
                collection_id=r.collection_id,
                channel=AllocationChannel(r.channel),
                principal=Money.from_ore(r.principal_ore),
                fee=Money.from_ore(r.fee_ore),
                interest=Money.from_ore(r.interest_ore),
                salaer=Money.from_ore(r.salaer_ore),
                overpaid=Money.from_ore(r.overpaid_ore),
            )
            for r in rows
        ]

    def add_settlement(
        self, company_id: int, settled_on: date, totals: dict[str, Money], allocation_ids: list[int]
    ) -> int:
        reference = f"OPG-{company_id:03d}-{settled_on:%Y%m%d}"
        settlement_id = int(
            self.conn.execute(
                t.settlement.insert()
                .values(
                    company_id=company_id,
                    settled_on=settled_on,
                    reference=reference,
                    principal_ore=totals["principal"].ore,
                    fee_ore=totals["fee"].ore,
                    interest_ore=totals["interest"].ore,
                    overpaid_ore=totals["overpaid"].ore,
                    costs_ore=totals["costs"].ore,
                    costs_vat_ore=totals["costs_vat"].ore,
                    created_at=utcnow(),
                )
                .returning(t.settlement.c.id)
            ).scalar_one()
        )
        for chunk in chunks(allocation_ids):
            self.conn.execute(
                t.allocation.update().where(t.allocation.c.id.in_(chunk)).values(settlement_id=settlement_id)
            )
        return settlement_id

    def settlement_lines(self, company_id: int, settlement_id: int) -> list[SettlementReportLine]:
        """Per claim, what a settlement remits (and the salær the service kept from the same payments)."""
        a, c = t.allocation, t.claim
        rows = self.conn.execute(
            sa.select(
                c.c.collection_id,
                c.c.invoice_number,
                c.c.debtor_number,
                c.c.debtor_name,
                sa.func.sum(a.c.principal_ore).label("principal"),
                sa.func.sum(a.c.fee_ore).label("fee"),
                sa.func.sum(a.c.interest_ore).label("interest"),
                sa.func.sum(
                    sa.case((a.c.channel == AllocationChannel.CREDITOR_COSTS.value, 0), else_=a.c.salaer_ore)
                ).label("salaer"),
                sa.func.sum(
                    sa.case((a.c.channel == AllocationChannel.CREDITOR_COSTS.value, a.c.salaer_ore), else_=0)
                ).label("costs"),
                sa.func.sum(a.c.overpaid_ore).label("overpaid"),
            )
            .join(c, c.c.id == a.c.claim_id)
            .where(a.c.company_id == company_id, a.c.settlement_id == settlement_id)
            .group_by(c.c.collection_id, c.c.invoice_number, c.c.debtor_number, c.c.debtor_name, c.c.due_date)
            .order_by(c.c.due_date, c.c.invoice_number)
        )
        return [
            SettlementReportLine(
                r.collection_id,
                r.invoice_number,
                r.debtor_number,
                r.debtor_name,
                Money.from_ore(int(r.principal)),
                Money.from_ore(int(r.fee)),
                Money.from_ore(int(r.interest)),
                Money.from_ore(int(r.salaer)),
                Money.from_ore(int(r.overpaid)),
                Money.from_ore(int(r.costs)),
            )
            for r in rows
        ]

    def settlements(self, company_id: int) -> list[StoredSettlement]:
        s = t.settlement
        rows = self.conn.execute(sa.select(s).where(s.c.company_id == company_id).order_by(s.c.settled_on))
        return [
            StoredSettlement(
                id=r.id,
                reference=r.reference,
                settled_on=r.settled_on,
                principal=Money.from_ore(r.principal_ore),
                fee=Money.from_ore(r.fee_ore),
                interest=Money.from_ore(r.interest_ore),
                overpaid=Money.from_ore(r.overpaid_ore),
                costs=Money.from_ore(r.costs_ore),
                costs_vat=Money.from_ore(r.costs_vat_ore),
            )
            for r in rows
        ]

    # -- run steps -------------------------------------------------------------------------------------------

    def step_done(self, company_id: int, day: date, step: str) -> bool:
        rs = t.run_step
        return (
            self.conn.execute(
                sa.select(rs.c.step).where(rs.c.company_id == company_id, rs.c.run_date == day, rs.c.step == step)
            ).scalar_one_or_none()
            is not None
        )

    def mark_step(self, company_id: int, day: date, step: str, summary: dict[str, Any]) -> None:
        self.conn.execute(
            t.run_step.insert().values(
                company_id=company_id,
                run_date=day,
                step=step,
                summary=json.dumps(summary, default=str, sort_keys=True),
                finished_at=utcnow(),
            )
        )
