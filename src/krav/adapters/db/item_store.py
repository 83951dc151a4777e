"""SQL storage of the customer sub-ledger: open items with their collection fields (R-LED-3), the proposal's
candidates (R-VAL-1), matchings (R-LED-4), and the payments of the creditor's bank files posted against the items,
by the bank's identity (R-LED-5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.candidate_rows import CANDIDATE_ITEM, candidates_of
from krav.adapters.db.customer_store import CUSTOMER_COLUMNS, SqlCustomers, customer_of
from krav.adapters.db.types import (
    chunks,
    execute_many,
    insert_for_ids,
    key_in,
    rows_where_in,
    unindexed,
    unindexed_text,
    utcnow,
)
from krav.domain.ledger.matching import Allocation
from krav.domain.ledger.open_items import OpenItem, settled_status
from krav.domain.money import Money
from krav.domain.party import Customer
from krav.domain.validation import Candidate
from krav.services.ports import ItemFilter, LikelyValid, NewItem, PostedBankPayment, many_objects


class SqlItems(SqlCustomers):
    # -- open items ------------------------------------------------------------------------------------------

    def add_items(self, company_id: int, items: Sequence[NewItem]) -> list[OpenItem]:
        """Open items of posted voucher lines, in ``items``' order: a few statements per
        :data:`~krav.adapters.db.types.CHUNK` items."""
        if not items:
            return []
        customer_ids = self._customer_ids_of(company_id, {i.customer for i in items})
        line = t.voucher_line
        line_ids: dict[tuple[int, int], int] = {}
        for among in key_in(self.conn.dialect, line.c.voucher_id, sorted({i.voucher_id for i in items})):
            query = sa.select(line.c.id, line.c.voucher_id, line.c.line_no).where(among)
            line_ids.update(((r.voucher_id, r.line_no), r.id) for r in self.conn.execute(query))
        rows = [
            {
                "company_id": company_id,
                "customer_id": customer_ids[item.customer],
                "voucher_id": item.voucher_id,
                "voucher_line_id": line_ids[(item.voucher_id, item.voucher_line_no)],
                "number": item.number,
                "voucher_type": item.voucher_type,
                "amount_ore": item.amount.ore,
                "remaining_ore": item.remaining.ore,
                "currency": item.amount.currency,
                "invoice_date": item.invoice_date,
                "due_date": item.due_date,
                "settled_status": int(settled_status(item.amount, item.remaining)),
                "reminder_count": 0,
                "exempt": item.exempt,
                "fee_outstanding_ore": 0,
                "interest_outstanding_ore": 0,
                "kid": item.kid,
                "reference": item.reference,
            }
            for item in items
        ]
        ids = insert_for_ids(self.conn, t.open_item, rows)
        return [_new_item(item_id, item) for item_id, item in zip(ids, items, strict=True)]

    @staticmethod
    def _item(row: sa.Row[Any]) -> OpenItem:
        cur = row.currency
        return OpenItem(
            id=row.id,
            customer=row.customer,
            number=row.number,
            voucher_type=row.voucher_type,
            amount=Money.from_ore(row.amount_ore, cur),
            remaining=Money.from_ore(row.remaining_ore, cur),
            invoice_date=row.invoice_date,
            due_date=row.due_date,
            reminder_count=row.reminder_count,
            reminded_on=row.reminded_on,
            exempt=row.exempt,
            collection_id=row.collection_id,
            fee_outstanding=Money.from_ore(row.fee_outstanding_ore, cur),
            interest_outstanding=Money.from_ore(row.interest_outstanding_ore, cur),
            kid=row.kid,
            reference=row.reference,
            voucher_id=row.voucher_id,
        )

    def items(self, company_id: int, where: ItemFilter | None = None) -> list[OpenItem]:
        f = where or ItemFilter()
        oi, cust = t.open_item, t.customer
        by_key = f.collection_ids is not None or f.ids is not None  # unique keys: their index, never the company's
        query = (
            sa.select(oi, cust.c.number.label("customer"))
            .join(cust, cust.c.id == oi.c.customer_id)
            .where((unindexed(oi.c.company_id) if by_key else oi.c.company_id) == company_id)
        )
        if f.customer is not None:
            query = query.where(cust.c.number == f.customer)
        if f.open_only:
            query = query.where(oi.c.settled_status < 3)
        if f.debits_only:  # as ux_open_item_invoice_number's condition: by numbers, that index answers
            query = query.where(oi.c.amount_ore > 0)
        query = query.order_by(cust.c.number, oi.c.due_date, oi.c.number, oi.c.id)
        keyed: list[tuple[Any, Iterable[Any] | None]] = [
            (oi.c.collection_id, f.collection_ids),
            (oi.c.id, f.ids),
            (oi.c.number, f.numbers),
        ]
        return [self._item(r) for r in rows_where_in(self.conn, query, keyed)]

    def candidates(
        self,
        company_id: int,
        *,
        today: date,
        ids: Iterable[int] | None = None,
        customer: str | None = None,
        likely_valid: LikelyValid | None = None,
    ) -> list[Candidate]:
        """Items to validate, with their customer and facts, in one query (R-VAL-1, R-VAL-2).

        Without ``ids``: the proposal — every open item not yet submitted that is past due on ``today`` (or has
        no due date), of an *invoice* voucher type or an unmapped one. With ``ids``: exactly those items.
        """
        oi, cust, vt = t.open_item, t.customer, t.voucher_type
        credit = oi.alias("credit")
        # customers with unmatched payments or credit notes (the partial index ix_open_item_unmatched_credit)
        unmatched_customers = sa.select(credit.c.customer_id).where(
            credit.c.company_id == company_id, credit.c.amount_ore < 0, credit.c.remaining_ore != 0
        )
        # the customers' columns are read once per customer, after (a customer has many items)
        query = (
            sa.select(*(oi.c[name] for name in CANDIDATE_ITEM), vt.c.collection_type)
            .outerjoin(vt, sa.and_(vt.c.company_id == oi.c.company_id, vt.c.code == oi.c.voucher_type))
            .where(oi.c.company_id == company_id)
        )
        joined = customer is not None or likely_valid is not None
        if joined:  # the customer's columns come with the join: few items of each customer are left
            query = query.join(cust, cust.c.id == oi.c.customer_id).add_columns(
                *(cust.c[name] for name in CUSTOMER_COLUMNS)
            )
        if customer is not None:
            query = query.where(cust.c.number == customer)
        if likely_valid is not None:
            # only a narrowing: every candidate left is still validated by the rules themselves
            query = query.where(
                oi.c.exempt.is_(False),
                cust.c.exempt.is_(False),
                oi.c.amount_ore > 0,
                oi.c.currency == "NOK",
                oi.c.reminder_count == 0,
                oi.c.reminded_on.is_(None),
                oi.c.due_date <= likely_valid.due_by,
                oi.c.remaining_ore >= likely_valid.minimum_ore,
                oi.c.customer_id.not_in(unmatched_customers),
            )
        rows: list[Any] = []
        if ids is None:
            query = query.where(
                oi.c.settled_status < 3,
                # no index for IS NULL: SQLite would take the unique index on collection IDs for it and walk every
                # item not submitted; the open items by due date (ix_open_item_open_by_due) serve instead
                unindexed_text(oi.c.collection_id).is_(None),
                sa.or_(oi.c.due_date < today, oi.c.due_date.is_(None)),
                sa.or_(vt.c.collection_type == "invoice", vt.c.collection_type.is_(None)),
            )
            queries = [query.order_by(oi.c.due_date, oi.c.number)]
        else:
            queries = [query.where(condition) for condition in key_in(self.conn.dialect, oi.c.id, sorted(set(ids)))]
        # narrowed, no customer left has unmatched entries: the flag is known without asking
        unmatched = set() if likely_valid is not None else set(self.conn.execute(unmatched_customers).scalars())
        with many_objects():  # the rows too: a hundred thousand rows would set the collector off again and again
            for each in queries:
                rows.extend(self.conn.execute(each).all())
            if joined:
                start = len(CANDIDATE_ITEM) + 1
                customers: dict[int, Customer] = {}
                for row in rows:
                    if row[1] not in customers:
                        customers[row[1]] = customer_of(row[1], row[start:])
            else:
                customers = self._customers_by_id(company_id, {row[1] for row in rows})
            return candidates_of(rows, customers, unmatched)

    def _customers_by_id(self, company_id: int, ids: Iterable[int]) -> dict[int, Customer]:
        """The customers of ``ids`` by id, a query per chunk of ids."""
        cust = t.customer
        query = sa.select(cust.c.id, *(cust.c[name] for name in CUSTOMER_COLUMNS)).where(
            unindexed(cust.c.company_id) == company_id
        )
        found: dict[int, Customer] = {}
        for condition in key_in(self.conn.dialect, cust.c.id, sorted(ids)):
            for customer_id, *values in self.conn.execute(query.where(condition)).all():
                found[customer_id] = customer_of(customer_id, values)
        return found

    def set_collection_ids(self, company_id: int, wanted: Mapping[int, str]) -> set[int]:
        """Mark items submitted with their collection IDs, each only if it is not already (R-VAL-3), in one bulk
        update; returns the ids of the items that took theirs (another submission won the others)."""
        if not wanted:
            return set()
        oi = t.open_item
        self.conn.execute(
            oi.update()
            .where(oi.c.company_id == company_id, oi.c.id == sa.bindparam("the_id"), oi.c.collection_id.is_(None))
            .values(collection_id=sa.bindparam("the_collection_id")),
            [{"the_id": item_id, "the_collection_id": cid} for item_id, cid in wanted.items()],
        )
        took: set[int] = set()
        for chunk in chunks(sorted(wanted)):
            rows = self.conn.execute(sa.select(oi.c.id, oi.c.collection_id).where(oi.c.id.in_(chunk)))
            took.update(r.id for r in rows if r.collection_id == wanted[r.id])
        return took

    def mark_reminded(self, company_id: int, item_ids: Iterable[int], on: date) -> None:
        oi = t.open_item
        for among in key_in(self.conn.dialect, oi.c.id, sorted(set(item_ids))):
            self.conn.execute(
                oi.update()
                .where(unindexed(oi.c.company_id) == company_id, among)  # by id: the key's index, as items() reads
                .values(reminder_count=oi.c.reminder_count + 1, reminded_on=on)
            )

    def update_collection_amounts(self, company_id: int, figures: Mapping[str, tuple[Money, Money]]) -> None:
        """R-LED-3: the items' outstanding fee and interest, kept in step with the service, in one statement."""
        if not figures:
            return
        oi = t.open_item
        execute_many(
            self.conn,
            oi.update()
            .where(oi.c.company_id == company_id, oi.c.collection_id == sa.bindparam("the_collection_id"))
            .values(fee_outstanding_ore=sa.bindparam("fee"), interest_outstanding_ore=sa.bindparam("interest")),
            [
                {"the_collection_id": cid, "fee": fee.ore, "interest": interest.ore}
                for cid, (fee, interest) in figures.items()
            ],
        )

    def set_item_exempt(self, company_id: int, item_id: int, exempt: bool) -> bool:
        oi = t.open_item
        return bool(
            self.conn.execute(
                oi.update().where(oi.c.company_id == company_id, oi.c.id == item_id).values(exempt=exempt)
            ).rowcount
        )

    def existing_invoice_numbers(self, company_id: int, numbers: Iterable[str]) -> set[str]:
        oi = t.open_item
        found: set[str] = set()
        for among in key_in(self.conn.dialect, oi.c.number, sorted(set(numbers))):
            query = sa.select(oi.c.number).where(oi.c.company_id == company_id, oi.c.amount_ore > 0, among)
            found.update(self.conn.execute(query).scalars())
        return found

    def save_remaining(self, company_id: int, items: Iterable[OpenItem]) -> None:
        oi = t.open_item
        rows = [
            {"the_id": item.id, "remaining_ore": item.remaining.ore, "settled_status": int(item.status)}
            for item in items
        ]
        if rows:
            execute_many(
                self.conn, oi.update().where(oi.c.company_id == company_id, oi.c.id == sa.bindparam("the_id")), rows
            )

    def record_allocations(
        self,
        company_id: int,
        allocations: Iterable[Allocation],
        *,
        method: str,
        on: date,
        voucher_id: int | None,
    ) -> None:
        rows = _match_rows(company_id, allocations, method=method, on=on, voucher_id=voucher_id, now=utcnow())
        if rows:
            self.conn.execute(t.item_match.insert(), rows)

    def record_posting_allocations(
        self, company_id: int, posted: Sequence[tuple[int, date, Sequence[Allocation]]]
    ) -> None:
        now = utcnow()
        rows = [
            row
            for voucher_id, on, allocations in posted
            for row in _match_rows(company_id, allocations, method="posting", on=on, voucher_id=voucher_id, now=now)
        ]
        for chunk in chunks(rows):
            execute_many(self.conn, t.item_match.insert(), chunk)

    def voucher_number_of_item(self, company_id: int, item_id: int) -> int:
        return int(
            self.conn.execute(
                sa.select(t.voucher.c.number)
                .join(t.open_item, t.open_item.c.voucher_id == t.voucher.c.id)
                .where(t.open_item.c.company_id == company_id, t.open_item.c.id == item_id)
            ).scalar_one()
        )

    # -- payments of the creditor's own bank files, by the bank's identity (R-LED-5) ---------------------------

    def posted_bank_payment(self, company_id: int, bank_id: str) -> PostedBankPayment | None:
        bp = t.bank_payment
        row = self.conn.execute(
            sa.select(bp.c.bank_id, bp.c.filename, bp.c.voucher_id).where(
                bp.c.company_id == company_id, bp.c.bank_id == bank_id
            )
        ).first()
        return PostedBankPayment(row.bank_id, row.filename, row.voucher_id) if row is not None else None

    def add_posted_bank_payment(self, company_id: int, payment: PostedBankPayment) -> None:
        self.conn.execute(
            t.bank_payment.insert().values(
                company_id=company_id,
                bank_id=payment.bank_id,
                voucher_id=payment.voucher_id,
                filename=payment.filename,
                posted_at=utcnow(),
            )
        )


