"""PDF letters and the collection list: what a debtor, a court and a creditor read in them (R-CLM-2 … R-CLM-13).

Every letter is built in code, rendered, and read back with pypdf: the amounts, dates, KID, account number,
invoice numbers and each type's required wording must be in the text; debtor-supplied text must come out as
the characters it is, never as markup or template code, and never break the page.
"""

from __future__ import annotations

import doctest
import hashlib
import io
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import krav.adapters.pdf as pdf_package
from krav.adapters.pdf import (
    CollectionListRow,
    LetterRenderer,
    LetterTexts,
    layout,
    render_collection_list,
    render_letter,
    render_letters,
    texts,
)
from krav.domain.collection.letters import DEMANDING, Letter, LetterLine, LetterType, Recipient, Sender
from krav.domain.errors import FieldError
from krav.domain.money import Money, format_amount

SERVICE = Sender(
    "Krav Inkasso AS",
    "923609016",
    "Postboks 123 Sentrum",
    "0104",
    "Oslo",
    "post@krav.example",
    "22 33 44 55",
    account="16020000000",
    iban="NO3916020000000",
    bic="DNBANOKKXXX",
)
CREDITOR = Sender(
    "Eksempel Handel AS", "974760673", "Storgata 10", "0155", "Oslo", "faktura@eksempel.example", "21000000"
)
SENT = date(2025, 2, 10)
DEADLINE = date(2025, 2, 24)
KID = "0012344"
ACCOUNT = "12345678903"
HEADLINES = {
    LetterType.REMINDER: "Betalingspåminnelse",
    LetterType.NOTICE: "Inkassovarsel",
    LetterType.INTEREST_NOTE: "Rentenota",
    LetterType.PAYMENT_DEMAND: "Betalingsoppfordring",
    LetterType.LEGAL_NOTICE: "Varsel om rettslig inkasso",
    LetterType.PAID_CONFIRMATION: "Bekreftelse på betalt sak",
    LetterType.OBJECTION_ANSWER: "Svar på innsigelse",
}
WITH_SALAER = {LetterType.PAYMENT_DEMAND, LetterType.LEGAL_NOTICE}
WITH_RATE = {LetterType.INTEREST_NOTE, LetterType.PAYMENT_DEMAND, LetterType.LEGAL_NOTICE}


# -- builders --------------------------------------------------------------------------------------------------


def claim_line(i: int, *, salaer: bool = False, rate: bool = False) -> LetterLine:
    """The i-th claim: invoice 10001 + i, principal 1 234,50 + 100 i, the fee on the first claim only."""
    return LetterLine(
        collection_id=f"C-{1000 + i}",
        invoice_number=str(10001 + i),
        invoice_date=date(2025, 1, 1) + timedelta(days=i),
        due_date=date(2025, 1, 15) + timedelta(days=i),
        principal=Money.of(Decimal("1234.50") + 100 * i),
        fee=Money.of("35.00") if i == 0 else Money.zero(),
        interest=Money.of(Decimal("12.34") + i),
        salaer=Money.of("280.00") if salaer and i == 0 else Money.zero(),
        interest_rate=Decimal("12.50") if rate else None,
        interest_from=date(2025, 1, 15) + timedelta(days=i) if rate else None,
    )


def debtor(
    name: str = "Ola Nordmann", *, language: str = "nb", kind: str = "consumer", street: str = "Storgata 1"
) -> Recipient:
    orgno = "974760673" if kind == "business" else None
    return Recipient("10023", name, kind, orgno, street, "0155", "Oslo", "NO", None, language)


def make_letter(
    kind: LetterType = LetterType.NOTICE, claims: int = 1, *, recipient: Recipient | None = None, sent_on: date = SENT
) -> Letter:
    demanding = kind in DEMANDING
    return Letter(
        type=kind,
        creditor=CREDITOR,
        service=SERVICE,
        recipient=recipient or debtor(),
        n=1,
        sent_on=sent_on,
        deadline=DEADLINE if demanding else None,
        kid=KID if demanding else None,
        account=ACCOUNT if demanding else None,
        lines=tuple(claim_line(i, salaer=kind in WITH_SALAER, rate=kind in WITH_RATE) for i in range(claims)),
        case_number="S-2025-0042",
    )


