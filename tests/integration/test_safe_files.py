"""The files Krav writes and moves, on SQLite and PostgreSQL: CSV that a spreadsheet never runs as formulas, letter
file names that no two letters share, and an inbox that keeps every file it was given.

The set-up for the CSV: one creditor, one debtor on paper whose name, number, address and invoice number read
as formulas. The run of Friday 28 March 2025 prints
its notice (1000.00 + 35.00 fee + 4.79 interest = 1039.79, the letter's total); the debtor pays that total on
Tuesday 1 April and the run of that day settles it and e-mails the settlement report.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from krav.adapters.ratefile import load_rate_tables
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.letters import LetterType
from krav.domain.errors import InputError
from krav.domain.money import Money
from krav.domain.party import Address, Customer
from krav.formats.camt054_writer import Credit, build_camt054
from krav.services import ledger
from krav.services.collection import payments
from krav.services.collection.delivery import letter_filename
from krav.services.daily_run import run_business_day
from krav.services.ports import StoredLetter, UnitOfWork
from tests.builders import ORGNO, SERVICE, collaborators, consumer, invoice, make_company, post

RATES = load_rate_tables()
NOTICE_DAY = date(2025, 3, 28)
PAY_DAY = date(2025, 4, 1)

HYPERLINK = '=HYPERLINK("http://x","y")'
DEBTOR = Customer(
    number="-2+3",
    name=HYPERLINK,
    address=Address("@SUM(A1)", "0155", "+cmd|' /C calc'!A0"),
)


def _activate(uow: UnitOfWork) -> None:
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        uow.agreements.save(
            company.id,
            Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@example.no"),
        )
        uow.commit()


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))


def test_formula_names_are_text_in_the_print_manifest_and_the_settlement_csv(engine: Engine, tmp_path: Path) -> None:
    """OWASP CSV injection: every cell that a spreadsheet would run as a formula starts with ``'``; amounts such
    as ``-1 234,50`` stay numbers."""
    uow = unit_of_work(engine)
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [DEBTOR])
    post(uow, invoice("=1+1", "-2+3", "1000.00", date(2025, 3, 1), date(2025, 3, 14)))
    _activate(uow)
    collab = collaborators(RATES, SERVICE, tmp_path, inbox=True)

    run_business_day(uow, NOTICE_DAY, collab)
    [manifest] = sorted((tmp_path / "print" / ORGNO / NOTICE_DAY.isoformat()).glob("utskrift-*.csv"))
    header, row = _rows(manifest)
    cells = dict(zip(header, row, strict=True))
    assert (cells["debtor"], cells["name"]) == ("'-2+3", "'" + HYPERLINK)
    assert (cells["street"], cells["city"]) == ("'@SUM(A1)", "'+cmd|' /C calc'!A0")
    assert cells["total"] == "1 039,79"

    with uow:
        [letter] = uow.collection.letters(1)
    assert letter.kid is not None
    credit = Credit("C1", letter.total, PAY_DAY, kid=letter.kid)
    assert collab.inbox is not None
    collab.inbox.mkdir(parents=True, exist_ok=True)
    (collab.inbox / "client.xml").write_bytes(
        build_camt054(
            SERVICE.account, [credit], message_id="M1", created=datetime.combine(PAY_DAY, time(6), tzinfo=UTC)
        )
    )
    run_business_day(uow, PAY_DAY, collab)
    [mail] = sorted((tmp_path / "mail").glob("settlement-*.eml"))  # e-mailed to the creditor
    message = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    [attachment] = [a for a in message.iter_attachments() if (a.get_filename() or "").endswith(".csv")]
    content = attachment.get_content()
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content.lstrip("\ufeff")
    header, claim, sums = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = dict(zip(header, claim, strict=True))
    assert (cells["fakturanr"], cells["kundenr"], cells["kunde"]) == ("'=1+1", "'-2+3", "'" + HYPERLINK)
    assert (cells["hovedstol"], cells["utbetalt"]) == ("1000,00", "1039,79")
    assert sums[2] == "SUM"


def _stored(debtor: str, letter_id: int) -> StoredLetter:
    return StoredLetter(letter_id, 1, debtor, 1, LetterType.NOTICE, NOTICE_DAY, None, None, None, None, ())


def test_debtors_whose_numbers_make_the_same_file_name_get_letters_of_different_names() -> None:
    names = {letter_filename(_stored("x/y", 7)), letter_filename(_stored("x_y", 8)), letter_filename(_stored("x_y", 9))}
    assert letter_filename(_stored("x_y", 8)) == "x_y-1-notice.pdf"  # the documented name, where it is one
    assert letter_filename(_stored("x/y", 7)) == "x_y-1-notice-letter7.pdf"
    assert len(names) == 2  # the same letter (number and type) of one debtor has one name
    assert letter_filename(_stored("../x", 3)) == "_x-1-notice-letter3.pdf"


# -- the inbox ------------------------------------------------------------------------------------------------


def _camt(reference: str, amount: str = "100.00") -> bytes:
    credit = Credit(reference, Money.of(amount), PAY_DAY)
    return build_camt054(
        SERVICE.account, [credit], message_id=reference, created=datetime.combine(PAY_DAY, time(6), tzinfo=UTC)
    )


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    unit = unit_of_work(engine)
    make_company(unit)
    ledger.save_customers(unit, ORGNO, [consumer("10001")])
    return unit


def test_a_file_of_the_same_name_on_a_later_day_keeps_the_earlier_one_in_done(uow: UnitOfWork, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bank.xml").write_bytes(_camt("DAY-1"))
    payments.import_inbox(uow, inbox)
    (inbox / "bank.xml").write_bytes(_camt("DAY-2"))
    [result] = payments.import_inbox(uow, inbox)
    assert result.error is None
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["bank-2.xml", "bank.xml"]
    assert b"DAY-1" in (inbox / "done" / "bank.xml").read_bytes()
    assert b"DAY-2" in (inbox / "done" / "bank-2.xml").read_bytes()


def test_a_refused_file_of_the_same_name_keeps_the_earlier_one_and_its_reason(uow: UnitOfWork, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for text in (b"first", b"second"):
        (inbox / "x.txt").write_bytes(text)
        payments.import_inbox(uow, inbox)
    refused = inbox / "refused"
    assert sorted(p.name for p in refused.iterdir()) == ["x-2.txt", "x-2.txt.error", "x.txt", "x.txt.error"]
    assert [(refused / n).read_bytes() for n in ("x.txt", "x-2.txt")] == [b"first", b"second"]


def test_a_symbolic_link_in_the_inbox_is_refused_unread(uow: UnitOfWork, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.xml"
    outside.write_bytes(_camt("OUTSIDE"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "link.xml").symlink_to(outside)
    [result] = payments.import_inbox(uow, inbox)
    assert result.report is None
    assert result.error is not None
    assert "symbolic link" in result.error
    assert (inbox / "refused" / "link.xml").is_symlink()
    assert "symbolic link" in (inbox / "refused" / "link.xml.error").read_text("utf-8")
    assert outside.read_bytes() == _camt("OUTSIDE")  # not moved, not read
    with uow:
        assert uow.collection.payments() == []


@pytest.mark.parametrize("name", ["refused", "done"])
def test_a_plain_file_named_like_a_folder_of_the_inbox_does_not_stop_the_run(
    uow: UnitOfWork, tmp_path: Path, name: str
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / name).write_bytes(b"not a payment file")
    (inbox / "bank.xml").write_bytes(_camt("GOOD"))
    results = payments.import_inbox(uow, inbox)
    assert sorted((r.path.name, r.error is None) for r in results) == [("bank.xml", True), (f"{name}-2", False)]
    assert (inbox / "done").is_dir()
    assert (inbox / "refused").is_dir()
    assert (inbox / "refused" / f"{name}-2").read_bytes() == b"not a payment file"


def test_a_file_over_the_size_limit_is_refused_naming_its_size(uow: UnitOfWork, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    data = _camt("BIG")
    (inbox / "big.xml").write_bytes(data)
    [result] = payments.import_inbox(uow, inbox, max_bytes=1024)
    assert result.error == f"big.xml: the file is {len(data)} bytes; Krav reads files of at most 1024 bytes"
    assert (inbox / "refused" / "big.xml").read_bytes() == data
    with uow:
        assert uow.collection.payments() == []


def test_an_implausible_payment_in_the_inbox_refuses_its_file_and_stores_nothing(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "huge.xml").write_bytes(_camt("HUGE", "999999999999999.99"))
    [result] = payments.import_inbox(uow, inbox)
    assert result.error is not None
    assert "Ntry/Amt: 999999999999999.99 is more than the" in result.error
    with uow:
        assert uow.collection.payments() == []
    with pytest.raises(InputError):
        payments.import_payments(uow, _camt("HUGE", "999999999999999.99"), filename="again.xml")
