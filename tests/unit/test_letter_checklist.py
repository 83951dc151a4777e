"""Every letter type, in bokmål and in English, to a consumer and to a business, held against a checklist of what
the law and god inkassoskikk require it to say, read back from the PDF's text.

The checklist (R-SVC-1, R-CLM-2 … R-CLM-16; inkassoloven §§ 8–10 and 17, inkassoforskriften § 1-2,
tvangsfullbyrdelsesloven § 4-18, tvisteloven § 5-2, forsinkelsesrenteloven §§ 3 and 3 a):

- every letter, on every page: the collection service that sends it — name, organisation number, postal address,
  telephone, e-mail and client account — and, for a debtor abroad, the country's name and the account's IBAN and
  BIC; a demo identity says it is a demo on every page;
- every letter: the creditor (oppdragsgiver) with its organisation number;
- a letter that asks for money: what is claimed, split into principal, fees, the standard compensation (B2B, named
  with its statute, never a fee), interest (with the rate or rates it was computed at, per period where it spans
  more than one) and salær; the total and the deadline; the consequence of not paying; how and where to object
  (the service's address, e-mail and telephone); the KID and the account to pay to;
- a paid confirmation: what was paid, when, and how it was applied; that the case is closed; no deadline, no KID;
- an answer that upholds an objection: the reasons, that the claim is dropped, and no amount, deadline or KID.

The letters are built the way the engine builds them: each claim's line is :func:`letter_line` of a claim in the
state the letter finds it (so the rates and periods printed are the ones its interest was computed at), rendered
by the packaged renderer and read with pypdf.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from krav.adapters.pdf import render_letter
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.interest import close_segment, split_segment
from krav.domain.collection.letter_content import PaymentApplied, confirmation_line, letter_line
from krav.domain.collection.letters import Letter, LetterLine, LetterType, Recipient, Sender
from krav.domain.money import Money
from krav.services.demo import DEMO_SERVICE
from tests.builders import RATES, SERVICE, in_state

# -- the parties ---------------------------------------------------------------------------------------------------

SERVICE_SENDER = SERVICE.sender()
CREDITOR = Sender(
    "Fjellbekk Rørleggerservice AS",
    "974760673",
    "Industriveien 14",
    "2020",
    "Skedsmokorset",
    "regnskap@fjellbekk-ror.example",
    "63 87 45 10",
)
KID = "0012344"
CASE = "S-2025-0042"


def debtor(kind: str, language: str, country: str = "NO") -> Recipient:
    if country == "SE":
        return Recipient("10031", "Sven Svensson", kind, None, "Storgatan 12", "211 22", "Malmö", "SE", None, language)
    if kind == "business":
        return Recipient("20001", "Bedrift AS", kind, "921605900", "Postboks 8", "0101", "Oslo", "NO", None, language)
    return Recipient("10001", "Ola Nordmann", kind, None, "Storgata 1", "0155", "Oslo", "NO", None, language)


# -- the claim and its letters -------------------------------------------------------------------------------------
#
# One invoice of 10 000,00 due 15 May 2025. A consumer gets a reminder, then a notice with the fee of 35,00; a
# business gets its notice before 14 days have passed (so no fee) and owes the standard compensation of 470,00
# (EUR 40 for the first half of 2025, R-CLM-11), which the salær is set off against. Interest runs at 12,50 %
# until 30 June 2025, 12,25 % until the end of the year, 12,00 % from 1 January 2026.

DUE = date(2025, 5, 15)
PRINCIPAL = Money.of("10000.00")
COMPENSATION = Money.of("470.00")
NOTICE_FEE = Money.of("35.00")
LIGHT_SALAER = {"consumer": Money.of("560.00"), "business": Money.of("370.00")}  # 0,8 × 700; 1,5 × that − 470
HEAVY_SALAER = {"consumer": Money.of("1120.00"), "business": Money.of("1210.00")}
PRINCIPAL_PAID_ON = date(2025, 6, 20)  # before the interest note
PAID_ON = date(2025, 8, 29)  # the payment in full the paid confirmation confirms
OVERPAID = Money.of("100.00")
ZERO = Money.zero()


def claim(recipient: Recipient, **state: Any) -> Claim:
    new = Claim(1, "K-1001", "1001", date(2025, 5, 1), DUE, PRINCIPAL, date(2025, 5, 16), recipient)
    return in_state(new, **state)


def fees(kind: str, salaer: Money = ZERO) -> dict[str, Any]:
    """The claim's fees and salær as the notice and the payment demand charged them (R-CLM-3, R-CLM-5, R-CLM-11)."""
    if kind == "business":
        return {
            "fees_charged": COMPENSATION,
            "fees_outstanding": COMPENSATION,
            "compensation_claimed": True,
            "compensation_charged": COMPENSATION,
            "salaer_charged": salaer,
            "salaer_outstanding": salaer,
        }
    return {
        "fees_charged": NOTICE_FEE,
        "fees_outstanding": NOTICE_FEE,
        "fee_letters": 1,
        "salaer_charged": salaer,
        "salaer_outstanding": salaer,
    }


