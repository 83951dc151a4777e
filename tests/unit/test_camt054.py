"""ISO 20022 camt.054 import (R-BANK-2): the genkgo fixtures, files of versions 02, 04 and 08 built here, and
files that must be refused.

The fixtures ``genkgo_camt054.v2.xml`` and ``.v4.xml`` (genkgo/camt, read from ``../shared/fixtures/camt/``)
each hold one notification with one entry of 200 000 SEK that is a debit (``CdtDbtInd`` DBIT, booked
18.10.2007; the .02 one with ``AcctSvcrRef`` AAAASESS-FP-ACCR001, the .04 one ACSR160617103200001): no payment
to the client account. Both import with 0 payments, 1 skipped entry, a total of 0,00. The details under the
.04 debit (CHF transactions of 3,10 + 3,20 + 3,20 that cannot make up 200 000 SEK) are not read.

The builder below writes what the three shapes differ in: .02 puts a transaction's amount in
``AmtDtls/TxAmt/Amt``, .04 and .08 in ``TxDtls/Amt``; .08 writes the status ``<Sts><Cd>BOOK</Cd></Sts>`` and
the debtor as ``Dbtr/Pty/Nm``; the net total is ``TtlNetNtryAmt`` in .02 and ``TtlNetNtry/Amt`` after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krav.domain.errors import FileFormatError
from krav.domain.money import Money
from krav.formats.camt054 import camt054_namespace, parse_camt054
from krav.formats.camt054_writer import Credit, build_camt054
from krav.formats.payments import PaymentFile

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "camt"
VERSIONS = (2, 4, 8)
ACCOUNT = "NO9386011117947"


# -- a small camt.054 builder -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tx:
    amount: str | None
    kid: str | None = None
    kid_type: str | None = "SCOR"  # None: CdtrRefInf without Tp; "ISR": a proprietary type
    more_kids: tuple[str, ...] = ()
    text: str | None = None
    debtor: str | None = None
    debtor_account: str | None = None
    end_to_end: str | None = None
    direction: str | None = None  # TxDtls/CdtDbtInd (not written in .02)
    currency: str = "NOK"
    accepted: str | None = None  # RltdDts/AccptncDtTm: when the payer's bank accepted the order (R-CLM-14)


@dataclass(frozen=True)
class Entry:
    amount: str
    txs: tuple[Tx, ...] = ()
    direction: str = "CRDT"
    reversal: bool = False
    status: str = "BOOK"
    booked: str | None = "2024-05-02"
    value: str | None = "2024-05-02"
    reference: str | None = None
    batch: bool = False
    currency: str = "NOK"
    info: str | None = None


@dataclass(frozen=True)
class Summary:
    """What ``TxsSummry`` declares; ``auto`` fills in the true figures."""

    count: int | None = None
    total: str | None = None
    credit_count: int | None = None
    credit_total: str | None = None
    debit_count: int | None = None
    debit_total: str | None = None
    net: str | None = None  # signed


@dataclass(frozen=True)
class Notification:
    entries: tuple[Entry, ...]
    account: str = ACCOUNT
    summary: Summary | None = None
    auto_summary: bool = False


def auto_summary(entries: tuple[Entry, ...]) -> Summary:
    credits = [Decimal(e.amount) for e in entries if e.direction == "CRDT"]
    debits = [Decimal(e.amount) for e in entries if e.direction == "DBIT"]
    return Summary(
        count=len(entries),
        total=str(sum(credits + debits, Decimal(0))),
        credit_count=len(credits),
        credit_total=str(sum(credits, Decimal(0))),
        debit_count=len(debits),
        debit_total=str(sum(debits, Decimal(0))),
        net=str(sum(credits, Decimal(0)) - sum(debits, Decimal(0))),
    )


def _reference_xml(tx: Tx, kid: str) -> str:
    if tx.kid_type is None:
        kind = ""
    elif tx.kid_type == "SCOR":
        kind = "<Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
    else:
        kind = f"<Tp><CdOrPrtry><Prtry>{tx.kid_type}</Prtry></CdOrPrtry></Tp>"
    return f"<Strd><CdtrRefInf>{kind}<Ref>{escape(kid)}</Ref></CdtrRefInf></Strd>"


def _tx_xml(version: int, tx: Tx) -> str:
    parts = ["<TxDtls>"]
    if tx.end_to_end is not None:
        parts.append(f"<Refs><EndToEndId>{escape(tx.end_to_end)}</EndToEndId></Refs>")
    if tx.amount is not None:
        if version == 2:
            parts.append(f'<AmtDtls><TxAmt><Amt Ccy="{tx.currency}">{tx.amount}</Amt></TxAmt></AmtDtls>')
        else:
            parts.append(f'<Amt Ccy="{tx.currency}">{tx.amount}</Amt>')
            if tx.direction is not None:
                parts.append(f"<CdtDbtInd>{tx.direction}</CdtDbtInd>")
    if tx.debtor is not None or tx.debtor_account is not None:
        parts.append("<RltdPties>")
        if tx.debtor is not None:
            name = f"<Nm>{escape(tx.debtor)}</Nm>"
            parts.append(f"<Dbtr><Pty>{name}</Pty></Dbtr>" if version >= 8 else f"<Dbtr>{name}</Dbtr>")
        if tx.debtor_account is not None:
            parts.append(f"<DbtrAcct><Id><Othr><Id>{tx.debtor_account}</Id></Othr></Id></DbtrAcct>")
        parts.append("</RltdPties>")
    kids = ([tx.kid] if tx.kid is not None else []) + list(tx.more_kids)
    if tx.text is not None or kids:
        parts.append("<RmtInf>")
        if tx.text is not None:
            parts.append(f"<Ustrd>{escape(tx.text)}</Ustrd>")
        parts.extend(_reference_xml(tx, kid) for kid in kids)
        parts.append("</RmtInf>")
    if tx.accepted is not None:
        parts.append(f"<RltdDts><AccptncDtTm>{tx.accepted}</AccptncDtTm></RltdDts>")
    parts.append("</TxDtls>")
    return "".join(parts)


def _date_xml(name: str, value: str | None) -> str:
    if value is None:
        return ""
    inner = f"<DtTm>{value}</DtTm>" if "T" in value else f"<Dt>{value}</Dt>"
    return f"<{name}>{inner}</{name}>"


def _entry_xml(version: int, entry: Entry) -> str:
    status = f"<Sts><Cd>{entry.status}</Cd></Sts>" if version >= 8 else f"<Sts>{entry.status}</Sts>"
    parts = [
        "\n<Ntry>",
        f'<Amt Ccy="{entry.currency}">{entry.amount}</Amt>',
        f"<CdtDbtInd>{entry.direction}</CdtDbtInd>",
        "<RvslInd>true</RvslInd>" if entry.reversal else "",
        status,
        _date_xml("BookgDt", entry.booked),
        _date_xml("ValDt", entry.value),
        f"<AcctSvcrRef>{escape(entry.reference)}</AcctSvcrRef>" if entry.reference else "",
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>",
    ]
    if entry.txs:
        parts.append("<NtryDtls>")
        if entry.batch:
            total = sum((Decimal(t.amount or "0") for t in entry.txs), Decimal(0))
            parts.append(
                f'<Btch><NbOfTxs>{len(entry.txs)}</NbOfTxs><TtlAmt Ccy="{entry.currency}">{total}</TtlAmt>'
                f"<CdtDbtInd>{entry.direction}</CdtDbtInd></Btch>"
            )
        parts.extend("\n" + _tx_xml(version, tx) for tx in entry.txs)
        parts.append("</NtryDtls>")
    if entry.info is not None:
        parts.append(f"<AddtlNtryInf>{escape(entry.info)}</AddtlNtryInf>")
    parts.append("</Ntry>")
    return "".join(parts)


def _summary_xml(version: int, summary: Summary) -> str:
    def part(name: str, count: int | None, total: str | None) -> str:
        if count is None and total is None:
            return ""
        inner = (f"<NbOfNtries>{count}</NbOfNtries>" if count is not None else "") + (
            f"<Sum>{total}</Sum>" if total is not None else ""
        )
        return f"<{name}>{inner}{{net}}</{name}>" if name == "TtlNtries" else f"<{name}>{inner}</{name}>"

    net = ""
    if summary.net is not None:
        value = Decimal(summary.net)
        indicator = "DBIT" if value < 0 else "CRDT"
        if version == 2:
            net = f"<TtlNetNtryAmt>{abs(value)}</TtlNetNtryAmt><CdtDbtInd>{indicator}</CdtDbtInd>"
        else:
            net = f"<TtlNetNtry><Amt>{abs(value)}</Amt><CdtDbtInd>{indicator}</CdtDbtInd></TtlNetNtry>"
    total = part("TtlNtries", summary.count, summary.total).replace("{net}", net)
    credits = part("TtlCdtNtries", summary.credit_count, summary.credit_total)
    debits = part("TtlDbtNtries", summary.debit_count, summary.debit_total)
    return f"\n<TxsSummry>{total}{credits}{debits}</TxsSummry>"


def camt054(
    version: int,
    *notifications: Notification,
    message_id: str = "KRAV-TEST-0001",
    created: str = "2024-05-02T06:15:00+02:00",
) -> bytes:
    """A camt.054.001.0``version`` document with ``notifications``."""
    body = []
    for number, notification in enumerate(notifications, start=1):
        summary = auto_summary(notification.entries) if notification.auto_summary else notification.summary
        body.append(
            f"\n<Ntfctn><Id>{message_id}-{number}</Id><CreDtTm>{created}</CreDtTm>"
            f"<Acct><Id><IBAN>{notification.account}</IBAN></Id><Ccy>NOK</Ccy></Acct>"
            + (_summary_xml(version, summary) if summary is not None else "")
            + "".join(_entry_xml(version, entry) for entry in notification.entries)
            + "\n</Ntfctn>"
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{camt054_namespace(version)}">\n<BkToCstmrDbtCdtNtfctn>\n'
        f"<GrpHdr><MsgId>{message_id}</MsgId><CreDtTm>{created}</CreDtTm></GrpHdr>"
        + "".join(body)
        + "\n</BkToCstmrDbtCdtNtfctn>\n</Document>\n"
    )
    return xml.encode("utf-8")


def parse(data: bytes) -> PaymentFile:
    return parse_camt054(data, filename="camt.xml")


def refused(data: bytes) -> FileFormatError:
    with pytest.raises(FileFormatError) as caught:
        parse(data)
    return caught.value


def line_of(data: bytes, needle: str, occurrence: int = 1) -> int:
    """The line of the ``occurrence``-th ``needle`` in ``data``."""
    text = data.decode("utf-8")
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1


# -- the genkgo fixtures -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "version", "reference", "line"),
    [
        ("genkgo_camt054.v2.xml", "camt054.001.02", "AAAASESS-FP-ACCR001", 58),
        ("genkgo_camt054.v4.xml", "camt054.001.04", "ACSR160617103200001", 63),
    ],
)
def test_a_genkgo_fixture_imports_with_no_payment_and_its_one_debit_skipped_r_bank_2(
    name: str, version: str, reference: str, line: int
) -> None:
    """R-BANK-2: a debit is no payment to the client account; the file imports, nothing to match."""
    path = FIXTURES / name
    assert path.is_file(), f"the camt.054 fixture is missing at {path}"
    parsed = parse_camt054(path.read_bytes(), filename=name)
    assert (parsed.format, parsed.file_id, parsed.created) == (version, "AAAASESS-FP-ACCR001", date(2007, 10, 18))
    assert parsed.payments == ()
    assert parsed.total == Money.zero()
    [skipped] = parsed.skipped
    assert (skipped.reference, skipped.amount, skipped.booked_on, skipped.source_line) == (
        reference,
        Money.of("200000", "SEK"),
        date(2007, 10, 18),
        line,
    )
    assert skipped.reason == "a debit entry: money out of the account, no payment to it"


# -- files of versions 02, 04 and 08 ------------------------------------------------------------------------

THREE_CREDITS = Notification(
    entries=(
        Entry(
            "1500.00",
            reference="REF-A",
            booked="2024-05-02",
            txs=(
                Tx(
                    "1500.00",
                    kid="0012344",
                    debtor="Ola Nordmann",
                    debtor_account="12345678903",
                    end_to_end="E2E-A",
                    text="Faktura 17",
                ),
            ),
        ),
        Entry(
            "1000.50",
            reference="REF-B",
            batch=True,
            booked="2024-05-03T09:12:00+02:00",
            txs=(
                Tx("250.25", kid="0000531", debtor="Kari Nordmann", direction="CRDT"),
                Tx("500.00", kid="0012343", kid_type=None, debtor="Per Hansen"),
                Tx("250.25", kid="02311 29103 8304", debtor="Eksempel AS"),
            ),
        ),
        Entry("99.00", reference="REF-C", booked=None, value="2024-05-06", info="Innbetaling uten detaljer"),
    ),
    auto_summary=True,
)


@pytest.mark.parametrize("version", VERSIONS)
def test_credit_entries_become_payments_with_their_amounts_dates_and_kids_r_bank_2(version: int) -> None:
    """R-BANK-2: one payment per transaction; a batched entry of 250,25 + 500,00 + 250,25 = 1 000,50 gives
    three; an entry without details gives one. Total 1 500,00 + 1 000,50 + 99,00 = 2 599,50."""
    parsed = parse(camt054(version, THREE_CREDITS))
    assert parsed.format == f"camt054.001.{version:02d}"
    assert (parsed.file_id, parsed.created) == ("KRAV-TEST-0001", date(2024, 5, 2))
    got = [(p.reference, p.amount.amount, p.paid_on, p.kid, p.payer_name) for p in parsed.payments]
    assert got == [
        ("REF-A/1", Decimal("1500.00"), date(2024, 5, 2), "0012344", "Ola Nordmann"),
        ("REF-B/1", Decimal("250.25"), date(2024, 5, 3), "0000531", "Kari Nordmann"),
        ("REF-B/2", Decimal("500.00"), date(2024, 5, 3), "0012343", "Per Hansen"),
        ("REF-B/3", Decimal("250.25"), date(2024, 5, 3), "02311291038304", "Eksempel AS"),
        ("REF-C", Decimal("99.00"), date(2024, 5, 6), None, None),
    ]
    assert parsed.total == Money.of("2599.50")
    assert parsed.skipped == ()
    first = parsed.payments[0]
    assert (first.payer_account, first.free_text, first.end_to_end_id) == ("12345678903", "Faktura 17", "E2E-A")
    assert {p.creditor_account for p in parsed.payments} == {ACCOUNT}
    assert parsed.payments[-1].free_text == "Innbetaling uten detaljer"


@pytest.mark.parametrize("version", VERSIONS)
def test_source_lines_point_at_the_transaction_or_the_entry_r_bank_2(version: int) -> None:
    data = camt054(version, THREE_CREDITS)
    parsed = parse(data)
    assert [p.source_line for p in parsed.payments] == [
        line_of(data, "<TxDtls>", 1),
        line_of(data, "<TxDtls>", 2),
        line_of(data, "<TxDtls>", 3),
        line_of(data, "<TxDtls>", 4),
        line_of(data, "<Ntry>", 3),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_batch_whose_transactions_do_not_sum_to_the_entry_is_refused_naming_the_entry_r_bank_2(version: int) -> None:
    """R-BANK-2: 250,25 + 500,00 + 250,00 = 1 000,25, not the entry's 1 000,50: the file is refused whole."""
    entry = Entry("1000.50", txs=(Tx("250.25", kid="0000531"), Tx("500.00"), Tx("250.00")))
    data = camt054(version, Notification((Entry("10.00"), entry)))
    error = refused(data)
    assert error.element == "Ntry/NtryDtls/TxDtls"
    assert error.line == line_of(data, "<Ntry>", 2)
    assert "transactions sum to 1000.25; the entry's Amt is 1000.50" in error.problem


