"""How payments reach the client account does not change what they do (R-BANK-2, R-CLM-7, R-CLM-12).

For a fixed set-up with three letters, a random set of payments — to the letters' KIDs (the letter total, with or
without something over, or parts of it), to valid KIDs no letter has, and to KIDs failing their check digit —
is written as camt.054 files split at random into one to three files, imported in a random order with some files
imported again, and then the day's run. The claims, the allocations, the letters, the settlement and the ledger
must come out exactly as when one file holding every payment is imported once. And a file imported after the
same payments were, written again in any form (other line endings, indentation, entry order, notifications; the
Nets OCR fixture with CRLF, a byte order mark), brings no payment twice. Each example runs on its own in-memory
SQLite database.

The set-up: debtors 10001 (1001: 1000.00, 1002: 500.00), 20001 (2001: 800.00) and 30001 (3001: 250.00), all due
14 March 2025; the run of 28 March sends each a notice (deadline 11 April) totalling
1542.19 (1000.00 + 35.00 + 4.79 + 500.00 + 2.40), 838.84 (800.00 + 35.00 + 3.84) and 286.20 (250.00 + 35.00 + 1.20,
250 × 0.125 × 14 / 365 = 1.1986). Payments are booked on 31 March or 1 April and applied in the run of 1 April.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from krav.adapters.db import tables as t
from krav.bootstrap import App, bootstrap
from krav.domain.agreement import Agreement
from krav.domain.collection.events import EventKind
from krav.domain.kid import KidScheme, is_valid_kid, make_kid
from krav.domain.money import Money
from krav.formats.camt054_writer import Credit, build_camt054
from krav.services import ledger
from krav.services.collection import payments
from krav.services.ports import StoredLetter, UnitOfWork
from tests import camt_variants as variants
from tests.builders import ORGNO, consumer, invoice, make_company, post, run_day
from tests.conftest import FIXTURES

NOTICE_DAY = date(2025, 3, 28)
RUN_DAY = date(2025, 4, 1)
DEBTORS = ("10001", "20001", "30001")
TOTALS = {"10001": Money.of("1542.19"), "20001": Money.of("838.84"), "30001": Money.of("286.20")}
OCR = FIXTURES / "ocr" / "netsgiro_ocr_giro_transactions.txt"


@dataclass(frozen=True)
class Pay:
    """One payment to write: ``kind`` is full (the letter total plus ``extra_ore``), part (``share`` ten-thousandths
    of the letter total, always less than it), fixed (``extra_ore`` to the letter), unknown (a valid KID with no letter) or bad (a letter's KID with a
    wrong check digit)."""

    kind: str
    debtor: str
    days_early: int
    share: int = 0
    extra_ore: int = 0


def _setup(app: App) -> UnitOfWork:
    uow = app.uow()
    make_company(uow)
    ledger.save_customers(
        uow, ORGNO, [consumer("10001"), consumer("20001", "Kari Nordmann"), consumer("30001", "Per Hansen")]
    )
    issued, due = date(2025, 3, 1), date(2025, 3, 14)
    post(
        uow,
        invoice("1001", "10001", "1000.00", issued, due),
        invoice("1002", "10001", "500.00", issued, due),
        invoice("2001", "20001", "800.00", issued, due),
        invoice("3001", "30001", "250.00", issued, due),
    )
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        uow.agreements.save(
            company.id,
            Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@example.no"),
        )
        uow.commit()
    run_day(uow, ORGNO, NOTICE_DAY, rates=app.rates, service=app.service)
    return uow


def _letters(uow: UnitOfWork) -> dict[str, StoredLetter]:
    with uow:
        found = {lt.debtor: lt for lt in uow.collection.letters(1)}
    assert {d: lt.total for d, lt in found.items()} == TOTALS
    return found


def _spoiled(kid: str) -> str:
    """``kid`` with its last digit changed to the first one that neither MOD10 nor MOD11 accepts (R-BANK-1)."""
    return next(kid[:-1] + d for d in "0123456789" if not is_valid_kid(kid[:-1] + d))


def _credit(n: int, pay: Pay, letters: dict[str, StoredLetter]) -> Credit:
    letter = letters[pay.debtor]
    assert letter.kid is not None
    total = letter.total
    booked = RUN_DAY - timedelta(days=pay.days_early)
    if pay.kind == "full":
        amount, kid = total + Money.from_ore(pay.extra_ore), letter.kid
    elif pay.kind == "part":
        amount, kid = Money.from_ore(max(1, total.ore * pay.share // 10_000)), letter.kid
    elif pay.kind == "fixed":
        amount, kid = Money.from_ore(pay.extra_ore), letter.kid
    elif pay.kind == "unknown":
        amount, kid = Money.from_ore(1 + pay.share * 7), make_kid(str(10_000 + pay.share), KidScheme.MOD10, 12)
    else:
        amount, kid = Money.from_ore(1 + pay.share * 13), _spoiled(letter.kid)
    return Credit(f"PAY{n:04d}", amount, booked, kid=kid, payer_name=f"debtor {pay.debtor}")


def _file(credits: Sequence[Credit], name: str) -> tuple[str, bytes]:
    data = build_camt054(
        "16020000000", credits, message_id=name, created=datetime.combine(RUN_DAY, time(6), tzinfo=UTC)
    )
    return f"{name}.xml", data


def _state(app: App, uow: UnitOfWork) -> dict[str, Any]:
    """Everything the payments can have changed, without the ids and clocks of their own rows."""
    with uow:
        claims = uow.collection.claims(1)
        letters = [(lt.debtor, lt.n, lt.type.value, lt.sent_on, lt.kid, lt.lines) for lt in uow.collection.letters(1)]
        settlements = uow.collection.settlements(1)
        stored = sorted((p.amount.ore, p.kid or "", p.status, p.reason or "") for p in uow.collection.payments())
    a = t.allocation
    with app.engine.connect() as conn:
        allocations = [
            tuple(row)
            for row in conn.execute(
                sa.select(
                    a.c.claim_id,
                    a.c.channel,
                    sa.func.sum(a.c.principal_ore),
                    sa.func.sum(a.c.fee_ore),
                    sa.func.sum(a.c.interest_ore),
                    sa.func.sum(a.c.salaer_ore),
                    sa.func.sum(a.c.overpaid_ore),
                )
                .group_by(a.c.claim_id, a.c.channel)
                .order_by(a.c.claim_id, a.c.channel)
            )
        ]
    balance = ledger.balance(uow, ORGNO)
    return {
        "claims": claims,
        "letters": letters,
        "allocations": allocations,
        "settlements": settlements,
        "payments": stored,
        "trial_balance": balance.trial_balance,
        "balanced": balance.balanced,
    }


def _outcome(plan: list[Pay], files: list[list[int]], order: list[int]) -> tuple[dict[str, Any], list[Any]]:
    """Run the set-up, import ``files`` (lists of indexes into ``plan``) in ``order``, run the day."""
    app = bootstrap(database_url="sqlite://")
    try:
        uow = _setup(app)
        letters = _letters(uow)
        credits = [_credit(n, pay, letters) for n, pay in enumerate(plan)]
        built = [_file([credits[i] for i in members], f"FILE-{k}") for k, members in enumerate(files)]
        reports = []
        for k in order:
            name, data = built[k]
            reports.append(payments.import_payments(uow, data, filename=name))
        run_day(uow, ORGNO, RUN_DAY, rates=app.rates, service=app.service)
        return _state(app, uow), reports
    finally:
        app.close()


def _letter_payments(debtor: str) -> st.SearchStrategy[list[Pay]]:
    """Per letter: nothing, one payment of at least its total, or one to three parts of it.

    A letter total never shares a letter with another payment here: with interest accrued after the letter's
    date, what such a pair does depends on which is applied first (see the xfail test below)."""
    early = st.integers(0, 1)
    full = st.builds(lambda e, x: [Pay("full", debtor, e, extra_ore=x)], early, st.sampled_from([0, 0, 1, 5_000]))
    part = st.builds(lambda e, s: Pay("part", debtor, e, share=s), early, st.integers(1, 9_999))
    return st.one_of(st.just([]), full, st.lists(part, min_size=1, max_size=3))


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[Pay], list[list[int]], list[int]]:
    plan: list[Pay] = []
    for debtor in DEBTORS:
        plan.extend(draw(_letter_payments(debtor)))
    others = st.builds(
        Pay, st.sampled_from(["unknown", "bad"]), st.sampled_from(DEBTORS), st.integers(0, 1), st.integers(0, 99_999)
    )
    plan.extend(draw(st.lists(others, max_size=3)))
    if not plan:
        plan.append(draw(others))
    plan = draw(st.permutations(plan))
    count = draw(st.integers(1, min(3, len(plan))))
    # the first ``count`` payments open one file each, so none is empty; the rest go anywhere
    homes = list(range(count)) + draw(
        st.lists(st.integers(0, count - 1), min_size=len(plan) - count, max_size=len(plan) - count)
    )
    files = [[i for i, home in enumerate(homes) if home == k] for k in range(count)]
    order = list(draw(st.permutations(range(count))))
    order += draw(st.lists(st.integers(0, count - 1), max_size=2))  # some files arrive again
    order = draw(st.permutations(order))
    return plan, files, order


@settings(max_examples=25, deadline=None)
@given(plans())
def test_splitting_reordering_and_repeating_payment_files_changes_nothing_r_bank_2(
    drawn: tuple[list[Pay], list[list[int]], list[int]],
) -> None:
    """R-BANK-2: the same file twice changes nothing, and every payment ends the same whatever file it came in."""
    plan, files, order = drawn
    split, reports = _outcome(plan, files, order)
    whole, single = _outcome(plan, [list(range(len(plan)))], [0])

    for report in [*reports, *single]:
        assert report.matched_total + report.unmatched_total == report.total
    seen: set[str] = set()
    for k, report in zip(order, reports, strict=True):
        name = f"FILE-{k}.xml"
        assert report.already_imported == (name in seen)
        seen.add(name)
    assert len(split["payments"]) == len(plan)  # each payment stored once, however often its file came
    assert split["balanced"]
    assert split == whole


@settings(max_examples=25, deadline=None)
@given(plans())
def test_the_kind_of_each_payment_decides_whether_it_is_matched_r_bank_1_r_clm_7(
    drawn: tuple[list[Pay], list[list[int]], list[int]],
) -> None:
    """R-BANK-1, R-CLM-7: payments with a letter's KID are applied; the others wait in the queue with a reason."""
    plan, _, _ = drawn
    state, (report,) = _outcome(plan, [list(range(len(plan)))], [0])
    letter_kinds = {"full", "part", "fixed"}
    assert [o.matched for o in report.outcomes] == [p.kind in letter_kinds for p in plan]
    reasons = [o.reason or "" for o in report.unmatched]
    expected = [
        "no letter with KID" if p.kind == "unknown" else "fails its check digit"
        for p in plan
        if p.kind not in letter_kinds
    ]
    assert all(want in got for want, got in zip(expected, reasons, strict=True))
    # what the run applied is what was matched: settled to the creditor that day, to the øre (R-BANK-3)
    remitted = Money.sum(s.total for s in state["settlements"])
    assert remitted == report.matched_total
    assert report.matched_total + report.unmatched_total == report.total


