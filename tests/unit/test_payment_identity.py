"""A payment's identity is the bank's transaction, not the file's bytes (R-BANK-2).

The OCR giro fixture ``netsgiro_ocr_giro_transactions.txt`` (transmission 0170031, one assignment, agreement
001008566, 20 transactions) read again with CRLF line endings or a byte order mark gives the same 20 identities.
camt.054 notifications written by :func:`krav.formats.camt054_writer.build_camt054` (and by the builder of
``test_camt054``) give the same identities however they are written again: line endings, indentation, the
order of the entries, their division into notifications. The importer, on the fakes of the ports, records a
payment seen again as a duplicate naming the first sighting.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time

from hypothesis import given, settings
from hypothesis import strategies as st

from krav.adapters.ratefile import load_rate_tables
from krav.domain.money import Money
from krav.formats.camt054 import parse_camt054
from krav.formats.camt054_writer import Credit, build_camt054
from krav.formats.ocr_giro import parse_ocr_giro
from krav.formats.payments import parse_payment_file
from krav.services.collection import payments
from krav.services.ports import PaymentStatus
from tests import camt_variants as variants
from tests.conftest import FIXTURES
from tests.fakes import relayed_unit_of_work
from tests.unit.test_camt054 import Entry, Notification, Tx, camt054

OCR = FIXTURES / "ocr" / "netsgiro_ocr_giro_transactions.txt"
ACCOUNT = "16020000000"
BOOKED = date(2025, 4, 1)


def _camt(credits: list[Credit], message_id: str = "MSG-1") -> bytes:
    return build_camt054(ACCOUNT, credits, message_id=message_id, created=datetime.combine(BOOKED, time(6), UTC))


def _ids(data: bytes) -> Counter[str]:
    return Counter(p.bank_id for p in parse_payment_file(data, filename="file").payments)


# -- OCR giro ---------------------------------------------------------------------------------------------------


def test_an_ocr_payment_is_named_by_its_agreement_transmission_assignment_and_transaction_r_bank_2() -> None:
    parsed = parse_ocr_giro(OCR.read_bytes(), filename=OCR.name)
    ids = [p.bank_id for p in parsed.payments]
    assert len(set(ids)) == 20
    assert all(re.fullmatch(r"ocr:\d{9}:\d{7}/\d{7}/\d{7}", i) for i in ids)
    assert all(i == f"ocr:{i.split(':')[1]}:{p.reference}" for i, p in zip(ids, parsed.payments, strict=True))


def test_the_same_ocr_transmission_with_crlf_line_endings_or_a_bom_has_the_same_identities_r_bank_2() -> None:
    data = OCR.read_bytes()
    original = _ids(data)
    assert _ids(variants.with_crlf(data)) == original
    assert _ids(b"\xef\xbb\xbf" + data) == original
    assert _ids(data.rstrip(b"\n")) == original


# -- camt.054 ---------------------------------------------------------------------------------------------------


def test_a_camt054_payment_is_named_by_the_account_the_booking_date_and_the_entrys_bank_reference_r_bank_2() -> None:
    parsed = parse_camt054(_camt([Credit("REF-1", Money.of("100.00"), BOOKED, kid="0000531")]), filename="f.xml")
    assert [p.bank_id for p in parsed.payments] == [f"camt054:{ACCOUNT}:2025-04-01:CRDT:ntry:REF-1"]


def test_the_transactions_own_reference_comes_first_then_the_entrys_then_its_ntryref_r_bank_2() -> None:
    data = camt054(4, Notification((Entry("30.00", reference="E1", txs=(Tx("10.00"), Tx("20.00"))),)))
    ids = [p.bank_id for p in parse_camt054(data, filename="f.xml").payments]
    account = "NO9386011117947"
    assert ids == [
        f"camt054:{account}:2024-05-02:CRDT:ntry:E1/1",
        f"camt054:{account}:2024-05-02:CRDT:ntry:E1/2",
    ]
    own = data.replace(b"<TxDtls>", b"<TxDtls><Refs><AcctSvcrRef>T9</AcctSvcrRef></Refs>", 1)
    assert [p.bank_id for p in parse_camt054(own, filename="f.xml").payments] == [
        f"camt054:{account}:2024-05-02:CRDT:tx:T9",
        f"camt054:{account}:2024-05-02:CRDT:ntry:E1/2",
    ]
    entry_ref = data.replace(b"<AcctSvcrRef>E1</AcctSvcrRef>", b"<NtryRef>N1</NtryRef>")
    assert [p.bank_id for p in parse_camt054(entry_ref, filename="f.xml").payments] == [
        f"camt054:{account}:2024-05-02:CRDT:ref:N1/1",
        f"camt054:{account}:2024-05-02:CRDT:ref:N1/2",
    ]


def test_a_reversal_given_the_reference_of_the_payment_it_takes_back_is_not_that_payment_r_bank_2() -> None:
    payment = Entry("50.00", reference="R1", txs=(Tx("50.00"),))
    reversal = Entry("50.00", reference="R1", direction="DBIT", reversal=True, txs=(Tx("50.00"),))
    parsed = parse_camt054(camt054(4, Notification((payment, reversal))), filename="f.xml")
    first, second = (p.bank_id for p in parsed.payments)
    assert (first.split(":")[3], second.split(":")[3]) == ("CRDT", "RVSL")
    assert first != second


def test_a_bank_reference_repeated_within_a_file_gives_one_identity_r_bank_2() -> None:
    """The same payment reported twice in one file: two payments of the file, one bank transaction."""
    again = variants.regrouped(_camt([Credit("REF-1", Money.of("100.00"), BOOKED)]), [[0], [0]])
    parsed = parse_camt054(again, filename="f.xml")
    assert [p.reference for p in parsed.payments] == ["REF-1/1", "REF-1@entry-2/1"]
    assert len({p.bank_id for p in parsed.payments}) == 1


def test_without_any_reference_equal_payments_are_counted_and_others_told_apart_by_content_r_bank_2() -> None:
    credits = [
        Credit("A", Money.of("100.00"), BOOKED, kid="0000531", payer_name="Ola"),
        Credit("B", Money.of("100.00"), BOOKED, kid="0000531", payer_name="Ola"),
        Credit("C", Money.of("100.00"), BOOKED, kid="0000531", payer_name="Kari"),
    ]
    data = variants.without_references(_camt(credits))
    ids = [p.bank_id for p in parse_camt054(data, filename="f.xml").payments]
    assert all(i.startswith(f"camt054:{ACCOUNT}:2025-04-01:CRDT:x:") for i in ids)
    assert (ids[0][-2:], ids[1][-2:], ids[2][-2:]) == ("#1", "#2", "#1")
    assert ids[0][:-2] == ids[1][:-2] != ids[2][:-2]
    assert _ids(variants.regrouped(data, [[2, 1], [0]])) == Counter(ids)


@st.composite
def rewritings(draw: st.DrawFn) -> tuple[list[Credit], list[list[int]], str | None, bool, bool]:
    """Credits (some alike in everything but their reference), and how to write them again: the entries in an
    order and divided into notifications, an indentation, CRLF or not, and whether the bank gave references."""
    count = draw(st.integers(1, 8))
    amounts = draw(st.lists(st.sampled_from(["10.00", "10.00", "99.99", "1500.00"]), min_size=count, max_size=count))
    payers = draw(st.lists(st.sampled_from(["Ola", "Kari", None]), min_size=count, max_size=count))
    kids = draw(st.lists(st.sampled_from(["0000531", "0000549", None]), min_size=count, max_size=count))
    credits = [
        Credit(f"REF-{n}", Money.of(amount), BOOKED, kid=kid, payer_name=payer)
        for n, (amount, payer, kid) in enumerate(zip(amounts, payers, kids, strict=True))
    ]
    order = draw(st.permutations(range(count)))
    cuts = sorted(draw(st.sets(st.integers(1, count - 1), max_size=2))) if count > 1 else []
    groups = [list(order[a:b]) for a, b in zip([0, *cuts], [*cuts, count], strict=True)]
    indent = draw(st.sampled_from(["  ", "\t", "    ", None]))
    return credits, groups, indent, draw(st.booleans()), draw(st.booleans())


@settings(max_examples=60, deadline=None)
@given(rewritings())
def test_any_rewriting_of_a_camt054_notification_keeps_every_payments_identity_r_bank_2(
    drawn: tuple[list[Credit], list[list[int]], str | None, bool, bool],
) -> None:
    credits, groups, indent, crlf, references = drawn
    original = _camt(credits)
    if not references:
        original = variants.without_references(original)
    rewritten = variants.reindented(variants.regrouped(original, groups, message_id="MSG-2"), indent)
    if crlf:
        rewritten = variants.with_crlf(rewritten)
    assert _ids(rewritten) == _ids(original)
    assert sum(_ids(original).values()) == len(credits)


# -- the importer, on the fakes of the ports --------------------------------------------------------------------------


def test_a_payment_seen_again_is_recorded_once_as_a_duplicate_naming_the_first_r_bank_2() -> None:
    uow = relayed_unit_of_work(load_rate_tables())
    data = _camt([Credit("P1", Money.of("100.00"), BOOKED, kid="0000531"), Credit("P2", Money.of("5.00"), BOOKED)])
    first = payments.import_payments(uow, data, filename="a.xml")
    rewritten = variants.regrouped(data, [[1], [0]], message_id="MSG-2")
    again = payments.import_payments(uow, rewritten, filename="b.xml")
    same_again = payments.import_payments(uow, rewritten, filename="b-copy.xml")
    assert [o.duplicate for o in first.outcomes] == [False, False]
    assert [(o.reference, o.duplicate) for o in again.outcomes] == [("P2/1", True), ("P1/1", True)]
    assert (same_again.already_imported, len(same_again.duplicates)) == (True, 2)
    assert again.matched_total + again.unmatched_total + again.duplicates_total == again.total
    with uow:
        on_account = uow.collection.payments()
        seen_again = uow.collection.payments(status=PaymentStatus.DUPLICATE)
    assert [(p.reference, p.status, p.filename) for p in on_account] == [
        ("P1/1", PaymentStatus.UNMATCHED, "a.xml"),
        ("P2/1", PaymentStatus.UNMATCHED, "a.xml"),
    ]
    assert [(p.reference, p.status, p.reason) for p in seen_again] == [
        (
            "P2/1",
            PaymentStatus.DUPLICATE,
            "already received as payment 2 (P2/1 in a.xml, 01.04.2025); not applied again",
        ),
        (
            "P1/1",
            PaymentStatus.DUPLICATE,
            "already received as payment 1 (P1/1 in a.xml, 01.04.2025); not applied again",
        ),
    ]