@pytest.mark.parametrize("version", VERSIONS)
def test_a_batch_declaring_more_transactions_than_it_lists_is_refused_r_bank_2(version: int) -> None:
    entry = Entry("30.00", batch=True, txs=(Tx("10.00"), Tx("20.00")))
    data = camt054(version, Notification((entry,))).replace(b"<NbOfTxs>2</NbOfTxs>", b"<NbOfTxs>3</NbOfTxs>")
    error = refused(data)
    assert error.element == "Ntry/NtryDtls/Btch/NbOfTxs"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_declared_summary_that_adds_up_is_accepted_r_bank_2(version: int) -> None:
    entries = (Entry("100.00"), Entry("40.00", direction="DBIT"), Entry("60.00"))
    parsed = parse(camt054(version, Notification(entries, auto_summary=True)))
    assert parsed.total == Money.of("160.00")
    assert len(parsed.skipped) == 1


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("summary", "element", "problem"),
    [
        (Summary(credit_count=2, credit_total="160.01"), "TtlCdtNtries/Sum", "declares a sum of 160.01"),
        (Summary(credit_count=3, credit_total="160.00"), "TtlCdtNtries/NbOfNtries", "declares '3' entries"),
        (Summary(count=3, total="199.00"), "TtlNtries/Sum", "its entries sum to 200.00"),
        (Summary(debit_count=1, debit_total="4.00"), "TtlDbtNtries/Sum", "declares a sum of 4.00"),
        (Summary(count=3, net="-120.00"), "TtlNtries/TtlNet", "net amount of -120.00; its entries net 120.00"),
    ],
)
def test_a_wrong_declared_total_is_refused_naming_the_element_r_bank_2(
    version: int, summary: Summary, element: str, problem: str
) -> None:
    """R-BANK-2: a file whose own totals do not add up is refused whole (credits 160,00, debits 40,00)."""
    entries = (Entry("100.00"), Entry("40.00", direction="DBIT"), Entry("60.00"))
    data = camt054(version, Notification(entries, summary=summary))
    error = refused(data)
    assert error.element is not None
    assert error.element.startswith(f"Ntfctn/TxsSummry/{element}")
    assert problem in error.problem
    assert error.line == line_of(data, "<TxsSummry>")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_debit_reversal_takes_back_a_payment_as_a_negative_amount_r_bank_2(version: int) -> None:
    """R-BANK-2: DBIT with RvslInd true reverses an earlier credit (ISO 20022's definition of RvslInd)."""
    entries = (
        Entry("700.00", reference="PAY", txs=(Tx("700.00", kid="0012344"),)),
        Entry("700.00", reference="BACK", direction="DBIT", reversal=True, txs=(Tx("700.00", kid="0012344"),)),
    )
    parsed = parse(camt054(version, Notification(entries, auto_summary=True)))
    assert [(p.reference, p.amount.amount, p.is_reversal, p.kid) for p in parsed.payments] == [
        ("PAY/1", Decimal("700.00"), False, "0012344"),
        ("BACK/1", Decimal("-700.00"), True, "0012344"),
    ]
    assert parsed.total == Money.zero()
    assert [p.reference for p in parsed.reversals] == ["BACK/1"]


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (Entry("80.00", direction="CRDT", reversal=True), "a credit reversing an earlier debit"),
        (Entry("80.00", status="PDNG"), "entry status PDNG: not booked"),
        (Entry("80.00", direction="DBIT"), "a debit entry"),
    ],
)
def test_entries_that_are_no_payment_are_skipped_with_their_reason_r_bank_2(entry: Entry, reason: str) -> None:
    parsed = parse(camt054(4, Notification((Entry("20.00"), entry))))
    assert parsed.total == Money.of("20.00")
    [skipped] = parsed.skipped
    assert skipped.reason.startswith(reason)
    assert skipped.amount == Money.of("80.00")