@dataclass(frozen=True)
class Case:
    """One letter of the story: its type, date, deadline and the claim's line on it."""

    key: str
    type: LetterType
    sent_on: date
    deadline: date | None
    case_number: str | None = None


CASES = {
    "reminder": Case("reminder", LetterType.REMINDER, date(2025, 5, 22), date(2025, 5, 29)),
    "notice": Case("notice", LetterType.NOTICE, date(2025, 6, 2), date(2025, 6, 16)),
    "interest_note": Case("interest_note", LetterType.INTEREST_NOTE, date(2025, 7, 2), date(2025, 7, 16)),
    "payment_demand": Case("payment_demand", LetterType.PAYMENT_DEMAND, date(2025, 8, 20), date(2025, 9, 3), CASE),
    "legal_notice": Case("legal_notice", LetterType.LEGAL_NOTICE, date(2026, 1, 12), date(2026, 1, 26), CASE),
    "paid_confirmation": Case("paid_confirmation", LetterType.PAID_CONFIRMATION, date(2025, 9, 1), None, CASE),
    "objection_rejected": Case("objection_rejected", LetterType.OBJECTION_ANSWER, date(2025, 6, 20), date(2025, 7, 4)),
    "objection_upheld": Case("objection_upheld", LetterType.OBJECTION_ANSWER, date(2025, 6, 20), None),
}

NOTES = {
    ("objection_rejected", "nb"): "Arbeidet ble utført 2. mai 2025 og godkjent av deg ved overlevering.",
    ("objection_rejected", "en"): "The work was done on 2 May 2025 and approved by you on handover.",
    ("objection_upheld", "nb"): "Arbeidet var bestilt av en tidligere leietaker, ikke av deg.",
    ("objection_upheld", "en"): "The work was ordered by an earlier tenant, not by you.",
}


def the_line(case: Case, recipient: Recipient) -> LetterLine:
    """The claim's line on the letter, as the engine computes it on the letter's date."""
    kind = recipient.kind
    if case.key == "reminder":
        return letter_line(claim(recipient, stage=Stage.REMINDER), case.sent_on, RATES)
    if case.key in ("notice", "objection_rejected"):
        return letter_line(claim(recipient, stage=Stage.NOTICE, **fees(kind)), case.sent_on, RATES)
    if case.key == "interest_note":
        noted = claim(recipient, stage=Stage.NOTICE, **fees(kind))
        close_segment(noted, PRINCIPAL_PAID_ON, RATES)
        noted.pay(principal=PRINCIPAL)
        return letter_line(noted, case.sent_on, RATES)
    if case.key == "payment_demand":
        return letter_line(claim(recipient, stage=Stage.INKASSO, **fees(kind, LIGHT_SALAER[kind])), case.sent_on, RATES)
    if case.key == "legal_notice":
        return letter_line(claim(recipient, stage=Stage.INKASSO, **fees(kind, HEAVY_SALAER[kind])), case.sent_on, RATES)
    if case.key == "paid_confirmation":
        return paid_line(recipient)
    upheld = letter_line(claim(recipient, stage=Stage.NOTICE), case.sent_on, RATES)
    return replace(  # R-CLM-15: the claim is dropped, and the answer states no amount
        upheld,
        principal=ZERO,
        fee=ZERO,
        interest=ZERO,
        salaer=ZERO,
        compensation=None,
        interest_rate=None,
        interest_from=None,
        interest_periods=(),
    )


def paid_line(recipient: Recipient) -> LetterLine:
    """R-CLM-9: the claim paid in full on ``PAID_ON`` (100,00 too much), costs first, then interest, principal."""
    kind = recipient.kind
    interest = Money.sum(p.amount for p in split_segment(PRINCIPAL, DUE, PAID_ON, RATES))
    paid = claim(
        recipient,
        stage=Stage.CLOSED,
        **fees(kind, LIGHT_SALAER[kind])
        | {"principal_outstanding": ZERO, "fees_outstanding": ZERO, "salaer_outstanding": ZERO},
        interest_booked=interest,
        interest_paid=interest,
        segment_start=PAID_ON,
    )
    fee = COMPENSATION if kind == "business" else NOTICE_FEE
    payment = PaymentApplied(PAID_ON, PRINCIPAL, fee, interest, LIGHT_SALAER[kind], OVERPAID)
    return confirmation_line(letter_line(paid, date(2025, 9, 1), RATES), paid, [payment])