def _new_item(item_id: int, item: NewItem) -> OpenItem:
    """An item as :meth:`SqlItems.add_items` stored it (as :meth:`SqlItems.items` would read it back)."""
    cur = item.amount.currency
    zero = Money.from_ore(0, cur)
    return OpenItem(
        id=item_id,
        customer=item.customer,
        number=item.number,
        voucher_type=item.voucher_type,
        amount=Money.from_ore(item.amount.ore, cur),
        remaining=Money.from_ore(item.remaining.ore, cur),
        invoice_date=item.invoice_date,
        due_date=item.due_date,
        reminder_count=0,
        reminded_on=None,
        exempt=item.exempt,
        collection_id=None,
        fee_outstanding=zero,
        interest_outstanding=zero,
        kid=item.kid,
        reference=item.reference,
        voucher_id=item.voucher_id,
    )


def _match_rows(
    company_id: int, allocations: Iterable[Allocation], *, method: str, on: date, voucher_id: int | None, now: datetime
) -> list[dict[str, Any]]:
    """The ``item_match`` rows of ``allocations``."""
    return [
        {
            "company_id": company_id,
            "debit_item_id": a.debit_id,
            "credit_item_id": a.credit_id,
            "amount_ore": a.amount.ore,
            "currency": a.amount.currency,
            "method": method,
            "on_date": on,
            "voucher_id": voucher_id,
            "created_at": now,
        }
        for a in allocations
    ]