def test_a_transaction_paying_several_kids_keeps_none_and_names_them_in_its_free_text_r_bank_1() -> None:
    """R-BANK-1: the amount cannot be split between two KIDs here, so it goes to manual matching."""
    tx = Tx("300.00", kid="0012344", more_kids=("0000531",), text="To fakturaer")
    [payment] = parse(camt054(4, Notification((Entry("300.00", txs=(tx,)),)))).payments
    assert payment.kid is None
    assert payment.free_text == "KIDs: 0012344, 0000531. To fakturaer"


def test_a_proprietary_creditor_reference_is_not_taken_as_a_kid_r_bank_2() -> None:
    tx = Tx("300.00", kid="ISR ref number V1", kid_type="ISR Reference")
    [payment] = parse(camt054(4, Notification((Entry("300.00", txs=(tx,)),)))).payments
    assert payment.kid is None


def test_a_single_transaction_without_its_own_amount_takes_the_entrys_r_bank_2() -> None:
    [payment] = parse(camt054(4, Notification((Entry("42.00", txs=(Tx(None, kid="0000531"),)),)))).payments
    assert (payment.amount, payment.kid) == (Money.of("42.00"), "0000531")


def test_one_of_several_transactions_without_an_amount_is_refused_r_bank_2() -> None:
    error = refused(camt054(4, Notification((Entry("42.00", txs=(Tx("40.00"), Tx(None))),))))
    assert "has no amount" in error.problem


