"""Parties: the creditor company (a tenant) and its customers, the debtors (R-PARTY-1).

A debtor is a consumer or a business; a business has an organisation number that passes MOD11
(python-stdnum ``no.orgnr``). Bank accounts are Norwegian BBANs checked MOD11 (``no.kontonr``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.no import kontonr, orgnr

from krav.domain import plausible
from krav.domain.errors import FieldError

_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_POSTCODE_NO = re.compile(r"^\d{4}$")


class CustomerKind(StrEnum):
    """R-PARTY-1: a debtor is a consumer or a business."""

    CONSUMER = "consumer"
    BUSINESS = "business"


def is_valid_orgno(value: str | None) -> bool:
    """Whether ``value`` is a Norwegian organisation number with a valid MOD11 check digit (R-PARTY-1)."""
    return value is not None and bool(orgnr.is_valid(value))


def validate_orgno(value: str, *, field_name: str = "orgno", where: str | None = None) -> str:
    """The compact organisation number, or a :class:`FieldError` saying why it is not one (R-PARTY-1).

    >>> validate_orgno("974 760 673")
    '974760673'
    """
    try:
        return str(orgnr.validate(value))
    except StdnumValidationError as exc:
        raise FieldError(
            field_name, f"{value!r} is not a valid Norwegian organisation number ({exc})", where=where
        ) from exc


def validate_bank_account(value: str, *, field_name: str = "account", where: str | None = None) -> str:
    """The compact Norwegian bank account number (11 digits, MOD11), or a :class:`FieldError`.

    >>> validate_bank_account("8601.11.17947")
    '86011117947'
    """
    try:
        return str(kontonr.validate(value))
    except StdnumValidationError as exc:
        raise FieldError(
            field_name, f"{value!r} is not a valid Norwegian bank account number ({exc})", where=where
        ) from exc


def is_valid_email(value: str | None) -> bool:
    """A plausible e-mail address: one ``@``, a dot in the domain, no spaces or line breaks, at most 254
    characters."""
    return bool(value) and len(value or "") <= plausible.EMAIL and bool(_EMAIL.fullmatch(value or ""))


def is_valid_norwegian_postcode(value: str | None) -> bool:
    """A Norwegian postcode is exactly four digits."""
    return bool(value) and bool(_POSTCODE_NO.match(value or ""))


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address; ``country`` is an ISO 3166 alpha-2 code."""

    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str = "NO"

    def is_complete(self) -> bool:
        """Street, postcode and city are all present."""
        street, postcode, city = self.street, self.postcode, self.city
        return bool(street and street.strip() and postcode and postcode.strip() and city and city.strip())


@dataclass(frozen=True, slots=True)
class Company:
    """A creditor company: a tenant of Krav."""

    orgno: str
    name: str
    bank_account: str | None = None
    vat_registered: bool = True
    address: Address = field(default_factory=Address)
    email: str | None = None
    phone: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Customer:
    """A customer of the creditor: the debtor of its open items."""

    number: str
    name: str
    kind: CustomerKind = CustomerKind.CONSUMER
    orgno: str | None = None
    address: Address = field(default_factory=Address)
    email: str | None = None
    exempt: bool = False  # purrefritak: never reminded or sent to collection
    payment_terms_days: int | None = None
    language: str = "nb"
    id: int | None = None
    # R-SVC-2: the debtor gave ``email`` for letters (consent to letters by e-mail); None: the record says nothing
    # about it (SAF-T, a CSV file without the column), and what was recorded stays, see :func:`carry_consent`.
    # Read from the ledger's register it is always said.
    email_for_letters: bool | None = None
    # GDPR art. 18: processing restricted from this day (its items not valid for collection: the proposal's
    # ``customer_restricted``); art. 17: the personal fields erased on this day (krav.domain.personal_data)
    restricted_on: date | None = None
    erased_on: date | None = None