def pages_of(document: bytes) -> list[str]:
    """The text of each page, whitespace collapsed (a phrase may wrap across lines in the PDF)."""
    reader = PdfReader(io.BytesIO(document))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def text_of(document: bytes) -> str:
    return " ".join(pages_of(document))


# -- every letter type -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(LetterType))
def test_every_letter_type_is_a_one_page_a4_pdf_under_its_headline(kind: LetterType) -> None:
    document = render_letter(make_letter(kind, 3))
    reader = PdfReader(io.BytesIO(document))
    assert document.startswith(b"%PDF-")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert HEADLINES[kind] in text_of(document)


@pytest.mark.parametrize("kind", sorted(DEMANDING))
def test_a_letter_that_asks_for_money_shows_every_amount_date_kid_account_and_invoice(kind: LetterType) -> None:
    letter = make_letter(kind, 3)
    text = text_of(render_letter(letter))
    for line in letter.lines:
        assert line.invoice_number in text
        assert line.invoice_date.strftime("%d.%m.%Y") in text
        assert line.due_date.strftime("%d.%m.%Y") in text
        for amount in (line.principal, line.interest, line.total):
            assert format_amount(amount) in text
    assert format_amount(letter.fee) == "35,00"
    assert "35,00" in text
    assert format_amount(letter.total) in text
    assert "24.02.2025" in text  # the deadline
    assert "10.02.2025" in text  # the letter's date
    assert KID in text
    assert "1234.56.78903" in text
    assert "Eksempel Handel AS" in text
    assert "974 760 673" in text


def test_amounts_are_printed_with_space_groups_and_a_decimal_comma() -> None:
    letter = make_letter(LetterType.NOTICE, 1)
    big = replace(letter.lines[0], principal=Money.of("1234567.5"))
    text = text_of(render_letter(replace(letter, lines=(big,))))
    assert "1 234 567,50" in text
    assert "1 234 614,84" in text  # 1 234 567,50 + 35,00 fee + 12,34 interest


def test_notice_is_headed_inkassovarsel_never_purring_and_warns_of_collection_with_costs() -> None:
    """R-CLM-3, inkassoloven § 9: the headline is "Inkassovarsel", the word "purring" appears nowhere, and the
    letter says the claim goes to inkasso, with costs, if it is not paid by the deadline."""
    text = text_of(render_letter(make_letter(LetterType.NOTICE, 2)))
    assert text.startswith("Krav Inkasso AS")
    assert "Inkassovarsel" in text
    assert "purring" not in text.lower()
    assert "ikke er betalt innen 24.02.2025, vil kravet bli sendt til inkasso" in text
    assert "kostnader" in text


def test_payment_demand_gives_what_inkassoloven_section_10_requires() -> None:
    """R-CLM-5, inkassoloven § 10: creditor, what the claim is for, principal and additional amounts apart,
    interest rate and the date it runs from, the consequences of not paying, the right to object and to have a
    dispute heard (§ 22) for a consumer."""
    letter = make_letter(LetterType.PAYMENT_DEMAND, 2)
    text = text_of(render_letter(letter))
    assert "Betalingsoppfordring" in text
    assert "Eksempel Handel AS (org.nr. 974 760 673)" in text  # a) the creditor
    assert "ubetalte fakturaer nr. 10001, 10002" in text  # b) what the claim is for
    for label in ("Hovedstol", "Gebyr", "Renter", "Salær"):  # c) principal and each additional amount
        assert label in text
    assert "280,00" in text
    assert "35,00" in text
    assert "12,50 %" in text
    assert "15.01.2025" in text
    assert "Rente fra" in text
    assert "ytterligere kostnader for deg og til rettslig inndriving" in text  # e) consequences
    assert "innsigelser" in text  # the right to object
    assert "Finansklagenemnda" in text
    assert "§ 22" in text