def test_a_transaction_in_another_currency_than_its_entry_is_refused_r_bank_2() -> None:
    error = refused(camt054(4, Notification((Entry("42.00", txs=(Tx("42.00", currency="SEK"),)),))))
    assert "the transactions are in SEK, the entry in NOK" in error.problem


def test_payments_in_two_currencies_are_refused_r_bank_2() -> None:
    entries = (Entry("10.00"), Entry("10.00", currency="SEK"))
    assert "several currencies (NOK, SEK)" in refused(camt054(4, Notification(entries))).problem


def test_an_amount_with_three_decimals_is_refused_naming_the_element_r_bank_2() -> None:
    data = camt054(4, Notification((Entry("10.005"),)))
    error = refused(data)
    assert (error.element, error.line) == ("Ntry/Amt", line_of(data, "<Ntry>"))


def test_a_credit_entry_without_a_date_is_refused_r_bank_2() -> None:
    error = refused(camt054(4, Notification((Entry("10.00", booked=None, value=None),))))
    assert error.element == "Ntry/BookgDt"


def test_several_notifications_and_a_repeated_bank_reference_give_unique_references_r_bank_2() -> None:
    first = Notification((Entry("10.00", reference="R1"),), account="NO9386011117947")
    second = Notification((Entry("20.00", reference="R1"),), account="86011117947")
    parsed = parse(camt054(8, first, second))
    assert [(p.reference, p.creditor_account) for p in parsed.payments] == [
        ("R1", "NO9386011117947"),
        ("R1@entry-2", "86011117947"),
    ]


