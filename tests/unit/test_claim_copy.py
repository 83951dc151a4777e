"""A deep copy of a claim (what a payment is tried on before it is kept) changes apart from the claim it copies."""

from __future__ import annotations

import copy
from datetime import date, timedelta

from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.letters import Recipient
from krav.domain.money import Money

DUE = date(2025, 3, 14)


def _claim() -> Claim:
    debtor = Recipient("10001", "Ola Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None)
    return Claim(1, "K1", "1001", DUE - timedelta(days=14), DUE, Money.of("1000.00"), DUE, debtor, id=7)


def test_a_deep_copy_equals_its_claim_and_is_another_object() -> None:
    claim = _claim()
    twin = copy.deepcopy(claim)
    assert twin == claim
    assert twin is not claim
    assert type(twin) is Claim
    assert twin.id == 7


def test_a_deep_copy_changed_leaves_the_claim_as_it_was() -> None:
    claim = _claim()
    twin = copy.deepcopy(claim)
    twin.send_reminder(date(2025, 3, 28), date(2025, 4, 11))
    twin.stored_as(8)
    assert twin.stage is Stage.REMINDER
    assert twin.id == 8
    assert claim.stage is Stage.NEW
    assert claim.id == 7
    assert claim.deadlines.reminder_deadline is None
    assert twin.deadlines.reminder_deadline == date(2025, 4, 11)
    assert twin != claim


def test_claims_deep_copied_together_stay_one_object_each_in_the_copy() -> None:
    claim = _claim()
    first, second = copy.deepcopy([claim, claim])
    assert first is second  # the memo: one claim listed twice is one copy