def test_payment_demand_to_a_business_leaves_out_the_consumer_complaints_board() -> None:
    text = text_of(
        render_letter(make_letter(LetterType.PAYMENT_DEMAND, 1, recipient=debtor("Kunde AS", kind="business")))
    )
    assert "Betalingsoppfordring" in text
    assert "Finansklagenemnda" not in text


def test_reminder_says_it_carries_no_fee() -> None:
    """R-CLM-2: the reminder before the notice is free."""
    text = text_of(render_letter(make_letter(LetterType.REMINDER, 1)))
    assert "Betalingspåminnelse" in text
    assert "uten gebyr" in text
    assert "Salær" not in text  # no salær column on a letter that charges none


def test_interest_note_names_the_interest_rate() -> None:
    """R-CLM-8: what is left after the principal was paid, with the rate used."""
    text = text_of(render_letter(make_letter(LetterType.INTEREST_NOTE, 1)))
    assert "Rentenota" in text
    assert "forsinkelsesrenter" in text
    assert "12,50 % per år" in text


def test_notice_of_legal_collection_names_the_legal_steps_and_the_deadline() -> None:
    """R-CLM-13: the last letter before forliksklage or utlegg, with its 14-day deadline."""
    text = text_of(render_letter(make_letter(LetterType.LEGAL_NOTICE, 1)))
    assert "Varsel om rettslig inkasso" in text
    assert "ikke er betalt innen 24.02.2025, vil kravet bli inndrevet rettslig" in text
    assert "tvangsfullbyrdelsesloven § 4-18" in text


def test_paid_confirmation_has_no_deadline_kid_account_or_payment_box() -> None:
    """R-CLM-9: a confirmation asks for nothing."""
    letter = make_letter(LetterType.PAID_CONFIRMATION, 2)
    text = text_of(render_letter(letter))
    assert "Bekreftelse på betalt sak" in text
    assert "betalt i sin helhet" in text
    for absent in ("Betalingsfrist", "KID", "Til kontonummer", "Å betale", "24.02.2025"):
        assert absent not in text
    assert "10002" in text


def test_a_letter_in_english_when_the_debtor_reads_english() -> None:
    letter = make_letter(LetterType.PAYMENT_DEMAND, 2, recipient=debtor(language="en"))
    text = text_of(render_letter(letter))
    assert "Payment demand" in text
    assert "Pay by" in text
    assert "Principal" in text
    assert "Interest from" in text
    assert "Financial Complaints Board" in text
    assert "Betalingsfrist" not in text
    assert "Hovedstol" not in text
    assert "24.02.2025" in text
    assert format_amount(letter.total) in text
    assert KID in text


def test_a_language_krav_has_no_texts_for_falls_back_to_bokmal() -> None:
    text = text_of(render_letter(make_letter(LetterType.NOTICE, 1, recipient=debtor(language="de"))))
    assert "Inkassovarsel" in text


def test_the_address_sits_in_the_envelope_window() -> None:
    """DIN 5008 form B / DIN 680 window (20 mm from the left, 45 mm from the top, 90 × 45 mm), and the
    Norwegian window envelopes (about 15 mm from the left, 39–44 mm from the top, 30–35 mm high)."""
    reader = PdfReader(io.BytesIO(render_letter(make_letter())))
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: object, tm: list[float], font: object, size: object) -> None:
        if text.strip():
            found.setdefault(text.strip(), (tm[4], tm[5]))

    reader.pages[0].extract_text(visitor_text=visit)
    height = float(reader.pages[0].mediabox.height)
    for line in ("Ola Nordmann", "Storgata 1", "0155 Oslo"):
        x, y = found[line]
        left_mm, from_top_mm = x / layout.MM, (height - y) / layout.MM
        assert 20 <= left_mm <= 30, line
        assert 50 <= from_top_mm <= 69, line