def make_letter(key: str, language: str, kind: str = "consumer", *, country: str = "NO", demo: bool = False) -> Letter:
    case = CASES[key]
    recipient = debtor(kind, language, country)
    asks = case.deadline is not None
    service = DEMO_SERVICE.sender() if demo else SERVICE_SENDER
    return Letter(
        type=case.type,
        creditor=CREDITOR,
        service=service,
        recipient=recipient,
        n=2,
        sent_on=case.sent_on,
        deadline=case.deadline,
        kid=KID if asks else None,
        account=service.account if asks else None,
        lines=(the_line(case, recipient),),
        case_number=case.case_number,
        note=NOTES.get((key, language)),
    )


def pages_of(letter: Letter) -> list[str]:
    """The text of each page of the rendered letter, whitespace collapsed (a phrase may wrap across lines)."""
    reader = PdfReader(io.BytesIO(render_letter(letter)))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


# -- the checklist -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Says:
    """What one letter type says in one language. Placeholders are filled from the letter: ``{service}``,
    ``{address}``, ``{email}``, ``{phone}``, ``{creditor}``, ``{orgno}`` (the creditor's), ``{total}``,
    ``{deadline}``, ``{note}``, ``{paid_total}``, ``{paid_on}``, ``{overpaid}``."""

    headline: str
    claim: str  # who claims what, and the amount and deadline (or, without deadline, what the letter settles)
    consequence: tuple[str, ...]  # what happens if it is not paid
    objection: tuple[str, ...]  # how and where to object (or ask)
    also: tuple[str, ...] = ()
    never: tuple[str, ...] = ()


NB_OBJECT = "skriv til {service}, {address}, eller send e-post til {email}"
NB_MUST = "må du skrive til {service}, {address}, eller sende e-post til {email} innen fristen"
NB_MAY = "kan du skrive til {service}, {address}, eller sende e-post til {email} før fristen"
EN_OBJECT = "write to {service}, {address}, or e-mail {email}"

