"""The creditor's reports (the portal's charts), worked out by hand for claims of known age, stage and outcome.

One creditor that charges no interest (so what a claim owes is its principal, fees and salær left), on Monday
30 June 2025, with nine claims submitted 1 March 2025:

======  ==========  ====================  ==================================  ============================
claim   due         days past due         furthest stage                      state
======  ==========  ====================  ==================================  ============================
1001    15.06.2025  15                    notice                              open, owes 1 000 + fee 35
1002    31.05.2025  30                    reminder                            open, owes 500
1003    30.05.2025  31                    collection list                     open, owes 200
1004    01.04.2025  90                    inkasso                             open, owes 300 + salær 700
1005    31.03.2025  91                    new (no letter yet)                 open, owes 50
1006    —           —                     notice                              paid 21.03.2025 (20 days)
1007    —           —                     inkasso                             paid 10.04.2025 (40 days)
1008    —           —                     reminder                            credited
1009    —           —                     inkasso                             closed by the creditor
======  ==========  ====================  ==================================  ============================

Paid: 400 to the client account in March (1006), 600 directly in April (1007), 100 in June (1001, a part).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from krav.adapters.ratefile import load_rate_tables
from krav.domain.collection.claims import Claim, ClosedReason, Stage
from krav.domain.collection.events import Event, EventKind
from krav.domain.collection.letters import Recipient
from krav.domain.money import Money
from krav.services import reports
from krav.services.ports import HistoryEntry, UnitOfWork
from krav.services.queries import ClaimRecord
from tests.builders import ORGNO, in_state, make_company
from tests.fakes import relayed_unit_of_work

RATES = load_rate_tables()
ON = date(2025, 6, 30)
SUBMITTED = date(2025, 3, 1)
DEBTOR = Recipient("10001", "Ola Nordmann", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None)


def _claim(invoice: str, due: date, principal: str, **state: Any) -> Claim:
    money = Money.of(principal)
    claim = Claim(1, f"K{invoice}", invoice, date(2025, 2, 1), due, money, SUBMITTED, DEBTOR)
    return in_state(claim, principal_outstanding=state.pop("left", money), **state)


def _claims() -> list[Claim]:
    early = date(2025, 2, 14)
    return [
        _claim(
            "1001",
            date(2025, 6, 15),
            "1000",
            stage=Stage.NOTICE,
            first_letter_on=ON,
            notice_sent_on=ON,
            left=Money.of("900"),
            fees_outstanding=Money.of("35"),
        ),
        _claim("1002", date(2025, 5, 31), "500", stage=Stage.REMINDER, first_letter_on=ON),
        _claim(
            "1003",
            date(2025, 5, 30),
            "200",
            stage=Stage.COLLECTION_LIST,
            first_letter_on=ON,
            notice_sent_on=ON,
            listed_on=ON,
        ),
        _claim(
            "1004",
            date(2025, 4, 1),
            "300",
            stage=Stage.INKASSO,
            notice_sent_on=ON,
            listed_on=ON,
            inkasso_on=ON,
            salaer_outstanding=Money.of("700"),
        ),
        _claim("1005", date(2025, 3, 31), "50"),
        _claim(
            "1006",
            early,
            "400",
            stage=Stage.CLOSED,
            closed_reason=ClosedReason.PAID,
            closed_on=date(2025, 3, 21),
            first_letter_on=early,
            notice_sent_on=early,
            left=Money.zero(),
        ),
        _claim(
            "1007",
            early,
            "600",
            stage=Stage.CLOSED,
            closed_reason=ClosedReason.PAID,
            closed_on=date(2025, 4, 10),
            notice_sent_on=early,
            inkasso_on=early,
            left=Money.zero(),
        ),
        _claim(
            "1008",
            early,
            "100",
            stage=Stage.CLOSED,
            closed_reason=ClosedReason.CREDITED,
            closed_on=early,
            first_letter_on=early,
            left=Money.zero(),
        ),
        _claim(
            "1009",
            early,
            "250",
            stage=Stage.CLOSED,
            closed_reason=ClosedReason.CLOSED_BY_CREDITOR,
            closed_on=ON,
            inkasso_on=early,
        ),
    ]


_EVENTS = [
    Event("K1006", date(2025, 3, 21), EventKind.PAYMENT, Money.of("400")),
    Event("K1007", date(2025, 4, 10), EventKind.DIRECT_PAYMENT, Money.of("600")),
    Event("K1001", date(2025, 6, 2), EventKind.PAYMENT, Money.of("100")),
    Event("K1001", date(2025, 6, 20), EventKind.FEE, Money.of("35")),  # a fee charged: no payment
    Event("K1009", date(2025, 6, 30), EventKind.COSTS_INVOICED, Money.of("250")),  # to the creditor: no payment
]


@pytest.fixture
def uow() -> UnitOfWork:
    unit = relayed_unit_of_work(RATES)
    make_company(unit)
    with unit:
        unit.agreements.save(1, replace(unit.agreements.get(1), charge_interest=False))
        stored = unit.collection.add_claims(_claims())
        unit.collection.add_events(1, {c.collection_id: c.id or 0 for c in stored}, _EVENTS, by="test")
        unit.commit()
    return unit


def test_the_open_claims_fall_in_their_age_buckets_with_what_they_owe(uow: UnitOfWork) -> None:
    found = reports.reports(uow, ORGNO, on=ON, rates=RATES)
    assert [(b.low, b.high, b.count, b.owed) for b in found.aged] == [
        (0, 30, 2, Money.of("1435")),  # 1001 (900 + 35) and 1002 (30 days: still the first bucket)
        (31, 60, 1, Money.of("200")),  # 1003, 31 days
        (61, 90, 1, Money.of("1000")),  # 1004, 90 days, with its salær
        (91, None, 1, Money.of("50")),  # 1005
    ]
    assert found.open_owed == Money.of("2685")


def test_a_claim_not_yet_due_is_zero_days_past_due() -> None:
    record = ClaimRecord.of(_claim("2001", date(2025, 7, 15), "10"))
    assert reports.days_past_due(record, ON) == 0


def test_collected_per_month_sums_the_debtors_payments_only_every_month_shown(uow: UnitOfWork) -> None:
    found = reports.reports(uow, ORGNO, on=ON, rates=RATES).collected
    assert [(m.month, m.client_account, m.direct, m.payments, m.total) for m in found] == [
        (date(2025, 3, 1), Money.of("400"), Money.zero(), 1, Money.of("400")),
        (date(2025, 4, 1), Money.zero(), Money.of("600"), 1, Money.of("600")),
        (date(2025, 5, 1), Money.zero(), Money.zero(), 0, Money.zero()),
        (date(2025, 6, 1), Money.of("100"), Money.zero(), 1, Money.of("100")),
    ]


def test_the_funnel_counts_how_far_claims_got_and_where_they_were_paid(uow: UnitOfWork) -> None:
    found = reports.reports(uow, ORGNO, on=ON, rates=RATES).funnel
    rows = [(s.stage, s.reached, s.open, s.paid, s.resolution_rate, s.days_to_paid) for s in found.stages]
    assert rows == [
        (Stage.NEW, 9, 1, 0, Decimal("0.0"), None),
        (Stage.REMINDER, 8, 1, 0, Decimal("0.0"), None),
        (Stage.NOTICE, 6, 1, 1, Decimal("16.7"), Decimal("20.0")),  # 1006, 20 days after submission
        (Stage.COLLECTION_LIST, 4, 1, 0, Decimal("0.0"), None),
        (Stage.INKASSO, 3, 1, 1, Decimal("33.3"), Decimal("40.0")),  # 1007
        (Stage.LEGAL, 0, 0, 0, None, None),
    ]
    assert (found.claims, found.paid, found.resolution_rate, found.days_to_paid) == (
        9,
        2,
        Decimal("22.2"),
        Decimal("30.0"),
    )


def test_the_outcomes_count_the_closed_claims_by_reason(uow: UnitOfWork) -> None:
    found = reports.reports(uow, ORGNO, on=ON, rates=RATES).outcomes
    assert [(o.reason, o.count, o.principal, o.share) for o in found] == [
        (ClosedReason.PAID, 2, Money.of("1000"), Decimal("50.0")),
        (ClosedReason.CREDITED, 1, Money.of("100"), Decimal("25.0")),
        (ClosedReason.CLOSED_BY_CREDITOR, 1, Money.of("250"), Decimal("25.0")),
        (ClosedReason.PAUSE_EXPIRED, 0, Money.zero(), Decimal("0.0")),
        (ClosedReason.OBJECTION_UPHELD, 0, Money.zero(), Decimal("0.0")),
    ]


def test_a_claim_closed_with_nothing_but_its_stage_counts_as_new() -> None:
    record = ClaimRecord.of(_claim("3001", ON, "10", stage=Stage.CLOSED))
    assert reports.furthest_stage(record) is Stage.NEW
    legal = ClaimRecord.of(_claim("3002", ON, "10", stage=Stage.LEGAL, inkasso_on=ON))
    assert reports.furthest_stage(legal) is Stage.LEGAL


def test_payments_before_the_first_month_asked_are_left_out() -> None:
    entry = HistoryEntry(
        date(2025, 1, 5), EventKind.PAYMENT, "test", Money.of("5"), "", datetime(2025, 1, 5, tzinfo=UTC)
    )
    found = reports.collected_per_month([entry], first=date(2025, 2, 10), last=date(2025, 2, 20))
    assert [(m.month, m.total) for m in found] == [(date(2025, 2, 1), Money.zero())]
