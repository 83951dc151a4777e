"""The hash chains of the books and the claims' history (R-LED-1, R-ACT-5): the rule in the domain, and the audit
use case on the fakes of the ports.

A chain of three rows is checked as stored and then as someone would leave it who edited, removed or added a row
by hand: each such row is named on its own, and the rows around it are not.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from krav.adapters.ratefile import load_rate_tables
from krav.domain.audit import (
    GENESIS,
    Linked,
    Problem,
    Sealed,
    Value,
    canonical,
    chain,
    check_chain,
    content_hash,
    link,
    with_parts,
)
from krav.domain.collection.events import Event, EventKind
from krav.domain.money import Money
from krav.services import audit, ledger
from tests.builders import ORGNO, consumer, invoice, make_company, payment, post
from tests.fakes import FakeUnitOfWork, relayed_unit_of_work

D = date(2025, 3, 1)


def _stored(rows: list[dict[str, Value]]) -> list[Linked]:
    pairs = chain(GENESIS, rows)
    return [Linked("t", n, n, row, p, h) for n, (row, (p, h)) in enumerate(zip(rows, pairs, strict=True), 1)]


def _found(links: list[Linked], length: int = 3) -> list[tuple[int | None, Problem]]:
    return [(f.row_id, f.problem) for f in check_chain("t", links, length=length, place="row").findings]


ROWS: list[dict[str, Value]] = [{"n": 1, "amount_ore": 100}, {"n": 2, "amount_ore": 200}, {"n": 3, "amount_ore": 300}]


# -- the rule --------------------------------------------------------------------------------------------------


def test_the_canonical_content_does_not_depend_on_the_order_of_the_columns() -> None:
    assert canonical({"a": 1, "b": "x"}) == canonical({"b": "x", "a": 1})
    assert content_hash({"a": 1, "b": "x"}) == content_hash({"b": "x", "a": 1})


def test_a_timestamp_is_sealed_as_the_same_instant_in_utc_whatever_its_zone() -> None:
    from zoneinfo import ZoneInfo

    utc = datetime(2025, 3, 28, 9, 30, 0, 123456, tzinfo=UTC)
    oslo = utc.astimezone(ZoneInfo("Europe/Oslo"))
    assert content_hash({"at": utc}) == content_hash({"at": oslo})
    assert canonical({"at": utc}) == b'{"at":"2025-03-28T09:30:00.123456Z"}'
    with pytest.raises(ValueError, match="time zone"):
        canonical({"at": utc.replace(tzinfo=None)})


def test_nothing_and_an_empty_text_are_sealed_apart() -> None:
    assert content_hash({"kid": None}) != content_hash({"kid": ""})


def test_each_link_covers_the_row_before_it() -> None:
    pairs = chain(GENESIS, ROWS)
    assert pairs[0][0] == GENESIS
    assert [p for p, _ in pairs[1:]] == [h for _, h in pairs[:-1]]
    assert pairs[1][1] == link(pairs[0][1], ROWS[1])
    assert chain("f" * 64, ROWS)[0][1] != pairs[0][1]


def test_a_chain_as_written_holds() -> None:
    result = check_chain("t", _stored(ROWS), length=3, place="row")
    assert result.intact
    assert (result.rows, result.length, result.head) == (3, 3, _stored(ROWS)[-1].hash)


def test_a_row_whose_content_changed_is_named_alone() -> None:
    links = _stored(ROWS)
    links[1] = replace(links[1], content={"n": 2, "amount_ore": 201})
    assert _found(links) == [(2, Problem.CONTENT_CHANGED)]


def test_a_row_given_new_hashes_of_its_own_breaks_the_link_to_the_next() -> None:
    links = _stored(ROWS)
    forged = {"n": 2, "amount_ore": 201}
    links[1] = replace(links[1], content=forged, hash=link(links[1].previous or "", forged))
    assert _found(links) == [(3, Problem.CHAIN_BROKEN)]


def test_a_row_taken_out_of_the_middle_or_the_end_is_missing() -> None:
    links = _stored(ROWS)
    found = check_chain("t", [links[0], links[2]], length=3, place="row").findings
    assert [(f.row_id, f.problem, f.detail) for f in found] == [(None, Problem.ROW_MISSING, "row 2 is gone")]
    found = check_chain("t", links[:1], length=3, place="row").findings
    assert [(f.row_id, f.problem, f.detail) for f in found] == [(None, Problem.ROW_MISSING, "rows 2–3 are gone")]


def test_a_row_added_without_a_place_or_a_hash_breaks_the_chain() -> None:
    links = _stored(ROWS)
    added = Linked("t", 9, None, {"n": 9}, None, None)
    assert _found([*links, added]) == [(9, Problem.CHAIN_BROKEN)]
    unsealed = Linked("t", 4, 4, {"n": 4}, None, None)
    assert _found([*links, unsealed], length=4) == [(4, Problem.CHAIN_BROKEN)]


def test_a_part_changed_is_named_and_its_holder_is_not() -> None:
    line = {"line_no": 1, "amount_ore": 100}
    head = with_parts({"number": 1}, [content_hash(line)])
    ((previous, current),) = chain(GENESIS, [head])
    part = Sealed("voucher_line", 11, {**line, "amount_ore": 101}, content_hash(line))
    stored = Linked("voucher", 1, 1, head, previous, current, (part,))
    found = check_chain("voucher", [stored], length=1, place="voucher number").findings
    assert [(f.table, f.row_id, f.problem) for f in found] == [("voucher_line", 11, Problem.CONTENT_CHANGED)]


# -- the use case on the fakes ---------------------------------------------------------------------------------


@pytest.fixture
def uow() -> FakeUnitOfWork:
    unit = relayed_unit_of_work(load_rate_tables())
    make_company(unit)
    ledger.save_customers(unit, ORGNO, [consumer("10001")])
    post(unit, invoice("1001", "10001", "1000.00", D, date(2025, 3, 15)), invoice("1002", "10001", "300.00", D, D))
    post(unit, payment("10001", "400.00", date(2025, 3, 20), settles=("1001",)))
    with unit:
        unit.collection.add_events(
            1,
            {"K-1": 7},
            [Event("K-1", D, EventKind.SUBMITTED), Event("K-1", D, EventKind.FEE, Money.of("35.00"), "fee")],
            by="test",
        )
        unit.collection.add_events(1, {"K-1": 7}, [Event("K-1", date(2025, 3, 2), EventKind.MESSAGE)], by="test")
        unit.commit()
    return unit


def test_books_written_by_krav_are_intact(uow: FakeUnitOfWork) -> None:
    report = audit.verify(uow, ORGNO)
    assert report.intact
    (company,) = report.companies
    assert [(c.table, c.rows, c.parts, c.length) for c in company.chains] == [
        ("voucher", 3, 6, 3),
        ("claim_event", 3, 0, 3),
    ]


def test_a_voucher_line_and_an_event_edited_in_storage_are_named(uow: FakeUnitOfWork) -> None:
    store = uow.committed
    voucher = store.vouchers[1][1]
    store.vouchers[1][1] = replace(
        voucher, lines=(replace(voucher.lines[0], amount=Money.of("1.00")), *voucher.lines[1:])
    )
    event = store.events[2]
    store.events[2] = replace(event, entry=replace(event.entry, amount=Money.of("0.35")))
    report = audit.verify(uow)
    line_id = store.voucher_seals[1].line_ids[0]
    assert not report.intact
    assert [(f.table, f.row_id, f.problem) for f in report.findings] == [
        ("voucher_line", line_id, Problem.CONTENT_CHANGED),
        ("claim_event", 2, Problem.CONTENT_CHANGED),
    ]


def test_a_history_event_taken_away_is_missing(uow: FakeUnitOfWork) -> None:
    del uow.committed.events[3]
    findings = audit.verify(uow).findings
    assert [(f.table, f.row_id, f.problem, f.detail) for f in findings] == [
        ("claim_event", None, Problem.ROW_MISSING, "claim event 3 is gone")
    ]
