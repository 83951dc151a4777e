"""Claims imported from an earlier collection service go on exactly as if Krav had run them from the start.

Each case runs one debtor's two invoices (1001 of 1000.00 and 1002 of 500.00, due 14 March 2025) through Krav
from the due date, exports on the import day what an earlier service would have known of them (the migration
file, docs/migration.md), imports that file into a fresh database on that day, runs both on to 1 July 2025 and
compares the letters (day, type, deadline, every amount on every line), the collection lists and the claims'
figures.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from krav.adapters.db.engine import make_engine
from krav.adapters.db.migrate import upgrade
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.actions import Action
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.letters import LetterType
from krav.domain.errors import ImportRefused
from krav.domain.kid import KidScheme, make_kid
from krav.domain.money import Money
from krav.services import audit, collection, ledger
from krav.services.claim_import import import_claims
from krav.services.daily_run import run_creditor_day
from krav.services.ports import ClientPayment, Collaborators, UnitOfWork
from tests.builders import ORGNO, RATES, collaborators, consumer, invoice, make_company, payment, post

ISSUED, DUE = date(2025, 2, 28), date(2025, 3, 14)
#: the letters a migration file names as a claim's latest (the one its KID is for)
LATEST = {LetterType.REMINDER, LetterType.NOTICE, LetterType.PAYMENT_DEMAND, LetterType.LEGAL_NOTICE}
END = date(2025, 7, 1)

#: (stage at import, reminder before notice, import day): the import day's run has been done in Krav.
CASES = [
    ("reminder", True, date(2025, 3, 24)),  # reminder 21 March, deadline 28 March
    ("notice", False, date(2025, 4, 1)),  # notice 28 March, deadline 11 April
    ("collection_list", False, date(2025, 4, 15)),  # listed Tuesday 15 April, Thursday 17 April is a holiday
    ("inkasso", False, date(2025, 4, 25)),  # payment demand 22 April, deadline 6 May
    ("inkasso", False, date(2025, 6, 5)),  # notice of legal collection 4 June, heavy salær, deadline 18 June
    ("legal", False, date(2025, 6, 20)),  # legal since 19 June
]


def _setup(uow: UnitOfWork, *, reminder_first: bool) -> None:
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001")])
    post(uow, invoice("1001", "10001", "1000.00", ISSUED, DUE), invoice("1002", "10001", "500.00", ISSUED, DUE))
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        agreement = Agreement(
            active=True,
            activated_on=ISSUED,
            accepted_by="test",
            collection_list_email="liste@example.no",
            reminder_before_notice=reminder_first,
        )
        uow.agreements.save(company.id, agreement)
        uow.commit()


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


#: a payment to the client account: the day, the day of the letter paid, the KID it carries, the amount
Paid = tuple[date, date, str, Money]


def _pay(uow: UnitOfWork, on: date, kid: str, amount: Money) -> None:
    """A payment with ``kid`` reaches the client account on ``on`` (as a payment file would bring it)."""
    with uow:
        letter = uow.collection.letter_by_kid(kid)
        assert letter is not None, f"no letter with KID {kid}"
        uow.collection.add_payment(
            ClientPayment(
                received_on=on,
                amount=amount,
                reference=f"{on.isoformat()}-{kid}",
                source="test",
                kid=kid,
                company_id=letter.company_id,
                letter_id=letter.id,
            )
        )
        uow.commit()


def _kid_of_letter(uow: UnitOfWork, sent_on: date) -> str:
    with uow:
        company_id = uow.companies.get(ORGNO).id
        assert company_id is not None
        kid = next(lt.kid for lt in uow.collection.letters(company_id) if lt.sent_on == sent_on and lt.kid)
    assert kid is not None
    return kid


#: what the creditor does on a day, before its run: (invoice, action, text)
Acts = dict[date, list[tuple[str, Action, str | None]]]


def _act(uow: UnitOfWork, day: date, acts: Acts) -> None:
    for number, action, text in acts.get(day, []):
        [result] = collection.act(uow, ORGNO, [number], action, on=day, by="creditor", rates=RATES, text=text)
        assert result.accepted, result


def _run(
    uow: UnitOfWork,
    first: date,
    last: date,
    collab: Collaborators,
    paid: Sequence[Paid] = (),
    imported_on: date = END,
    acts: Acts | None = None,
) -> None:
    """Run the days from ``first`` to ``last``, the payments of ``paid`` arriving on theirs: a letter sent by
    ``imported_on`` is the earlier service's, paid with its KID; a later one is Krav's, paid with Krav's."""
    for day in _days(first, last):
        for on, letter_on, kid, amount in paid:
            if on == day:
                _pay(uow, on, earlier_kid(kid) if letter_on <= imported_on else _kid_of_letter(uow, letter_on), amount)
        _act(uow, day, acts or {})
        run_creditor_day(uow, ORGNO, day, collab)


