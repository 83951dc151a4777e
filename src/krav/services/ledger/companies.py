"""The built-in ledger's companies, chart, voucher types and customers (R-LED-2)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from krav.domain import plausible
from krav.domain.errors import Conflict, FieldError
from krav.domain.ledger.accounts import STANDARD_CHART, Account, check_account_number
from krav.domain.ledger.voucher_types import DEFAULT_VOUCHER_TYPES, CollectionVoucherType, VoucherType
from krav.domain.party import (
    Company,
    Customer,
    check_company,
    check_customer,
    validate_bank_account,
    validate_orgno,
)
from krav.services.ports import UnitOfWork, company_id


def create_company(uow: UnitOfWork, company: Company) -> Company:
    """Register a creditor company with the standard chart (NS 4102) and the default voucher types (R-LED-2)."""
    with uow:
        stored = create_company_in(uow, company)
        uow.commit()
        return stored


def create_company_in(uow: UnitOfWork, company: Company) -> Company:
    """:func:`create_company` inside a unit of work the caller commits."""
    orgno = validate_orgno(company.orgno, field_name="orgno")
    bank_account = validate_bank_account(company.bank_account) if company.bank_account else None
    if not company.name.strip():
        raise FieldError("name", "the company needs a name")
    checked = check_company(
        Company(
            orgno=orgno,
            name=company.name.strip(),
            bank_account=bank_account,
            vat_registered=company.vat_registered,
            address=company.address,
            email=company.email,
            phone=company.phone,
        )
    )
    if uow.companies.find(orgno) is not None:
        raise Conflict(f"company {orgno} exists already")
    stored = uow.companies.add(checked)
    assert stored.id is not None
    uow.ledger.add_accounts(stored.id, STANDARD_CHART)
    for voucher_type in DEFAULT_VOUCHER_TYPES:
        uow.ledger.save_voucher_type(stored.id, voucher_type)
    return stored


#: What :func:`update_company` may change.
CHANGEABLE = frozenset({"name", "bank_account", "vat_registered", "street", "postcode", "city", "email", "phone"})


def update_company(uow: UnitOfWork, orgno: str, changes: Mapping[str, str | bool | None]) -> Company:
    """Change a company's name, bank account, VAT registration, address or contact; the bank account must pass
    MOD11, and unknown fields are refused by name."""
    unknown = sorted(set(changes) - CHANGEABLE)
    if unknown:
        raise FieldError(unknown[0], f"unknown field; changeable: {', '.join(sorted(CHANGEABLE))}")
    with uow:
        company = uow.companies.get(orgno)
        values: dict[str, Any] = {}
        address = company.address
        for key, value in changes.items():
            if key == "bank_account":
                values[key] = validate_bank_account(str(value)) if value else None
            elif key == "vat_registered":
                values[key] = bool(value)
            elif key == "street":
                address = replace(address, street=str(value) if value else None)
            elif key == "postcode":
                address = replace(address, postcode=str(value) if value else None)
            elif key == "city":
                address = replace(address, city=str(value) if value else None)
            elif key == "name":
                if not value or not str(value).strip():
                    raise FieldError("name", "the company needs a name")
                values[key] = str(value).strip()
            else:
                values[key] = value or None
        updated = uow.companies.update(check_company(replace(company, address=address, **values)))
        uow.commit()
        return updated


def add_account(uow: UnitOfWork, orgno: str, account: Account) -> None:
    """Add an account to a company's chart."""
    check_account_number(account.number)
    plausible.check_text(account.name, field="name", limit=plausible.NAME)
    with uow:
        cid = company_id(uow, orgno)
        if account.number in uow.ledger.accounts(cid):
            raise Conflict(f"account {account.number} exists already")
        uow.ledger.add_accounts(cid, [account])
        uow.commit()


def set_voucher_type(uow: UnitOfWork, orgno: str, voucher_type: VoucherType) -> None:
    """Add or change a voucher type and its collection voucher type (R-LED-2)."""
    if not 1 <= voucher_type.code <= 9999:
        raise FieldError("code", "a voucher type code is a number from 1 to 9999")
    plausible.check_text(voucher_type.name, field="name", limit=plausible.TYPE_NAME)
    with uow:
        uow.ledger.save_voucher_type(company_id(uow, orgno), voucher_type)
        uow.commit()


def parse_collection_type(value: str) -> CollectionVoucherType:
    try:
        return CollectionVoucherType(value)
    except ValueError as exc:
        allowed = ", ".join(t.value for t in CollectionVoucherType)
        raise FieldError("collection_type", f"{value!r} is not one of {allowed}") from exc


@dataclass(frozen=True, slots=True)
class CustomerImport:
    created: int
    updated: int
    unchanged: int


def save_customers(
    uow: UnitOfWork,
    orgno: str,
    customers: Sequence[Customer],
    *,
    strict_orgno: bool = True,
    source: str = "input",
) -> CustomerImport:
    """Create or update customers by number, all or none."""
    checked = [
        check_customer(c, where=f"{source}, customer {c.number or n}", strict_orgno=strict_orgno)
        for n, c in enumerate(customers, start=1)
    ]
    seen: set[str] = set()
    for c in checked:
        if c.number in seen:
            raise FieldError("number", f"customer {c.number} appears twice", where=source)
        seen.add(c.number)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with uow:
        cid = company_id(uow, orgno)
        for c in checked:
            counts[uow.ledger.save_customer(cid, c)] += 1
        uow.commit()
    return CustomerImport(**counts)


def customers(uow: UnitOfWork, orgno: str, numbers: Iterable[str] | None = None) -> dict[str, Customer]:
    with uow:
        return uow.ledger.customers(company_id(uow, orgno), numbers)
