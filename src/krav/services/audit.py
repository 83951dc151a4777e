"""The audit of the books: ``krav audit verify`` recomputes every company's hash chains, over the posted vouchers
with their lines (R-LED-1) and over the claims' history (R-ACT-5), and names each row edited behind Krav's back.

The database refuses changes to these rows (the append-only triggers); the chains show what was changed where
the refusal was got round (a trigger dropped or disabled, the file edited). Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from krav.domain.audit import ChainCheck, Finding, check_chain
from krav.services.ports import StoredChain, UnitOfWork


@dataclass(frozen=True, slots=True)
class CompanyAudit:
    """One company's chains recomputed."""

    orgno: str
    name: str
    chains: tuple[ChainCheck, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for c in self.chains for f in c.findings)

    @property
    def intact(self) -> bool:
        return not self.findings


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Every company audited; intact when no row anywhere was edited behind Krav's back."""

    companies: tuple[CompanyAudit, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for c in self.companies for f in c.findings)

    @property
    def intact(self) -> bool:
        return not self.findings


def _check(stored: StoredChain) -> ChainCheck:
    return check_chain(stored.table, stored.links, length=stored.length, place=stored.place)


def verify(uow: UnitOfWork, orgno: str | None = None) -> AuditReport:
    """Recompute the chains of the company ``orgno`` (every company when None) from the rows as stored, and name
    each voucher, voucher line and claim event whose content changed, that breaks its chain, or that is missing
    (R-LED-1, R-ACT-5). Each chain is read as it is checked, not loaded whole."""
    with uow:
        companies = [uow.companies.get(orgno)] if orgno is not None else uow.companies.all()
        audits: list[CompanyAudit] = []
        for company in companies:
            assert company.id is not None  # a stored company always has its id
            vouchers = _check(uow.ledger.voucher_chain(company.id))
            events = _check(uow.collection.event_chain(company.id))
            audits.append(CompanyAudit(company.orgno, company.name, (vouchers, events)))
    return AuditReport(tuple(audits))
