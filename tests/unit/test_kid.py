"""KID check digits and generation (R-BANK-1), checked on a real Nets OCR giro file."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krav.domain import kid as kid_module
from krav.domain.errors import FieldError
from krav.domain.kid import (
    KidScheme,
    check_kid,
    is_valid_kid,
    kid_scheme_of,
    make_kid,
    mod10_check_digit,
    mod11_check_digit,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
OCR_FILE = REPO_ROOT.parent / "shared" / "fixtures" / "ocr" / "netsgiro_ocr_giro_transactions.txt"

digits = st.text(alphabet="0123456789", min_size=1, max_size=24)


def _ocr_kids() -> list[str]:
    """The KID of every transaction amount item 1 record (record type 30) of the OCR giro fixture.

    Positions as otovo/python-netsgiro's ``TransactionAmountItem1`` reads them: format code ``NY`` (1-2),
    service code (3-4), transaction type (5-6), record type (7-8), transaction number (9-15), Nets date (16-21),
    centre id, day code, partial settlement number and serial number, sign (22-32), amount (33-49), KID
    (50-74, right-aligned, blank-padded), filler (75-80).
    """
    kids = []
    for line in OCR_FILE.read_text(encoding="ascii").splitlines():
        if line.startswith("NY09") and line[6:8] == "30":
            kids.append(line[49:74].strip())
    return kids


# What the fixture holds: 20 KIDs, 12 valid only under MOD11, 6 only under MOD10, 2 under both.
MOD11_ONLY = [
    "0000531",
    "0036633",
    "0048763",
    "0063851",
    "0120243",
    "0165867",
    "0178357",
    "02212291038306",
    "02310291038308",
    "000149012",
    "01211291038306",
    "02111291038305",
]
MOD10_ONLY = [
    "02321291038303",
    "02331291038302",
    "02341291038301",
    "02358291038305",
    "02311291029238",
    "02311291034832",
]
BOTH = ["02311291038304", "02311291133188"]


def test_the_examples_in_the_kid_module_run() -> None:
    assert doctest.testmod(kid_module).failed == 0


def test_every_kid_in_the_nets_ocr_giro_fixture_is_valid_mod10_or_mod11() -> None:
    """R-BANK-1 on a real file: 20 transactions, 12 MOD11-only KIDs, 6 MOD10-only, 2 valid under both."""
    kids = _ocr_kids()
    assert len(kids) == 20
    assert sorted(kids) == sorted(MOD11_ONLY + MOD10_ONLY + BOTH)
    for k in kids:
        assert is_valid_kid(k), k
        assert check_kid(k, where=OCR_FILE.name) == k


@pytest.mark.parametrize("kid", MOD11_ONLY)
def test_a_mod11_kid_of_the_fixture_is_valid_only_under_mod11(kid: str) -> None:
    """R-BANK-1."""
    assert is_valid_kid(kid, KidScheme.MOD11)
    assert not is_valid_kid(kid, KidScheme.MOD10)
    assert kid_scheme_of(kid) is KidScheme.MOD11


@pytest.mark.parametrize("kid", MOD10_ONLY)
def test_a_mod10_kid_of_the_fixture_is_valid_only_under_mod10(kid: str) -> None:
    """R-BANK-1."""
    assert is_valid_kid(kid, KidScheme.MOD10)
    assert not is_valid_kid(kid, KidScheme.MOD11)
    assert kid_scheme_of(kid) is KidScheme.MOD10


@pytest.mark.parametrize("kid", BOTH)
def test_a_kid_valid_under_both_schemes_is_reported_as_mod10(kid: str) -> None:
    """R-BANK-1: about one KID in eleven passes both checks; kid_scheme_of tries MOD10 first."""
    assert is_valid_kid(kid, KidScheme.MOD10)
    assert is_valid_kid(kid, KidScheme.MOD11)
    assert kid_scheme_of(kid) is KidScheme.MOD10


# -- the check digits -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "check"),
    [("7992739871", "3"), ("000000000", "0"), ("1234", "4"), ("0231129103830", "4")],
)
def test_mod10_is_the_luhn_check_digit(base: str, check: str) -> None:
    """R-BANK-1."""
    assert mod10_check_digit(base) == check


@pytest.mark.parametrize(
    ("base", "check"),
    [
        ("000053", "1"),  # 5×3 + 3×2 = 21; 21 mod 11 = 10; 11 − 10 = 1
        ("0", "0"),  # sum 0: 11 − 0 = 11 → "0"
        ("6", "-"),  # 6×2 = 12; 12 mod 11 = 1; 11 − 1 = 10 → "-"
        ("1234567", "4"),  # 7×2 + 6×3 + 5×4 + 4×5 + 3×6 + 2×7 + 1×2 = 106; 106 mod 11 = 7; 11 − 7 = 4
    ],
)
def test_mod11_weights_run_two_to_seven_from_the_right(base: str, check: str) -> None:
    """R-BANK-1: weights 2, 3, 4, 5, 6, 7, 2, 3, … from the right; 11 → "0", 10 → "-"."""
    assert mod11_check_digit(base) == check


def test_a_mod11_base_whose_check_is_ten_gives_a_kid_ending_in_a_dash() -> None:
    """R-BANK-1: "-" when MOD11 gives 10; such a KID is valid MOD11 and never MOD10."""
    kid = make_kid("6", KidScheme.MOD11, 5)
    assert kid == "0006-"
    assert is_valid_kid(kid)
    assert is_valid_kid(kid, KidScheme.MOD11)
    assert not is_valid_kid(kid, KidScheme.MOD10)
    assert check_kid(kid) == kid


# -- make_kid -----------------------------------------------------------------------------------------------


def test_make_kid_pads_the_base_with_zeros_and_appends_the_check_digit() -> None:
    """R-BANK-1."""
    assert make_kid("1234", KidScheme.MOD10, 7) == "0012344"
    assert make_kid("1234", KidScheme.MOD11, 7) == "0012343"
    assert make_kid("7", KidScheme.MOD10, 2) == "75"


@pytest.mark.parametrize("length", [1, 26, 0])
def test_make_kid_refuses_a_length_outside_two_to_twenty_five(length: int) -> None:
    """R-BANK-1: 2–25 long."""
    with pytest.raises(FieldError, match="KID length"):
        make_kid("1", KidScheme.MOD10, length)


def test_make_kid_refuses_a_base_too_long_for_the_length() -> None:
    """R-BANK-1."""
    with pytest.raises(FieldError, match="has room for 4"):
        make_kid("12345", KidScheme.MOD10, 5)


@pytest.mark.parametrize("base", ["12a4", "", "12 3", "١٢٣"])
def test_make_kid_refuses_a_base_that_is_not_ascii_digits(base: str) -> None:
    """R-BANK-1: digits only (and not other scripts' digits)."""
    with pytest.raises(FieldError, match="KID base"):
        make_kid(base, KidScheme.MOD11, 10)


@given(st.data(), st.sampled_from(list(KidScheme)), st.integers(min_value=2, max_value=25))
def test_a_made_kid_always_validates_under_its_scheme(data: st.DataObject, scheme: KidScheme, length: int) -> None:
    """R-BANK-1: make_kid and is_valid_kid agree for every scheme and every length 2..25."""
    base = data.draw(st.text(alphabet="0123456789", min_size=1, max_size=length - 1))
    kid = make_kid(base, scheme, length)
    assert len(kid) == length
    assert kid[:-1].lstrip("0") == base.lstrip("0")
    assert is_valid_kid(kid, scheme)
    assert check_kid(kid, scheme=scheme) == kid
    assert kid_scheme_of(kid) is not None


@pytest.mark.parametrize("length", range(2, 26))
@pytest.mark.parametrize("scheme", list(KidScheme))
def test_a_kid_of_every_length_round_trips(length: int, scheme: KidScheme) -> None:
    """R-BANK-1: for each length 2..25, the base comes back from the KID and the KID validates."""
    base = "9" * (length - 1)
    kid = make_kid(base, scheme, length)
    assert kid[:-1] == base
    assert is_valid_kid(kid, scheme)


@given(st.text(alphabet="0123456789", min_size=1, max_size=24), st.data())
def test_changing_any_single_digit_of_a_mod10_kid_makes_it_invalid(base: str, data: st.DataObject) -> None:
    """R-BANK-1: Luhn detects every single-digit error."""
    kid = make_kid(base, KidScheme.MOD10, max(len(base) + 1, 2))
    position = data.draw(st.integers(min_value=0, max_value=len(kid) - 1))
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != kid[position]]))
    changed = kid[:position] + replacement + kid[position + 1 :]
    assert not is_valid_kid(changed, KidScheme.MOD10)