def krav_from_due(
    path: Path,
    *,
    reminder_first: bool,
    export_on: set[date],
    pays: dict[date, tuple[date, str | None]],
    acts: Acts | None = None,
) -> tuple[dict[date, bytes], UnitOfWork, list[Paid]]:
    """Krav runs the invoices from their due date to the end; ``pays`` pays on a day the letter sent on a day
    (the amount given, or its total); the migration file is exported after the run of each day of ``export_on``.
    Returns the exports, the database at the end, and the payments made."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    uow = unit_of_work(engine)
    _setup(uow, reminder_first=reminder_first)
    collab = collaborators()
    exports: dict[date, bytes] = {}
    paid: list[Paid] = []
    for day in _days(DUE + timedelta(days=1), END):
        if day in pays:
            letter_on, amount = pays[day]
            with uow:
                company_id = uow.companies.get(ORGNO).id
                assert company_id is not None
                letter = next(lt for lt in uow.collection.letters(company_id) if lt.sent_on == letter_on and lt.kid)
            assert letter.kid is not None
            paid.append((day, letter_on, letter.kid, Money.of(amount) if amount else letter.total))
            _pay(uow, day, letter.kid, paid[-1][3])
        _act(uow, day, acts or {})
        run_creditor_day(uow, ORGNO, day, collab)
        if day in export_on:
            exports[day] = export(uow)
    return exports, uow, paid


def _amount(money: Any) -> str:
    return str(money.amount)


def earlier_kid(kid: str) -> str:
    """The KID the earlier service gave the letter Krav gave ``kid``: its own series, variant digit 9 (a KID of
    Krav's own form is refused, as Krav would one day give it to another letter)."""
    return make_kid("9" + kid[1:-1], KidScheme.MOD10, len(kid))


def export(uow: UnitOfWork) -> bytes:
    """What an earlier service knew of its open claims: the migration file it would write (docs/migration.md)."""
    with uow:
        company_id = uow.companies.get(ORGNO).id
        assert company_id is not None
        claims = uow.collection.claims(company_id)
        letters = uow.collection.letters(company_id)
        paid_on = uow.collection.payments_applied(company_id, [c.collection_id for c in claims])
    lines = []
    for claim in claims:
        d, case = claim.deadlines, claim.case
        record: dict[str, Any] = {
            "invoice": claim.invoice_number,
            "customer": claim.debtor.number,
            "stage": claim.stage.value,
            "earlier_id": f"AC-{claim.invoice_number}",
            "principal": _amount(claim.principal),
            "interest_to": claim.segment_start.isoformat(),
            "interest": _amount(claim.interest_booked),
        }
        if d.reminder_deadline is not None and d.first_letter_on is not None:
            record |= {"reminder_sent": str(d.first_letter_on), "reminder_deadline": str(d.reminder_deadline)}
        if d.notice_sent_on is not None:
            record |= {
                "notice_sent": str(d.notice_sent_on),
                "notice_deadline": str(d.notice_deadline),
                "notice_fee": _amount(claim.fees_charged),
            }
        if claim.listing.listed_on is not None:
            record["listed_on"] = str(claim.listing.listed_on)
        if case.inkasso_on is not None:
            record |= {
                "demand_sent": str(case.inkasso_on),
                "demand_deadline": str(case.demand_deadline),
                "salaer": _amount(claim.salaer_charged),
            }
        if case.legal_notice_on is not None:
            record |= {"legal_notice_sent": str(case.legal_notice_on), "legal_deadline": str(case.legal_deadline)}
        if claim.paused:
            record["paused_on"] = str(claim.paused_on)
        if claim.disputed:
            record["disputed_on"] = str(claim.objection_state.disputed_on)
        on_letters = [
            (lt.kid, ln.total)
            for lt in letters
            for ln in lt.lines
            if lt.kid and lt.type in LATEST and ln.invoice_number == claim.invoice_number
        ]
        if on_letters:
            kid, total = on_letters[-1]
            record["kid"] = earlier_kid(kid)
            record["letter_amount"] = _amount(total)
        applied = [
            p
            for p in paid_on.get(claim.collection_id, [])
            if not (p.principal + p.fee + p.salaer + p.interest).is_zero()
        ]
        if applied:
            record["payments"] = [
                {
                    "date": str(p.on),
                    "amount": _amount(p.principal + p.fee + p.salaer + p.interest),
                    "principal": _amount(p.principal),
                    "fees": _amount(p.fee),
                    "salaer": _amount(p.salaer),
                    "interest": _amount(p.interest),
                }
                for p in applied
            ]
        lines.append(json.dumps(record))
    return ("\n".join(lines) + "\n").encode()


def _claim_figures(claim: Claim) -> tuple[Any, ...]:
    return (
        claim.invoice_number,
        claim.stage,
        claim.principal_outstanding,
        claim.fees_charged,
        claim.fees_outstanding,
        claim.fee_letters,
        claim.salaer_charged,
        claim.salaer_outstanding,
        claim.case.salaer_level,
        claim.interest_booked,
        claim.segment_start,
        claim.deadlines,
        claim.listing,
        (claim.case.inkasso_on, claim.case.demand_deadline, claim.case.legal_notice_on, claim.case.legal_deadline),
        claim.next_action_on,
        claim.rule_set,
    )


def outcome(uow: UnitOfWork, after: date) -> dict[str, Any]:
    """The letters and lists after ``after`` and the claims' figures now, without what names the database
    (collection IDs, KIDs, case numbers)."""
    with uow:
        company_id = uow.companies.get(ORGNO).id
        assert company_id is not None
        letters = [
            (
                lt.sent_on,
                lt.type,
                lt.deadline,
                [
                    (
                        ln.invoice_number,
                        ln.principal,
                        ln.fee,
                        ln.interest,
                        ln.salaer,
                        ln.interest_rate,
                        ln.interest_from,
                        ln.fees_charged,
                        ln.salaer_charged,
                    )
                    for ln in lt.lines
                ],
            )
            for lt in uow.collection.letters(company_id)
            if lt.sent_on > after
        ]
        lists = [(day, invoices) for day, invoices, _ in uow.collection.lists(company_id) if day > after]
        claims = [_claim_figures(c) for c in uow.collection.claims(company_id)]
    return {"letters": letters, "lists": lists, "claims": claims}


@pytest.fixture(scope="module")
def krav_all_along(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, tuple[dict[date, bytes], UnitOfWork]]:
    """Both agreements run by Krav from the due date to the end: the migration file exported on each import day,
    and the database at the end."""
    out: dict[bool, tuple[dict[date, bytes], UnitOfWork]] = {}
    for reminder_first in (False, True):
        path: Path = tmp_path_factory.mktemp("all-along") / "krav.sqlite3"
        days = {on for _, r, on in CASES if r is reminder_first}
        exports, uow, _ = krav_from_due(path, reminder_first=reminder_first, export_on=days, pays={})
        out[reminder_first] = (exports, uow)
    return out


@pytest.mark.parametrize(("stage", "reminder_first", "import_day"), CASES)
def test_an_imported_claim_goes_on_as_if_krav_had_run_it_from_its_due_date(
    engine: Engine,
    krav_all_along: dict[bool, tuple[dict[date, bytes], UnitOfWork]],
    stage: str,
    reminder_first: bool,
    import_day: date,
) -> None:
    """R-CLM-2, R-CLM-3, R-CLM-4, R-CLM-5, R-CLM-13: the next letter, list, transfer or legal notice comes on the
    same day with the same amounts; the two-fee limit and the heavy salær count what was charged before."""
    exports, all_along = krav_all_along[reminder_first]
    data = exports[import_day]
    assert {json.loads(line)["stage"] for line in data.decode().splitlines()} == {stage}
    uow = unit_of_work(engine)
    _setup(uow, reminder_first=reminder_first)
    report = import_claims(uow, ORGNO, data, filename="claims.jsonl", today=import_day, rates=RATES)
    assert [c.invoice for c in report.claims] == ["1001", "1002"]
    _run(uow, import_day + timedelta(days=1), END, collaborators())
    imported, krav = outcome(uow, import_day), outcome(all_along, import_day)
    assert imported["letters"] == krav["letters"]
    assert imported["lists"] == krav["lists"]
    for mine, theirs in zip(imported["claims"], krav["claims"], strict=True):
        assert mine == theirs
    assert imported["letters"] or imported["claims"][0][1] is Stage.LEGAL, "something happens after the import"


PAYMENTS = [
    # the payment demand's total paid by its KID before its deadline: settled in full (R-CLM-12)
    ("inkasso", date(2025, 4, 25), {date(2025, 5, 2): (date(2025, 4, 22), None)}),
    # part of the notice paid before the import, then the payment demand's total paid late (R-CLM-7)
    (
        "notice",
        date(2025, 4, 8),
        {date(2025, 4, 3): (date(2025, 3, 28), "200.00"), date(2025, 5, 20): (date(2025, 4, 22), None)},
    ),
    # the notice of legal collection's total, paid by its KID within its deadline
    ("inkasso", date(2025, 6, 5), {date(2025, 6, 10): (date(2025, 6, 4), None)}),
]


def _settled_by_the_earlier_service(uow: UnitOfWork, data: bytes) -> None:
    """The principal the earlier service collected, remitted and posted in the creditor's books before the move."""
    for line in data.decode().splitlines():
        record = json.loads(line)
        for p in record.get("payments", []):
            if Money.of(p["principal"]).is_positive():
                post(
                    uow,
                    payment(record["customer"], p["principal"], date.fromisoformat(p["date"]), (record["invoice"],)),
                )


@pytest.mark.parametrize(("stage", "import_day", "pays"), PAYMENTS)
def test_payments_to_the_earlier_kid_are_matched_as_krav_would_have_matched_its_own(
    engine: Engine, tmp_path: Path, stage: str, import_day: date, pays: dict[date, tuple[date, str | None]]
) -> None:
    """R-CLM-7, R-CLM-12, R-BANK-1: the earlier KID is kept for the letter it was on; payments made before the
    import are in the file with how they were applied."""
    exports, all_along, paid = krav_from_due(
        tmp_path / "all-along.sqlite3", reminder_first=False, export_on={import_day}, pays=pays
    )
    data = exports[import_day]
    assert {json.loads(line)["stage"] for line in data.decode().splitlines()} == {stage}
    uow = unit_of_work(engine)
    _setup(uow, reminder_first=False)
    _settled_by_the_earlier_service(uow, data)
    import_claims(uow, ORGNO, data, filename="claims.jsonl", today=import_day, rates=RATES)
    later = [p for p in paid if p[0] > import_day]
    assert later
    _run(uow, import_day + timedelta(days=1), END, collaborators(), later, imported_on=import_day)
    imported, krav = outcome(uow, import_day), outcome(all_along, import_day)
    assert imported["letters"] == krav["letters"]
    assert imported["lists"] == krav["lists"]
    assert imported["claims"] == krav["claims"]


def test_a_pause_and_an_objection_in_force_go_on_as_before(engine: Engine, tmp_path: Path) -> None:
    """R-ACT-1, R-CLM-15: a claim paused and one disputed on the earlier service, resumed and answered after the
    import, go on as they would have in Krav."""
    import_day = date(2025, 4, 10)
    acts: Acts = {
        date(2025, 4, 8): [("1001", Action.PAUSE, None)],
        date(2025, 4, 9): [("1002", Action.DISPUTE, "Ikke levert")],
        date(2025, 4, 24): [("1001", Action.RESUME, None), ("1002", Action.REJECT, "Levert 28.02")],
    }
    exports, all_along, _ = krav_from_due(
        tmp_path / "all-along.sqlite3", reminder_first=False, export_on={import_day}, pays={}, acts=acts
    )
    data = exports[import_day]
    records = [json.loads(line) for line in data.decode().splitlines()]
    assert [(r.get("paused_on"), r.get("disputed_on")) for r in records] == [("2025-04-08", None), (None, "2025-04-09")]
    uow = unit_of_work(engine)
    _setup(uow, reminder_first=False)
    import_claims(uow, ORGNO, data, filename="claims.jsonl", today=import_day, rates=RATES)
    _run(uow, import_day + timedelta(days=1), END, collaborators(), acts=acts)
    imported, krav = outcome(uow, import_day), outcome(all_along, import_day)
    assert [lt[1] for lt in imported["letters"]][:1] == [LetterType.OBJECTION_ANSWER]
    assert imported == krav


def test_the_claim_history_shows_the_imported_past_as_imported(
    engine: Engine, krav_all_along: dict[bool, tuple[dict[date, bytes], UnitOfWork]]
) -> None:
    """R-ACT-5: the earlier service's letters, fees and salær are in the history, by the import, on their days."""
    exports, _ = krav_all_along[False]
    uow = unit_of_work(engine)
    _setup(uow, reminder_first=False)
    import_claims(uow, ORGNO, exports[date(2025, 6, 5)], filename="claims.jsonl", today=date(2025, 6, 5), rates=RATES)
    with uow:
        company_id = uow.companies.get(ORGNO).id
        assert company_id is not None
        claim = uow.collection.claims(company_id)[0]
        assert claim.id is not None
        history = [(e.date, e.kind, e.by, e.detail) for e in uow.collection.history(company_id, claim.id)]
    assert all(by == "import" and "imported" in detail for _, _, by, detail in history)
    assert [(day, kind) for day, kind, _, _ in history] == [
        (date(2025, 6, 5), "submitted"),
        (date(2025, 3, 28), "letter"),
        (date(2025, 3, 28), "fee"),
        (date(2025, 4, 15), "stage"),
        (date(2025, 4, 22), "letter"),
        (date(2025, 6, 4), "letter"),
        (date(2025, 6, 4), "salaer"),
        (date(2025, 6, 5), "message"),
    ]


def _claims_stored(uow: UnitOfWork) -> tuple[int, list[str | None]]:
    with uow:
        company_id = uow.companies.get(ORGNO).id
        assert company_id is not None
        return len(uow.collection.claims(company_id)), [i.collection_id for i in uow.ledger.items(company_id)]


def test_the_same_file_twice_changes_nothing(
    engine: Engine, krav_all_along: dict[bool, tuple[dict[date, bytes], UnitOfWork]]
) -> None:
    exports, _ = krav_all_along[False]
    uow = unit_of_work(engine)
    _setup(uow, reminder_first=False)
    day = date(2025, 4, 15)
    import_claims(uow, ORGNO, exports[day], filename="claims.jsonl", today=day, rates=RATES)
    before = _claims_stored(uow)
    again = import_claims(uow, ORGNO, exports[day], filename="claims.jsonl", today=day, rates=RATES)
    assert again.already_imported
    assert _claims_stored(uow) == before
    assert before[0] == 2


NOTICE = {
    "invoice": "1001",
    "customer": "10001",
    "stage": "notice",
    "earlier_id": "AC-1",
    "principal": "1000.00",
    "notice_sent": "2025-03-28",
    "notice_deadline": "2025-04-11",
    "notice_fee": "35.00",
}
INKASSO = NOTICE | {
    "stage": "inkasso",
    "listed_on": "2025-04-15",
    "demand_sent": "2025-04-22",
    "demand_deadline": "2025-05-06",
    "salaer": "245.00",
}


@pytest.mark.parametrize(
    ("record", "field", "says"),
    [
        (INKASSO | {"demand_sent": "2025-04-10", "listed_on": None}, "demand_sent", "before the notice's deadline"),
        (NOTICE | {"notice_fee": "70.00"}, "notice_fee", "above the § 1-3 limit of 35.00 NOK"),
        (NOTICE | {"notice_sent": "2025-03-20", "notice_deadline": "2025-04-03"}, "notice_fee", "less than 14 days"),
        (
            NOTICE
            | {
                "stage": "notice",
                "reminder_sent": "2025-03-21",
                "reminder_deadline": "2025-03-27",
                "reminder_fee": "35",
            },
            "notice_fee",
            "a second fee only after a missed deadline of at least 14 days",
        ),
        (INKASSO | {"salaer": "245.01"}, "salaer", "above the table's 245.00 NOK"),
        (NOTICE | {"principal": "900.00"}, "principal", "the ledger says 1000.00 NOK remains"),
        (
            NOTICE | {"payments": [{"date": "2025-04-01", "amount": "100.00", "principal": "60.00", "fees": "35.00"}]},
            "amount",
            "sum to 95.00 NOK, not 100.00 NOK",
        ),
        (NOTICE | {"customer": "20001"}, "customer", "to customer 10001 in the ledger"),
        (NOTICE | {"invoice": "9999"}, "invoice", "no open item 9999"),
        (NOTICE | {"stage": "inkasso"}, "demand_sent", "a claim in stage inkasso has had this letter"),
        (NOTICE | {"listed_on": "2025-04-15"}, "listed_on", "contradicts stage notice"),
        (NOTICE | {"notice_deadline": "2025-04-05"}, "notice_deadline", "less than 14 days after"),
        (NOTICE | {"notice_fee": "1E+3"}, "notice_fee", "not an amount"),
        (NOTICE | {"colour": "red"}, "colour", "unknown field"),
        (NOTICE | {"kid": "000000000018", "letter_amount": "1040.00"}, "kid", "the form of Krav's own KIDs"),
        (NOTICE | {"kid": "900000000018", "letter_amount": "1040.00"}, "kid", "no KID"),
        (NOTICE | {"kid": "900000000019", "letter_amount": "1000.00"}, "letter_amount", "less than"),
        (NOTICE | {"kid": "900000000019"}, "letter_amount", "missing"),
        (NOTICE | {"stage": "closed"}, "stage", "is not one of"),
    ],
)
def test_a_contradiction_is_refused_with_its_line_and_field_and_nothing_is_stored(
    engine: Engine, record: dict[str, Any], field: str, says: str
) -> None:
    """R-CLM-3 (§ 1-3), R-CLM-5: each problem named with its line and field; the whole file refused."""
    uow = unit_of_work(engine)
    _setup(uow, reminder_first=False)
    good = NOTICE | {"invoice": "1002", "principal": "500.00", "earlier_id": "AC-2"}
    lines = ["# from the earlier service", json.dumps(good), json.dumps({k: v for k, v in record.items() if v})]
    with pytest.raises(ImportRefused) as refused:
        import_claims(
            uow, ORGNO, "\n".join(lines).encode(), filename="claims.jsonl", today=date(2025, 6, 1), rates=RATES
        )
    found = [(p.where, p.field, p.message) for p in refused.value.problems]
    assert any("line 3" in where and f == field and says in message for where, f, message in found), found
    assert all(where.startswith("claims.jsonl, line 3") for where, _, _ in found), found
    assert _claims_stored(uow) == (0, [None, None])


def test_a_csv_file_is_imported_as_its_json_lines_would_be(engine: Engine) -> None:
    uow = unit_of_work(engine)
    _setup(uow, reminder_first=False)
    data = (
        "invoice;customer;stage;earlier_id;principal;notice_sent;notice_deadline;notice_fee\n"
        "1001;10001;notice;AC-1;1 000,00;28.03.2025;11.04.2025;35,00\n"
        "1002;10001;notice;AC-2;500,00;28.03.2025;11.04.2025;70,00\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_claims(uow, ORGNO, data.encode(), filename="claims.csv", today=date(2025, 4, 1), rates=RATES)
    assert [(p.where, p.field) for p in refused.value.problems] == [("claims.csv, line 3", "notice_fee")]
    assert _claims_stored(uow) == (0, [None, None])
    fixed = data.replace("70,00", "0,00").encode()
    report = import_claims(uow, ORGNO, fixed, filename="claims.csv", today=date(2025, 4, 1), rates=RATES)
    assert [(c.invoice, c.stage) for c in report.claims] == [("1001", "notice"), ("1002", "notice")]


def test_stage_and_dates_of_a_good_file_store_the_claims_in_their_stage(engine: Engine) -> None:
    uow = unit_of_work(engine)
    _setup(uow, reminder_first=False)
    lines = [json.dumps(INKASSO), json.dumps(NOTICE | {"invoice": "1002", "principal": "500.00", "earlier_id": "A2"})]
    import_claims(uow, ORGNO, "\n".join(lines).encode(), filename="c.jsonl", today=date(2025, 4, 25), rates=RATES)
    with uow:
        company_id = uow.companies.get(ORGNO).id
        assert company_id is not None
        stages = {c.invoice_number: c.stage for c in uow.collection.claims(company_id)}
    assert stages == {"1001": Stage.INKASSO, "1002": Stage.NOTICE}
    with uow:
        items = {i.number: (i.collection_id, i.fee_outstanding) for i in uow.ledger.items(company_id)}
    # R-LED-3: the open items are the claims', with their outstanding fees kept in step
    assert {number: fee for number, (_, fee) in items.items()} == {"1001": Money.of("35.00"), "1002": Money.of("35.00")}
    assert all(cid is not None for cid, _ in items.values())
    # R-ACT-5: the imported history is sealed in the claims' hash chain like any other
    assert audit.verify(uow, ORGNO).intact
