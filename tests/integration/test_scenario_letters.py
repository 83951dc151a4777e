"""Every letter the public scenarios produce, rendered to PDF and read back: what the debtor reads must be what
the engine computed (R-CLM-1 … R-CLM-13, DESIGN.md "Interfaces": amounts as ``1 234,50``, KID and account
number printed), under each type's required wording (inkassoloven §§ 9, 10).

Each scenario runs once on a fresh in-memory database (``bootstrap(database_url="sqlite://")``); each of its
stored letters is fetched through :func:`delivery.letter_document` (rendered and archived) and its text is
extracted with pypdf. The expected values are formatted here, independently of ``krav.domain.money``.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from krav.bootstrap import sandbox
from krav.config import get_settings
from krav.domain.collection.letters import Letter, LetterType
from krav.domain.money import Money
from krav.entrypoints import cli
from krav.formats.scenario import Scenario, parse_scenario
from krav.services.collection import delivery
from krav.services.ports import Document, StoredLetter
from krav.services.scenario import run_scenario
from tests.conftest import SCENARIOS

FILES = (
    sorted(SCENARIOS.glob("*.yaml"))
    + sorted((SCENARIOS / "generated").glob("*.yaml"))
    + sorted((SCENARIOS / "next").glob("*.yaml"))
)

#: No public scenario sends an interest note or writes to a business debtor; this one does both, and puts two
#: claims on one letter (R-CLM-1, R-CLM-8).
EXTRA = """\
name: an interest note, and a business debtor's two claims on one letter
creditor: {name: Eksempel AS, orgno: "974760673", account: "86011117947", vat_registered: true}
agreement: {reminder_before_notice: false, charge_interest: true}
customers:
  - {id: "10001", name: Ola Nordmann, kind: consumer,
     address: {street: Storgata 1, postcode: "0155", city: Oslo, country: "NO"}, email: ola@example.no}
  - {id: "20001", name: Bedrift AS, kind: business, orgno: "923609016",
     address: {street: Postboks 8, postcode: "0101", city: Oslo, country: "NO"}, email: null}
invoices:
  - {number: "1001", customer: "10001", issued: 2025-03-01, due: 2025-03-14, amount: "1000.00"}
  - {number: "2001", customer: "20001", issued: 2025-03-01, due: 2025-03-14, amount: "12345.67"}
  - {number: "2002", customer: "20001", issued: 2025-03-02, due: 2025-03-14, amount: "250.00"}
events:
  - date: 2025-04-08
    pay_direct: {invoice: "1001", amount: "1000.00"}
run: {from: 2025-03-14, to: 2025-06-10}
expect:
  letters:
    - {debtor: "10001", n: 1, type: notice}
    - {debtor: "20001", n: 1, type: notice, invoices: ["2001", "2002"]}
    - {debtor: "10001", n: 2, type: interest_note}
    - {debtor: "20001", n: 2, type: payment_demand}
    - {debtor: "10001", n: 3, type: payment_demand}
    - {debtor: "20001", n: 3, type: legal_notice}
"""
SOURCES: dict[str, bytes] = {f.stem: f.read_bytes() for f in FILES} | {"extra_interest_note_business": EXTRA.encode()}

HEADLINES = {
    LetterType.REMINDER: "Betalingspåminnelse",
    LetterType.NOTICE: "Inkassovarsel",
    LetterType.INTEREST_NOTE: "Rentenota",
    LetterType.PAYMENT_DEMAND: "Betalingsoppfordring",
    LetterType.LEGAL_NOTICE: "Varsel om rettslig inkasso",
    LetterType.PAID_CONFIRMATION: "Bekreftelse på betalt sak",
    LetterType.OBJECTION_ANSWER: "Svar på innsigelse",
}
ASKS_FOR_MONEY = set(HEADLINES) - {LetterType.PAID_CONFIRMATION, LetterType.OBJECTION_ANSWER}
SALAER_COLUMN = {LetterType.PAYMENT_DEMAND, LetterType.LEGAL_NOTICE}


# -- formatting, written out here so the test does not trust the code it checks ------------------------------------


def nok(amount: Money | Decimal) -> str:
    """``1 234,50``: groups of three by a space, decimal comma, two decimals."""
    value = amount.amount if isinstance(amount, Money) else amount
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,.2f}".replace(",", " ").replace(".", ",")


def ddmmyyyy(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def account_as_printed(account: str) -> str:
    """A Norwegian account number as letters print it: ``1602.00.00000``."""
    assert len(account) == 11, account
    assert account.isdigit(), account
    return f"{account[:4]}.{account[4:6]}.{account[6:]}"


def test_the_formatting_helpers_format_as_letters_print() -> None:
    assert nok(Money.of("1234567.5")) == "1 234 567,50"
    assert nok(Decimal("0.05")) == "0,05"
    assert nok(Decimal("999.99")) == "999,99"
    assert ddmmyyyy(date(2025, 2, 10)) == "10.02.2025"
    assert account_as_printed("16020000000") == "1602.00.00000"


def text_of(document: bytes) -> str:
    """All pages' text, whitespace collapsed (a phrase may wrap across lines)."""
    reader = PdfReader(io.BytesIO(document))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# -- running the scenarios -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    stored: StoredLetter
    letter: Letter
    document: Document
    text: str

    @property
    def name(self) -> str:
        return f"{self.stored.debtor}-{self.stored.n}-{self.stored.type.value}"