# -- debtor-supplied text --------------------------------------------------------------------------------------------

HOSTILE_NAMES = {
    "reportlab markup": '<b>Bold</b><font size="40" color="red">Big</font><br/>&amp;',
    "jinja template code": '{{ "pwn" ~ "ed" }}{% for x in range(3) %}loop{% endfor %}{# comment #}',
    "ten thousand characters": "Nordmann" * 1250,
    "right-to-left override": "Ola \u202ennamdroN\u202c Nordmann",
    "control characters": "Ola\x00\x07\x1b[31m\nNordmann\r\t\x7f",
}


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=list(HOSTILE_NAMES))
def test_a_hostile_customer_name_prints_as_plain_text_on_one_page(name: str) -> None:
    letter = make_letter(LetterType.NOTICE, 1, recipient=debtor(name, street=name))
    document = render_letter(letter)
    pages = pages_of(document)
    assert len(pages) == 1
    text = pages[0]
    assert "Inkassovarsel" in text
    assert KID in text
    assert "1234.56.78903" in text
    assert "pwned" not in text
    assert "looploop" not in text
    for forbidden in ("\u202e", "\u202c", "\x00", "\x07", "\x1b", "\x7f"):
        assert forbidden not in text


def test_markup_in_a_name_is_printed_as_written() -> None:
    text = text_of(render_letter(make_letter(recipient=debtor("<b>Ola</b> {{ 7*7 }} Nordmann"))))
    assert "<b>Ola</b> {{ 7*7 }} Nordmann" in text


def test_a_very_long_name_is_cut_with_an_ellipsis() -> None:
    text = text_of(render_letter(make_letter(recipient=debtor("Nordmann" * 1250))))
    assert "NordmannNordmann" in text
    assert "…" in text  # nothing else on the letter has an ellipsis
    assert text.count("Nordmann") < 40


def test_a_name_outside_windows_1252_keeps_its_letters() -> None:
    text = text_of(render_letter(make_letter(recipient=debtor("Łukasz Wiśniewski"))))
    if layout._fallback_font(layout.REGULAR) is not None:
        assert "Łukasz Wiśniewski" in text
    else:  # no DejaVu on this machine: folded to the base letters, never a missing-glyph box
        assert "Lukasz Wisniewski" in text


# -- many claims -------------------------------------------------------------------------------------------------------


def test_fifteen_claims_fit_on_one_page() -> None:
    for kind in (LetterType.NOTICE, LetterType.PAYMENT_DEMAND):
        assert len(pages_of(render_letter(make_letter(kind, 15)))) == 1, kind


def test_more_claims_continue_on_the_next_page_with_the_total_on_the_last() -> None:
    letter = make_letter(LetterType.PAYMENT_DEMAND, 40)
    pages = pages_of(render_letter(letter))
    assert len(pages) >= 2
    total = format_amount(letter.total)
    assert "Til kontonummer" not in " ".join(pages[:-1])  # the payment box comes only at the end
    assert f"{total} kr" in pages[-1]
    assert "Å betale" in pages[-1]
    assert "Til kontonummer" in pages[-1]
    assert format_amount(letter.principal) in pages[-1]  # the sum row
    assert f"Side 1 av {len(pages)}" in pages[0]
    assert "Fortsetter på neste side" in pages[0]
    assert f"Side {len(pages)} av {len(pages)}" in pages[-1]
    assert "Fakturanr." in pages[1]  # the table heading repeats
    everything = " ".join(pages)
    for line in letter.lines:
        assert line.invoice_number in everything


# -- deterministic output and batches -------------------------------------------------------------------------------------


def test_the_same_letter_gives_the_same_bytes() -> None:
    """Letters are archived with their SHA-256 and must come out the same when rendered again."""
    letter = make_letter(LetterType.PAYMENT_DEMAND, 3, recipient=debtor("Łukasz Wiśniewski"))
    first, second = render_letter(letter), render_letter(letter)
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert render_letter(replace(letter, sent_on=date(2025, 2, 11))) != first


