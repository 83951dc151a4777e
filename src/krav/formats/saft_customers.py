"""The customers of a SAF-T Financial file (MasterFiles/Customers), with their receivables accounts and balances
(R-IMP-1); :mod:`krav.formats.saft` reads the rest."""

from __future__ import annotations

from dataclasses import dataclass

from krav.domain.errors import FieldError, ImportRefused, Problem
from krav.domain.money import Money
from krav.domain.party import (
    Address,
    Customer,
    CustomerKind,
    check_customer,
    is_valid_email,
    is_valid_norwegian_postcode,
    is_valid_orgno,
)
from krav.formats.saft_values import NS, Element, line_of, saft_money, text_of

__all__ = ["SaftCustomer", "read_customers"]


@dataclass(frozen=True, slots=True)
class SaftCustomer:
    """A customer from MasterFiles with its receivables account(s) and balances (signed, debit positive)."""

    customer: Customer
    account_ids: tuple[str, ...]
    opening_balance: Money
    closing_balance: Money
    registration_number: str | None = None  # as written; ``customer.orgno`` only holds a valid one
    party_type: str | None = None  # PartyInfo/Type, e.g. "Company"
    notes: tuple[str, ...] = ()  # what was not taken as written, for the import report
    source_line: int | None = None


def read_customers(root: Element, currency: str, filename: str) -> tuple[SaftCustomer, ...]:
    customers: list[SaftCustomer] = []
    problems: list[Problem] = []
    first_line: dict[str, int | None] = {}
    for element in root.iterfind("n:MasterFiles/n:Customers/n:Customer", NS):
        where = f"{filename}, line {line_of(element)}"
        try:
            customer = _customer(element, currency, where)
        except FieldError as exc:
            problems.append(Problem(where, exc.field, exc.problem))
            continue
        number = customer.customer.number
        if number in first_line:
            problems.append(Problem(where, "CustomerID", f"customer {number} is already on line {first_line[number]}"))
            continue
        first_line[number] = line_of(element)
        customers.append(customer)
    if problems:
        raise ImportRefused(filename, problems)
    return tuple(customers)


def _customer(element: Element, currency: str, where: str) -> SaftCustomer:
    notes: list[str] = []
    number = text_of(element, "n:CustomerID") or ""
    registration = text_of(element, "n:RegistrationNumber")
    orgno = None
    if registration is not None:
        if is_valid_orgno(registration):
            orgno = registration  # check_customer compacts it
        elif len("".join(ch for ch in registration if ch.isdigit())) == 11:
            notes.append("RegistrationNumber looks like a national identity number: not kept; imported as consumer")
        else:
            notes.append(
                f"RegistrationNumber {registration} is not a valid organisation number (MOD11): imported as consumer"
            )
    email = None
    for candidate in element.iterfind("n:Contact/n:Email", NS):
        value = (candidate.text or "").strip()
        if is_valid_email(value):
            email = value
            break
        if value:
            notes.append(f"e-mail {value!r} is not a valid address: not kept")
    terms = _payment_terms(element, notes)
    accounts, opening, closing = _balances(element, currency)
    customer = check_customer(
        Customer(
            number=number,
            name=text_of(element, "n:Name") or "",
            kind=CustomerKind.BUSINESS if orgno else CustomerKind.CONSUMER,
            orgno=orgno,
            address=_address(element, notes),
            email=email,
            payment_terms_days=terms,
            email_for_letters=None,  # SAF-T records no consent: a customer keeps what was recorded (R-SVC-2)
        ),
        where=where,
        strict_orgno=True,
    )
    return SaftCustomer(
        customer=customer,
        account_ids=accounts,
        opening_balance=opening,
        closing_balance=closing,
        registration_number=registration,
        party_type=text_of(element, "n:PartyInfo/n:Type"),
        notes=tuple(notes),
        source_line=line_of(element),
    )


def _payment_terms(element: Element, notes: list[str]) -> int | None:
    terms = element.find("n:PartyInfo/n:PaymentTerms", NS)
    if terms is None:
        return None
    days_text = text_of(terms, "n:Days")
    days = int(days_text) if days_text is not None else None
    if days is not None and days > 365:
        notes.append(f"PaymentTerms/Days {days} is more than a year: not kept, default terms apply")
        days = None
    if text_of(terms, "n:Months") is not None:
        notes.append("PaymentTerms/Months is not applied: only Days is")
    if (text_of(terms, "n:FreeBillingMonth") or "").lower() in ("true", "1") and days is not None:
        notes.append("PaymentTerms/FreeBillingMonth is not applied: due date = invoice date + Days")  # R-IMP-1
    return days


_OTHER_SIDE = {
    "OpeningDebitBalance": "OpeningCreditBalance",
    "OpeningCreditBalance": "OpeningDebitBalance",
    "ClosingDebitBalance": "ClosingCreditBalance",
    "ClosingCreditBalance": "ClosingDebitBalance",
}


def _balances(element: Element, currency: str) -> tuple[tuple[str, ...], Money, Money]:
    """Account ids and summed balances: 1.10 holds them in Customer, 1.30 in Customer/BalanceAccount.

    Each balance element holds an amount without sign, its name saying the side: a negative one is refused,
    naming the element. A customer whose balance is on the credit side has a credit item (R-IMP-1)."""
    holders = [element, *element.iterfind("n:BalanceAccount", NS)]
    accounts: list[str] = []
    opening = closing = Money.zero(currency)
    for holder in holders:
        account = text_of(holder, "n:AccountID")
        if account is not None and account not in accounts:
            accounts.append(account)
        for name, sign, is_opening in (
            ("OpeningDebitBalance", 1, True),
            ("OpeningCreditBalance", -1, True),
            ("ClosingDebitBalance", 1, False),
            ("ClosingCreditBalance", -1, False),
        ):
            value = text_of(holder, f"n:{name}")
            if value is None:
                continue
            amount = saft_money(value, currency, field=name)
            if amount.is_negative():
                # the element says the side; a sign as well leaves the side unclear (R-IMP-1 reads a credit
                # balance from OpeningCreditBalance, which then becomes a credit item)
                raise FieldError(name, f"{value} is negative; write a credit balance as {_OTHER_SIDE[name]}")
            amount = amount.times(sign)
            if is_opening:
                opening += amount
            else:
                closing += amount
    return tuple(accounts), opening, closing


_ADDRESS_PREFERENCE = ("PostalAddress", "StreetAddress", None)


def _address(element: Element, notes: list[str]) -> Address:
    """The postal address when it is usable, else the street address, else any usable one.

    Letters go by post, so the postal address comes first; one with placeholders (``n.a``) is passed over.
    """
    found: list[tuple[str | None, Address]] = []
    for node in element.iterfind("n:Address", NS):
        street = " ".join(p for p in (text_of(node, "n:StreetName"), text_of(node, "n:Number")) if p) or None
        address = Address(
            street=street,
            postcode=text_of(node, "n:PostalCode"),
            city=text_of(node, "n:City"),
            country=(text_of(node, "n:Country") or "NO").upper(),
        )
        found.append((text_of(node, "n:AddressType"), address))
    if not found:
        return Address()
    for preferred in _ADDRESS_PREFERENCE:
        for kind, address in found:
            if (preferred is None or kind == preferred) and _usable(address):
                if preferred != "PostalAddress" and any(k == "PostalAddress" for k, _ in found):
                    notes.append(f"PostalAddress is incomplete or invalid: {kind or 'Address'} used")
                return address
    return found[0][1]


def _usable(address: Address) -> bool:
    if not address.is_complete():
        return False
    return address.country != "NO" or is_valid_norwegian_postcode(address.postcode)
