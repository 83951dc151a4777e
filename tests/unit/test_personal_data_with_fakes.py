"""A debtor's personal data on the fakes of the ports (docs/legal.md "Personal data"): the export of one customer
of one creditor, the restriction of processing (GDPR art. 18) and erasure after the books' retention
(bokføringsloven § 13).

Debtor 10001 (Ola) owes invoice 1001 and debtor 20001 (Kari) invoice 2001, both due 14 March 2025; the run of
Friday 28 March sends both their notices. Another creditor has its own customer 10001.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from krav.domain.agreement import Agreement
from krav.domain.collection.claims import Stage
from krav.domain.errors import NotFound
from krav.domain.party import Address, CustomerKind
from krav.domain.personal_data import ERASED, erasable_from, erased, retention_ends
from krav.domain.validation import Category
from krav.services import ledger, personal_data
from krav.services.ledger import submission
from krav.services.ports import ClaimFilter
from tests.builders import ORGNO, RATES, consumer, in_state, invoice, make_company, post, run_day
from tests.fakes import FakeUnitOfWork, relayed_unit_of_work

OTHER = "923609016"
NOTICE_DAY = date(2025, 3, 28)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    unit = relayed_unit_of_work(RATES)
    make_company(unit)
    ledger.save_customers(unit, ORGNO, [consumer("10001", email="ola@example.no"), consumer("20001", "Kari Nordmann")])
    post(
        unit,
        invoice("1001", "10001", "1000.00", date(2025, 3, 1), date(2025, 3, 14)),
        invoice("2001", "20001", "800.00", date(2025, 3, 1), date(2025, 3, 14)),
    )
    make_company(unit, OTHER, "Annen AS")
    ledger.save_customers(unit, OTHER, [consumer("10001", "Per Hansen")])
    post(unit, invoice("9001", "10001", "500.00", date(2025, 3, 1), date(2025, 3, 14)), orgno=OTHER)
    with unit:
        unit.agreements.save(1, Agreement(active=True, activated_on=date(2025, 3, 1), accepted_by="test"))
        unit.commit()
    return unit


def _claims(uow: FakeUnitOfWork, debtor: str) -> list[str]:
    with uow:
        return [c.invoice_number for c in uow.collection.claims(1, ClaimFilter(debtor=debtor))]


# -- the rule ----------------------------------------------------------------------------------------------------


def test_the_books_keep_a_record_five_years_after_the_end_of_its_financial_year() -> None:
    assert retention_ends(date(2025, 1, 1)) == retention_ends(date(2025, 12, 31)) == date(2030, 12, 31)
    assert erasable_from(date(2025, 12, 31)) == date(2031, 1, 1)
    assert erasable_from(None) is None


def test_erasure_removes_a_consumers_personal_fields_and_keeps_a_businesss_orgno() -> None:
    ola = consumer("10001", email="ola@example.no", email_for_letters=True, orgno="01017012345")
    gone = erased(ola, date(2032, 1, 5))
    assert (gone.number, gone.name, gone.orgno, gone.email, gone.email_for_letters) == (
        "10001",
        ERASED,
        None,
        None,
        False,
    )
    assert (gone.address, gone.erased_on) == (Address(country="NO"), date(2032, 1, 5))
    shop = replace(ola, kind=CustomerKind.BUSINESS, orgno="974760673")
    assert erased(shop, date(2032, 1, 5)).orgno == "974760673"


# -- access ------------------------------------------------------------------------------------------------------


def test_the_export_holds_the_customers_data_and_not_another_customers_nor_another_creditors(
    uow: FakeUnitOfWork,
) -> None:
    run_day(uow, ORGNO, NOTICE_DAY)
    found = personal_data.export(uow, ORGNO, "10001", on=NOTICE_DAY)
    assert (found.creditor.orgno, found.customer.name) == (ORGNO, "Ola Nordmann")
    assert [i.number for i in found.open_items] == ["1001"]
    assert [line.item for line in found.voucher_lines] == ["1001"]
    assert [c.claim.invoice_number for c in found.claims] == ["1001"]
    assert found.claims[0].history
    assert [(letter.type.value, letter.invoices) for letter in found.letters] == [("notice", ("1001",))]
    assert "Kari" not in repr(found)
    assert "2001" not in repr(found)
    theirs = personal_data.export(uow, OTHER, "10001", on=NOTICE_DAY)
    assert (theirs.customer.name, [i.number for i in theirs.open_items], theirs.claims) == ("Per Hansen", ["9001"], ())
    with pytest.raises(NotFound, match="no customer 20001"):
        personal_data.export(uow, OTHER, "20001", on=NOTICE_DAY)


# -- restriction -------------------------------------------------------------------------------------------------


def test_a_restricted_customers_items_are_not_valid_for_collection(uow: FakeUnitOfWork) -> None:
    result = personal_data.restrict(uow, ORGNO, "20001", on=date(2025, 3, 20), by="kari", rates=RATES)
    assert (result.old, result.new, result.paused, result.continuing) == (None, date(2025, 3, 20), (), ())
    rows = {r.item.number: r for r in submission.proposal(uow, ORGNO, today=NOTICE_DAY)}
    [reason] = rows["2001"].reasons
    assert (reason.code, reason.category) == ("customer_restricted", Category.CUSTOMER)
    assert "20.03.2025" in reason.message_nb
    assert "art. 18" in reason.message_en
    assert not rows["1001"].reasons

    run_day(uow, ORGNO, NOTICE_DAY)
    assert _claims(uow, "20001") == []
    assert _claims(uow, "10001") == ["1001"]

    # importing the customers again keeps the restriction: it is not the register's to change
    ledger.save_customers(uow, ORGNO, [consumer("20001", "Kari Nordmann")])
    assert [
        r.code for r in {r.item.number: r for r in submission.proposal(uow, ORGNO, today=NOTICE_DAY)}["2001"].reasons
    ] == ["customer_restricted"]

    lifted = personal_data.restrict(uow, ORGNO, "20001", on=date(2025, 4, 1), by="kari", rates=RATES, lift=True)
    assert (lifted.old, lifted.new, lifted.changed) == (date(2025, 3, 20), None, True)
    assert {r.item.number: r for r in submission.proposal(uow, ORGNO, today=NOTICE_DAY)}["2001"].reasons == ()


def test_restriction_pauses_the_open_claims_and_lets_a_claim_in_inkasso_go_on(uow: FakeUnitOfWork) -> None:
    run_day(uow, ORGNO, NOTICE_DAY)
    post(uow, invoice("1002", "10001", "300.00", date(2025, 3, 1), date(2025, 3, 14)))
    run_day(uow, ORGNO, date(2025, 3, 31))
    with uow:  # invoice 1001 has gone to inkasso meanwhile
        [claim] = uow.collection.claims(1, ClaimFilter(invoice_numbers=["1001"]))
        uow.collection.save_claims([in_state(claim, stage=Stage.INKASSO)])
        uow.commit()
    result = personal_data.restrict(uow, ORGNO, "10001", on=date(2025, 4, 1), by="kari", rates=RATES)
    assert (result.paused, result.continuing) == (("1002",), ("1001",))
    with uow:
        paused = {c.invoice_number: c.paused for c in uow.collection.claims(1, ClaimFilter(debtor="10001"))}
    assert paused == {"1001": False, "1002": True}
    again = personal_data.restrict(uow, ORGNO, "10001", on=date(2025, 4, 2), by="kari", rates=RATES)
    assert (again.changed, again.new, again.already, again.continuing) == (
        False,
        date(2025, 4, 1),
        ("1002",),
        ("1001",),
    )


# -- erasure -----------------------------------------------------------------------------------------------------


def test_erasure_is_refused_while_a_claim_is_open_and_within_retention(uow: FakeUnitOfWork) -> None:
    with pytest.raises(personal_data.ErasureRefused, match="item 2001 is open in the ledger"):
        personal_data.erase(uow, ORGNO, "20001", on=date(2032, 1, 1), by="kari")
    run_day(uow, ORGNO, NOTICE_DAY)
    with pytest.raises(personal_data.ErasureRefused, match="invoice 1001 are open"):
        personal_data.erase(uow, ORGNO, "10001", on=date(2032, 1, 1), by="kari")
    with uow:
        assert uow.ledger.customers(1)["10001"].erased_on is None


def test_erasure_after_retention_replaces_the_personal_fields_wherever_they_were_copied(uow: FakeUnitOfWork) -> None:
    run_day(uow, ORGNO, NOTICE_DAY)
    with uow:
        [claim] = uow.collection.claims(1, ClaimFilter(debtor="10001"))
        uow.collection.save_claims([in_state(claim, stage=Stage.CLOSED)])
        uow.commit()
    ledger.write_off(uow, ORGNO, "1001", on=date(2025, 4, 2))
    with pytest.raises(personal_data.ErasureRefused, match=r"erasure is allowed from 01\.01\.2031"):
        personal_data.erase(uow, ORGNO, "10001", on=date(2030, 12, 31), by="kari")

    done = personal_data.erase(uow, ORGNO, "10001", on=date(2031, 1, 1), by="kari")
    assert (done.changed["customer"], done.changed["claim"], done.changed["message"]) == (1, 1, 1)
    found = personal_data.export(uow, ORGNO, "10001", on=date(2031, 1, 1))
    assert (found.customer.name, found.customer.email, found.customer.address.street) == (ERASED, None, None)
    assert found.claims[0].claim.debtor.name == ERASED
    assert "Ola" not in repr(found)
    assert found.voucher_lines[0].amount.amount == 1000  # the books keep their amounts
    assert [(c.field, c.new) for c in found.changes] == [("erased", "2031-01-01")]
    # the other debtor and the other creditor's customer 10001 are untouched
    assert personal_data.export(uow, ORGNO, "20001", on=NOTICE_DAY).customer.name == "Kari Nordmann"
    assert personal_data.export(uow, OTHER, "10001", on=NOTICE_DAY).customer.name == "Per Hansen"
    assert personal_data.erase(uow, ORGNO, "10001", on=date(2031, 2, 1), by="kari").already