def test_the_pdf_is_dated_the_letters_date() -> None:
    reader = PdfReader(io.BytesIO(render_letter(make_letter())))
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"].startswith("D:20250210")
    assert reader.metadata.title == "Inkassovarsel 10.02.2025"


def test_a_print_batch_starts_each_letter_on_a_new_page() -> None:
    letters = [
        make_letter(LetterType.NOTICE, 1),
        make_letter(LetterType.PAYMENT_DEMAND, 40),
        make_letter(LetterType.REMINDER, 2, recipient=debtor("Kari Nordmann")),
    ]
    pages = pages_of(render_letters(letters))
    singles = [pages_of(render_letter(letter)) for letter in letters]
    assert len(pages) == sum(len(s) for s in singles)
    starts = [0, len(singles[0]), len(singles[0]) + len(singles[1])]
    for start, kind in zip(starts, (LetterType.NOTICE, LetterType.PAYMENT_DEMAND, LetterType.REMINDER), strict=True):
        assert HEADLINES[kind] in pages[start]
        assert "Side 1 av" in pages[start]
    assert "Kari Nordmann" in pages[starts[2]]


def test_an_empty_batch_is_refused() -> None:
    with pytest.raises(FieldError, match="letters"):
        render_letters([])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kid": None}, "kid"),
        ({"deadline": None}, "deadline"),
        ({"account": "12345678900"}, "account"),
        ({"kid": "12AB"}, "kid"),
    ],
)
def test_a_letter_asking_for_money_without_a_valid_way_to_pay_is_refused(change: dict[str, object], field: str) -> None:
    with pytest.raises(FieldError) as raised:
        render_letter(replace(make_letter(LetterType.NOTICE), **change))  # type: ignore[arg-type]
    assert raised.value.field == field
    assert "customer 10023" in str(raised.value)


def test_a_letter_without_claims_is_refused() -> None:
    with pytest.raises(FieldError, match="at least one claim"):
        render_letter(replace(make_letter(), lines=()))


# -- a creditor's own wording ----------------------------------------------------------------------------------------------


def test_a_creditors_template_and_labels_replace_the_packaged_ones(tmp_path: Path) -> None:
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "notice.j2").write_text(
        "# Inkassovarsel\nHei {{ recipient.name }}! Betal {{ total }} innen {{ deadline }}.\n", encoding="utf-8"
    )
    (tmp_path / "nb" / "labels.toml").write_text('kid = "KID-nummer"\n', encoding="utf-8")
    renderer = LetterRenderer(LetterTexts([tmp_path]))
    text = text_of(renderer.render_letter(make_letter(recipient=debtor("{{ 7*7 }}"))))
    assert "Hei {{ 7*7 }}! Betal 1 281,84 innen 24.02.2025." in text
    assert "KID-nummer" in text
    assert "Hovedstol" in text
    assert "Betalingspåminnelse" in text_of(renderer.render_letter(make_letter(LetterType.REMINDER)))


# -- the collection list ----------------------------------------------------------------------------------------------------


def list_row(i: int, name: str = "") -> CollectionListRow:
    return CollectionListRow(
        debtor_number=str(100 + i),
        debtor_name=name or f"Kunde {i} AS",
        collection_id=f"C-{5000 + i}",
        invoice_number=str(20000 + i),
        due_date=date(2025, 1, 2),
        principal=Money.of(Decimal("1000.00") + i),
        fee=Money.of("35.00"),
        interest=Money.of("10.25"),
        notice_deadline=date(2025, 2, 3),
    )


