"""The collection agreement: show, change (with history), activate (R-AGR-1, R-AGR-2, DOMAIN.md section 10)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from krav.domain.agreement import Agreement, field_values, missing_for_activation, with_changes
from krav.domain.agreement_terms import Terms, agreement_terms
from krav.domain.errors import FieldError, RuleViolation
from krav.domain.rates import RateTables
from krav.services.ports import AgreementChange, UnitOfWork


@dataclass(frozen=True, slots=True)
class AgreementView:
    company: str
    agreement: Agreement
    history: tuple[AgreementChange, ...]


class ActivationRefused(RuleViolation):
    """The agreement lacks what activation needs; ``missing`` names each item."""

    code = "activation_refused"

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__("the agreement cannot be activated yet; missing:\n" + "\n".join(f"  - {m}" for m in missing))


def _changes(old: Agreement, new: Agreement) -> list[AgreementChange]:
    before, after = field_values(old), field_values(new)
    return [AgreementChange(name, before[name], after[name]) for name in after if before.get(name) != after[name]]


def show(uow: UnitOfWork, orgno: str) -> AgreementView:
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        return AgreementView(orgno, uow.agreements.get(company.id), tuple(uow.agreements.history(company.id)))


def change(uow: UnitOfWork, orgno: str, changes: dict[str, str | None], *, by: str, on: date) -> AgreementView:
    """Change agreement fields (text values, as from the CLI or a form); every change is recorded: who, when,
    old → new. Unknown fields and out-of-range values (R-AGR-1: never fewer days than the minimum) are refused
    naming the field, and nothing changes."""
    if not changes:
        raise FieldError("field", "say what to change, e.g. days_before_transfer=21")
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        old = uow.agreements.get(company.id)
        new = with_changes(old, changes)
        if new.active:
            missing = missing_for_activation(
                new, creditor_bank_account=company.bank_account, chart=set(uow.ledger.accounts(company.id))
            )
            if missing:
                raise FieldError(missing[0].split(":")[0], "an active agreement needs it: " + "; ".join(missing))
        diff = _changes(old, new)
        if diff:
            uow.agreements.save(company.id, new)
            uow.agreements.record_changes(company.id, diff, by=by, on=on)
        uow.commit()
        return AgreementView(orgno, new, tuple(uow.agreements.history(company.id)))


def terms(uow: UnitOfWork, orgno: str, rates: RateTables, on: date) -> Terms:
    """The terms of the creditor's agreement as they stand on ``on`` (section 10): what activating accepts."""
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        return agreement_terms(
            uow.agreements.get(company.id), rates, on, creditor_vat_registered=company.vat_registered
        )


def missing(uow: UnitOfWork, orgno: str) -> list[str]:
    """What the creditor's agreement lacks before it can be activated (section 10), each item named; none when it
    can be."""
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        return missing_for_activation(
            uow.agreements.get(company.id),
            creditor_bank_account=company.bank_account,
            chart=set(uow.ledger.accounts(company.id)),
        )


def activate(
    uow: UnitOfWork, orgno: str, *, by: str, on: date, accept_terms: bool, rates: RateTables | None = None
) -> AgreementView:
    """The creditor admin accepts the terms and the agreement becomes active from ``on`` (section 10); with
    ``rates``, the fingerprint of the terms accepted (:func:`terms`) is kept in the agreement's history.

    Refused, naming what is missing, without the terms accepted, a collection-list e-mail, a valid bank account
    for remittances, or the accounts of the accounting section in the chart.
    """
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        old = uow.agreements.get(company.id)
        missing = missing_for_activation(
            old, creditor_bank_account=company.bank_account, chart=set(uow.ledger.accounts(company.id))
        )
        if not accept_terms:
            missing.insert(0, "the terms must be accepted by a creditor admin (--accept-terms)")
        if missing:
            raise ActivationRefused(missing)
        if old.active:
            return AgreementView(orgno, old, tuple(uow.agreements.history(company.id)))
        new = replace(old, active=True, activated_on=on, accepted_by=by)
        changes = _changes(old, new)
        if rates is not None:
            accepted = agreement_terms(new, rates, on, creditor_vat_registered=company.vat_registered)
            changes.append(AgreementChange("terms_accepted", None, f"sha256:{accepted.fingerprint}"))
        uow.agreements.save(company.id, new)
        uow.agreements.record_changes(company.id, changes, by=by, on=on)
        uow.commit()
        return AgreementView(orgno, new, tuple(uow.agreements.history(company.id)))


def deactivate(uow: UnitOfWork, orgno: str, *, by: str, on: date) -> AgreementView:
    """Stop sending new items; claims already submitted continue."""
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        old = uow.agreements.get(company.id)
        new = replace(old, active=False)
        diff = _changes(old, new)
        if diff:
            uow.agreements.save(company.id, new)
            uow.agreements.record_changes(company.id, diff, by=by, on=on)
        uow.commit()
        return AgreementView(orgno, new, tuple(uow.agreements.history(company.id)))