def test_a_large_notification_is_read_whole_entry_by_entry_r_bank_2() -> None:
    entries = tuple(
        Entry(f"{n}.{n % 100:02d}", reference=f"E{n}", txs=(Tx(f"{n}.{n % 100:02d}"),)) for n in range(1, 3001)
    )
    parsed = parse(camt054(4, Notification(entries, auto_summary=True)))
    assert len(parsed.payments) == 3000
    assert parsed.total.amount == sum((Decimal(e.amount) for e in entries), Decimal(0))


# -- files that are not camt.054, and XML tricks -------------------------------------------------------------


def test_xml_that_is_not_camt054_is_refused_as_not_a_payment_file_r_bank_2() -> None:
    error = refused(b'<?xml version="1.0"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl"/>')
    assert error.problem.startswith("not a payment file: XML whose root element is")


def test_a_camt053_statement_is_refused_as_not_a_payment_file_r_bank_2() -> None:
    data = camt054(2, THREE_CREDITS).replace(b"camt.054.001.02", b"camt.053.001.02")
    assert refused(data).problem.startswith("not a payment file: an ISO 20022 camt.053.001.02 message")


def test_camt054_version_09_is_refused_as_unsupported_r_bank_2() -> None:
    data = camt054(8, THREE_CREDITS).replace(b"camt.054.001.08", b"camt.054.001.09")
    assert refused(data).problem.startswith("camt.054.001.09 is not supported")


