"""Suggestions for the manual-matching queue: the open claims a payment that found no letter by itself most
likely pays, best first, each with why, in Norwegian (R-CLM-7, R-BANK-1).

A payment goes to manual matching when its KID fails its check digit, names no letter, or cannot be applied by
itself (R-CLM-7); a person then assigns it to a letter (``krav payments assign ID --kid KID``). To help, every
open claim with a letter that asks for money (one with a KID) is weighed on what the payment says. Each sign
gives points; of the signs of one kind only the strongest counts:

=====================================================================  ======  ====================================
sign                                                                   points  reason shown
=====================================================================  ======  ====================================
**KID**: the payment's KID is a letter's KID                              60    ``KID stemmer med brevet``
  one edit from a letter's KID (:func:`kid_mistake`)                      50    ``KID ett siffer feil``,
                                                                                ``KID to sifre byttet om``,
                                                                                ``KID ett siffer mangler``,
                                                                                ``KID ett siffer for mye``
  the message names a letter's KID                                        50    ``meldingen nevner KID …``
**message**: it names the claim's invoice number or collection ID         40    ``meldingen nevner faktura 5007``
**amount**: a letter's total, or the claim's balance on the day paid      30    ``beløpet er lik brevets sum``,
                                                                                ``beløpet er lik saldo``
  the invoice's amount                                                    20    ``beløpet er lik fakturabeløpet``
**name**: the payer's name resembles the debtor's (:func:`names_alike`)   20    ``navnet ligner skyldneren``
=====================================================================  ======  ====================================

A claim with no sign is not suggested. Claims with as many points are ordered by their newest letter, newest
first. The suggestion names the KID to assign with: of the letter the KID or the amount points at, else of the
claim's newest letter.

The claims are indexed once (:class:`ClaimIndex`), so a payment is weighed against the claims that share a sign
with it, never against every claim: letters' KIDs by every KID one digit shorter (a KID one edit from another
shares such a key with it), invoice numbers, collection IDs and KIDs by text, amounts by øre, debtors' names by
their words (two words in common, or the one word of a one-word name; a letter wrong in a long word is forgiven
when the names are compared, not when they are looked up). The balance on the day paid is asked of the caller
(interest needs the rate tables) only for the claims that can owe the amount: owing no more before interest,
and no less on the latest day asked about.

>>> kid_mistake("000000000020", "000000000018"), kid_mistake("000000000081", "000000000018")
(None, 'KID to sifre byttet om')
>>> names_alike("NORDMANN KARI", "Kari Nordmann"), names_alike("Kari", "Kari Nordmann")
(True, False)
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from krav.domain.money import Money

__all__ = [
    "ClaimIndex",
    "LetterToPay",
    "OpenClaim",
    "PaymentToMatch",
    "Suggestion",
    "kid_distance",
    "kid_mistake",
    "names_alike",
]

KID_EQUAL, KID_ONE_EDIT, MESSAGE_KID = 60, 50, 50
MESSAGE_NAMES_CLAIM = 40
AMOUNT_DUE, AMOUNT_INVOICED = 30, 20
NAME_ALIKE = 20

#: A text in the message is taken for an invoice number only when it has at least this many characters: "1" or
#: "12" stands in too many messages (dates, counts) to point at a claim.
MIN_NUMBER = 3


@dataclass(frozen=True, slots=True)
class LetterToPay:
    """A letter that asks for the claim's money: its KID, its total and the day it was written."""

    letter_id: int
    kid: str
    total: Money
    written: date


@dataclass(frozen=True, slots=True)
class OpenClaim:
    """An open claim with the letters that asked for its money, newest first. ``owed_before_interest`` is its
    principal, fees and salær outstanding, its balance with no interest; ``owed_at_most`` its balance on the
    latest day asked about (a balance never falls as days pass): its balance on any of those days lies between
    the two."""

    company_id: int
    collection_id: str
    invoice_number: str
    debtor_number: str
    debtor_name: str
    principal: Money
    owed_before_interest: Money
    owed_at_most: Money
    letters: tuple[LetterToPay, ...]