@dataclass(frozen=True)
class Run:
    name: str
    scenario: Scenario
    creditor_orgno: str
    letters: list[Rendered]


@pytest.fixture(scope="module", params=sorted(SOURCES))
def scenario_run(request: pytest.FixtureRequest) -> Iterator[Run]:
    name: str = request.param
    scenario = parse_scenario(SOURCES[name], filename=f"{name}.yaml")
    with sandbox() as app:
        run_scenario(app.uow(), scenario, collab=app.collaborators(), figures=app.figures)
        rendered: list[Rendered] = []
        with app.uow() as uow:
            company = uow.companies.get(scenario.creditor_orgno)
            assert company.id is not None
            for stored in uow.collection.letters(company.id):
                doc = delivery.letter_document(uow, company, stored, app.service, app.renderer)
                letter = delivery.compose_letter(uow, company, stored, app.service)
                rendered.append(Rendered(stored, letter, doc, text_of(doc.content)))
            uow.commit()
        yield Run(name, scenario, scenario.creditor_orgno, rendered)


def test_the_scenario_produced_the_letters_it_expects(scenario_run: Run) -> None:
    """A guard against passing on nothing: the letters checked below are the ones the scenario's expect names."""
    assert scenario_run.letters, "the scenario produced no letters"
    expected = (scenario_run.scenario.expect or {}).get("letters")
    assert expected is not None, "every scenario here lists its letters"
    got = sorted((r.stored.debtor, r.stored.n, r.stored.type.value) for r in scenario_run.letters)
    assert got == sorted((str(e["debtor"]), e["n"], e["type"]) for e in expected)


def test_the_scenarios_together_cover_every_letter_type_and_both_kinds_of_debtor() -> None:
    kinds = set()
    types = set()
    for name, source in SOURCES.items():
        scenario = parse_scenario(source, filename=f"{name}.yaml")
        kinds |= {c.kind for c in scenario.customers}
        types |= {e["type"] for e in (scenario.expect or {}).get("letters", [])}
    assert types == {t.value for t in LetterType}
    assert kinds == {"consumer", "business"}


def test_every_letter_is_an_archived_a4_pdf_named_after_debtor_number_and_type(scenario_run: Run) -> None:
    for r in scenario_run.letters:
        assert r.document.content.startswith(b"%PDF-"), r.name
        assert r.document.filename == f"{r.name}.pdf"
        assert r.document.media_type == "application/pdf"
        assert r.document.sha256 == hashlib.sha256(r.document.content).hexdigest()
        page = PdfReader(io.BytesIO(r.document.content)).pages[0]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842), r.name


def _upheld(r: Rendered) -> bool:
    """R-CLM-15: the answer that upholds an objection states no amounts."""
    return r.stored.type is LetterType.OBJECTION_ANSWER and r.stored.deadline is None


def _paid_row(r: Rendered, index: int) -> str:
    """R-CLM-9: a paid confirmation's row: what was paid on the claim, when, and how it was applied."""
    line = r.stored.lines[index]
    paid = line.paid
    assert paid is not None, f"{r.name}: a paid confirmation says what was paid on each claim"
    every = [ln.paid for ln in r.stored.lines if ln.paid is not None]
    cells = [line.invoice_number, ddmmyyyy(line.due_date), ddmmyyyy(paid.on), nok(paid.principal), nok(paid.fee)]
    if any(not p.compensation.is_zero() for p in every):
        cells.append(nok(paid.compensation))
    cells.append(nok(paid.interest))
    if any(not p.salaer.is_zero() for p in every):
        cells.append(nok(paid.salaer))
    if any(not p.overpaid.is_zero() for p in every):
        cells.append(nok(paid.overpaid))
    total = paid.principal + paid.fee + paid.compensation + paid.interest + paid.salaer + paid.overpaid
    return " ".join([*cells, nok(total)])


