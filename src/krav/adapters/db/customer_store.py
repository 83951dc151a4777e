"""SQL storage of a creditor's customers; the base of the ledger's stores, which name customers by number."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.types import chunks
from krav.domain.errors import NotFound
from krav.domain.frozen import builder
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
        return self.save_customers(company_id, [customer])[0]

    def save_customers(self, company_id: int, customers: Sequence[Customer]) -> list[str]:
        """Insert or update each by customer number, as :meth:`save_customer` does one after the other, in a few
        statements per :data:`~krav.adapters.db.types.CHUNK` customers; what became of each, in order."""
        numbers = [c.number for c in customers]
        if len(set(numbers)) != len(numbers):  # a later record of a number sees the earlier one: one at a time
            return [outcome for c in customers for outcome in self.save_customers(company_id, [c])]
        table = t.customer
        stored: dict[str, sa.Row[Any]] = {}
        for chunk in chunks(sorted(numbers)):
            query = sa.select(table).where(table.c.company_id == company_id, table.c.number.in_(chunk))
            stored.update((row.number, row) for row in self.conn.execute(query))
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        outcomes: list[str] = []
        for customer in customers:
            row = stored.get(customer.number)
            consent = carry_consent(customer, None if row is None else self._customer(row))
            values = self._customer_values(customer, consent)
            if row is None:
                inserts.append({"company_id": company_id, "number": customer.number, **values})
                outcomes.append("created")
            elif all(getattr(row, k) == v for k, v in values.items()):
                outcomes.append("unchanged")
            else:
                updates.append({"the_id": row.id, **values})
                outcomes.append("updated")
        if inserts:
            self.conn.execute(table.insert(), inserts)
        if updates:
            self.conn.execute(table.update().where(table.c.id == sa.bindparam("the_id")), updates)
        return outcomes

    @staticmethod
    def _customer(row: sa.Row[Any]) -> Customer:
        """A customer from a row of the customer table."""
        m = row._mapping
        return customer_of(m["id"], [m[name] for name in CUSTOMER_COLUMNS])

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
        return self._customer_ids_of(company_id, [number])[number]

    def _customer_ids_of(self, company_id: int, numbers: Iterable[str]) -> dict[str, int]:
        """The row ids of the company's customers numbered ``numbers``, looked up a chunk at a time (and kept);
        NotFound names the first unknown number."""
        wanted = sorted({n for n in numbers if (company_id, n) not in self._customer_ids})
        for chunk in chunks(wanted):
            query = sa.select(t.customer.c.id, t.customer.c.number).where(
                t.customer.c.company_id == company_id, t.customer.c.number.in_(chunk)
            )
            self._customer_ids.update(((company_id, row.number), row.id) for row in self.conn.execute(query))
        found: dict[str, int] = {}
        for number in numbers:
            key = (company_id, number)
            if key not in self._customer_ids:
                raise NotFound(f"unknown customer {number!r}")
            found[number] = self._customer_ids[key]
        return found


#: the columns of a customer's row :func:`customer_of` makes a :class:`Customer` of, in its order (the row's id apart)
CUSTOMER_COLUMNS = (
    "number",
    "name",
    "kind",
    "orgno",
    "street",
    "postcode",
    "city",
    "country",
    "email",
    "exempt",
    "payment_terms_days",
    "language",
    "email_for_letters",
    "restricted_on",
    "erased_on",
)


# built many at a time from stored values (krav.domain.frozen); the kinds by their stored values
_customer = builder(Customer)
_address = builder(Address)
_KINDS = {kind.value: kind for kind in CustomerKind}


def customer_of(customer_id: int, values: Sequence[Any]) -> Customer:
    """A customer from the values of :data:`CUSTOMER_COLUMNS`, in that order."""
    (
        number,
        name,
        kind,
        orgno,
        street,
        postcode,
        city,
        country,
        email,
        exempt,
        payment_terms_days,
        language,
        email_for_letters,
        restricted_on,
        erased_on,
    ) = values
    return _customer(
        number,
        name,
        _KINDS.get(kind) or CustomerKind(kind),
        orgno,
        _address(street, postcode, city, country),
        email,
        exempt,
        payment_terms_days,
        language,
        customer_id,
        email_for_letters,
        restricted_on,
        erased_on,
    )
