"""The collection agreement and its change history, in SQL."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date
from typing import Any

import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.adapters.db.types import utcnow
from krav.domain.agreement import AccountingSection, Agreement, AllocationOrder, DunningFlow
from krav.domain.kid import KidScheme
from krav.domain.money import Money
from krav.services.ports import AgreementChange

_PLAIN = (
    "active",
    "activated_on",
    "accepted_by",
    "days_before_transfer",
    "reminder_before_notice",
    "reminder_deadline_days",
    "auto_transfer",
    "automatic_collection_list",
    "collection_list_email",
    "charge_interest",
    "claim_standard_compensation",
    "kid_length",
    "require_email",
    "invoice_inkasso_costs_on_close",
)


def _values(agreement: Agreement) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(agreement, name) for name in _PLAIN}
    values.update(
        dunning_flow=agreement.dunning_flow.value,
        minimum_amount_ore=agreement.minimum_amount.ore,
        allocation_order=agreement.allocation_order.value,
        kid_scheme=agreement.kid_scheme.value,
        accounting=json.dumps(asdict(agreement.accounting), sort_keys=True),
    )
    return values


def _agreement(row: sa.Row[Any]) -> Agreement:
    accounting_data = json.loads(row.accounting)
    known = {f.name for f in fields(AccountingSection)}
    return Agreement(
        **{name: getattr(row, name) for name in _PLAIN},
        dunning_flow=DunningFlow(row.dunning_flow),
        minimum_amount=Money.from_ore(row.minimum_amount_ore),
        allocation_order=AllocationOrder(row.allocation_order),
        kid_scheme=KidScheme(row.kid_scheme),
        accounting=AccountingSection(**{k: v for k, v in accounting_data.items() if k in known}),
    )


class SqlAgreements:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def get(self, company_id: int) -> Agreement:
        """The company's agreement; a company that has none yet has the defaults (inactive)."""
        row = self.conn.execute(sa.select(t.agreement).where(t.agreement.c.company_id == company_id)).one_or_none()
        return Agreement() if row is None else _agreement(row)

    def get_many(self, company_ids: list[int]) -> dict[int, Agreement]:
        rows = self.conn.execute(sa.select(t.agreement).where(t.agreement.c.company_id.in_(company_ids))).all()
        found = {row.company_id: _agreement(row) for row in rows}
        return {cid: found.get(cid, Agreement()) for cid in company_ids}

    def save(self, company_id: int, agreement: Agreement) -> None:
        values = _values(agreement)
        table = t.agreement
        updated = self.conn.execute(
            table.update().where(table.c.company_id == company_id).values(**values, updated_at=utcnow())
        ).rowcount
        if not updated:
            self.conn.execute(table.insert().values(company_id=company_id, **values, updated_at=utcnow()))

    def record_changes(self, company_id: int, changes: list[AgreementChange], *, by: str, on: date) -> None:
        if not changes:
            return
        now = utcnow()
        self.conn.execute(
            t.agreement_change.insert(),
            [
                {
                    "company_id": company_id,
                    "changed_at": now,
                    "changed_on": on,
                    "by": by,
                    "field": c.field,
                    "old": c.old,
                    "new": c.new,
                }
                for c in changes
            ],
        )

    def history(self, company_id: int) -> list[AgreementChange]:
        rows = self.conn.execute(
            sa.select(t.agreement_change)
            .where(t.agreement_change.c.company_id == company_id)
            .order_by(t.agreement_change.c.id)
        ).all()
        return [AgreementChange(r.field, r.old, r.new, r.by, r.changed_on, r.changed_at.isoformat()) for r in rows]
