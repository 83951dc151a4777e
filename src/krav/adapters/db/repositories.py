"""SQLAlchemy Core repositories for the ledger side. Rows become domain values at this boundary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.codec import decode_message, encode_message
from krav.adapters.db.counters import next_value, next_values
from krav.adapters.db.types import chunks, utcnow
from krav.domain.errors import NotFound
from krav.domain.ledger.accounts import Account, AccountKind
from krav.domain.ledger.matching import Allocation
from krav.domain.ledger.open_items import OpenItem, settled_status
from krav.domain.ledger.voucher_types import CollectionVoucherType, VoucherType, appears_in_proposal
from krav.domain.ledger.vouchers import PostedVoucher, Voucher, VoucherLine
from krav.domain.messages import Direction, LedgerReport, Message, MessageKind, direction_of
from krav.domain.money import Money
from krav.domain.party import Address, Company, Customer, CustomerKind
from krav.domain.validation import Candidate
from krav.services.ports import ImportRecord, LikelyValid, NewItem, PendingMessage

_REPORTS = (MessageKind.DIRECT_PAYMENT.value, MessageKind.CREDIT.value)


def _company_values(company: Company) -> dict[str, Any]:
    """A company's columns that may change (all but its organisation number)."""
    return {
        "name": company.name,
        "bank_account": company.bank_account,
        "vat_registered": company.vat_registered,
        "street": company.address.street,
        "postcode": company.address.postcode,
        "city": company.address.city,
        "country": company.address.country,
        "email": company.email,
        "phone": company.phone,
    }


class SqlCompanies:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    @staticmethod
    def _company(row: sa.Row[Any]) -> Company:
        return Company(
            id=row.id,
            orgno=row.orgno,
            name=row.name,
            bank_account=row.bank_account,
            vat_registered=row.vat_registered,
            address=Address(row.street, row.postcode, row.city, row.country),
            email=row.email,
            phone=row.phone,
        )

    def add(self, company: Company) -> Company:
        new_id = self.conn.execute(
            t.company.insert()
            .values(orgno=company.orgno, created_at=utcnow(), **_company_values(company))
            .returning(t.company.c.id)
        ).scalar_one()
        return self.by_id(new_id)

    def update(self, company: Company) -> Company:
        assert company.id is not None
        self.conn.execute(t.company.update().where(t.company.c.id == company.id).values(**_company_values(company)))
        return self.by_id(company.id)

    def by_id(self, company_id: int) -> Company:
        row = self.conn.execute(sa.select(t.company).where(t.company.c.id == company_id)).one()
        return self._company(row)

    def find(self, orgno: str) -> Company | None:
        row = self.conn.execute(sa.select(t.company).where(t.company.c.orgno == orgno)).one_or_none()
        return None if row is None else self._company(row)

    def get(self, orgno: str) -> Company:
        found = self.find(orgno)
        if found is None:
            raise NotFound(f"no company with organisation number {orgno}; create it with `krav company create`")
        return found

    def all(self) -> list[Company]:
        rows = self.conn.execute(sa.select(t.company).order_by(t.company.c.orgno)).all()
        return [self._company(r) for r in rows]


