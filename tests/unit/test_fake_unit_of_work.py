"""The fake unit of work keeps the promises of the port it stands for (:class:`krav.services.ports.UnitOfWork`):
one transaction, committed whole or not at all, whose commit first relays the messages written in it. The service
tests on the fakes are only as good as these promises."""

from __future__ import annotations

from datetime import date

import pytest

from krav.adapters.ratefile import load_rate_tables
from krav.domain.agreement import Agreement
from krav.domain.collection.claims import Stage
from krav.domain.messages import MessageKind
from krav.domain.party import Company
from krav.services import ledger
from krav.services.ledger import submission
from krav.services.ports import UnitOfWork
from tests.builders import ORGNO, consumer, invoice, make_company, post
from tests.fakes import DuplicateKey, FakeUnitOfWork, relayed_unit_of_work

RATES = load_rate_tables()
TODAY = date(2025, 3, 28)


def _creditor(uow: UnitOfWork) -> int:
    """A creditor with one item that may be submitted today; returns the item's id."""
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001")])
    (item,) = post(uow, invoice("1001", "10001", "1000.00", date(2025, 3, 1), date(2025, 3, 14))).items
    with uow:
        uow.agreements.save(1, Agreement(active=True, activated_on=TODAY, accepted_by="test"))
        uow.commit()
    return item.id


def test_what_a_block_writes_without_a_commit_is_gone_when_the_block_ends() -> None:
    uow = relayed_unit_of_work(RATES)
    with uow:
        uow.companies.add(Company(ORGNO, "Eksempel AS"))
        assert uow.companies.find(ORGNO) is not None
    with uow:
        assert uow.companies.all() == []
    assert uow.commits == 0


def test_rollback_goes_back_to_what_was_committed_and_a_later_commit_keeps_only_what_followed() -> None:
    uow = relayed_unit_of_work(RATES)
    with uow:
        uow.companies.add(Company(ORGNO, "Eksempel AS"))
        uow.commit()
        uow.companies.add(Company("916000006", "Rullet Tilbake AS"))
        uow.rollback()
        uow.companies.add(Company("889640782", "Etter AS"))
        uow.commit()
    with uow:
        assert [c.name for c in uow.companies.all()] == ["Etter AS", "Eksempel AS"]


def test_a_claim_changed_and_not_saved_stays_as_it_was_stored() -> None:
    uow = relayed_unit_of_work(RATES)
    submission.submit(uow, ORGNO, [_creditor(uow)], today=TODAY)
    with uow:
        (claim,) = uow.collection.claims(1)
        claim.pause(TODAY)
        assert claim.paused
        (again,) = uow.collection.claims(1)
        assert not again.paused
        uow.commit()
    with uow:
        stored = uow.collection.claim(1, claim.collection_id)
    assert stored is not None
    assert (stored.stage, stored.paused) == (Stage.NEW, False)


def test_commit_relays_the_messages_first_so_a_submitted_item_has_its_claim_in_the_same_commit() -> None:
    relayed = relayed_unit_of_work(RATES)
    submission.submit(relayed, ORGNO, [_creditor(relayed)], today=TODAY)
    with relayed:
        assert [c.invoice_number for c in relayed.collection.claims(1)] == ["1001"]
        assert relayed.outbox.pending([MessageKind.ITEM_SUBMITTED]) == []

    bare = FakeUnitOfWork(before_commit=lambda uow: None)
    submission.submit(bare, ORGNO, [_creditor(bare)], today=TODAY)
    with bare:
        assert bare.collection.claims(1) == []
        assert [p.message.kind for p in bare.outbox.pending([MessageKind.ITEM_SUBMITTED])] == [
            MessageKind.ITEM_SUBMITTED
        ]


def test_blocks_on_one_unit_of_work_do_not_nest_and_repositories_are_only_open_inside_one() -> None:
    uow = relayed_unit_of_work(RATES)
    with uow, pytest.raises(RuntimeError, match="do not nest"), uow:
        pass
    with pytest.raises(RuntimeError, match="not open"):
        uow.companies.all()


def test_a_key_the_database_holds_unique_is_refused_twice() -> None:
    uow = relayed_unit_of_work(RATES)
    with uow:
        uow.companies.add(Company(ORGNO, "Eksempel AS"))
        uow.collection.mark_step(1, TODAY, "letters", {})
        with pytest.raises(DuplicateKey, match="run step letters"):
            uow.collection.mark_step(1, TODAY, "letters", {})
        with pytest.raises(DuplicateKey, match=f"company {ORGNO}"):
            uow.companies.add(Company(ORGNO, "Igjen AS"))


def test_the_last_run_finished_when_its_latest_step_was_marked() -> None:
    uow = relayed_unit_of_work(RATES)
    with uow:
        uow.companies.add(Company(ORGNO, "Eksempel AS"))
        assert uow.collection.last_run_finished(1) is None
        uow.collection.mark_step(1, TODAY, "letters", {})
        first = uow.collection.last_run_finished(1)
        uow.collection.mark_step(1, TODAY, "payments", {})
        latest = uow.collection.last_run_finished(1)
        assert first is not None
        assert latest is not None
        assert first <= latest
        assert uow.collection.last_run_finished(2) is None
