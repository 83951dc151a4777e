"""What a letter says before it is drawn: the checks a letter must pass, the sums of its claims, and the plain
text a template may print (no domain objects reach the templates).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from krav.adapters.pdf.countries import is_abroad
from krav.adapters.pdf.texts import clean, format_account, format_date, format_iban, format_orgno, format_rate
from krav.domain.collection.identity import require_identity
from krav.domain.collection.letters import Letter, PaidOnClaim, Sender
from krav.domain.errors import FieldError
from krav.domain.kid import check_kid
from krav.domain.money import Money, format_amount

__all__ = ["LetterSums", "check_letter", "letter_sums", "party_texts", "spans_periods", "template_context"]


@dataclass(frozen=True, slots=True)
class LetterSums:
    """The sums of a letter's claims, column by column, and the total to pay; on a paid confirmation, ``paid`` is
    the sums of what was paid (R-CLM-9)."""

    principal: Money
    fee: Money
    interest: Money
    salaer: Money
    total: Money
    compensation: Money
    paid: PaidOnClaim | None = None


def _where(letter: Letter) -> str:
    return (
        f"{letter.type.value} letter of {format_date(letter.sent_on)} to customer {clean(letter.recipient.number, 40)}"
    )


def check_letter(letter: Letter) -> None:
    """Raise :class:`IdentityIncomplete` for a letter whose service is not named in full (R-SVC-1), and
    :class:`FieldError` for a letter with no claim, or one that asks for money without a deadline, a valid KID or
    a valid account."""
    require_identity(letter.service, lambda part: f"the service's {part}")
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
        compensation = Money.sum(
            (line.compensation for line in letter.lines if line.compensation is not None), currency
        )
        paid = _paid_sums([line.paid for line in letter.lines if line.paid is not None], currency)
    except ValueError as exc:
        raise FieldError(
            "lines", f"the claims of one letter must be in one currency: {exc}", where=_where(letter)
        ) from exc
    total = principal + fee + compensation + interest + salaer
    return LetterSums(principal, fee, interest, salaer, total, compensation, paid)


def _paid_sums(paid: list[PaidOnClaim], currency: str) -> PaidOnClaim | None:
    """What was paid on all the claims of a paid confirmation, dated by the last payment (R-CLM-9)."""
    if not paid:
        return None
    return PaidOnClaim(
        on=max(p.on for p in paid),
        principal=Money.sum((p.principal for p in paid), currency),
        fee=Money.sum((p.fee for p in paid), currency),
        compensation=Money.sum((p.compensation for p in paid), currency),
        interest=Money.sum((p.interest for p in paid), currency),
        salaer=Money.sum((p.salaer for p in paid), currency),
        overpaid=Money.sum((p.overpaid for p in paid), currency),
    )


#: The longest reasons an answer to an objection prints (a page of text).
NOTE_LIMIT = 2000


def party_texts(sender: Sender) -> dict[str, str]:
    """The creditor's or the service's name, organisation number, address and contact as cleaned text, and the
    service's client account with its IBAN and BIC (R-SVC-1; empty for a creditor)."""
    street = clean(sender.street, 80)
    place = clean(f"{sender.postcode or ''} {sender.city or ''}", 60)
    return {
        "name": clean(sender.name, 100),
        "orgno": format_orgno(sender.orgno),
        "street": street,
        "place": place,
        "address": ", ".join(part for part in (street, place) if part),
        "phone": clean(sender.phone, 40),
        "email": clean(sender.email, 80),
        "account": format_account(sender.account) if sender.account else "",
        "iban": format_iban(sender.iban),
        "bic": clean(sender.bic, 11),
    }


def _rates(letter: Letter) -> list[Decimal]:
    """The distinct annual rates the letter's interest was computed at, in the order of their periods (R-CLM-16);
    for a letter stored before the periods were, the rate its lines carry."""
    found: dict[Decimal, None] = {}
    for line in letter.lines:
        periods = sorted(line.interest_periods, key=lambda p: p.start)
        rates = [p.rate for p in periods] or ([line.interest_rate] if line.interest_rate is not None else [])
        found.update(dict.fromkeys(rates))
    return list(found)


def spans_periods(letter: Letter) -> bool:
    """R-CLM-16: whether a line's interest spans more than one rate period, so the letter states each period."""
    return any(len(line.interest_periods) > 1 for line in letter.lines)


def _paid_texts(sums: LetterSums) -> dict[str, object]:
    paid = sums.paid
    if paid is None:
        return {"paid": False}
    return {
        "paid": True,
        "paid_on": format_date(paid.on),
        "paid_total": format_amount(paid.total),
        "paid_principal": format_amount(paid.principal),
        "paid_fee": format_amount(paid.fee),
        "paid_compensation": format_amount(paid.compensation),
        "paid_interest": format_amount(paid.interest),
        "paid_salaer": format_amount(paid.salaer),
        "overpaid": format_amount(paid.overpaid),
        "has_overpaid": paid.overpaid.is_positive(),
        "paid_fees": (paid.fee + paid.compensation).is_positive(),
        "paid_costs": (paid.fee + paid.compensation + paid.salaer).is_positive(),
        "paid_any_interest": paid.interest.is_positive(),
        "paid_any_compensation": paid.compensation.is_positive(),
    }


def template_context(letter: Letter, labels: Mapping[str, str], sums: LetterSums) -> dict[str, object]:
    """What a template may print: plain, cleaned text and numbers; no domain objects."""
    rates = _rates(letter)
    starts = sorted({line.interest_from for line in letter.lines if line.interest_from is not None})
    currency = sums.total.currency
    return _paid_texts(sums) | {
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
        "compensation": format_amount(sums.compensation),
        "has_compensation": sums.compensation.is_positive(),
        "periods": spans_periods(letter),
        "abroad": is_abroad(letter.recipient.country),
        "demo": letter.service.demo,
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