def test_a_part_payment_and_the_letter_total_on_the_same_day_end_alike_in_either_order_r_clm_12() -> None:
    """R-CLM-12: 838.84 (the total of letter 20001/1) and 100.00 both reach the account on 1 April, in two files.
    By then 800 × 0.125 × 18 / 365 = 4.93 interest had accrued; the letter said 3.84. The letter total paid by
    the deadline settles the claim and waives the 1.09, so the claim takes 800.00 + 35.00 + 3.84 and the 100.00 is
    overpaid, whichever file is read first. Read the 100.00 first and it pays 35.00 fee + 4.93 interest + 60.07
    principal; the total then pays the other 739.93 and only 98.91 is overpaid."""
    plan = [Pay("full", "20001", 0), Pay("fixed", "20001", 0, extra_ore=10_000)]
    full_first, part_first = (_outcome(plan, [[0], [1]], order)[0] for order in ([0, 1], [1, 0]))
    for state in (full_first, part_first):
        claim = next(c for c in state["claims"] if c.invoice_number == "2001")
        assert (claim.stage.value, claim.interest_paid, claim.overpaid) == (
            "closed",
            Money.of("3.84"),
            Money.of("100.00"),
        )
    assert part_first == full_first


def test_a_part_payment_spent_on_the_letters_first_claim_leaves_nothing_on_the_other_r_clm_7() -> None:
    """R-CLM-7: 200.00 to letter 10001/1 (1001: 1000.00 with the fee 35.00, 1002: 500.00) pays the fee, the
    interest and principal of the first claim in the letter's order and is spent there; the other claim gets no
    allocation and no payment in its history (a payment of 0.00 on a claim it did not reach would date its paid
    confirmation by a payment that paid nothing on it)."""
    app = bootstrap(database_url="sqlite://")
    try:
        uow = _setup(app)
        letters = _letters(uow)
        name, data = _file([_credit(0, Pay("fixed", "10001", 0, extra_ore=20_000), letters)], "PART")
        payments.import_payments(uow, data, filename=name)
        run_day(uow, ORGNO, RUN_DAY, rates=app.rates, service=app.service)
        with uow:
            claims = {c.invoice_number: c for c in uow.collection.claims(1) if c.invoice_number in ("1001", "1002")}
            paid = {
                number: [h for h in uow.collection.history(1, c.id or 0) if h.kind is EventKind.PAYMENT]
                for number, c in claims.items()
            }
        with app.engine.connect() as conn:
            a = t.allocation
            reached = dict(
                conn.execute(
                    sa.select(a.c.claim_id, sa.func.count()).where(a.c.payment_id.is_not(None)).group_by(a.c.claim_id)
                ).all()
            )
        first, other = claims["1001"], claims["1002"]
        assert first.fees_outstanding.is_zero()
        assert first.principal_outstanding < Money.of("1000.00")
        assert other.principal_outstanding == Money.of("500.00")
        assert reached == {first.id: 1}
        assert [h.amount for h in paid["1001"]] == [Money.of("200.00")]
        assert paid["1002"] == []
    finally:
        app.close()