CHECKLIST: dict[str, dict[str, Says]] = {
    "reminder": {
        "nb": Says(
            "Betalingspåminnelse",
            "fra {creditor} (org.nr. {orgno}).",
            (),  # no consequence: a reminder is no inkassovarsel (inkassoloven § 9)
            (
                "Mener du at kravet ikke er riktig",
                "skriv til {service}, {address}, send e-post til {email} eller ring {phone}",
            ),
            also=("Vennligst betal {total} kroner innen {deadline}.", "Denne påminnelsen er uten gebyr."),
            never=("sendt til inkasso", "Inkassovarsel"),
        ),
        "en": Says(
            "Payment reminder",
            "from {creditor} (org. no. {orgno}).",
            (),
            (
                "If you believe the claim is not correct",
                "write to {service}, {address}, e-mail {email} or call {phone}",
            ),
            also=("Please pay {total} NOK by {deadline}.", "This reminder carries no fee."),
            never=("sent to debt collection", "Debt collection notice"),
        ),
    },
    "notice": {
        "nb": Says(
            "Inkassovarsel",
            "fra {creditor} (org.nr. {orgno}).",
            (
                "Dersom {total} kroner ikke er betalt innen {deadline}, vil kravet bli sendt til inkasso. Det kan "
                "medføre ytterligere kostnader for deg",
            ),
            ("Mener du at kravet ikke er riktig, må du si fra før fristen", NB_OBJECT, "ringe oss på {phone}"),
            never=("purring", "vil medføre", "påminnelse"),
        ),
        "en": Says(
            "Debt collection notice (inkassovarsel)",
            "from {creditor} (org. no. {orgno}).",
            (
                "If {total} NOK has not been paid by {deadline}, the claim will be sent to debt collection. This may "
                "bring further costs for you",
            ),
            (
                "If you believe the claim is not correct, you must tell us before the deadline",
                EN_OBJECT,
                "call us on {phone}",
            ),
            never=("will bring", "reminder"),
        ),
    },
    "interest_note": {
        "nb": Says(
            "Rentenota",
            "fra {creditor} (org.nr. {orgno}). Betalingen kom etter forfall",
            ("Ubetalt kan beløpet bli sendt til inkasso, og det kan medføre ytterligere kostnader for deg.",),
            (
                "Mener du at beløpet ikke er riktig",
                "skriv til {service}, {address}, send e-post til {email} eller ring {phone}",
            ),
            also=("Vennligst betal {total} kroner innen {deadline}.", "forsinkelsesrenteloven § 3"),
        ),
        "en": Says(
            "Interest note",
            "from {creditor} (org. no. {orgno}). The payment came after the due date",
            ("If it is not paid, the amount may be sent to debt collection, which may bring further costs for you.",),
            (
                "If you believe the amount is not correct",
                "write to {service}, {address}, e-mail {email} or call {phone}",
            ),
            also=("Please pay {total} NOK by {deadline}.", "Late Payment Interest Act § 3"),
        ),
    },
    "payment_demand": {
        "nb": Says(
            "Betalingsoppfordring",
            "{service} har fått i oppdrag av {creditor} (org.nr. {orgno}) å kreve inn kravet nedenfor. Kravet gjelder "
            "ubetalt faktura nr. 1001.",
            ("Unnlatt betaling kan føre til ytterligere kostnader for deg og til rettslig inndriving av kravet.",),
            ("Har du innsigelser, " + NB_MUST, "ringe oss om på {phone}"),
            also=(
                "Vi oppfordrer deg til enten å betale {total} kroner innen {deadline}, eller innen samme frist å komme "
                "med innsigelser mot kravet.",
                "inkassoloven § 17",
                "forsinkelsesrenteloven § 3",
            ),
        ),
        "en": Says(
            "Payment demand (betalingsoppfordring)",
            "{service} has been instructed by {creditor} (org. no. {orgno}) to collect the claim below. The claim "
            "concerns unpaid invoice no. 1001.",
            ("Failure to pay may lead to further costs for you and to legal collection of the claim.",),
            ("If you object to the claim, you must", EN_OBJECT, "call us on {phone}"),
            also=(
                "We ask you either to pay {total} NOK by {deadline}, or to raise any objections to the claim by the "
                "same date.",
                "section 17 of the Debt Collection Act",
                "Late Payment Interest Act § 3",
            ),
        ),
    },
    "legal_notice": {
        "nb": Says(
            "Varsel om rettslig inkasso",
            "som {service} krever inn på vegne av {creditor} (org.nr. {orgno}). Kravet gjelder ubetalt faktura nr. 1001.",
            (
                "Dersom {total} kroner ikke er betalt innen {deadline}, vil kravet bli inndrevet rettslig",
                "tvangsfullbyrdelsesloven § 4-18",
                "tvisteloven § 5-2",
            ),
            ("Har du innsigelser mot kravet, " + NB_MUST, "ringe oss om på {phone}"),
        ),
        "en": Says(
            "Notice of legal collection (varsel om rettslig inkasso)",
            "which {service} collects on behalf of {creditor} (org. no. {orgno}). The claim concerns unpaid invoice "
            "no. 1001.",
            (
                "If {total} NOK has not been paid by {deadline}, the claim will be collected through the legal system",
                "Enforcement Act section 4-18",
                "Dispute Act section 5-2",
            ),
            ("If you object to the claim, you must", EN_OBJECT, "call us on {phone}"),
        ),
    },
    "paid_confirmation": {
        "nb": Says(
            "Bekreftelse på betalt sak",
            "fra {creditor} (org.nr. {orgno}) er betalt i sin helhet, og at saken er avsluttet.",
            (),
            ("Har du spørsmål, kan du skrive til {service}, {address}, sende e-post til {email} eller ringe {phone}",),
            also=(
                "Vi har mottatt til sammen {paid_total} kroner fra deg; den siste betalingen ble gjort {paid_on}.",
                "hvordan betalingen er fordelt på hovedstol og tilleggskrav",
                "Du har betalt {overpaid} kroner mer enn du skyldte.",
            ),
        ),
        "en": Says(
            "Confirmation of payment",
            "from {creditor} (org. no. {orgno}) has been paid in full and that the case is closed.",
            (),
            ("If you have questions, write to {service}, {address}, e-mail {email} or call {phone}",),
            also=(
                "We have received {paid_total} NOK from you in all; the last payment was made on {paid_on}.",
                "how the payment was applied to the principal and the additional amounts",
                "You paid {overpaid} NOK more than you owed.",
            ),
        ),
    },
    "objection_rejected": {
        "nb": Says(
            "Svar på innsigelse",
            "Vi har vurdert innsigelsen din mot kravet fra {creditor} (org.nr. {orgno}), faktura 1001.",
            ("går saken videre der den stod da du kom med innsigelsen, og det kan medføre ytterligere kostnader",),
            ("Er du fortsatt uenig, " + NB_MAY, "ringe oss på {phone}"),
            also=(
                "Innsigelsen er ikke tatt til følge {note}",
                "Kravet står derfor ved lag. Vennligst betal {total} kroner innen {deadline}.",
            ),
        ),
        "en": Says(
            "Answer to your objection",
            "We have considered your objection to the claim from {creditor} (org. no. {orgno}), invoice 1001.",
            ("the case goes on from where it stood when you objected, and this may lead to further costs",),
            ("If you still disagree, you may", EN_OBJECT, "call us on {phone}"),
            also=(
                "Your objection is not upheld {note}",
                "The claim stands. Please pay {total} NOK by {deadline}.",
            ),
        ),
    },
    "objection_upheld": {
        "nb": Says(
            "Svar på innsigelse",
            "Vi har vurdert innsigelsen din mot kravet fra {creditor} (org.nr. {orgno}), faktura 1001.",
            (),
            ("Har du spørsmål, kan du skrive til {service}, {address}, sende e-post til {email} eller ringe {phone}",),
            also=(
                "Innsigelsen er tatt til følge {note}",
                "Kravet er frafalt, og saken er avsluttet. Du skal ikke betale noe",
            ),
            never=("Hovedstol", "Renter", "kroner", "Innsigelsen er ikke tatt til følge"),
        ),
        "en": Says(
            "Answer to your objection",
            "We have considered your objection to the claim from {creditor} (org. no. {orgno}), invoice 1001.",
            (),
            ("If you have questions, write to {service}, {address}, e-mail {email} or call {phone}",),
            also=("Your objection is upheld {note}", "The claim is dropped and the case is closed. You owe nothing"),
            never=("Principal", "Interest", "NOK", "not upheld"),
        ),
    },
}