def test_malformed_xml_is_refused_naming_the_line_r_bank_2() -> None:
    data = camt054(4, THREE_CREDITS).replace(b"</AcctSvcrRef>", b"</AcctSvcrReff>", 1)
    error = refused(data)
    assert error.problem.startswith("not well-formed XML")
    assert error.line == line_of(data, "</AcctSvcrReff>")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>&lol9;</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn></Document>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>&secret;</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn></Document>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_a_doctype_is_refused_before_any_entity_is_expanded_or_read_r_bank_2(data: bytes) -> None:
    error = refused(data)
    assert "DOCTYPE" in error.problem
    assert error.line == 2


def test_a_doctype_in_utf16_is_refused_too_r_bank_2() -> None:
    data = EXTERNAL_ENTITY.decode("ascii").replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    assert "DOCTYPE" in refused(data.encode("utf-16")).problem


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_a_doctype_hidden_from_the_byte_search_is_refused_by_the_parsed_document_info_r_bank_2(data: bytes) -> None:
    """UTF-16 without a byte order mark: the prolog search sees no "<!DOCTYPE"; the parser's docinfo does."""
    text = data.decode("ascii").replace('version="1.0"', 'version="1.0" encoding="UTF-16LE"')
    assert "DOCTYPE" in refused(text.encode("utf-16-le")).problem


