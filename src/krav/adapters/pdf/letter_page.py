"""The furniture of a letter's pages: the letterhead, the envelope window, the reference box and the creditor
on the first page; a running head on the next; a footer with the page number on each.
"""

from __future__ import annotations

from collections.abc import Mapping

from krav.adapters.pdf.countries import country_name, is_abroad
from krav.adapters.pdf.layout import LEFT_MM, MM, RIGHT_MM, Pen, top
from krav.adapters.pdf.letter_context import party_texts
from krav.adapters.pdf.texts import LetterTexts, clean, format_date
from krav.domain.collection.letters import Letter

__all__ = [
    "ADDRESS_BASELINE",
    "ADDRESS_ROOM",
    "ADDRESS_STEP",
    "ADDRESS_X",
    "FLOW_BOTTOM",
    "FLOW_TOP_FIRST",
    "FLOW_TOP_NEXT",
    "INFO_VALUE_X",
    "INFO_X",
    "RETURN_BASELINE",
    "draw_demo_band",
    "draw_first_page_head",
    "draw_footer",
    "draw_next_page_head",
]

# -- where things go on the first page (millimetres from the top-left corner of the A4 sheet) -----------------
#
# The address sits where the window of a C5, C6/5 or DL (E65) window envelope shows it. DIN 5008 form B puts
# the address field 20 mm from the left edge and 45 mm from the top, 85 × 45 mm, matching the DIN 680 window
# (90 × 45 mm, 20 mm from the left, 15 mm from the bottom of a DL envelope); the window envelopes sold in
# Norway have it about 15 mm from the left and 39–44 mm from the top, 30–35 mm high (E6/5: 40 mm and 30 mm).
# The address is drawn inside all of these: from 25 mm to 105 mm across, its lines between 51 and 68 mm down,
# with the return address in small type just above it (DIN 5008's return-address line).
ADDRESS_X = 25.0
ADDRESS_ROOM = 80.0
RETURN_BASELINE = 47.5
ADDRESS_BASELINE = 54.0
ADDRESS_STEP = 4.3
INFO_X = 122.0
INFO_VALUE_X = 147.0
FLOW_TOP_FIRST = 90.0
FLOW_TOP_NEXT = 28.0
FLOW_BOTTOM = 274.0


def _contact(party: Mapping[str, str], labels: Mapping[str, str]) -> str:
    parts = []
    if party["phone"]:
        parts.append(f"{labels['phone']} {party['phone']}")
    if party["email"]:
        parts.append(party["email"])
    return " · ".join(parts)


def _address_lines(letter: Letter) -> list[str]:
    """The debtor's address; abroad, its last line is the country's name in the letter's language."""
    recipient = letter.recipient
    lines = [
        clean(recipient.name),
        clean(recipient.street, 80),
        clean(f"{recipient.postcode or ''} {recipient.city or ''}", 80),
    ]
    country = clean(recipient.country, 40)
    if is_abroad(country):
        lines.append(country_name(country, LetterTexts.language_of(recipient.language)))
    return [line for line in lines if line]


def _identity_lines(letter: Letter, labels: Mapping[str, str]) -> list[str]:
    """R-SVC-1: the service's postal address, organisation number, telephone and e-mail, client account, and the
    account's IBAN and BIC for a debtor abroad."""
    service = party_texts(letter.service)
    lines = [
        service["address"],
        f"{labels['orgno']} {service['orgno']}" if service["orgno"] else "",
        _contact(service, labels),
        f"{labels['service_account']} {service['account']}" if service["account"] else "",
    ]
    if is_abroad(letter.recipient.country) and service["iban"]:
        lines.append(f"{labels['iban']} {service['iban']} · {labels['bic']} {service['bic']}")
    return [line for line in lines if line]


def draw_demo_band(pen: Pen, letter: Letter, labels: Mapping[str, str]) -> None:
    """R-SVC-1: a letter under the demo identity says on every page that it is a demo, not a real letter."""
    if not letter.service.demo:
        return
    left, right = LEFT_MM * MM, RIGHT_MM * MM
    pen.box(left, top(5), right - left, 6.5 * MM, 1.2)
    pen.text((left + right) / 2, top(9.7), labels["demo_band"], 10, bold=True, align="centre", room=right - left)