# -- the same payments written again: no payment counted twice ------------------------------------------------------


@dataclass(frozen=True)
class Rewriting:
    """How a bank or a person writes a notification again: the entries in ``groups`` (one notification each, in
    that order), indented by ``indent`` (one line when None), with CRLF line endings or not."""

    groups: list[list[int]]
    indent: str | None
    crlf: bool

    def __call__(self, data: bytes) -> bytes:
        rewritten = variants.reindented(variants.regrouped(data, self.groups, message_id="AGAIN"), self.indent)
        return variants.with_crlf(rewritten) if self.crlf else rewritten


@st.composite
def rewritings(draw: st.DrawFn, count: int) -> Rewriting:
    order = draw(st.permutations(range(count)))
    cuts = sorted(draw(st.sets(st.integers(1, count - 1), max_size=2))) if count > 1 else []
    groups = [list(order[a:b]) for a, b in zip([0, *cuts], [*cuts, count], strict=True)]
    return Rewriting(groups, draw(st.sampled_from(["  ", "\t", None])), draw(st.booleans()))


def _imported(plan: list[Pay], references: bool, rewrite: Rewriting | None) -> tuple[dict[str, Any], list[Any]]:
    """Run the set-up, import one file holding every payment of ``plan`` (and then the same file rewritten),
    run the day."""
    app = bootstrap(database_url="sqlite://")
    try:
        uow = _setup(app)
        letters = _letters(uow)
        _, data = _file([_credit(n, pay, letters) for n, pay in enumerate(plan)], "FILE-0")
        if not references:
            data = variants.without_references(data)
        reports = [payments.import_payments(uow, data, filename="FILE-0.xml")]
        if rewrite is not None:
            reports.append(payments.import_payments(uow, rewrite(data), filename="FILE-0-again.xml"))
        run_day(uow, ORGNO, RUN_DAY, rates=app.rates, service=app.service)
        return _state(app, uow), reports
    finally:
        app.close()


