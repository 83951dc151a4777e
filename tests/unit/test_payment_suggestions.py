"""The suggestions of the manual-matching queue (R-CLM-7, R-BANK-1): which open claims a payment that found no
letter by itself most likely pays, and why, weighed on the pure core (:mod:`krav.domain.collection.suggestions`).

The claims: Kari Nordmann's 5007 (800.00, notice 838.84 with KID 000000000018) and Per Hansen's 6001 (1200.00,
notice 1 251,23 with KID 000000000026), both with a reminder before the notice.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from krav.domain.collection.suggestions import (
    ClaimIndex,
    LetterToPay,
    OpenClaim,
    PaymentToMatch,
    Suggestion,
    kid_distance,
    kid_mistake,
    names_alike,
)
from krav.domain.money import Money

KARI_KID, PER_KID = "000000000018", "000000000026"


def _claim(
    collection_id: str,
    invoice: str,
    debtor: str,
    name: str,
    principal: str,
    letters: tuple[LetterToPay, ...],
    owed: str | None = None,
    at_most: str | None = None,
) -> OpenClaim:
    """A claim owing ``owed`` before interest (its principal by default), and at most ``at_most`` with interest
    (as much: no interest)."""
    return OpenClaim(
        company_id=1,
        collection_id=collection_id,
        invoice_number=invoice,
        debtor_number=debtor,
        debtor_name=name,
        principal=Money.of(principal),
        owed_before_interest=Money.of(owed or principal),
        owed_at_most=Money.of(at_most or owed or principal),
        letters=letters,
    )


KARI = _claim(
    "K1-000001",
    "5007",
    "20001",
    "Kari Nordmann",
    "800.00",
    (
        LetterToPay(3, KARI_KID, Money.of("838.84"), date(2025, 3, 28)),
        LetterToPay(1, "000000000034", Money.of("802.31"), date(2025, 3, 14)),
    ),
    owed="835.00",
)
PER = _claim(
    "K1-000002",
    "6001",
    "30001",
    "Per Hansen",
    "1200.00",
    (LetterToPay(4, PER_KID, Money.of("1251.23"), date(2025, 3, 28)),),
    owed="1235.00",
)
INDEX = ClaimIndex([KARI, PER])


def _no_interest(claim: OpenClaim) -> Money:
    return claim.owed_before_interest


def _suggest(
    amount: str, kid: str | None = None, message: str | None = None, payer: str | None = None
) -> list[Suggestion]:
    return INDEX.suggest(PaymentToMatch(Money.of(amount), kid, message, payer), balance=_no_interest)


def test_a_kid_one_digit_off_suggests_its_letters_claim_above_a_claim_that_shares_only_the_amount() -> None:
    """The KID points at Kari's notice; the amount is Per's principal, a weaker sign: both are suggested, Kari's
    first, with the notice's KID to assign it with."""
    first, second = _suggest("1200.00", kid="000000010018")
    assert (first.claim, first.kid, first.reasons) == (KARI, KARI_KID, ("KID ett siffer feil",))
    assert (second.claim, second.kid, second.reasons) == (PER, PER_KID, ("beløpet er lik fakturabeløpet",))
    assert first.points > second.points


def test_a_claim_that_shares_no_sign_with_the_payment_is_not_suggested() -> None:
    assert _suggest("999.99", kid="12345678903", message="Takk for sist", payer="Ola Olsen") == []


def test_two_digits_swapped_one_missing_and_one_too_many_are_each_one_mistake_r_bank_1() -> None:
    assert [s.reasons for s in _suggest("1.00", kid="000000000081")] == [("KID to sifre byttet om",)]
    assert [s.reasons for s in _suggest("1.00", kid="00000000018")] == [("KID ett siffer mangler",)]
    assert [s.reasons for s in _suggest("1.00", kid="0000000000186")] == [("KID ett siffer for mye",)]
    assert _suggest("1.00", kid="000000000099") == []  # two digits wrong: too far to point at a letter


def test_the_kid_of_an_older_letter_of_the_claim_assigns_the_payment_to_that_letter() -> None:
    (found,) = _suggest("1.00", kid="000000000043")  # the reminder's KID with its last two digits swapped
    assert (found.claim, found.kid) == (KARI, "000000000034")


def test_an_amount_equal_to_a_letters_total_suggests_that_letter_and_to_the_balance_says_so() -> None:
    (notice,) = _suggest("838.84")
    assert (notice.claim, notice.kid, notice.reasons) == (KARI, KARI_KID, ("beløpet er lik brevets sum",))
    (reminder,) = _suggest("802.31")
    assert (reminder.kid, reminder.reasons) == ("000000000034", ("beløpet er lik brevets sum",))
    (balanced,) = _suggest("835.00")  # what Kari owes before interest, and with none charged
    assert (balanced.claim, balanced.kid, balanced.reasons) == (KARI, KARI_KID, ("beløpet er lik saldo",))


def test_the_balance_is_asked_only_of_the_claims_that_can_owe_the_amount() -> None:
    """A balance lies between what the claim owes before interest and what it owes at most (on the latest day of
    the queue): the caller is asked for the balance on the day paid, an interest calculation, only of the claims
    whose range holds the amount."""
    old = _claim("K1-000003", "4001", "40001", "Ola Olsen", "500.00", KARI.letters[1:], owed="535.00", at_most="540.00")
    kari = _claim(
        "K1-000001", "5007", "20001", "Kari Nordmann", "800.00", KARI.letters, owed="835.00", at_most="840.00"
    )
    asked: list[str] = []

    def balance(claim: OpenClaim) -> Money:
        asked.append(claim.collection_id)
        return claim.owed_before_interest + Money.of("1.09")

    index = ClaimIndex([old, kari, PER])
    (found,) = index.suggest(PaymentToMatch(Money.of("836.09")), balance=balance)
    assert (found.claim, found.reasons) == (kari, ("beløpet er lik saldo",))
    assert asked == ["K1-000001"]  # not Ola's (at most 540.00), not Per's (1 235,00 before interest)


