"""SQL storage of the books: the chart, voucher types, number sequences, vouchers and batches (append-only,
R-LED-1), and the balances read off them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.chains import VOUCHER_COUNTER, chain_length, last_voucher_hash, seal_voucher, voucher_links
from krav.adapters.db.counters import next_value, next_values
from krav.adapters.db.customer_store import SqlCustomers
from krav.adapters.db.types import chunks, execute_many, insert_for_ids, utcnow
from krav.domain.errors import NotFound
from krav.domain.ledger.accounts import Account, AccountKind
from krav.domain.ledger.voucher_types import CollectionVoucherType, VoucherType
from krav.domain.ledger.vouchers import PostedVoucher, Voucher, VoucherLine
from krav.domain.money import Money
from krav.services.ports import StoredChain


class SqlBooks(SqlCustomers):
    # -- chart and voucher types -----------------------------------------------------------------------------

    def add_accounts(self, company_id: int, accounts: Iterable[Account]) -> None:
        rows = [
            {
                "company_id": company_id,
                "number": a.number,
                "name": a.name,
                "kind": a.kind.value,
                "receivable": a.receivable,
            }
            for a in accounts
        ]
        if rows:
            self.conn.execute(t.account.insert(), rows)

    def accounts(self, company_id: int) -> dict[str, Account]:
        rows = self.conn.execute(sa.select(t.account).where(t.account.c.company_id == company_id)).all()
        return {r.number: Account(r.number, r.name, AccountKind(r.kind), r.receivable) for r in rows}

    def save_voucher_type(self, company_id: int, voucher_type: VoucherType) -> None:
        table = t.voucher_type
        updated = self.conn.execute(
            table.update()
            .where(table.c.company_id == company_id, table.c.code == voucher_type.code)
            .values(name=voucher_type.name, collection_type=voucher_type.collection_type.value)
        ).rowcount
        if not updated:
            self.conn.execute(
                table.insert().values(
                    company_id=company_id,
                    code=voucher_type.code,
                    name=voucher_type.name,
                    collection_type=voucher_type.collection_type.value,
                )
            )

    def voucher_types(self, company_id: int) -> dict[int, VoucherType]:
        rows = self.conn.execute(sa.select(t.voucher_type).where(t.voucher_type.c.company_id == company_id)).all()
        return {r.code: VoucherType(r.code, r.name, CollectionVoucherType(r.collection_type)) for r in rows}

    # -- numbering -------------------------------------------------------------------------------------------

    def next_number(self, company_id: int, counter: str) -> int:
        """The next number of a per-company sequence (see :func:`krav.adapters.db.counters.next_value`)."""
        return next_value(self.conn, company_id, counter)

    def next_numbers(self, company_id: int, counter: str, count: int) -> range:
        """The next ``count`` numbers of a per-company sequence, in a fixed number of statements."""
        return next_values(self.conn, company_id, counter, count)

    # -- vouchers --------------------------------------------------------------------------------------------

    def add_batch(self, company_id: int, text: str, source: str) -> int:
        return int(
            self.conn.execute(
                t.batch.insert()
                .values(company_id=company_id, text=text, source=source, posted_at=utcnow())
                .returning(t.batch.c.id)
            ).scalar_one()
        )

    def add_voucher(self, company_id: int, batch_id: int, number: int, voucher: Voucher) -> PostedVoucher:
        """Post a voucher with its lines (see :meth:`add_vouchers`)."""
        return self.add_vouchers(company_id, batch_id, [number], [voucher])[0]

    def add_vouchers(
        self, company_id: int, batch_id: int, numbers: Sequence[int], vouchers: Sequence[Voucher]
    ) -> list[PostedVoucher]:
        """Post vouchers with their lines, numbered ``numbers`` (one after the other, as the counter handed them
        out), each sealed and linked after the company's voucher numbered before it
        (:mod:`krav.adapters.db.chains`): a few statements per :data:`~krav.adapters.db.types.CHUNK` vouchers, however many."""
        if not vouchers:
            return []
        customer_ids = self._customer_ids_of(
            company_id, {line.customer for v in vouchers for line in v.lines if line.customer}
        )
        previous = last_voucher_hash(self.conn, company_id, numbers[0])
        heads: list[dict[str, Any]] = []
        line_rows: list[list[dict[str, Any]]] = []
        for number, voucher in zip(numbers, vouchers, strict=True):
            head = {
                "company_id": company_id,
                "batch_id": batch_id,
                "number": number,
                "voucher_type": voucher.voucher_type,
                "date": voucher.date,
                "text": voucher.text,
                "reverses_id": voucher.reverses,
            }
            lines = [
                {
                    "company_id": company_id,
                    "line_no": n,
                    "account": line.account,
                    "customer_id": customer_ids[line.customer] if line.customer else None,
                    "amount_ore": line.amount.ore,
                    "currency": line.amount.currency,
                    "item": line.item,
                    "settles": "\x1f".join(line.settles),
                    "due_date": line.due_date,
                    "kid": line.kid,
                    "reference": line.reference,
                    "text": line.text,
                }
                for n, line in enumerate(voucher.lines, start=1)
            ]
            head, lines = seal_voucher(previous, head, lines)
            previous = str(head["chain_hash"])
            heads.append(head)
            line_rows.append(lines)
        ids = insert_for_ids(self.conn, t.voucher, heads)
        rows = [{**line, "voucher_id": vid} for vid, lines in zip(ids, line_rows, strict=True) for line in lines]
        for chunk in chunks(rows):
            execute_many(self.conn, t.voucher_line.insert(), chunk)
        return [
            PostedVoucher(
                id=voucher_id,
                number=number,
                voucher_type=voucher.voucher_type,
                date=voucher.date,
                lines=voucher.lines,
                text=voucher.text,
                batch_id=batch_id,
                reverses=voucher.reverses,
            )
            for voucher_id, number, voucher in zip(ids, numbers, vouchers, strict=True)
        ]

    def _vouchers(
        self,
        company_id: int,
        voucher_id: int | None = None,
        *,
        voucher_type: int | None = None,
        text: str | None = None,
    ) -> list[PostedVoucher]:
        v, line, cust = t.voucher, t.voucher_line, t.customer
        query = (
            sa.select(
                v,
                line.c.line_no,
                line.c.account,
                line.c.amount_ore,
                line.c.currency,
                line.c.item,
                line.c.settles,
                line.c.due_date,
                line.c.kid,
                line.c.reference,
                line.c.text.label("line_text"),
                cust.c.number.label("customer"),
            )
            .join(line, line.c.voucher_id == v.c.id)
            .outerjoin(cust, cust.c.id == line.c.customer_id)
            .where(v.c.company_id == company_id)
            .order_by(v.c.number, line.c.line_no)
        )
        if voucher_id is not None:
            query = query.where(v.c.id == voucher_id)
        if voucher_type is not None:
            query = query.where(v.c.voucher_type == voucher_type)
        if text is not None:
            query = query.where(v.c.text == text)
        result: dict[int, tuple[sa.Row[Any], list[VoucherLine]]] = {}
        for row in self.conn.execute(query):
            entry = result.setdefault(row.id, (row, []))
            entry[1].append(
                VoucherLine(
                    account=row.account,
                    amount=Money.from_ore(row.amount_ore, row.currency),
                    customer=row.customer,
                    item=row.item,
                    settles=tuple(s for s in row.settles.split("\x1f") if s),
                    due_date=row.due_date,
                    kid=row.kid,
                    reference=row.reference,
                    text=row.line_text,
                )
            )
        return [
            PostedVoucher(
                id=head.id,
                number=head.number,
                voucher_type=head.voucher_type,
                date=head.date,
                lines=tuple(lines),
                text=head.text,
                batch_id=head.batch_id,
                reverses=head.reverses_id,
            )
            for head, lines in result.values()
        ]

    def voucher_chain(self, company_id: int) -> StoredChain:
        """The company's vouchers with their lines as stored, for the audit: read as they are consumed."""
        length = chain_length(self.conn, company_id, VOUCHER_COUNTER)
        return StoredChain("voucher", "voucher number", length, voucher_links(self.conn, company_id))

    def voucher(self, company_id: int, voucher_id: int) -> PostedVoucher:
        found = self._vouchers(company_id, voucher_id)
        if not found:
            raise NotFound(f"no voucher with id {voucher_id}")
        return found[0]

    def vouchers(
        self, company_id: int, *, voucher_type: int | None = None, text: str | None = None
    ) -> list[PostedVoucher]:
        return self._vouchers(company_id, voucher_type=voucher_type, text=text)

    # -- balances --------------------------------------------------------------------------------------------

    def trial_balance(self, company_id: int) -> dict[str, Money]:
        """Per account and currency, the sum of every posted line (``"1500 NOK"``)."""
        line = t.voucher_line
        rows = self.conn.execute(
            sa.select(line.c.account, line.c.currency, sa.func.sum(line.c.amount_ore))
            .where(line.c.company_id == company_id)
            .group_by(line.c.account, line.c.currency)
            .order_by(line.c.account, line.c.currency)
        ).all()
        return {f"{account} {currency}": Money.from_ore(int(total), currency) for account, currency, total in rows}

    def receivables_by_customer(self, company_id: int) -> dict[str, Money]:
        """What the receivables accounts say each customer owes (NOK lines), from the general ledger."""
        line, acc, cust = t.voucher_line, t.account, t.customer
        rows = self.conn.execute(
            sa.select(cust.c.number, sa.func.sum(line.c.amount_ore))
            .join(acc, sa.and_(acc.c.company_id == line.c.company_id, acc.c.number == line.c.account))
            .join(cust, cust.c.id == line.c.customer_id)
            .where(line.c.company_id == company_id, acc.c.receivable.is_(True), line.c.currency == "NOK")
            .group_by(cust.c.number)
        ).all()
        return {number: Money.from_ore(int(total)) for number, total in rows}

    def subledger_by_customer(self, company_id: int) -> dict[str, Money]:
        """What the open items say each customer owes (NOK): the sum of their remaining amounts."""
        oi, cust = t.open_item, t.customer
        rows = self.conn.execute(
            sa.select(cust.c.number, sa.func.sum(oi.c.remaining_ore))
            .join(cust, cust.c.id == oi.c.customer_id)
            .where(oi.c.company_id == company_id, oi.c.currency == "NOK")
            .group_by(cust.c.number)
        ).all()
        return {number: Money.from_ore(int(total)) for number, total in rows}
