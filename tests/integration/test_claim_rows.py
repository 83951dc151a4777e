"""A claim read back from storage is the claim that was stored, group by group: the groups are built from their
columns by position (:func:`krav.domain.frozen.builder`), save the one that turns a stored text into its own value
(the objection's answer)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from sqlalchemy.engine import Engine

from krav.adapters.db.claim_rows import GROUPS
from krav.bootstrap import unit_of_work
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.letters import Recipient
from krav.domain.collection.state import ObjectionAnswer
from krav.domain.money import Money
from tests.builders import in_state, make_company

DEBTOR = Recipient(
    "10001", "Kari Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", "kari@example.no", "en", True
)


def _claim() -> Claim:
    claim = Claim(
        1, "K1-000001", "F-1001", date(2025, 2, 1), date(2025, 3, 3), Money.of("1250.50"), date(2025, 3, 20), DEBTOR
    )
    return in_state(
        claim,
        stage=Stage.NOTICE,
        principal_outstanding=Money.of("1000.25"),
        fees_outstanding=Money.of("35.00"),
        first_letter_on=date(2025, 3, 20),
        notice_sent_on=date(2025, 3, 20),
        disputed=True,
        disputed_on=date(2025, 3, 25),
        objection_answer=ObjectionAnswer.REJECTED,
        objection_text="Varen ble levert 3. februar.",
        paused=False,
    )


def test_a_stored_claim_reads_back_as_it_was_stored(engine: Engine) -> None:
    uow = unit_of_work(engine)
    make_company(uow)
    with uow:
        stored = uow.collection.add_claims([_claim()])[0]
        uow.commit()
    with unit_of_work(engine) as uow:
        read = uow.collection.claims(1)
    assert len(read) == 1
    claim = read[0]
    assert claim == stored
    assert claim.debtor == DEBTOR
    for name, group in GROUPS.items():
        value = getattr(claim, name)
        assert type(value) is group
        assert [getattr(value, f.name) for f in fields(group)] == [
            getattr(getattr(stored, name), f.name) for f in fields(group)
        ]
    # the one group with a value of its own made from the stored text: an enum, not the string
    assert claim.objection_state.objection_answer is ObjectionAnswer.REJECTED
    assert claim.fees_outstanding == Money.of("35.00")