class SqlLedger:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self._customer_ids: dict[tuple[int, str], int] = {}

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

    # -- customers -------------------------------------------------------------------------------------------

    @staticmethod
    def _customer_values(customer: Customer) -> dict[str, Any]:
        return {
            "name": customer.name,
            "kind": customer.kind.value,
            "orgno": customer.orgno,
            "street": customer.address.street,
            "postcode": customer.address.postcode,
            "city": customer.address.city,
            "country": customer.address.country,
            "email": customer.email,
            "exempt": customer.exempt,
            "payment_terms_days": customer.payment_terms_days,
            "language": customer.language,
        }

    def save_customer(self, company_id: int, customer: Customer) -> str:
        """Insert or update by customer number; returns ``created``, ``updated`` or ``unchanged``."""
        table = t.customer
        values = self._customer_values(customer)
        row = self.conn.execute(
            sa.select(table).where(table.c.company_id == company_id, table.c.number == customer.number)
        ).one_or_none()
        if row is None:
            self.conn.execute(table.insert().values(company_id=company_id, number=customer.number, **values))
            return "created"
        if all(getattr(row, k) == v for k, v in values.items()):
            return "unchanged"
        self.conn.execute(table.update().where(table.c.id == row.id).values(**values))
        return "updated"

    @staticmethod
    def _customer(row: sa.Row[Any], prefix: str = "") -> Customer:
        """A customer from a row of the customer table, or from columns labelled ``{prefix}{column}``."""
        m = row._mapping
        return Customer(
            id=m[f"{prefix}id"],
            number=m[f"{prefix}number"],
            name=m[f"{prefix}name"],
            kind=CustomerKind(m[f"{prefix}kind"]),
            orgno=m[f"{prefix}orgno"],
            address=Address(m[f"{prefix}street"], m[f"{prefix}postcode"], m[f"{prefix}city"], m[f"{prefix}country"]),
            email=m[f"{prefix}email"],
            exempt=m[f"{prefix}exempt"],
            payment_terms_days=m[f"{prefix}payment_terms_days"],
            language=m[f"{prefix}language"],
        )

    def customers(self, company_id: int, numbers: Iterable[str] | None = None) -> dict[str, Customer]:
        query = sa.select(t.customer).where(t.customer.c.company_id == company_id)
        if numbers is not None:
            wanted = sorted(set(numbers))
            found: dict[str, Customer] = {}
            for chunk in chunks(wanted):
                for row in self.conn.execute(query.where(t.customer.c.number.in_(chunk))):
                    found[row.number] = self._customer(row)
            return found
        return {r.number: self._customer(r) for r in self.conn.execute(query.order_by(t.customer.c.number))}

    def _customer_id(self, company_id: int, number: str) -> int:
        key = (company_id, number)
        if key not in self._customer_ids:
            found = self.conn.execute(
                sa.select(t.customer.c.id).where(t.customer.c.company_id == company_id, t.customer.c.number == number)
            ).scalar_one_or_none()
            if found is None:
                raise NotFound(f"unknown customer {number!r}")
            self._customer_ids[key] = found
        return self._customer_ids[key]

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
        voucher_id = self.conn.execute(
            t.voucher.insert()
            .values(
                company_id=company_id,
                batch_id=batch_id,
                number=number,
                voucher_type=voucher.voucher_type,
                date=voucher.date,
                text=voucher.text,
                reverses_id=voucher.reverses,
            )
            .returning(t.voucher.c.id)
        ).scalar_one()
        rows = [
            {
                "voucher_id": voucher_id,
                "company_id": company_id,
                "line_no": n,
                "account": line.account,
                "customer_id": self._customer_id(company_id, line.customer) if line.customer else None,
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
        self.conn.execute(t.voucher_line.insert(), rows)
        return PostedVoucher(
            id=voucher_id,
            number=number,
            voucher_type=voucher.voucher_type,
            date=voucher.date,
            lines=voucher.lines,
            text=voucher.text,
            batch_id=batch_id,
            reverses=voucher.reverses,
        )

    def _vouchers(self, company_id: int, voucher_id: int | None = None) -> list[PostedVoucher]:
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

    def voucher(self, company_id: int, voucher_id: int) -> PostedVoucher:
        found = self._vouchers(company_id, voucher_id)
        if not found:
            raise NotFound(f"no voucher with id {voucher_id}")
        return found[0]

    def vouchers(self, company_id: int) -> list[PostedVoucher]:
        return self._vouchers(company_id)

    # -- open items ------------------------------------------------------------------------------------------

    def add_items(self, company_id: int, items: Sequence[NewItem]) -> list[OpenItem]:
        if not items:
            return []
        line_ids = {
            (r.voucher_id, r.line_no): r.id
            for r in self.conn.execute(
                sa.select(t.voucher_line.c.id, t.voucher_line.c.voucher_id, t.voucher_line.c.line_no).where(
                    t.voucher_line.c.voucher_id.in_({i.voucher_id for i in items})
                )
            )
        }
        ids: list[int] = []
        for item in items:
            ids.append(
                self.conn.execute(
                    t.open_item.insert()
                    .values(
                        company_id=company_id,
                        customer_id=self._customer_id(company_id, item.customer),
                        voucher_id=item.voucher_id,
                        voucher_line_id=line_ids[(item.voucher_id, item.voucher_line_no)],
                        number=item.number,
                        voucher_type=item.voucher_type,
                        amount_ore=item.amount.ore,
                        remaining_ore=item.remaining.ore,
                        currency=item.amount.currency,
                        invoice_date=item.invoice_date,
                        due_date=item.due_date,
                        settled_status=int(settled_status(item.amount, item.remaining)),
                        reminder_count=0,
                        exempt=item.exempt,
                        fee_outstanding_ore=0,
                        interest_outstanding_ore=0,
                        kid=item.kid,
                        reference=item.reference,
                    )
                    .returning(t.open_item.c.id)
                ).scalar_one()
            )
        by_id = {item.id: item for item in self.items(company_id, ids=ids)}
        return [by_id[item_id] for item_id in ids]  # in the order of ``items``

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

    def items(
        self,
        company_id: int,
        *,
        ids: Iterable[int] | None = None,
        numbers: Iterable[str] | None = None,
        customer: str | None = None,
        open_only: bool = False,
        collection_ids: Iterable[str] | None = None,
    ) -> list[OpenItem]:
        oi, cust = t.open_item, t.customer
        query = (
            sa.select(oi, cust.c.number.label("customer"))
            .join(cust, cust.c.id == oi.c.customer_id)
            .where(oi.c.company_id == company_id)
        )
        if customer is not None:
            query = query.where(cust.c.number == customer)
        if open_only:
            query = query.where(oi.c.settled_status < 3)
        query = query.order_by(cust.c.number, oi.c.due_date, oi.c.number, oi.c.id)
        if ids is None and numbers is None and collection_ids is None:
            return [self._item(r) for r in self.conn.execute(query)]
        found: list[OpenItem] = []
        keyed: list[tuple[Any, Iterable[Any] | None]] = [
            (oi.c.collection_id, collection_ids),
            (oi.c.id, ids),
            (oi.c.number, numbers),
        ]
        for column, values in keyed:
            if values is not None:
                for chunk in chunks(sorted(set(values))):
                    found.extend(self._item(r) for r in self.conn.execute(query.where(column.in_(chunk))))
        return found

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
        query = (
            sa.select(
                oi,
                cust.c.number.label("customer"),
                *(column.label(f"c_{column.name}") for column in cust.columns),
                vt.c.collection_type,
                oi.c.customer_id.in_(unmatched_customers).label("unmatched"),
            )
            .join(cust, cust.c.id == oi.c.customer_id)
            .outerjoin(vt, sa.and_(vt.c.company_id == oi.c.company_id, vt.c.code == oi.c.voucher_type))
            .where(oi.c.company_id == company_id)
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
        if ids is None:
            query = query.where(
                oi.c.settled_status < 3,
                oi.c.collection_id.is_(None),
                sa.or_(oi.c.due_date < today, oi.c.due_date.is_(None)),
                sa.or_(vt.c.collection_type == "invoice", vt.c.collection_type.is_(None)),
            )
            rows = list(self.conn.execute(query.order_by(oi.c.due_date, oi.c.number)))
        else:
            rows = []
            for chunk in chunks(sorted(set(ids))):
                rows.extend(self.conn.execute(query.where(oi.c.id.in_(chunk))))
        return [
            Candidate(
                item=self._item(r),
                customer=self._customer(r, "c_"),
                voucher_type_mapped=appears_in_proposal(
                    CollectionVoucherType(r.collection_type) if r.collection_type else None
                ),
                customer_has_unmatched_entries=bool(r.unmatched),
            )
            for r in rows
        ]

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
        for chunk in chunks(sorted(set(item_ids))):
            self.conn.execute(
                oi.update()
                .where(oi.c.company_id == company_id, oi.c.id.in_(chunk))
                .values(reminder_count=oi.c.reminder_count + 1, reminded_on=on)
            )

    def update_collection_amounts(self, company_id: int, figures: Mapping[str, tuple[Money, Money]]) -> None:
        """R-LED-3: the items' outstanding fee and interest, kept in step with the service, in one statement."""
        if not figures:
            return
        oi = t.open_item
        self.conn.execute(
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
        for chunk in chunks(sorted(set(numbers))):
            found.update(
                self.conn.execute(
                    sa.select(oi.c.number).where(
                        oi.c.company_id == company_id, oi.c.amount_ore > 0, oi.c.number.in_(chunk)
                    )
                ).scalars()
            )
        return found

    def save_remaining(self, company_id: int, items: Iterable[OpenItem]) -> None:
        oi = t.open_item
        for item in items:
            self.conn.execute(
                oi.update()
                .where(oi.c.company_id == company_id, oi.c.id == item.id)
                .values(remaining_ore=item.remaining.ore, settled_status=int(item.status))
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
        now = utcnow()
        rows = [
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
        if rows:
            self.conn.execute(t.item_match.insert(), rows)

    def voucher_number_of_item(self, company_id: int, item_id: int) -> int:
        return int(
            self.conn.execute(
                sa.select(t.voucher.c.number)
                .join(t.open_item, t.open_item.c.voucher_id == t.voucher.c.id)
                .where(t.open_item.c.company_id == company_id, t.open_item.c.id == item_id)
            ).scalar_one()
        )

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


class SqlOutbox:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    @staticmethod
    def _row(company_id: int, message: Message, on: date, handled_at: datetime | None) -> dict[str, Any]:
        return {
            "company_id": company_id,
            "direction": direction_of(message.kind).value,
            "kind": message.kind.value,
            "collection_id": getattr(message, "collection_id", None),
            "on_date": on,
            "payload": encode_message(message),
            "created_at": utcnow(),
            "handled_at": handled_at,
        }

    def add(self, company_id: int, message: Message, *, on: date, handled: bool = False) -> None:
        self.conn.execute(t.message.insert().values(self._row(company_id, message, on, utcnow() if handled else None)))

    def add_many(self, company_id: int, messages: Sequence[Message], *, on: date) -> None:
        if messages:
            self.conn.execute(t.message.insert(), [self._row(company_id, m, on, None) for m in messages])

    def pending(self, kinds: Iterable[MessageKind]) -> list[PendingMessage]:
        """Unhandled messages of these kinds (the partial index ``ix_message_unhandled``), oldest first."""
        m = t.message
        rows = self.conn.execute(
            sa.select(m.c.id, m.c.company_id, m.c.payload)
            .where(m.c.handled_at.is_(None), m.c.kind.in_([k.value for k in kinds]))
            .order_by(m.c.id)
        )
        return [PendingMessage(r.id, r.company_id, decode_message(r.payload)) for r in rows]

    def pending_reports(self, company_id: int, up_to: date) -> list[tuple[int, LedgerReport]]:
        """Direct payments and credits the ledger reported that the service has not applied yet (R-LED-5)."""
        m = t.message
        rows = self.conn.execute(
            sa.select(m.c.id, m.c.payload)
            .where(
                m.c.company_id == company_id,
                m.c.direction == Direction.TO_SERVICE.value,
                m.c.kind.in_(_REPORTS),
                m.c.handled_at.is_(None),
                m.c.on_date <= up_to,
            )
            .order_by(m.c.on_date, m.c.id)
        )
        return [(r.id, decode_message(r.payload)) for r in rows]

    def mark_handled(self, message_ids: Iterable[int]) -> None:
        now = utcnow()
        for chunk in chunks(sorted(set(message_ids))):
            self.conn.execute(t.message.update().where(t.message.c.id.in_(chunk)).values(handled_at=now))

    def reports(self, company_id: int) -> list[LedgerReport]:
        rows = self.conn.execute(
            sa.select(t.message.c.payload)
            .where(
                t.message.c.company_id == company_id,
                t.message.c.direction == Direction.TO_SERVICE.value,
                t.message.c.kind.in_(_REPORTS),
            )
            .order_by(t.message.c.id)
        ).scalars()
        return [decode_message(p) for p in rows]


class SqlImportLog:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def find(self, company_id: int, kind: str, sha256: str) -> ImportRecord | None:
        f = t.imported_file
        row = self.conn.execute(
            sa.select(f).where(f.c.company_id == company_id, f.c.kind == kind, f.c.sha256 == sha256)
        ).one_or_none()
        if row is None:
            return None
        return ImportRecord(row.kind, row.sha256, row.filename, row.imported_at.isoformat(), row.summary)

    def record(self, company_id: int, kind: str, sha256: str, filename: str, summary: str) -> None:
        self.conn.execute(
            t.imported_file.insert().values(
                company_id=company_id,
                kind=kind,
                sha256=sha256,
                filename=filename,
                imported_at=utcnow(),
                summary=summary,
            )
        )