#: The fixed labels the checks read, per language.
LABELS = {
    "nb": {
        "orgno": "Org.nr.",
        "phone": "Tlf.",
        "client_account": "Klientkonto",
        "creditor": "Oppdragsgiver",
        "deadline": "Betalingsfrist",
        "amount_due": "Å betale",
        "account": "Til kontonummer",
        "kid": "KID",
        "currency": "kr",
        "principal": "Hovedstol",
        "fee": "Gebyr",
        "compensation": "Kompensasjon",
        "interest": "Renter",
        "salaer": "Salær",
        "sum": "Sum",
        "rate": "Sats p.a.",
        "see_periods": "se under",
        "periods": "Forsinkelsesrente per periode",
        "interest_sum": "Renter i alt",
        "paid_on": "Betalt",
        "overpaid": "Til gode",
        "paid_total": "Betalt i alt",
        "statute": "standardkompensasjon, forsinkelsesrenteloven § 3 a",
        "country": "SVERIGE",
        "consumer_board": "Finansklagenemnda (inkassoloven § 22",
    },
    "en": {
        "orgno": "Org. no.",
        "phone": "Tel.",
        "client_account": "Client account",
        "creditor": "On behalf of",
        "deadline": "Pay by",
        "amount_due": "Amount to pay",
        "account": "To account number",
        "kid": "KID (payment reference)",
        "currency": "NOK",
        "principal": "Principal",
        "fee": "Fee",
        "compensation": "Compensation",
        "interest": "Interest",
        "salaer": "Collection fee",
        "sum": "Total",
        "rate": "Rate p.a.",
        "see_periods": "see below",
        "periods": "Late-payment interest per period",
        "interest_sum": "Interest in all",
        "paid_on": "Paid on",
        "overpaid": "Overpaid",
        "paid_total": "Total paid",
        "statute": "standard compensation, Late Payment Interest Act § 3 a",
        "country": "SWEDEN",
        "consumer_board": "Financial Complaints Board (Finansklagenemnda, Debt Collection Act section 22",
    },
}

#: B2B (R-CLM-11): how the letters that carry the standard compensation say what remains or what it is.
COMPENSATION_SAYS = {
    ("interest_note", "nb"): "det gjenstår forsinkelsesrenter og standardkompensasjon.",
    ("interest_note", "en"): "late-payment interest and the standard compensation remain.",
    ("notice", "nb"): "Beløpet består av hovedstol, standardkompensasjon og forsinkelsesrenter",
    ("notice", "en"): "The amount consists of the principal, the standard compensation and late-payment interest",
}


# -- filling the checklist in ----------------------------------------------------------------------------------


def nok(amount: Money) -> str:
    """``10 000,00``: written out here, so that the test does not trust the formatting it checks."""
    value = amount.amount
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,.2f}".replace(",", " ").replace(".", ",")