@given(st.text(alphabet="0123456789", min_size=1, max_size=24), st.data())
def test_changing_any_single_digit_of_a_mod11_kid_makes_it_fail_mod11(base: str, data: st.DataObject) -> None:
    """R-BANK-1: MOD11 (weights below 11, prime modulus) also detects every single-digit error."""
    kid = make_kid(base, KidScheme.MOD11, max(len(base) + 1, 2))
    position = data.draw(st.integers(min_value=0, max_value=len(kid) - 1))
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != kid[position]]))
    changed = kid[:position] + replacement + kid[position + 1 :]
    assert not is_valid_kid(changed, KidScheme.MOD11)


# -- is_valid_kid and check_kid -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kid",
    ["", "5", "0" * 26, "00 12344", "0012344 ", "-0012344", "12-4", "０１２３", "00123a4"],
)
def test_a_malformed_kid_is_not_valid(kid: str) -> None:
    """R-BANK-1: digits only, 2–25 long; is_valid_kid never raises (bad KIDs go to manual matching)."""
    assert not is_valid_kid(kid)


def test_a_kid_with_a_wrong_check_digit_is_not_valid() -> None:
    """R-BANK-1: an incoming KID that fails its check is reported invalid, not refused."""
    assert not is_valid_kid("0000532")
    assert kid_scheme_of("0000532") is None


def test_check_kid_strips_blanks_around_a_valid_kid() -> None:
    """R-BANK-1: OCR files pad the KID field with blanks."""
    assert check_kid("      0000531") == "0000531"


def test_check_kid_names_where_the_field_and_the_wrong_check_digit() -> None:
    """R-BANK-1."""
    with pytest.raises(FieldError) as raised:
        check_kid("0000532", where="agreement 12", field="kid_prefix")
    assert raised.value.field == "kid_prefix"
    assert raised.value.where == "agreement 12"
    assert str(raised.value) == "agreement 12: kid_prefix: '0000532' fails its check digit (neither MOD10 nor MOD11)"


def test_check_kid_with_a_scheme_refuses_a_kid_valid_only_under_the_other() -> None:
    """R-BANK-1."""
    with pytest.raises(FieldError, match=r"fails its check digit \(MOD10\)"):
        check_kid("0000531", scheme=KidScheme.MOD10)


@pytest.mark.parametrize(
    ("kid", "problem"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("5", "has 1 characters; a KID has 2 to 25"),
        ("1" * 26, "has 26 characters"),
        ("00A0531", "'A' at position 3"),
        ("000-531", "'-' at position 4"),
    ],
)
def test_check_kid_says_what_is_wrong_with_a_malformed_kid(kid: str, problem: str) -> None:
    """R-BANK-1."""
    with pytest.raises(FieldError, match=problem):
        check_kid(kid, where="line 4")