@settings(max_examples=25, deadline=None)
@given(plans(), st.booleans(), st.data())
def test_a_camt054_file_written_again_in_any_form_imports_no_payment_twice_r_bank_2(
    drawn: tuple[list[Pay], list[list[int]], list[int]], references: bool, data: st.DataObject
) -> None:
    """R-BANK-2: other line endings, indentation, entry order or division into notifications, with or without
    the bank's references: every payment of the second file is a duplicate, and the claims, the letters, the
    allocations, the settlement and the ledger come out as after the first file alone."""
    plan, _, _ = drawn
    rewrite = data.draw(rewritings(len(plan)))
    once, _ = _imported(plan, references, None)
    twice, (first, again) = _imported(plan, references, rewrite)
    assert [o.duplicate for o in first.outcomes] == [False] * len(plan)
    assert [o.duplicate for o in again.outcomes] == [True] * len(plan)
    assert again.total == first.total == again.duplicates_total
    assert again.matched_total + again.unmatched_total + again.duplicates_total == again.total
    assert len(twice["payments"]) == len(plan)
    assert twice == once


@settings(max_examples=8, deadline=None)
@given(st.booleans(), st.booleans(), st.booleans())
def test_the_ocr_fixture_written_again_imports_no_payment_twice_r_bank_2(crlf: bool, bom: bool, cut: bool) -> None:
    """R-BANK-2: the 20 payments of the Nets fixture, saved again with CRLF line endings, a byte order mark or
    without the last line ending, are the same 20 payments."""
    original = OCR.read_bytes()
    rewritten = (b"\xef\xbb\xbf" if bom else b"") + (variants.with_crlf(original) if crlf else original)
    if cut:
        rewritten = rewritten.rstrip(b"\r\n")
    app = bootstrap(database_url="sqlite://")
    try:
        uow = app.uow()
        first = payments.import_payments(uow, original, filename=OCR.name)
        again = payments.import_payments(uow, rewritten, filename="again.txt")
        with uow:
            stored = uow.collection.payments()
    finally:
        app.close()
    assert (len(first.unmatched), len(stored)) == (20, 20)
    assert again.already_imported == (not (crlf or bom or cut))
    if again.already_imported:  # the very same bytes: imported before, nothing recorded again
        assert not again.duplicates
    else:
        assert (len(again.duplicates), again.duplicates_total) == (20, again.total)