def _row(r: Rendered, index: int) -> str:
    """The claim's row of the table as the PDF's text reads: every cell in column order."""
    line = r.stored.lines[index]
    if r.stored.type is LetterType.PAID_CONFIRMATION:
        return _paid_row(r, index)
    if _upheld(r):
        return f"{line.invoice_number} {ddmmyyyy(line.invoice_date)} {ddmmyyyy(line.due_date)}"
    salaer_column = r.stored.type in SALAER_COLUMN or any(not ln.salaer.is_zero() for ln in r.stored.lines)
    rate_columns = any(ln.interest_from is not None or ln.interest_rate is not None for ln in r.stored.lines)
    compensation_column = any(ln.compensation is not None and ln.compensation.is_positive() for ln in r.stored.lines)
    cells = [line.invoice_number, ddmmyyyy(line.invoice_date), ddmmyyyy(line.due_date)]
    if rate_columns:
        if line.interest_from is not None:
            cells.append(ddmmyyyy(line.interest_from))
        if line.interest_rate is not None:
            cells.append(f"{nok(line.interest_rate)} %")
        elif len(line.interest_periods) > 1:
            cells.append("se under")  # R-CLM-16: the periods say the rates
    cells += [nok(line.principal), nok(line.fee)]
    compensation = line.compensation or Money.zero()
    if compensation_column:
        cells.append(nok(compensation))
    cells.append(nok(line.interest))
    if salaer_column:
        cells.append(nok(line.salaer))
    cells.append(nok(line.principal + line.fee + compensation + line.interest + line.salaer))
    return " ".join(cells)


def _sums(r: Rendered) -> tuple[Money, Money, Money, Money, Money, Money]:
    lines = r.stored.lines
    principal = Money.sum((ln.principal for ln in lines), "NOK")
    fee = Money.sum((ln.fee for ln in lines), "NOK")
    compensation = Money.sum((ln.compensation for ln in lines if ln.compensation is not None), "NOK")
    interest = Money.sum((ln.interest for ln in lines), "NOK")
    salaer = Money.sum((ln.salaer for ln in lines), "NOK")
    return principal, fee, compensation, interest, salaer, principal + fee + compensation + interest + salaer


def test_every_claim_row_prints_the_engines_dates_and_amounts(scenario_run: Run) -> None:
    """Principal, fee, interest, salær and the line total of every claim, with its invoice number and dates,
    exactly as the stored letter has them."""
    checked = 0
    for r in scenario_run.letters:
        for index in range(len(r.stored.lines)):
            row = _row(r, index)
            assert row in r.text, f"{r.name}: row {row!r} not in {r.text!r}"
            checked += 1
    assert checked >= len(scenario_run.letters)


def test_every_letter_prints_its_sums_and_total_equal_to_the_engines(scenario_run: Run) -> None:
    for r in scenario_run.letters:
        principal, fee, compensation, interest, salaer, total = _sums(r)
        assert total == r.stored.total
        if _upheld(r):
            assert "Sum" not in r.text.split("Svar på innsigelse")[1], f"{r.name}: an upheld objection has no sums"
            continue
        if r.stored.type is LetterType.PAID_CONFIRMATION:
            paid = [ln.paid for ln in r.stored.lines if ln.paid is not None]
            everything = Money.sum(
                (p.principal + p.fee + p.compensation + p.interest + p.salaer + p.overpaid for p in paid), "NOK"
            )
            assert f"Sum {nok(Money.sum((p.principal for p in paid), 'NOK'))} " in r.text, r.name
            assert f"{nok(everything)} Krav Inkasso" in r.text or f"{nok(everything)}" in r.text, r.name
            continue
        cells = [nok(principal), nok(fee)]
        if compensation.is_positive():
            cells.append(nok(compensation))
        cells.append(nok(interest))
        if r.stored.type in SALAER_COLUMN or not salaer.is_zero():
            cells.append(nok(salaer))
        cells.append(nok(total))
        assert f"Sum {' '.join(cells)}" in r.text, f"{r.name}: sum row {cells} not in {r.text!r}"


