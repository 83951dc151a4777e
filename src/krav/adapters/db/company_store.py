"""SQL storage of the creditor companies (tenants)."""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.types import utcnow
from krav.domain.errors import NotFound
from krav.domain.party import Address, Company


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


@functools.cache
def _by_orgno() -> sa.Select[Any]:
    """A company by organisation number, built once (every API request reads one)."""
    return sa.select(t.company).where(t.company.c.orgno == sa.bindparam("orgno", type_=sa.String))


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
        row = self.conn.execute(_by_orgno(), {"orgno": orgno}).one_or_none()
        return None if row is None else self._company(row)

    def get(self, orgno: str) -> Company:
        found = self.find(orgno)
        if found is None:
            raise NotFound(f"no company with organisation number {orgno}; create it with `krav company create`")
        return found

    def all(self) -> list[Company]:
        rows = self.conn.execute(sa.select(t.company).order_by(t.company.c.orgno)).all()
        return [self._company(r) for r in rows]
