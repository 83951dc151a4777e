"""Customers and companies: organisation numbers MOD11, bank accounts, e-mail (R-PARTY-1)."""

from __future__ import annotations

import pytest

from krav.domain.errors import FieldError
from krav.domain.party import (
    Address,
    Customer,
    CustomerKind,
    check_customer,
    is_valid_norwegian_postcode,
    is_valid_orgno,
    validate_bank_account,
    validate_orgno,
)


def test_organisation_numbers_are_checked_mod11_r_party_1() -> None:
    assert is_valid_orgno("974760673")
    assert not is_valid_orgno("974760672")
    assert not is_valid_orgno("123456789")
    assert not is_valid_orgno(None)
    assert validate_orgno("974 760 673") == "974760673"
    with pytest.raises(FieldError, match="orgno: '123456789' is not a valid Norwegian organisation number"):
        validate_orgno("123456789")


def test_bank_accounts_are_checked_mod11() -> None:
    assert validate_bank_account("8601 11 17947") == "86011117947"
    with pytest.raises(FieldError, match="account"):
        validate_bank_account("86011117940")


def test_imports_refuse_a_wrong_organisation_number_naming_where_r_party_1() -> None:
    customer = Customer("1", "Feil AS", CustomerKind.BUSINESS, orgno="123456789")
    with pytest.raises(FieldError, match=r"customers\.csv, line 3: orgno"):
        check_customer(customer, where="customers.csv, line 3")
    # the ledger itself may hold it; validation then reports customer_orgno_invalid
    assert check_customer(customer, strict_orgno=False).orgno == "123456789"


def test_a_customer_needs_a_number_and_a_plausible_email() -> None:
    with pytest.raises(FieldError, match="number"):
        check_customer(Customer(" ", "X"))
    with pytest.raises(FieldError, match="email"):
        check_customer(Customer("1", "X", email="not-an-address"))


def test_norwegian_postcodes_have_four_digits() -> None:
    assert is_valid_norwegian_postcode("0155")
    assert not is_valid_norwegian_postcode("155")
    assert not is_valid_norwegian_postcode("01555")
    assert not is_valid_norwegian_postcode(None)
    assert Address("Storgata 1", "0155", "Oslo").is_complete()
    assert not Address("Storgata 1", None, "Oslo").is_complete()
