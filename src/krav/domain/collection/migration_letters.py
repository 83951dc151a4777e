"""The earlier service's latest letter of migrated claims, kept with its KID so that payments to it still match.

A debtor who pays the earlier service's letter after the migration pays with its KID. The latest letter of each
claim (reminder, notice, payment demand or notice of legal collection) is stored as a letter of Krav's, with the
earlier KID and what each of its claims owed on it, so that a payment with that KID covers the letter's claims
(R-CLM-7) and a payment of its total by its deadline settles them in full (R-CLM-12, R-CLM-14). Claims that
shared the KID on the earlier service share the letter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from krav.domain.collection.claims import Claim, letter_order
from krav.domain.collection.letters import LetterLine, LetterType, letter_kid
from krav.domain.collection.migrated import MigratedClaim
from krav.domain.collection.migration import fees_charged, paid
from krav.domain.collection.steps import LetterDraft
from krav.domain.errors import Problem
from krav.domain.kid import KidScheme, is_valid_kid
from krav.domain.money import Money

#: The note that marks a kept letter as the earlier service's: Krav did not send it and has no PDF of it.
IMPORTED_LETTER = "imported from the earlier service"

#: The letters a migrated claim may have had, latest last, by the fields of their sent date and deadline.
_LETTERS = (
    (LetterType.REMINDER, "reminder_sent", "reminder_deadline"),
    (LetterType.NOTICE, "notice_sent", "notice_deadline"),
    (LetterType.PAYMENT_DEMAND, "demand_sent", "demand_deadline"),
    (LetterType.LEGAL_NOTICE, "legal_notice_sent", "legal_deadline"),
)


def latest_letter(claim: MigratedClaim) -> tuple[LetterType, date, date | None] | None:
    """The claim's latest letter on the earlier service: its type, day and deadline."""
    latest = None
    for kind, sent_name, deadline_name in _LETTERS:
        sent = getattr(claim, sent_name)
        if sent is not None:
            latest = (kind, sent, getattr(claim, deadline_name))
    return latest


def _owed(claim: MigratedClaim, on: date) -> tuple[Money, Money, Money]:
    """The principal, fees and salær the claim owed on ``on``, after the payments made by then."""
    after = on + timedelta(days=1)
    return (
        claim.principal - paid(claim, "principal", before=after),
        fees_charged(claim) - paid(claim, "fees", before=after),
        (claim.salaer or Money.zero(claim.principal.currency)) - paid(claim, "salaer", before=after),
    )


def krav_could_make(kid: str) -> bool:
    """Whether ``kid`` has the form of Krav's own KIDs (:func:`krav.domain.collection.letters.letter_kid`) under
    either scheme: Krav would give it to one of its own letters one day, so it cannot stand for another."""
    if len(kid) < 3 or not kid.isdigit():
        return False
    for scheme in KidScheme:
        try:
            if letter_kid(int(kid[1:-1]), scheme.value, len(kid)) == kid:
                return True
        except ValueError:
            continue
    return False


def check_kids(claims: Sequence[MigratedClaim]) -> list[Problem]:
    """R-BANK-1: each earlier KID well formed with its check digit, given with what its letter asked of the claim,
    at least the principal, fees and salær owed that day; a KID shared by claims is one debtor's one letter."""
    problems: list[Problem] = []
    first: dict[str, MigratedClaim] = {}
    for claim in claims:
        if claim.kid is None:
            if claim.letter_amount is not None:
                problems.append(Problem(claim.where, "kid", "missing: letter_amount is for the letter with this KID"))
            continue
        if not is_valid_kid(claim.kid):
            problems.append(Problem(claim.where, "kid", f"{claim.kid} is no KID: digits with a MOD10 or MOD11 check"))
        elif krav_could_make(claim.kid):
            problems.append(
                Problem(
                    claim.where,
                    "kid",
                    f"{claim.kid} has the form of Krav's own KIDs (a variant digit, a letter number and a check"
                    " digit) and would one day be given to another letter; leave it out (payments with it then go"
                    " to manual matching)",
                )
            )
        letter = latest_letter(claim)
        if claim.letter_amount is None:
            problems.append(Problem(claim.where, "letter_amount", "missing: what the letter with the KID asked"))
        elif letter is not None:
            owed = _owed(claim, letter[1])
            least = owed[0] + owed[1] + owed[2]
            if claim.letter_amount < least:
                problems.append(
                    Problem(
                        claim.where,
                        "letter_amount",
                        f"{claim.letter_amount} is less than the principal, fees and salær owed on {letter[1]}: {least}",
                    )
                )
        other = first.setdefault(claim.kid, claim)
        if other is not claim and (other.customer != claim.customer or latest_letter(other) != letter):
            problems.append(
                Problem(claim.where, "kid", f"shared with {other.where}, which is another debtor's or another letter")
            )
    return problems


def migrated_letters(claims: Sequence[MigratedClaim], built: Mapping[str, Claim]) -> list[tuple[str, LetterDraft]]:
    """The earlier service's latest letters, one per KID, with the claims (``built``, by invoice) they were for,
    each with what it owed on the letter's date; checked first (:func:`check_kids`)."""
    by_kid: dict[str, list[MigratedClaim]] = {}
    for claim in claims:
        if claim.kid is not None:
            by_kid.setdefault(claim.kid, []).append(claim)
    out: list[tuple[str, LetterDraft]] = []
    for kid, unordered in by_kid.items():
        group = sorted(unordered, key=lambda c: letter_order(built[c.invoice]))
        latest = latest_letter(group[0])
        assert latest is not None
        kind, sent, deadline = latest
        lines = []
        for claim in group:
            made = built[claim.invoice]
            principal, fee, salaer = _owed(claim, sent)
            assert claim.letter_amount is not None
            lines.append(
                LetterLine(
                    collection_id=made.collection_id,
                    invoice_number=made.invoice_number,
                    invoice_date=made.invoice_date,
                    due_date=made.due_date,
                    principal=principal,
                    fee=fee,
                    interest=claim.letter_amount - principal - fee - salaer,
                    salaer=salaer,
                    interest_paid_before=paid(claim, "interest", before=sent),
                    fees_charged=fees_charged(claim),
                    salaer_charged=claim.salaer or Money.zero(claim.principal.currency),
                )
            )
        members = [built[c.invoice] for c in group]
        case = members[0].case.case_number
        draft = LetterDraft(kind, members[0].debtor, members, lines, sent, deadline, case, note=IMPORTED_LETTER)
        out.append((kid, draft))
    return out