def check_customer(customer: Customer, *, where: str | None = None, strict_orgno: bool = True) -> Customer:
    """Refuse a customer record that cannot be stored: no number, a malformed e-mail, and (with
    ``strict_orgno``, the default for imports and the CLI) an organisation number that fails MOD11.
    Returns the customer with its organisation number compacted.

    The ledger's register itself may hold what an ERP holds: a missing name or address, a business without an
    organisation number, or (``strict_orgno=False``) a wrong one. Validation (R-VAL-1) then reports it as
    ``customer_name_missing``, ``customer_address_missing`` or ``customer_orgno_invalid`` and the item is not
    sent, which is the point of validation. Imports are strict by default because a typo in a number is best
    corrected at the source, now.
    """
    if not customer.number.strip():
        raise FieldError("number", "customer number is empty", where=where)
    check_texts(
        where,
        ("number", customer.number, plausible.NUMBER),
        ("name", customer.name, plausible.CUSTOMER_NAME),
        ("orgno", customer.orgno, plausible.CUSTOMER_ORGNO),
        ("email", customer.email, plausible.EMAIL),
        ("language", customer.language, 2),
    )
    check_address(customer.address, where=where)
    orgno = customer.orgno
    if orgno and strict_orgno:
        orgno = validate_orgno(orgno, where=where)
    elif orgno and is_valid_orgno(orgno):
        orgno = str(orgnr.compact(orgno))
    if customer.email and not is_valid_email(customer.email):
        raise FieldError("email", f"{customer.email!r} is not a valid e-mail address", where=where)
    if customer.payment_terms_days is not None and not 0 <= customer.payment_terms_days <= 365:
        raise FieldError("payment_terms_days", "must be between 0 and 365 days", where=where)
    if customer.language not in ("nb", "en"):
        raise FieldError("language", "must be 'nb' (bokmål) or 'en' (English)", where=where)
    if customer.email_for_letters and not customer.email:
        raise FieldError(
            "email_for_letters", "the customer gave no e-mail address for letters: give the address too", where=where
        )
    return customer if orgno == customer.orgno else replace(customer, orgno=orgno)


def carry_consent(new: Customer, old: Customer | None) -> bool:
    """R-SVC-2: whether ``new`` (a record of a customer stored before as ``old``) gave its e-mail for letters.

    A record that says so, or says not, is taken at its word. One that says nothing (``None``: a SAF-T file, a
    CSV file without the column) keeps what was recorded, as long as the address is the same: consent is given
    for an address, so a new address needs it given anew.

    >>> carry_consent(Customer("1", "Ola", email="ola@example.no", email_for_letters=None),
    ...               Customer("1", "Ola", email="ola@example.no", email_for_letters=True))
    True
    >>> carry_consent(Customer("1", "Ola", email="ola@flyttet.no", email_for_letters=None),
    ...               Customer("1", "Ola", email="ola@example.no", email_for_letters=True))
    False
    """
    if new.email_for_letters is not None:
        return new.email_for_letters and bool(new.email)
    return old is not None and bool(old.email_for_letters) and bool(new.email) and old.email == new.email


def check_texts(where: str | None, *fields: tuple[str, str | None, int]) -> None:
    """Each ``(field, value, limit)`` fits its column and is written on one line (see :mod:`krav.domain.plausible`)."""
    for name, value, limit in fields:
        plausible.check_text(value, field=name, limit=limit, where=where)


def check_address(address: Address, *, where: str | None = None) -> None:
    """An address whose parts fit their columns and are each written on one line."""
    check_texts(
        where,
        ("street", address.street, plausible.STREET),
        ("postcode", address.postcode, plausible.POSTCODE),
        ("city", address.city, plausible.CITY),
        ("country", address.country, plausible.COUNTRY),
    )


def check_company(company: Company, *, where: str | None = None) -> Company:
    """Refuse a company record that cannot be stored or would break every letter and e-mail it is named on: a
    name, address, e-mail or phone too long for its column or written over several lines (a CR or LF in a name
    ends up in mail headers). Returns the company unchanged."""
    check_texts(
        where,
        ("name", company.name, plausible.NAME),
        ("email", company.email, plausible.EMAIL),
        ("phone", company.phone, plausible.PHONE),
    )
    check_address(company.address, where=where)
    return company
