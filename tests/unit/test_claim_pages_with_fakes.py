"""A claim's kept page (krav.services.claim_pages) on the fakes of the ports: made once and answered again while
the claim is as it was; made again after any change, on another day or with another rate table; answered but
not kept when the database is busy writing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from types import TracebackType
from typing import Any

import pytest

from krav.domain.agreement import Agreement
from krav.domain.collection.actions import Action
from krav.domain.errors import DatabaseBusy, NotFound
from krav.domain.rates import RateTables
from krav.services import claim_pages, collection, ledger
from krav.services.ledger import submission
from krav.services.queries import ClaimDetail
from tests.builders import ORGNO, RATES, consumer, invoice, make_company, post
from tests.fakes import FakeUnitOfWork, relayed_unit_of_work

DAY = date(2025, 3, 28)
VIEW = "test.claim"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    unit = relayed_unit_of_work(RATES)
    make_company(unit)
    ledger.save_customers(unit, ORGNO, [consumer("10001")])
    post(unit, invoice("1001", "10001", "1000.00", date(2025, 3, 1), date(2025, 3, 14)))
    with unit:
        unit.agreements.save(1, Agreement(active=True, activated_on=date(2025, 3, 1), accepted_by="test"))
        unit.commit()
    valid = [r.item.id for r in submission.proposal(unit, ORGNO, today=DAY, status="valid")]
    submission.submit(unit, ORGNO, valid, today=DAY)
    return unit


class Renders:
    """Renders a claim's detail as a small JSON, counting how often it was asked to."""

    def __init__(self) -> None:
        self.made = 0

    def __call__(self, detail: ClaimDetail) -> str:
        self.made += 1
        view = detail.view
        return json.dumps(  # what the page shows: enough to tell one made before a change from one made after
            {
                "invoice": view.claim.invoice_number,
                "paused": view.claim.paused,
                "interest": str(view.interest_accrued),
                "events": len(detail.history),
            }
        )


def _page(
    uow: FakeUnitOfWork, render: Renders, *, on: date = DAY, ref: str = "1001", rates: RateTables = RATES
) -> dict[str, Any]:
    body = claim_pages.claim_page(uow, uow, 1, ref, view=VIEW, on=on, rates=rates, render=render)
    found: dict[str, Any] = json.loads(body)
    return found


def test_a_page_is_made_once_and_answered_again_while_the_claim_is_as_it_was(uow: FakeUnitOfWork) -> None:
    render = Renders()
    assert claim_pages.kept_page(uow, 1, "1001", view=VIEW, on=DAY, rates=RATES) is None
    first = _page(uow, render)
    assert _page(uow, render) == first
    assert render.made == 1
    assert claim_pages.kept_page(uow, 1, "1001", view=VIEW, on=DAY, rates=RATES) == json.dumps(first)


def test_a_change_to_the_claim_makes_its_page_again(uow: FakeUnitOfWork) -> None:
    render = Renders()
    assert _page(uow, render)["paused"] is False
    done = collection.act(uow, ORGNO, ["1001"], Action.PAUSE, on=DAY, by="test", rates=RATES)
    assert all(r.accepted for r in done)
    assert claim_pages.kept_page(uow, 1, "1001", view=VIEW, on=DAY, rates=RATES) is None
    again = _page(uow, render)
    assert again["paused"] is True
    assert render.made == 2


def test_another_day_or_another_rate_table_makes_the_page_again(uow: FakeUnitOfWork) -> None:
    render = Renders()
    _page(uow, render)
    later = _page(uow, render, on=date(2025, 5, 28))
    assert render.made == 2
    assert later["interest"] != "0.00"
    other_rates = replace(RATES, interest_rates=RATES.interest_rates[:-1])
    assert claim_pages.rates_mark(other_rates) != claim_pages.rates_mark(RATES)
    _page(uow, render, on=date(2025, 5, 28), rates=other_rates)
    assert render.made == 3


def test_a_rate_tables_mark_is_the_same_for_an_equal_table() -> None:
    assert claim_pages.rates_mark(replace(RATES)) == claim_pages.rates_mark(RATES)


def test_no_such_claim_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound, match="no claim 9999"):
        _page(uow, Renders(), ref="9999")
    assert claim_pages.kept_page(uow, 1, "9999", view=VIEW, on=DAY, rates=RATES) is None


class Busy(FakeUnitOfWork):
    """A writer that finds the database busy, as SQLite's does after its short wait."""

    def __enter__(self) -> Busy:
        raise DatabaseBusy("the database is busy")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


def test_a_busy_database_answers_the_page_and_keeps_nothing(uow: FakeUnitOfWork) -> None:
    render = Renders()
    busy = Busy(before_commit=lambda _: None, store=uow.committed)
    body = claim_pages.claim_page(uow, busy, 1, "1001", view=VIEW, on=DAY, rates=RATES, render=render)
    assert json.loads(body)["invoice"] == "1001"
    assert claim_pages.kept_page(uow, 1, "1001", view=VIEW, on=DAY, rates=RATES) is None


def test_pages_of_earlier_days_are_forgotten(uow: FakeUnitOfWork) -> None:
    render = Renders()
    _page(uow, render)
    assert claim_pages.forget_stale(uow, DAY) == 0
    assert claim_pages.forget_stale(uow, date(2025, 3, 29)) == 1
    assert claim_pages.kept_page(uow, 1, "1001", view=VIEW, on=DAY, rates=RATES) is None