def test_the_collection_list_shows_every_claim_in_the_order_given_with_the_sums() -> None:
    """R-CLM-4: the Tuesday list, claims in the order the service drew them."""
    rows = [list_row(2), list_row(0), list_row(1)]
    text = text_of(render_collection_list(CREDITOR, date(2025, 2, 11), rows))
    assert "Inkassoliste" in text
    assert "11.02.2025" in text
    assert "Eksempel Handel AS" in text
    assert "974 760 673" in text
    positions = [text.index(f"C-{5000 + i}") for i in (2, 0, 1)]
    assert positions == sorted(positions)
    for row in rows:
        assert row.invoice_number in text
        assert row.debtor_name in text
        assert format_amount(row.total) in text
    assert "02.01.2025" in text
    assert "03.02.2025" in text
    assert "3 003,00" in text  # the principal, summed
    assert "3 138,75" in text  # everything outstanding, summed
    assert "3 krav" in text


def test_a_long_collection_list_runs_over_pages_and_survives_hostile_names() -> None:
    rows = [list_row(i, HOSTILE_NAMES["jinja template code"] if i == 3 else "") for i in range(80)]
    document = render_collection_list(CREDITOR, date(2025, 2, 11), rows)
    pages = pages_of(document)
    assert len(pages) >= 2
    assert "Side 1 av" in pages[0]
    assert "Kunde" in pages[1]
    assert "80 krav" in pages[-1]
    assert "pwned" not in " ".join(pages)
    assert render_collection_list(CREDITOR, date(2025, 2, 11), rows) == document


def test_the_renderer_draws_the_list_with_its_own_texts_and_a_row_without_a_notice_deadline() -> None:
    row = replace(list_row(0), notice_deadline=None)
    text = text_of(LetterRenderer().render_collection_list(CREDITOR, date(2025, 2, 11), [row]))
    assert "Inkassoliste" in text
    assert "C-5000" in text
    assert "1 045,25" in text


# -- the package's surface ------------------------------------------------------------------------------------------------


def test_the_package_exports_exactly_its_api() -> None:
    assert sorted(pdf_package.__all__) == [
        "CollectionListRow",
        "LetterRenderer",
        "LetterTexts",
        "render_collection_list",
        "render_letter",
        "render_letters",
    ]
    for name in pdf_package.__all__:
        assert hasattr(pdf_package, name)


def test_the_examples_in_the_texts_module_run() -> None:
    assert doctest.testmod(texts).failed == 0


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_collection_list_names_its_thursday_and_how_to_act_and_no_portal_r_clm_4(language: str) -> None:
    """Listed on Tuesday 11 February 2025: with the automatic list the claims move on Thursday 13 February unless
    paused or closed; without it, only those approved move. The list points to Krav's own commands."""
    rows = [list_row(0)]
    automatic = text_of(render_collection_list(CREDITOR, date(2025, 2, 11), rows, language=language))
    manual = text_of(render_collection_list(CREDITOR, date(2025, 2, 11), rows, language=language, automatic=False))
    thursday = "torsdag 13.02.2025" if language == "nb" else "Thursday 13.02.2025"
    assert thursday in automatic
    assert "krav claims pause --company 974760673" in automatic
    assert "krav claims approve --company 974760673" in manual
    assert "13.02.2025" not in manual  # without the automatic list nothing moves on a Thursday by itself
    for text in (automatic, manual):
        assert "portal" not in text.lower()


def test_a_print_batch_reuses_the_layout_of_letters_rendered_on_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """A print letter is rendered alone (its archived copy), then in its batch: laid out once, the same bytes."""
    letters = [make_letter(LetterType.REMINDER), make_letter(LetterType.NOTICE, claims=2)]
    fresh = LetterRenderer().render_letters(letters)
    renderer = LetterRenderer()
    made: list[Letter] = []
    lay_out = renderer._lay_out

    def counting(letter: Letter) -> Any:
        made.append(letter)
        return lay_out(letter)

    monkeypatch.setattr(renderer, "_lay_out", counting)
    alone = [renderer.render_letter(letter) for letter in letters]
    assert renderer.render_letters(letters) == fresh
    assert made == letters  # each laid out once, for its own PDF
    assert alone[0] == LetterRenderer().render_letter(letters[0])
    # an equal letter that is another object is laid out anew (the layout is kept by the object)
    renderer.render_letters([replace(letters[0])])
    assert len(made) == 3