def test_a_camt054_file_in_utf16_is_read_r_bank_2() -> None:
    text = camt054(4, THREE_CREDITS).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert parse(text.encode("utf-16")).total == Money.of("2599.50")


# -- property: what the builder writes is read back ----------------------------------------------------------

amounts = st.integers(min_value=1, max_value=10**9).map(lambda ore: f"{Decimal(ore).scaleb(-2):.2f}")
kid_digits = st.text(alphabet="0123456789", min_size=2, max_size=25)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    parts = draw(st.lists(st.tuples(amounts, kid_digits), min_size=0, max_size=4))
    if not parts:
        return Entry(draw(amounts))
    total = sum((Decimal(a) for a, _ in parts), Decimal(0))
    return Entry(f"{total:.2f}", batch=draw(st.booleans()), txs=tuple(Tx(a, kid=k) for a, k in parts))


@settings(max_examples=40, deadline=None)
@given(version=st.sampled_from(VERSIONS), notification=st.lists(entries(), min_size=1, max_size=6))
def test_every_transaction_written_is_read_back_and_the_total_is_their_sum_r_bank_2(
    version: int, notification: list[Entry]
) -> None:
    """R-BANK-2: amounts and KIDs survive the round trip; the declared summary always adds up."""
    parsed = parse(camt054(version, Notification(tuple(notification), auto_summary=True)))
    expected = [
        (Decimal(tx.amount or entry.amount), tx.kid)
        for entry in notification
        for tx in (entry.txs or (Tx(entry.amount),))
    ]
    assert [(p.amount.amount, p.kid) for p in parsed.payments] == expected
    assert parsed.total == Money.sum(p.amount for p in parsed.payments)
    assert parsed.total.amount == sum((Decimal(e.amount) for e in notification), Decimal(0))


# -- R-CLM-14: the day the payer's bank accepted the order ------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_the_acceptance_date_of_a_transaction_is_the_day_the_payment_was_ordered_r_clm_14(version: int) -> None:
    """``RltdDts/AccptncDtTm`` (its date part, whatever the time and zone) is kept as ``ordered_on``; a transaction
    without it has none, and ``paid_on`` stays the booking date."""
    data = camt054(
        version,
        Notification(
            (
                Entry(
                    "300.00",
                    (
                        Tx("100.00", kid="0012344", accepted="2024-04-30T16:45:00+02:00"),
                        Tx("200.00", kid="0000531"),
                    ),
                    batch=True,
                ),
            ),
            auto_summary=True,
        ),
    )
    first, second = parse(data).payments
    assert (first.ordered_on, first.paid_on) == (date(2024, 4, 30), date(2024, 5, 2))
    assert (second.ordered_on, second.paid_on) == (None, date(2024, 5, 2))


def test_an_acceptance_date_that_is_no_date_is_refused_naming_the_element_r_clm_14() -> None:
    data = camt054(2, Notification((Entry("100.00", (Tx("100.00", kid="0012344", accepted="i går"),)),)))
    with pytest.raises(FileFormatError, match="AccptncDtTm"):
        parse(data)


def test_the_writer_writes_the_order_date_and_the_reader_reads_it_back_r_clm_14() -> None:
    credit = Credit("REF-1", Money.of("2405.75"), date(2025, 6, 3), kid="0012344", ordered_on=date(2025, 5, 30))
    data = build_camt054("86011117947", [credit], message_id="M1", created=datetime(2025, 6, 3, 6, tzinfo=UTC))
    (payment,) = parse(data).payments
    assert (payment.paid_on, payment.ordered_on) == (date(2025, 6, 3), date(2025, 5, 30))