def draw_first_page_head(pen: Pen, letter: Letter, labels: Mapping[str, str]) -> None:
    """The letterhead, the addresses in the envelope window, the reference box and the creditor."""
    service = party_texts(letter.service)
    creditor = party_texts(letter.creditor)
    left = LEFT_MM * MM
    # letterhead: the collection service that writes, named in full (R-SVC-1)
    draw_demo_band(pen, letter, labels)
    pen.text(left, top(20), service["name"], 13, bold=True, room=95 * MM)
    for index, line in enumerate(_identity_lines(letter, labels)):
        pen.text(left, top(25 + 3.5 * index), line, 8, room=95 * MM)

    # the envelope window: return address, then the debtor
    sender = " · ".join(part for part in (service["name"], service["street"], service["place"]) if part)
    pen.text(ADDRESS_X * MM, top(RETURN_BASELINE), sender, 6.5, room=ADDRESS_ROOM * MM)
    for index, line in enumerate(_address_lines(letter)[:4]):
        pen.text(ADDRESS_X * MM, top(ADDRESS_BASELINE + ADDRESS_STEP * index), line, 10, room=ADDRESS_ROOM * MM)

    # the reference box on the right, and the creditor the letter is about
    rows = [(labels["date"], format_date(letter.sent_on), False)]
    rows.append((labels["customer_number"], clean(letter.recipient.number, 40), False))
    if letter.case_number:
        rows.append((labels["case_number"], clean(letter.case_number, 40), False))
    if letter.asks_for_payment and letter.deadline:
        rows.append((labels["deadline"], format_date(letter.deadline), True))
    value_room = (RIGHT_MM - INFO_VALUE_X) * MM
    for index, (label, value, bold) in enumerate(rows):
        y = top(47 + 4 * index)
        pen.text(INFO_X * MM, y, label, 8.5, bold=bold, room=(INFO_VALUE_X - INFO_X - 1) * MM)
        pen.text(INFO_VALUE_X * MM, y, value, 8.5, bold=bold, room=value_room)
    creditor_lines = [
        (labels["creditor"], True),
        (creditor["name"], True),
        (f"{labels['orgno']} {creditor['orgno']}" if creditor["orgno"] else "", False),
        (", ".join(part for part in (creditor["street"], creditor["place"]) if part), False),
        (_contact(creditor, labels), False),
    ]
    y_mm = 47.0 + 4 * len(rows) + 3
    for text, bold in creditor_lines:
        if text:
            pen.text(INFO_X * MM, top(y_mm), text, 8.5 if bold else 8, bold=bold, room=(RIGHT_MM - INFO_X) * MM)
            y_mm += 3.8


def draw_next_page_head(pen: Pen, letter: Letter, labels: Mapping[str, str], title: str) -> None:
    """The running head of a page after the first: service, letter title and date, debtor and customer number."""
    left, right = LEFT_MM * MM, RIGHT_MM * MM
    draw_demo_band(pen, letter, labels)
    pen.text(left, top(16), clean(letter.service.name, 80), 9, bold=True, room=80 * MM)
    pen.text(right, top(16), f"{title} {format_date(letter.sent_on)}", 9, bold=True, align="right", room=85 * MM)
    who = f"{clean(letter.recipient.name, 80)} · {labels['customer_number']} {clean(letter.recipient.number, 40)}"
    pen.text(right, top(20.5), who, 8, align="right", room=120 * MM)
    pen.rule(left, top(23), right, 0.5)


def draw_footer(pen: Pen, letter: Letter, labels: Mapping[str, str], number: int, count: int) -> None:
    """The service's full identity (R-SVC-1: name, address and organisation number; telephone, e-mail and client
    account; IBAN and BIC for a debtor abroad), the page number, and "continued" on every page but the last."""
    service = party_texts(letter.service)
    left, right = LEFT_MM * MM, RIGHT_MM * MM
    pen.rule(left, top(278), right, 0.4)
    first = [service["name"], service["address"]]
    if service["orgno"]:
        first.append(f"{labels['orgno']} {service['orgno']}")
    second = [_contact(service, labels)]
    if service["account"]:
        second.append(f"{labels['service_account']} {service['account']}")
    lines = [" · ".join(p for p in first if p), " · ".join(p for p in second if p)]
    if is_abroad(letter.recipient.country) and service["iban"]:
        lines.append(f"{labels['iban']} {service['iban']} · {labels['bic']} {service['bic']}")
    for index, line in enumerate(lines):
        pen.text(left, top(281.5 + 3.3 * index), line, 7, room=125 * MM)
    pen.text(right, top(281.5), labels["page"].format(page=number, pages=count), 7, align="right", room=40 * MM)
    if number < count:
        pen.text(right, top(284.8), labels["continued"], 7, align="right", room=40 * MM)
