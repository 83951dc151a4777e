"""SQL storage of payments on the client account, what they applied to claims, and settlements (R-BANK-2, R-BANK-3)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.types import chunks, execute_many, key_in, utcnow
from krav.domain.collection.allocation import Applied
from krav.domain.collection.letter_content import PaymentApplied
from krav.domain.collection.settlement import SettlementReportLine
from krav.domain.money import Money
from krav.services.ports import (
    AllocationChannel,
    ClientPayment,
    PaymentApplication,
    PaymentStatus,
    StoredSettlement,
    UnsettledAllocation,
)


class SqlMoney:
    conn: sa.Connection

    # -- payments on the client account ----------------------------------------------------------------------

    def add_payment(self, payment: ClientPayment) -> int | None:
        """Record an incoming payment; None when the same (source, reference) is there already. The unique
        index on ``bank_id`` refuses a second payment of one bank transaction."""
        return self.add_payments([payment])[0]

    def add_duplicate(self, payment: ClientPayment, *, first_id: int) -> int | None:
        """Record a later sighting of the payment ``first_id``; None when the same (source, reference) is there
        already."""
        return self.add_duplicates([(payment, first_id)])[0]

    def payment_by_bank_id(self, bank_id: str) -> ClientPayment | None:
        p = t.client_payment
        row = self.conn.execute(sa.select(p).where(p.c.bank_id == bank_id)).first()
        return self._payment(row) if row is not None else None

    def payments_by_bank_id(self, bank_ids: Iterable[str]) -> dict[str, ClientPayment]:
        p = t.client_payment
        found: dict[str, ClientPayment] = {}
        for keys in key_in(self.conn.dialect, p.c.bank_id, sorted(set(bank_ids))):
            for row in self.conn.execute(sa.select(p).where(keys)):
                found[row.bank_id] = self._payment(row)
        return found

    def add_payments(self, payments: Sequence[ClientPayment]) -> list[int | None]:
        """:meth:`add_payment` of each in turn, in a few statements for them all."""
        now = utcnow()
        rows = [
            {
                **_sighting(p, now),
                "company_id": p.company_id,
                "letter_id": p.letter_id,
                "status": p.status,
                "reason": p.reason,
            }
            for p in payments
        ]
        return self._add_new(t.client_payment, payments, rows)

    def add_duplicates(self, sightings: Sequence[tuple[ClientPayment, int]]) -> list[int | None]:
        """:meth:`add_duplicate` of each in turn, in a few statements for them all."""
        now = utcnow()
        rows = [
            {**_sighting(p, now), "payment_id": first_id, "reason": p.reason or f"a duplicate of payment {first_id}"}
            for p, first_id in sightings
        ]
        return self._add_new(t.client_payment_duplicate, [p for p, _ in sightings], rows)

    def _add_new(
        self, table: sa.Table, payments: Sequence[ClientPayment], rows: Sequence[dict[str, Any]]
    ) -> list[int | None]:
        """Insert ``rows`` (one per payment) but those whose (source, reference) the table holds already, or an
        earlier one of them holds; their ids in order, None for each left out. Set-based: the references a source
        (a file) has already are read whole, the rows go in with one ``executemany``, and their ids are read back
        by source, whatever the number of payments."""
        sources = {p.source for p in payments}
        there = {(source, reference) for source, reference, _ in self._recorded(table, sources)}
        new: list[int] = []
        for n, p in enumerate(payments):
            if (p.source, p.reference) not in there:
                there.add((p.source, p.reference))
                new.append(n)
        ids: list[int | None] = [None] * len(payments)
        if not new:
            return ids
        execute_many(self.conn, table.insert(), [rows[n] for n in new])
        stored = {(source, reference): the_id for source, reference, the_id in self._recorded(table, sources)}
        for n in new:
            ids[n] = stored[(payments[n].source, payments[n].reference)]
        return ids

    def _recorded(self, table: sa.Table, sources: Iterable[str]) -> Iterator[tuple[str, str, int]]:
        """(source, reference, id) of every row of ``table`` from ``sources`` (one query per source)."""
        for source in sources:
            query = sa.select(table.c.reference, table.c.id).where(table.c.source == source)
            for reference, the_id in self.conn.execute(query):
                yield source, reference, int(the_id)

    def payments_from(self, source: str) -> bool:
        """Whether payments or duplicates of this source (a file's SHA-256) were recorded before."""
        for table in (t.client_payment, t.client_payment_duplicate):
            if self.conn.execute(sa.select(table.c.id).where(table.c.source == source).limit(1)).first() is not None:
                return True
        return False

    def pending_payments(self, company_id: int, up_to: date) -> list[ClientPayment]:
        p = t.client_payment
        rows = self.conn.execute(
            sa.select(p)
            .where(p.c.company_id == company_id, p.c.status == PaymentStatus.PENDING.value, p.c.received_on <= up_to)
            .order_by(p.c.received_on, p.c.id)
        )
        return [self._payment(r) for r in rows]

    def payments(self, *, status: PaymentStatus | None = None, company_id: int | None = None) -> list[ClientPayment]:
        if status == PaymentStatus.DUPLICATE:
            return self._duplicates(company_id)
        p = t.client_payment
        query = sa.select(p).order_by(p.c.received_on, p.c.id)
        if status is not None:
            query = query.where(p.c.status == status)
        if company_id is not None:
            query = query.where(p.c.company_id == company_id)
        return [self._payment(r) for r in self.conn.execute(query)]

    def _duplicates(self, company_id: int | None) -> list[ClientPayment]:
        """The sightings recorded as duplicates, each with the creditor of the payment it repeats."""
        d, p = t.client_payment_duplicate, t.client_payment
        query = (
            sa.select(d, p.c.company_id.label("first_company_id"))
            .join(p, p.c.id == d.c.payment_id)
            .order_by(d.c.received_on, d.c.id)
        )
        if company_id is not None:
            query = query.where(p.c.company_id == company_id)
        return [
            ClientPayment(
                id=r.id,
                company_id=r.first_company_id,
                received_on=r.received_on,
                ordered_on=r.ordered_on,
                amount=Money.from_ore(r.amount_ore, r.currency),
                kid=r.kid,
                reference=r.reference,
                payer=r.payer,
                source=r.source,
                status=PaymentStatus.DUPLICATE,
                reason=r.reason,
                bank_id=r.bank_id,
                filename=r.filename,
                message=r.message,
            )
            for r in self.conn.execute(query)
        ]

    @staticmethod
    def _payment(r: sa.Row[Any]) -> ClientPayment:
        return ClientPayment(
            id=r.id,
            company_id=r.company_id,
            received_on=r.received_on,
            ordered_on=r.ordered_on,
            amount=Money.from_ore(r.amount_ore, r.currency),
            kid=r.kid,
            reference=r.reference,
            payer=r.payer,
            source=r.source,
            letter_id=r.letter_id,
            status=PaymentStatus(r.status),
            reason=r.reason,
            bank_id=r.bank_id,
            filename=r.filename,
            message=r.message,
        )

    def set_payment_status(
        self,
        payment_id: int,
        status: PaymentStatus,
        *,
        on: date | None = None,
        reason: str | None = None,
        letter: tuple[int, int] | None = None,
    ) -> None:
        values: dict[str, Any] = {"status": status.value, "applied_on": on, "reason": reason}
        if letter is not None:
            values["company_id"], values["letter_id"] = letter
        self.conn.execute(t.client_payment.update().where(t.client_payment.c.id == payment_id).values(values))

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
        rows = _allocation_rows(company_id, claim_ids, applied, on=on, channel=channel, payment_id=payment_id)
        if rows:
            self.conn.execute(t.allocation.insert(), rows)

    def record_applied_payments(
        self, company_id: int, applications: Sequence[PaymentApplication], *, applied_on: date
    ) -> None:
        channel = AllocationChannel.CLIENT_ACCOUNT
        rows = [
            row
            for a in applications
            for row in _allocation_rows(
                company_id, a.claim_ids, a.applied, on=a.on, channel=channel, payment_id=a.payment_id
            )
        ]
        for chunk in chunks(rows):
            execute_many(self.conn, t.allocation.insert(), chunk)
        p = t.client_payment
        statuses = [
            {"the_id": a.payment_id, "status": PaymentStatus.APPLIED.value, "applied_on": applied_on, "reason": None}
            for a in applications
        ]
        for chunk in chunks(statuses):
            execute_many(self.conn, p.update().where(p.c.id == sa.bindparam("the_id")), chunk)

    def payments_applied(self, company_id: int, collection_ids: Iterable[str]) -> dict[str, list[PaymentApplied]]:
        """R-CLM-9: the debtor's payments (direct and to the client account) applied to these claims, by
        collection ID in the order applied, each dated the day it was made (R-CLM-14)."""
        a, c, p = t.allocation, t.claim, t.client_payment
        paid_by_the_debtor = {AllocationChannel.DIRECT.value, AllocationChannel.CLIENT_ACCOUNT.value}
        found: dict[str, list[PaymentApplied]] = {}
        for chunk in chunks(sorted(set(collection_ids))):
            rows = self.conn.execute(
                sa.select(a, c.c.collection_id, c.c.currency, p.c.ordered_on)
                .join(c, c.c.id == a.c.claim_id)
                .outerjoin(p, p.c.id == a.c.payment_id)
                .where(c.c.collection_id.in_(chunk))
                .order_by(a.c.id)
            )  # by the claims' unique collection IDs to their allocations (ix_allocation_claim); the rest here
            for r in rows:
                if r.company_id != company_id or r.channel not in paid_by_the_debtor:
                    continue
                made_on: date = r.on_date if r.ordered_on is None else min(r.ordered_on, r.on_date)
                found.setdefault(r.collection_id, []).append(
                    PaymentApplied(
                        on=made_on,
                        principal=Money.from_ore(r.principal_ore, r.currency),
                        fee=Money.from_ore(r.fee_ore, r.currency),
                        interest=Money.from_ore(r.interest_ore, r.currency),
                        salaer=Money.from_ore(r.salaer_ore, r.currency),
                        overpaid=Money.from_ore(r.overpaid_ore, r.currency),
                    )
                )
        return found

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
    ) -> StoredSettlement:
        """Store the day's settlement, named by its reference (``OPG-<creditor>-<date>``), and mark the
        allocations it remits."""
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
        for among in key_in(self.conn.dialect, t.allocation.c.id, allocation_ids):
            self.conn.execute(t.allocation.update().where(among).values(settlement_id=settlement_id))
        return StoredSettlement(
            id=settlement_id,
            reference=reference,
            settled_on=settled_on,
            principal=totals["principal"],
            fee=totals["fee"],
            interest=totals["interest"],
            overpaid=totals["overpaid"],
            costs=totals["costs"],
            costs_vat=totals["costs_vat"],
        )

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


def _allocation_rows(
    company_id: int,
    claim_ids: dict[str, int],
    applied: Sequence[Applied],
    *,
    on: date,
    channel: AllocationChannel,
    payment_id: int | None,
) -> list[dict[str, Any]]:
    return [
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


def _sighting(payment: ClientPayment, now: datetime) -> dict[str, Any]:
    """The columns a payment and a later sighting of it share: what the bank file said (the payer's message too),
    and when it was read."""
    return {
        "received_on": payment.received_on,
        "ordered_on": payment.ordered_on,
        "amount_ore": payment.amount.ore,
        "currency": payment.amount.currency,
        "kid": payment.kid,
        "reference": payment.reference,
        "payer": payment.payer,
        "source": payment.source,
        "bank_id": payment.bank_id,
        "filename": payment.filename,
        "message": payment.message,
        "created_at": now,
    }