def test_every_letter_prints_its_date_debtor_and_creditor(scenario_run: Run) -> None:
    for r in scenario_run.letters:
        assert f"Dato {ddmmyyyy(r.stored.sent_on)} Kundenr. {r.stored.debtor}" in r.text, r.name
        recipient = r.letter.recipient
        assert recipient.name in r.text, r.name
        if recipient.street:
            assert recipient.street in r.text, r.name
        orgno = scenario_run.creditor_orgno
        assert f"Oppdragsgiver {scenario_run.scenario.creditor_name} Org.nr. {orgno[:3]} {orgno[3:6]} {orgno[6:]}" in (
            r.text
        ), r.name
        if r.stored.case_number:
            assert f"Saksnr. {r.stored.case_number}" in r.text, r.name


def test_a_letter_that_asks_for_money_prints_deadline_account_and_kid_in_the_payment_box(scenario_run: Run) -> None:
    """The payment box: the total, the deadline, the account number (grouped) and the KID, as stored."""
    demanding = [
        r
        for r in scenario_run.letters
        if r.stored.type in ASKS_FOR_MONEY
        or (r.stored.type is LetterType.OBJECTION_ANSWER and r.stored.deadline is not None)  # R-CLM-15: rejected
    ]
    assert demanding, "the scenario has no letter that asks for money"
    for r in demanding:
        assert r.stored.deadline is not None, r.name
        assert r.stored.kid, r.name
        assert r.stored.account, r.name
        box = (
            f"Å betale {nok(r.stored.total.amount)} kr Betalingsfrist {ddmmyyyy(r.stored.deadline)} "
            f"Til kontonummer {account_as_printed(r.stored.account)} KID {r.stored.kid}"
        )
        assert box in r.text, f"{r.name}: {box!r} not in {r.text!r}"
        assert f"Betalingsfrist {ddmmyyyy(r.stored.deadline)}" in r.text.split(HEADLINES[r.stored.type])[0], (
            f"{r.name}: the deadline is not in the reference box above the headline"
        )


def test_a_paid_confirmation_asks_for_nothing(scenario_run: Run) -> None:
    for r in scenario_run.letters:
        if r.stored.type is LetterType.PAID_CONFIRMATION:
            assert r.stored.deadline is None
            for absent in ("Betalingsfrist", "KID", "Til kontonummer", "Å betale"):
                assert absent not in r.text, f"{r.name}: {absent!r}"


def _required(r: Rendered, creditor_orgno: str) -> list[str]:
    """The wording each type must carry (the templates in krav/adapters/pdf/templates/nb/)."""
    kind = r.stored.type
    total = nok(r.stored.total.amount)
    deadline = ddmmyyyy(r.stored.deadline) if r.stored.deadline else ""
    invoices = [ln.invoice_number for ln in r.stored.lines]
    orgno = f"{creditor_orgno[:3]} {creditor_orgno[3:6]} {creditor_orgno[6:]}"
    if kind is LetterType.REMINDER:
        return [f"Vennligst betal {total} kroner innen {deadline}.", "Denne påminnelsen er uten gebyr."]
    if kind is LetterType.NOTICE:
        return [
            f"Dersom {total} kroner ikke er betalt innen {deadline}, vil kravet bli sendt til inkasso.",
            "Det kan medføre ytterligere kostnader for deg (inkassosalær)",  # R-CLM-3: "kan medføre"
        ]
    if kind is LetterType.INTEREST_NOTE:
        return [f"Vennligst betal {total} kroner innen {deadline}.", "Betalingen kom etter forfall"]
    if kind is LetterType.PAYMENT_DEMAND:
        what = (
            ("Kravene gjelder ubetalte fakturaer nr. " if len(invoices) > 1 else "Kravet gjelder ubetalt faktura nr. ")
            + ", ".join(invoices)
            if len(invoices) <= 3
            else "som er listet i tabellen"
        )
        wanted = [
            f"(org.nr. {orgno})",
            what,
            f"Vi oppfordrer deg til enten å betale {total} kroner innen {deadline}, eller innen samme frist å komme "
            "med innsigelser mot kravet.",
            "Unnlatt betaling kan føre til ytterligere kostnader for deg og til rettslig inndriving av kravet.",
        ]
        rates: list[Decimal] = []
        for ln in r.stored.lines:  # R-CLM-16: every rate a period ran at, in the order of the periods
            for x in [p.rate for p in ln.interest_periods] or ([ln.interest_rate] if ln.interest_rate else []):
                if x not in rates:
                    rates.append(x)
        if rates:  # inkassoloven § 10 (d): the rate and the date interest runs from
            wanted.append(f"forsinkelsesrenteloven § 3 med {' % og '.join(nok(x) for x in rates)} % per år")
            wanted.append("Rente fra")
        if r.letter.recipient.kind != "business":
            wanted.append("Finansklagenemnda (inkassoloven § 22")
        return wanted
    if kind is LetterType.LEGAL_NOTICE:
        return [
            f"Dersom {total} kroner ikke er betalt innen {deadline}, vil kravet bli inndrevet rettslig",
            "tvangsfullbyrdelsesloven § 4-18",
            "tvisteloven § 5-2",
        ]
    if kind is LetterType.OBJECTION_ANSWER:  # R-CLM-15: the reasons, and a rejection's new deadline
        if r.stored.deadline is None:
            return ["Innsigelsen er tatt til følge", "er frafalt, og saken er avsluttet", r.stored.note or "?"]
        return [
            "Innsigelsen er ikke tatt til følge",
            f"Vennligst betal {total} kroner innen {deadline}.",
            r.stored.note or "?",
        ]
    return ["er betalt i sin helhet, og at saken er avsluttet"]