def ddmmyyyy(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def rate(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def values(letter: Letter) -> dict[str, str]:
    service, creditor = letter.service, letter.creditor
    line = letter.lines[0]
    paid = line.paid
    return {
        "service": service.name,
        "address": f"{service.street}, {service.postcode} {service.city}",
        "email": service.email or "?",
        "phone": service.phone or "?",
        "creditor": creditor.name,
        "orgno": f"{creditor.orgno[:3]} {creditor.orgno[3:6]} {creditor.orgno[6:]}",
        "total": nok(letter.total),
        "deadline": ddmmyyyy(letter.deadline) if letter.deadline else "?",
        "note": letter.note or "?",
        "paid_total": nok(paid.total) if paid else "?",
        "paid_on": ddmmyyyy(paid.on) if paid else "?",
        "overpaid": nok(paid.overpaid) if paid else "?",
    }


def identity(letter: Letter, labels: dict[str, str]) -> list[str]:
    """R-SVC-1: the service as every page names it."""
    s = letter.service
    account = s.account or "?"
    return [
        s.name,
        f"{s.street}, {s.postcode} {s.city}",
        f"{labels['orgno']} {s.orgno[:3]} {s.orgno[3:6]} {s.orgno[6:]}",
        f"{labels['phone']} {s.phone}",
        s.email or "?",
        f"{labels['client_account']} {account[:4]}.{account[4:6]}.{account[6:]}",
    ]


def required(letter: Letter, key: str, language: str) -> list[str]:
    """Everything the letter must say, as it must appear in its text."""
    says = CHECKLIST[key][language]
    labels = LABELS[language]
    filled = values(letter)
    phrases = [says.headline, says.claim, *says.consequence, *says.objection, *says.also]
    phrases = [p.format(**filled) for p in phrases]
    creditor = letter.creditor
    phrases.append(f"{labels['creditor']} {creditor.name} {labels['orgno']} {filled['orgno']}")
    line = letter.lines[0]
    if letter.asks_for_payment:
        phrases += split(letter, labels)
        account = letter.account or "?"
        phrases += [
            f"{labels['deadline']} {filled['deadline']}",
            f"{labels['amount_due']} {filled['total']} {labels['currency']}",
            f"{labels['account']} {account[:4]}.{account[4:6]}.{account[6:]}",
            f"{labels['kid']} {letter.kid}",
        ]
        if line.interest.is_positive():
            phrases.append(rate_printed(line, labels))
    if line.compensation is not None or (line.paid and line.paid.compensation.is_positive()):
        phrases.append(labels["statute"])
        phrases += [p for (k, lang), p in COMPENSATION_SAYS.items() if k == key and lang == language]
    if line.paid is not None:
        phrases += paid_rows(letter, labels)
    consumer = letter.recipient.kind == "consumer"
    if consumer and letter.type in (LetterType.PAYMENT_DEMAND, LetterType.LEGAL_NOTICE):
        phrases.append(labels["consumer_board"])  # inkassoloven § 10 (f), § 22
    return phrases


def split(letter: Letter, labels: dict[str, str]) -> list[str]:
    """What is claimed, split (inkassoloven § 10 (c)): the column heads in order, and the sum row under them."""
    line = letter.lines[0]
    heads = [labels["principal"], labels["fee"]]
    cells = [nok(letter.principal), nok(letter.fee)]
    if line.compensation is not None and line.compensation.is_positive():
        heads.append(labels["compensation"])
        cells.append(nok(letter.compensation))
    heads.append(labels["interest"])
    cells.append(nok(letter.interest))
    if letter.type in (LetterType.PAYMENT_DEMAND, LetterType.LEGAL_NOTICE):
        heads.append(labels["salaer"])
        cells.append(nok(letter.salaer))
    return [" ".join([*heads, labels["sum"]]), " ".join([labels["sum"], *cells, nok(letter.total)])]


def rate_printed(line: LetterLine, labels: dict[str, str]) -> str:
    """R-CLM-16: the claim's row gives the rate its interest was computed at, or points to the periods."""
    rates = {p.rate for p in line.interest_periods}
    cell = f"{rate(next(iter(rates)))} %" if len(rates) == 1 else labels["see_periods"]
    return f"{ddmmyyyy(line.due_date)} {cell} {nok(line.principal)}"


def paid_rows(letter: Letter, labels: dict[str, str]) -> list[str]:
    """R-CLM-9: how the payment was applied, in the table: the heads, and the claim's row."""
    line = letter.lines[0]
    paid = line.paid
    assert paid is not None
    heads = [labels["paid_on"], labels["principal"], labels["fee"]]
    cells = [ddmmyyyy(paid.on), nok(paid.principal), nok(paid.fee)]
    if paid.compensation.is_positive():
        heads.append(labels["compensation"])
        cells.append(nok(paid.compensation))
    heads.append(labels["interest"])
    cells.append(nok(paid.interest))
    heads.append(labels["salaer"])
    cells.append(nok(paid.salaer))
    heads.append(labels["overpaid"])
    cells.append(nok(paid.overpaid))
    return [
        " ".join([*heads, labels["paid_total"]]),
        f"1001 {ddmmyyyy(line.due_date)} {' '.join(cells)} {nok(paid.total)}",
    ]


def forbidden(letter: Letter, key: str, language: str) -> list[str]:
    says = CHECKLIST[key][language]
    labels = LABELS[language]
    phrases = list(says.never)
    if not letter.asks_for_payment:
        phrases += [labels["amount_due"], labels["account"], f"{labels['kid']} ", labels["deadline"]]
    if letter.recipient.kind == "business":
        phrases.append(labels["consumer_board"])
    return phrases


# -- the tests -------------------------------------------------------------------------------------------------


def test_the_checklist_covers_every_letter_type_in_both_languages() -> None:
    assert {case.type for case in CASES.values()} == set(LetterType)
    assert set(CHECKLIST) == set(CASES)
    for key in CHECKLIST:
        assert set(CHECKLIST[key]) == {"nb", "en"}, key


@pytest.mark.parametrize("kind", ["consumer", "business"])
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("key", list(CASES))
def test_every_letter_says_what_the_law_and_god_inkassoskikk_require(key: str, language: str, kind: str) -> None:
    """R-SVC-1, R-CLM-2 … R-CLM-16: the checklist above, for each letter type, language and kind of debtor."""
    letter = make_letter(key, language, kind)
    pages = pages_of(letter)
    text = " ".join(pages)
    missing = [phrase for phrase in required(letter, key, language) if phrase not in text]
    assert not missing, f"{key} ({language}, {kind}) does not say {missing!r}:\n{text}"
    assert "…" not in text, f"{key} ({language}, {kind}): a text was cut to fit, so the letter does not say it"
    present = [phrase for phrase in forbidden(letter, key, language) if phrase in text]
    assert not present, f"{key} ({language}, {kind}) says {present!r}:\n{text}"
    labels = LABELS[language]
    for number, page in enumerate(pages, start=1):
        gaps = [part for part in identity(letter, labels) if part not in page]
        assert not gaps, f"{key} ({language}) page {number} does not name the service's {gaps!r}"


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("key", ["notice", "interest_note", "payment_demand", "legal_notice", "objection_rejected"])
def test_a_business_owes_the_standard_compensation_apart_from_the_fees(key: str, language: str) -> None:
    """R-CLM-11: the compensation has a column of its own, named with its statute; the fee column does not hold it,
    and the letter never calls it a fee."""
    letter = make_letter(key, language, "business")
    line = letter.lines[0]
    assert line.compensation == COMPENSATION
    assert line.fee.is_zero()
    text = " ".join(pages_of(letter))
    labels = LABELS[language]
    assert f"{labels['fee']} {labels['compensation']} {labels['interest']}" in text
    assert f"{nok(PRINCIPAL if line.principal.is_positive() else ZERO)} 0,00 470,00 " in text
    assert labels["statute"] in text
    # the compensation is never called a fee: "gebyr" only where the letter says what the compensation replaces
    said = re.sub(r"i stedet for gebyr", "", text)
    assert not re.search(r"\bgebyr\b" if language == "nb" else r"\bfees? remains?\b", said)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_payment_demand_whose_interest_crosses_1_july_states_each_period(language: str) -> None:
    """R-CLM-16: 16.05.–30.06.2025 at 12,50 % and 01.07.–20.08.2025 at 12,25 %, each with its amount; the periods
    add up to the claim's interest, and the claim's row points to them instead of printing one rate."""
    letter = make_letter("payment_demand", language)
    line = letter.lines[0]
    text = " ".join(pages_of(letter))
    labels = LABELS[language]
    first, second = line.interest_periods
    assert (first.rate, second.rate) == (Decimal("12.50"), Decimal("12.25"))
    assert first.amount + second.amount == line.interest
    assert labels["periods"] in text
    assert f"1001 16.05.2025 30.06.2025 46 12,50 % 10 000,00 {nok(first.amount)}" in text
    assert f"1001 01.07.2025 20.08.2025 51 12,25 % 10 000,00 {nok(second.amount)}" in text
    assert f"{labels['interest_sum']} {nok(line.interest)}" in text
    assert f"15.05.2025 {labels['see_periods']} 10 000,00" in text
    assert "12,50 % og 12,25 % per år" in text if language == "nb" else "12,50 % and 12,25 % a year" in text


def test_a_legal_notice_whose_interest_crosses_1_july_and_1_january_states_three_periods() -> None:
    """R-CLM-16: the rate changes on 1 July 2025 and 1 January 2026; each period has its own line."""
    letter = make_letter("legal_notice", "nb")
    line = letter.lines[0]
    text = " ".join(pages_of(letter))
    assert [p.rate for p in line.interest_periods] == [Decimal("12.50"), Decimal("12.25"), Decimal("12.00")]
    assert Money.sum(p.amount for p in line.interest_periods) == line.interest
    for p in line.interest_periods:
        assert f"{p.days} {rate(p.rate)} % 10 000,00 {nok(p.amount)}" in text
    assert "01.07.2025 31.12.2025 184 12,25 %" in text
    assert "01.01.2026 12.01.2026 12 12,00 %" in text
    assert "12,50 % og 12,25 % og 12,00 % per år" in text


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_rate_printed_is_the_rate_the_interest_was_computed_at_not_the_rate_on_the_letters_date(
    language: str,
) -> None:
    """R-CLM-16: the interest note of 2 July 2025 (12,25 % in force) is for interest that ran until 20 June, all of
    it at 12,50 %: it says 12,50 %, and 12,25 % nowhere."""
    letter = make_letter("interest_note", language)
    text = " ".join(pages_of(letter))
    assert [p.rate for p in letter.lines[0].interest_periods] == [Decimal("12.50")]
    assert "12,50 % per år" in text if language == "nb" else "12,50 % a year" in text
    assert "12,25" not in text


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("key", list(CASES))
def test_a_letter_to_a_debtor_abroad_names_the_country_and_gives_iban_and_bic(key: str, language: str) -> None:
    """R-SVC-1: the address ends with the country's name (never its code); the service's IBAN and BIC are on
    every page, and in the payment box of a letter that asks for money."""
    letter = make_letter(key, language, country="SE")
    pages = pages_of(letter)
    text = " ".join(pages)
    labels = LABELS[language]
    assert f"Sven Svensson Storgatan 12 211 22 Malmö {labels['country']}" in text
    assert not re.search(r"\bSE\b", text)
    for page in pages:
        assert "IBAN NO39 1602 0000 000 · BIC DNBANOKKXXX" in page
    if letter.asks_for_payment:
        box = f"{labels['kid']} {KID} IBAN NO39 1602 0000 000 · BIC DNBANOKKXXX"
        assert box in text


def test_a_letter_to_a_debtor_in_norway_names_no_country() -> None:
    text = " ".join(pages_of(make_letter("notice", "nb")))
    assert "Ola Nordmann Storgata 1 0155 Oslo Dato" in text
    assert "NORGE" not in text


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("kind", ["consumer", "business"])
def test_a_paid_confirmation_shows_what_was_paid_when_and_how_it_was_applied(kind: str, language: str) -> None:
    """R-CLM-9: principal, fees (the compensation apart), interest, salær and the overpayment, the day of the last
    payment, and the total paid; nothing is asked for."""
    letter = make_letter("paid_confirmation", language, kind)
    paid = letter.lines[0].paid
    assert paid is not None
    assert paid.total == PRINCIPAL + (COMPENSATION if kind == "business" else NOTICE_FEE) + paid.interest + (
        LIGHT_SALAER[kind] + OVERPAID
    )
    text = " ".join(pages_of(letter))
    labels = LABELS[language]
    for phrase in paid_rows(letter, labels):
        assert phrase in text
    assert nok(paid.total) in text
    assert "29.08.2025" in text
    if kind == "business":
        assert labels["statute"] in text


@pytest.mark.parametrize("key", list(CASES))
def test_a_letter_under_the_demo_identity_says_so_on_every_page(key: str) -> None:
    """R-SVC-1: the demo service's letters are marked as a demo on each page."""
    letter = make_letter(key, "nb", demo=True)
    for page in pages_of(letter):
        assert "DEMO – ikke et ekte brev / not a real letter" in page
        assert "Krav Inkasso (demo)" in page


def test_a_demo_letter_of_many_pages_says_so_on_each() -> None:
    letter = make_letter("payment_demand", "en", demo=True)
    lines = tuple(replace(letter.lines[0], collection_id=f"K-{i}", invoice_number=str(1001 + i)) for i in range(40))
    pages = pages_of(replace(letter, lines=lines))
    assert len(pages) >= 2
    for page in pages:
        assert "DEMO – ikke et ekte brev / not a real letter" in page
        assert "Krav Inkasso (demo)" in page


def test_a_real_letter_is_not_marked_as_a_demo() -> None:
    assert "DEMO" not in " ".join(pages_of(make_letter("notice", "nb")))
