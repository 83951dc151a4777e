"""What a letter says before it is drawn: the checks a letter must pass, the sums of its claims, and the plain
text a template may print (no domain objects reach the templates).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from krav.adapters.pdf.texts import clean, format_account, format_date, format_orgno, format_rate
from krav.domain.collection.letters import Letter, Sender
from krav.domain.errors import FieldError
from krav.domain.kid import check_kid
from krav.domain.money import Money, format_amount

__all__ = ["LetterSums", "check_letter", "letter_sums", "party_texts", "template_context"]


@dataclass(frozen=True, slots=True)
class LetterSums:
    """The sums of a letter's claims, column by column, and the total to pay."""

    principal: Money
    fee: Money
    interest: Money
    salaer: Money
    total: Money


def _where(letter: Letter) -> str:
    return (
        f"{letter.type.value} letter of {format_date(letter.sent_on)} to customer {clean(letter.recipient.number, 40)}"
    )


def check_letter(letter: Letter) -> None:
    """Raise :class:`FieldError` for a letter with no claim, or one that asks for money without a deadline,
    a valid KID or a valid account."""
    where = _where(letter)
    if not letter.lines:
        raise FieldError("lines", "a letter needs at least one claim", where=where)
    if letter.asks_for_payment:
        for field, value in (("deadline", letter.deadline), ("kid", letter.kid), ("account", letter.account)):
            if not value:
                raise FieldError(field, f"a {letter.type.value} letter asks for money and must carry it", where=where)
        format_account(letter.account or "", where=where)
        check_kid(letter.kid or "", where=where, field="kid")


def letter_sums(letter: Letter) -> LetterSums:
    """The sums of the letter's claims; :class:`FieldError` when they are in more than one currency."""
    currency = letter.lines[0].principal.currency
    try:
        principal = Money.sum((line.principal for line in letter.lines), currency)
        fee = Money.sum((line.fee for line in letter.lines), currency)
        interest = Money.sum((line.interest for line in letter.lines), currency)
        salaer = Money.sum((line.salaer for line in letter.lines), currency)
    except ValueError as exc:
        raise FieldError(
            "lines", f"the claims of one letter must be in one currency: {exc}", where=_where(letter)
        ) from exc
    return LetterSums(principal, fee, interest, salaer, principal + fee + interest + salaer)


#: The longest reasons an answer to an objection prints (a page of text).
NOTE_LIMIT = 2000


def party_texts(sender: Sender) -> dict[str, str]:
    """The creditor's or the service's name, organisation number, address and contact as cleaned text."""
    return {
        "name": clean(sender.name, 100),
        "orgno": format_orgno(sender.orgno),
        "street": clean(sender.street, 80),
        "place": clean(f"{sender.postcode or ''} {sender.city or ''}", 60),
        "phone": clean(sender.phone, 40),
        "email": clean(sender.email, 80),
    }


def template_context(letter: Letter, labels: Mapping[str, str], sums: LetterSums) -> dict[str, object]:
    """What a template may print: plain, cleaned text and numbers; no domain objects."""
    rates = sorted({line.interest_rate for line in letter.lines if line.interest_rate is not None})
    starts = sorted({line.interest_from for line in letter.lines if line.interest_from is not None})
    currency = sums.total.currency
    return {
        "type": letter.type.value,
        "n": letter.n,
        "sent_on": format_date(letter.sent_on),
        "deadline": format_date(letter.deadline) if letter.deadline else "",
        "kid": check_kid(letter.kid, field="kid") if letter.kid else "",
        "account": format_account(letter.account) if letter.account else "",
        "case_number": clean(letter.case_number, 40),
        "note": clean(letter.note, NOTE_LIMIT),
        "currency": labels.get("currency_word", "kroner") if currency == "NOK" else currency,
        "total": format_amount(sums.total),
        "principal": format_amount(sums.principal),
        "fee": format_amount(sums.fee),
        "interest": format_amount(sums.interest),
        "salaer": format_amount(sums.salaer),
        "has_fee": sums.fee.is_positive(),
        "has_interest": sums.interest.is_positive(),
        "has_salaer": sums.salaer.is_positive(),
        "count": len(letter.lines),
        "invoices": clean(", ".join(clean(line.invoice_number, 40) for line in letter.lines), 240),
        "rates": [format_rate(rate) for rate in rates],
        "interest_from": format_date(starts[0]) if starts else "",
        "creditor": party_texts(letter.creditor),
        "service": party_texts(letter.service),
        "recipient": {
            "name": clean(letter.recipient.name, 80),
            "number": clean(letter.recipient.number, 40),
            "business": letter.recipient.kind == "business",
        },
        "consumer": letter.recipient.kind != "business",
    }