def test_every_letter_carries_its_headline_and_the_wording_its_type_requires(scenario_run: Run) -> None:
    for r in scenario_run.letters:
        assert r.letter.recipient.language == "nb", f"{r.name}: the checks below are for letters in bokmål"
        headline = HEADLINES[r.stored.type]
        assert headline in r.text, r.name
        for other, words in HEADLINES.items():
            if other is not r.stored.type and words not in headline:
                assert words not in r.text, f"{r.name} also carries the headline {words!r}"
        for phrase in _required(r, scenario_run.creditor_orgno):
            assert phrase in r.text, f"{r.name}: {phrase!r} not in {r.text!r}"


def test_a_notice_never_says_purring(scenario_run: Run) -> None:
    """inkassoloven § 9, R-CLM-3: the notice is an "Inkassovarsel" and must not be combined with a reminder."""
    for r in scenario_run.letters:
        if r.stored.type is LetterType.NOTICE:
            assert "purring" not in r.text.lower(), r.name


def test_a_payment_demand_to_a_business_leaves_out_the_consumer_complaints_board(scenario_run: Run) -> None:
    for r in scenario_run.letters:
        if r.stored.type in (LetterType.PAYMENT_DEMAND, LetterType.LEGAL_NOTICE):
            consumer = r.letter.recipient.kind != "business"
            assert ("Finansklagenemnda" in r.text) is consumer, r.name


# -- the command -------------------------------------------------------------------------------------------------


@pytest.fixture
def krav(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("KRAV_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KRAV_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    cli.reset_app()
    yield CliRunner()
    cli.reset_app()
    get_settings.cache_clear()


def test_scenario_run_with_letters_writes_one_pdf_per_letter_byte_for_byte(
    krav: CliRunner, scenario_run: Run, tmp_path: Path
) -> None:
    """``krav scenario run FILE --letters DIR``: ``{debtor}-{n}-{type}.pdf`` for every letter, the same bytes as
    the letter rendered in a separate run (the rendering is deterministic)."""
    path = tmp_path / f"{scenario_run.name}.yaml"
    path.write_bytes(SOURCES[scenario_run.name])
    folder = tmp_path / "brev"
    result = krav.invoke(cli.app, ["scenario", "run", str(path), "--letters", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"wrote {len(scenario_run.letters)} letter PDF(s) to {folder}" in result.output
    written = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert sorted(written) == sorted(f"{r.name}.pdf" for r in scenario_run.letters)
    for r in scenario_run.letters:
        assert written[f"{r.name}.pdf"] == r.document.content, r.name


def test_a_customer_number_with_a_slash_still_gives_one_pdf_per_letter_in_the_folder(
    krav: CliRunner, tmp_path: Path
) -> None:
    source = SOURCES["a_notice_paid_in_time"].decode().replace('"10001"', '"K/10001"')
    assert '"K/10001"' in source
    path = tmp_path / "slash.yaml"
    path.write_text(source, "utf-8")
    folder = tmp_path / "brev"
    result = krav.invoke(cli.app, ["scenario", "run", str(path), "--letters", str(folder)])
    assert result.exit_code == 0, result.output
    written = [p for p in folder.rglob("*") if p.is_file()]
    assert len(written) == 2
    assert all(p.parent == folder and p.suffix == ".pdf" for p in written)
