"""SQL storage of a creditor's customers; the base of the ledger's stores, which name customers by number."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.types import chunks
from krav.domain.errors import NotFound
from krav.domain.party import Address, Customer, CustomerKind, carry_consent


class SqlCustomers:
    conn: sa.Connection
    _customer_ids: dict[tuple[int, str], int]

    # -- customers -------------------------------------------------------------------------------------------

    @staticmethod
    def _customer_values(customer: Customer, consent: bool) -> dict[str, Any]:
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
            "email_for_letters": consent,
        }

    def save_customer(self, company_id: int, customer: Customer) -> str:
        """Insert or update by customer number; returns ``created``, ``updated`` or ``unchanged``."""
        table = t.customer
        row = self.conn.execute(
            sa.select(table).where(table.c.company_id == company_id, table.c.number == customer.number)
        ).one_or_none()
        values = self._customer_values(customer, carry_consent(customer, None if row is None else self._customer(row)))
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
            email_for_letters=m[f"{prefix}email_for_letters"],
            restricted_on=m[f"{prefix}restricted_on"],
            erased_on=m[f"{prefix}erased_on"],
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