def test_a_message_that_names_the_invoice_the_collection_id_or_a_kid_suggests_the_claim() -> None:
    (found,) = _suggest("100.00", message="Faktura 5007, delbetaling")
    assert (found.claim, found.reasons) == (KARI, ("meldingen nevner faktura 5007",))
    (found,) = _suggest("100.00", message="Gjelder sak k1-000002.")
    assert (found.claim, found.reasons) == (PER, ("meldingen nevner innfordrings-id K1-000002",))
    (found,) = _suggest("100.00", message=f"KID:{PER_KID}")
    assert (found.claim, found.kid, found.reasons) == (PER, PER_KID, (f"meldingen nevner KID {PER_KID}",))
    assert _suggest("100.00", message="faktura 50") == []  # too short a number to point at a claim


def test_a_payers_name_like_the_debtors_suggests_the_claim_but_a_first_name_alone_does_not() -> None:
    (found,) = _suggest("100.00", payer="NORDMANN KARI")
    assert (found.claim, found.reasons) == (KARI, ("navnet ligner skyldneren",))
    assert _suggest("100.00", payer="Kari") == []
    assert _suggest("100.00", payer="Kari Hansen") == []


def test_names_are_alike_in_any_case_and_order_without_aeoeaa_and_with_a_letter_wrong_in_a_long_word() -> None:
    assert names_alike("BJORN ODEGARD", "Bjørn Ødegård")
    assert names_alike("Kari M. Nordman", "Nordmann, Kari")
    assert names_alike("Eksempel AS", "EKSEMPEL")
    assert not names_alike("Ola Nordmann", "Kari Nordmann")
    assert not names_alike(None, "Kari Nordmann")


def test_every_sign_adds_up_and_the_best_three_are_suggested_in_order() -> None:
    (found, *_) = _suggest("838.84", kid="000000010018", message="Faktura 5007", payer="Kari Nordmann")
    assert found.reasons == (
        "KID ett siffer feil",
        "meldingen nevner faktura 5007",
        "beløpet er lik brevets sum",
        "navnet ligner skyldneren",
    )
    many = ClaimIndex(
        _claim(
            f"K1-{n:06d}",
            f"90{n:02d}",
            "40001",
            "Ola Olsen",
            "100.00",
            (LetterToPay(n, f"{n:012d}", Money.of("150.00"), date(2025, 3, n)),),
        )
        for n in range(1, 6)
    )
    suggested = many.suggest(PaymentToMatch(Money.of("150.00")), balance=_no_interest)
    assert [s.claim.collection_id for s in suggested] == ["K1-000005", "K1-000004", "K1-000003"]  # newest first


def test_a_reversal_is_suggested_nothing() -> None:
    assert _suggest("-838.84", kid=KARI_KID) == []


# -- the KID's distance and the index that finds it ----------------------------------------------------------------

KIDS = st.text(alphabet="0123456789", min_size=2, max_size=25)


@st.composite
def one_mistake(draw: st.DrawFn) -> tuple[str, str]:
    """A KID and the KID a payer wrote for it with one mistake: a digit wrong, two neighbours swapped, one left
    out or one added."""
    kid = draw(KIDS)
    i = draw(st.integers(0, len(kid) - 1))
    digit = draw(st.sampled_from([d for d in "0123456789" if d != kid[i]]))
    kind = draw(st.sampled_from(["wrong", "swapped", "missing", "extra"]))
    if kind == "swapped" and i + 1 < len(kid) and kid[i] != kid[i + 1]:
        return kid, kid[:i] + kid[i + 1] + kid[i] + kid[i + 2 :]
    if kind == "missing" and len(kid) > 2:
        return kid, kid[:i] + kid[i + 1 :]
    if kind == "extra":
        return kid, kid[:i] + digit + kid[i:]
    return kid, kid[:i] + digit + kid[i + 1 :]


@given(one_mistake())
def test_a_kid_with_one_mistake_is_one_edit_away_and_its_letters_claim_is_found(pair: tuple[str, str]) -> None:
    kid, paid = pair
    assert kid_distance(paid, kid) == kid_distance(kid, paid) == 1
    assert kid_mistake(paid, kid) is not None
    claim = _claim("K1-000001", "1", "1", "A", "1.00", (LetterToPay(1, kid, Money.of("1.00"), date(2025, 1, 1)),))
    (found,) = ClaimIndex([claim]).suggest(PaymentToMatch(Money.of("2.00"), paid), balance=_no_interest)
    assert found.kid == kid


@given(KIDS, KIDS)
def test_the_kid_distance_is_symmetric_a_mistake_is_one_edit_and_nothing_is_suggested_beyond_it(a: str, b: str) -> None:
    assert kid_distance(a, b) == kid_distance(b, a)
    assert (kid_distance(a, b) == 0) == (a == b)
    assert (kid_mistake(a, b) is not None) == (kid_distance(a, b) == 1)
    claim = _claim("K1-000001", "1", "1", "A", "1.00", (LetterToPay(1, b, Money.of("1.00"), date(2025, 1, 1)),))
    found = ClaimIndex([claim]).suggest(PaymentToMatch(Money.of("2.00"), a), balance=_no_interest)
    assert bool(found) == (kid_distance(a, b) <= 1)