@dataclass(frozen=True, slots=True)
class PaymentToMatch:
    """What a payment says: its amount, the KID given (if any), the payer's message and name."""

    amount: Money
    kid: str | None = None
    message: str | None = None
    payer: str | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A claim the payment may pay: the KID to assign it with, the points and the reasons (Norwegian)."""

    claim: OpenClaim
    kid: str
    points: int
    reasons: tuple[str, ...]


# -- the KID ----------------------------------------------------------------------------------------------------


def kid_distance(a: str, b: str) -> int:
    """The edits between two KIDs: digits replaced, left out, added, or two neighbours swapped, each one edit
    (the optimal string alignment distance, Damerau–Levenshtein without editing a swapped pair again).

    >>> kid_distance("12345", "12345"), kid_distance("12345", "12355"), kid_distance("12345", "21345")
    (0, 1, 1)
    >>> kid_distance("12345", "1245"), kid_distance("12345", "54321")
    (1, 4)
    """
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[len(b)]


def kid_mistake(paid: str, kid: str) -> str | None:
    """How the KID ``paid`` differs from a letter's ``kid`` by one mistake (:func:`kid_distance` 1), in
    Norwegian: a digit wrong, two neighbouring digits swapped, one missing or one too many; None when they are
    the same or further apart. Read off the two directly, in one pass.

    >>> kid_mistake("000000000019", "000000000018"), kid_mistake("00000000018", "000000000018")
    ('KID ett siffer feil', 'KID ett siffer mangler')
    """
    if len(paid) == len(kid):
        wrong = [i for i, (x, y) in enumerate(zip(paid, kid, strict=True)) if x != y]
        if len(wrong) == 1:
            return "KID ett siffer feil"
        if len(wrong) == 2:
            i, j = wrong
            if j == i + 1 and paid[i] == kid[j] and paid[j] == kid[i]:
                return "KID to sifre byttet om"
        return None
    shorter, longer = (paid, kid) if len(paid) < len(kid) else (kid, paid)
    if len(longer) - len(shorter) != 1:
        return None
    first = next((i for i, (x, y) in enumerate(zip(shorter, longer, strict=False)) if x != y), len(shorter))
    if longer[first + 1 :] != shorter[first:]:
        return None
    return "KID ett siffer mangler" if len(paid) < len(kid) else "KID ett siffer for mye"


def _shorter_by_one(kid: str) -> Iterator[str]:
    """``kid`` and every text it gives with one character left out: two KIDs one edit apart share one of these."""
    yield kid
    for i in range(len(kid)):
        yield kid[:i] + kid[i + 1 :]


# -- the message ------------------------------------------------------------------------------------------------

_WORD_BREAK = re.compile(r"[\s,;:()\[\]{}#\"'*]+")
_DIGITS = re.compile(r"\d+")


def _mentioned(message: str | None) -> set[str]:
    """The texts a message may name a claim or letter by: its words without the punctuation around them, and
    the runs of digits in them (``Faktura5007`` names 5007), case folded."""
    if not message:
        return set()
    words = {w.strip(".-/").casefold() for w in _WORD_BREAK.split(message)}
    return {w for w in words | set(_DIGITS.findall(message)) if len(w) >= MIN_NUMBER}


# -- the name ---------------------------------------------------------------------------------------------------

#: Words of a company's legal form, which say nothing about who paid.
_LEGAL_FORMS = frozenset({"as", "asa", "ans", "da", "sa", "ba", "ks", "enk", "nuf", "ab", "gmbh", "ltd", "inc"})
#: Banks often write names without æ, ø and å.
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
_NAME_WORD = re.compile(r"[a-z0-9]+")


def _name_words(name: str | None) -> list[str]:
    """The words of a name as banks and ledgers write it alike: lower case, æøå folded, accents and legal forms
    left out, initials too."""
    if not name:
        return []
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [w for w in _NAME_WORD.findall(plain) if len(w) >= 2 and w not in _LEGAL_FORMS]


def _words_alike(a: str, b: str) -> bool:
    """The same word, or a long one written with a letter wrong, missing or extra (``Nordman``, ``Nordmann``)."""
    return a == b or (min(len(a), len(b)) >= 5 and SequenceMatcher(None, a, b).ratio() >= 0.85)


def names_alike(payer: str | None, debtor: str | None) -> bool:
    """Whether the payer's name resembles the debtor's: every word of the shorter name is in the longer one, in
    any order and with a letter wrong in a long word, and the shorter has two words or is all of the longer.
    A first name alone (``Kari`` for ``Kari Nordmann``) is too common to count."""
    return _words_of_names_alike(_name_words(payer), _name_words(debtor))


def _words_of_names_alike(p: Sequence[str], d: Sequence[str]) -> bool:
    if not p or not d:
        return False
    shorter, longer = (p, d) if len(p) <= len(d) else (d, p)
    if len(shorter) < 2 and len(longer) > 1:
        return False
    return all(any(_words_alike(word, other) for other in longer) for word in shorter)


# -- weighing ---------------------------------------------------------------------------------------------------


class ClaimIndex:
    """The open claims, indexed by every sign a payment can share with them (see the module docstring)."""

    def __init__(self, claims: Iterable[OpenClaim]) -> None:
        self.claims = [c for c in claims if c.letters]
        self._kids: dict[str, set[int]] = defaultdict(set)
        self._near_kids: dict[str, set[int]] = defaultdict(set)
        self._texts: dict[str, set[int]] = defaultdict(set)
        self._amounts: dict[tuple[str, int], set[int]] = defaultdict(set)
        self._words: dict[str, set[int]] = defaultdict(set)
        self._one_word: dict[str, set[int]] = defaultdict(set)
        self._debtor_words: list[list[str]] = []
        for n, claim in enumerate(self.claims):
            for letter in claim.letters:
                self._kids[letter.kid].add(n)
                for key in _shorter_by_one(letter.kid):
                    self._near_kids[key].add(n)
                self._amounts[(letter.total.currency, letter.total.ore)].add(n)
            self._texts[claim.invoice_number.casefold()].add(n)
            self._texts[claim.collection_id.casefold()].add(n)
            self._amounts[(claim.principal.currency, claim.principal.ore)].add(n)
            self._debtor_words.append(_name_words(claim.debtor_name))
            words = set(self._debtor_words[n])
            for word in words:
                self._words[word].add(n)
            if len(words) == 1:
                self._one_word[words.pop()].add(n)
        order = sorted(range(len(self.claims)), key=lambda n: self.claims[n].owed_before_interest.ore)
        self._least = [self.claims[n].owed_before_interest.ore for n in order]
        self._most = [self.claims[n].owed_at_most.ore for n in order]
        self._order = order

    def suggest(
        self, payment: PaymentToMatch, *, balance: Callable[[OpenClaim], Money], limit: int = 3
    ) -> list[Suggestion]:
        """The claims ``payment`` most likely pays, best first, at most ``limit``; ``balance(claim)`` is what the
        claim owed on the day paid. A reversal or a payment of nothing is suggested nothing."""
        if not payment.amount.is_positive():
            return []
        mentioned, payer = _mentioned(payment.message), _name_words(payment.payer)
        found = self._sharing(payment, mentioned, payer)
        balanced = self._balanced(payment.amount, balance)
        found |= balanced
        suggestions = [s for n in found if (s := self._weigh(n, payment, mentioned, payer, n in balanced))]
        suggestions.sort(key=lambda s: (-s.points, -s.claim.letters[0].written.toordinal(), s.claim.collection_id))
        return suggestions[:limit]

    def _sharing(self, payment: PaymentToMatch, mentioned: set[str], payer: Sequence[str]) -> set[int]:
        """The claims that share a KID, a text, an amount or the name with the payment."""
        found: set[int] = set()
        if payment.kid:
            for key in _shorter_by_one(payment.kid):
                found |= self._near_kids.get(key, set())
        for text in mentioned:
            found |= self._texts.get(text, set()) | self._kids.get(text, set())
        found |= self._amounts.get((payment.amount.currency, payment.amount.ore), set())
        return found | self._named(payer)

    def _named(self, payer: Sequence[str]) -> set[int]:
        """The claims whose debtor's name can be like the payer's (:func:`names_alike`): a one-word name is found
        by the word, a longer one by two of its words, as the shorter of two like names is all in the longer."""
        words = sorted(set(payer))
        if len(words) == 1:
            return set(self._one_word.get(words[0], set()))
        found: set[int] = set()
        for i, word in enumerate(words):
            for other in words[i + 1 :]:
                found |= self._words.get(word, set()) & self._words.get(other, set())
        return found

    def _balanced(self, amount: Money, balance: Callable[[OpenClaim], Money]) -> set[int]:
        """The claims whose balance on the day paid is the amount, asked only of those that can owe it: owing no
        more before interest, and no less with all the interest they can owe."""
        ore, found = amount.ore, set[int]()
        for k in range(bisect_right(self._least, ore)):
            n = self._order[k]
            if self._most[k] >= ore and balance(self.claims[n]) == amount:
                found.add(n)
        return found

    def _weigh(
        self, n: int, payment: PaymentToMatch, mentioned: set[str], payer: Sequence[str], balanced: bool
    ) -> Suggestion | None:
        """The suggestion of claim ``n`` for the payment, or None when they share no sign."""
        claim = self.claims[n]
        # the KID and a letter's total point at one letter: the one they point at most (the newest of equals)
        signs = {letter.letter_id: _letter_sign(payment, letter, mentioned) for letter in claim.letters}
        letter = max(claim.letters, key=lambda lt: (sum(signs[lt.letter_id][:2]), lt.written, lt.letter_id))
        kid_points, amount_points, kid_reason = signs[letter.letter_id]
        reasons = [kid_reason] if kid_points else []
        named = [t for t in dict.fromkeys((claim.invoice_number, claim.collection_id)) if t.casefold() in mentioned]
        reasons += [
            f"meldingen nevner faktura {t}" if t == claim.invoice_number else f"meldingen nevner innfordrings-id {t}"
            for t in named
        ]
        if amount_points:
            reasons.append("beløpet er lik brevets sum")
        if balanced:
            amount_points = AMOUNT_DUE
            reasons.append("beløpet er lik saldo")
        if not amount_points and claim.principal == payment.amount:
            amount_points = AMOUNT_INVOICED
            reasons.append("beløpet er lik fakturabeløpet")
        name_points = NAME_ALIKE if _words_of_names_alike(payer, self._debtor_words[n]) else 0
        if name_points:
            reasons.append("navnet ligner skyldneren")
        points = kid_points + (MESSAGE_NAMES_CLAIM if named else 0) + amount_points + name_points
        if not points:
            return None
        return Suggestion(claim, letter.kid, points, tuple(reasons))


def _letter_sign(payment: PaymentToMatch, letter: LetterToPay, mentioned: set[str]) -> tuple[int, int, str]:
    """The points of what the payment's KID and message say of ``letter``'s KID, of its amount being the
    letter's total, and the reason of the KID's."""
    due = AMOUNT_DUE if letter.total == payment.amount else 0
    if payment.kid == letter.kid:
        return KID_EQUAL, due, "KID stemmer med brevet"
    mistake = kid_mistake(payment.kid, letter.kid) if payment.kid else None
    if mistake is not None:
        return KID_ONE_EDIT, due, mistake
    if letter.kid.casefold() in mentioned:
        return MESSAGE_KID, due, f"meldingen nevner KID {letter.kid}"
    return 0, due, ""
