"""R-SVC-1: the collection service's identity on its letters — name, organisation number, postal address,
telephone, e-mail, client account, and its IBAN and BIC — is complete and valid before any letter is produced,
and a refusal names every ``KRAV_SERVICE_*`` setting to set or correct (docs/legal.md, "Krav's policies").
"""

from __future__ import annotations

import dataclasses

import pytest

from krav.bootstrap import require_service_identity, service_identity, setting_of
from krav.config import Settings, get_settings
from krav.domain.collection.identity import (
    PARTS,
    IdentityGap,
    IdentityIncomplete,
    identity_complete,
    identity_gaps,
    require_identity,
)
from krav.domain.collection.letters import Sender
from krav.services.demo import DEMO_SERVICE
from tests.builders import SERVICE
from tests.conftest import SERVICE_SETTINGS

COMPLETE = SERVICE.sender()
ALL_SETTINGS = [setting_of(part) for part in PARTS]


def gaps_of(**parts: str | None) -> tuple[IdentityGap, ...]:
    return identity_gaps(dataclasses.replace(COMPLETE, **parts))  # type: ignore[arg-type]


def only_gap(**parts: str | None) -> IdentityGap:
    gaps = gaps_of(**parts)
    assert len(gaps) == 1, gaps
    return gaps[0]


def test_the_tests_identity_and_the_demo_identity_are_complete_r_svc_1() -> None:
    assert identity_gaps(COMPLETE) == ()
    assert identity_complete(COMPLETE)
    assert identity_gaps(DEMO_SERVICE.sender()) == ()
    require_identity(COMPLETE)  # does not raise


def test_an_identity_with_nothing_set_names_every_part_missing_in_order_r_svc_1() -> None:
    nothing = Sender("", "", None, None, None)
    gaps = identity_gaps(nothing)
    assert [g.part for g in gaps] == list(PARTS)
    assert all(g.missing and g.problem == "missing" for g in gaps)
    assert not identity_complete(nothing)
    assert PARTS == ("name", "orgno", "street", "postcode", "city", "phone", "email", "account", "iban", "bic")


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("empty", [None, "", "   "])
def test_each_part_left_out_or_blank_is_missing_r_svc_1(part: str, empty: str | None) -> None:
    gap = only_gap(**{part: empty})
    assert gap == IdentityGap(part, "missing")
    assert gap.missing


@pytest.mark.parametrize(
    ("part", "value", "problem"),
    [
        ("orgno", "916000007", "not a valid Norwegian organisation number"),  # MOD11 check digit wrong
        ("orgno", "91600000", "not a valid Norwegian organisation number"),  # eight digits
        ("orgno", "NO916000006MVA", "not a valid Norwegian organisation number"),
        ("postcode", "104", "not a Norwegian postcode (four digits)"),
        ("postcode", "01O4", "not a Norwegian postcode (four digits)"),
        ("postcode", "SE-11122", "not a Norwegian postcode (four digits)"),
        ("phone", "ring oss", "not a telephone number"),
        ("phone", "22", "not a telephone number"),
        ("phone", "+47", "not a telephone number"),
        ("email", "post.krav-inkasso.example", "not an e-mail address"),
        ("email", "post@krav", "not an e-mail address"),
        ("email", "post @krav-inkasso.example", "not an e-mail address"),
        ("account", "16020000001", "not a valid Norwegian bank account number (11 digits, MOD11)"),
        ("account", "1602000000", "not a valid Norwegian bank account number (11 digits, MOD11)"),
        ("account", "NO3916020000000", "not a valid Norwegian bank account number (11 digits, MOD11)"),
        ("iban", "NO3916020000001", "not a valid IBAN"),  # IBAN check digits wrong
        ("iban", "16020000000", "not a valid IBAN"),  # the account number is no IBAN
        ("iban", "NO9386011117947", "not the IBAN of the client account 16020000000"),  # another account's
        ("iban", "DE89370400440532013000", "not a Norwegian IBAN, as the client account's is"),
        ("bic", "DNBAXXKK", "not a valid BIC (SWIFT code)"),  # no such country
        ("bic", "DNB", "not a valid BIC (SWIFT code)"),
        ("bic", "DEUTDEFF", "not the BIC of a Norwegian bank, as the client account's is"),
    ],
)
def test_an_invalid_part_is_named_with_why_r_svc_1(part: str, value: str, problem: str) -> None:
    gap = only_gap(**{part: value})
    assert gap == IdentityGap(part, problem)
    assert not gap.missing


def test_an_invalid_account_is_named_alone_not_its_iban_too_r_svc_1() -> None:
    """The IBAN is checked against a valid client account only: a mistyped account is one mistake, named once."""
    assert gaps_of(account="16020000001") == (
        IdentityGap("account", "not a valid Norwegian bank account number (11 digits, MOD11)"),
    )


def test_the_iban_of_the_client_account_given_matches_it_r_svc_1() -> None:
    assert gaps_of(account="86011117947", iban="NO9386011117947") == ()
    assert gaps_of(account="86011117947") == (IdentityGap("iban", "not the IBAN of the client account 86011117947"),)


def test_several_gaps_are_named_together_in_order_r_svc_1() -> None:
    gaps = gaps_of(street=None, phone="x", account="16020000001", bic=None)
    assert [(g.part, g.missing) for g in gaps] == [
        ("street", True),
        ("phone", False),
        ("account", False),
        ("bic", True),
    ]


def test_every_part_is_a_krav_service_setting_r_svc_1() -> None:
    assert ALL_SETTINGS == [
        "KRAV_SERVICE_NAME",
        "KRAV_SERVICE_ORGNO",
        "KRAV_SERVICE_STREET",
        "KRAV_SERVICE_POSTCODE",
        "KRAV_SERVICE_CITY",
        "KRAV_SERVICE_PHONE",
        "KRAV_SERVICE_EMAIL",
        "KRAV_SERVICE_ACCOUNT",
        "KRAV_SERVICE_IBAN",
        "KRAV_SERVICE_BIC",
    ]
    fields = Settings.model_fields
    assert all(name.removeprefix("KRAV_").lower() in fields for name in ALL_SETTINGS)
    assert set(SERVICE_SETTINGS) == set(ALL_SETTINGS)


def test_the_settings_have_no_defaults_for_the_identity_r_svc_1(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ALL_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    assert [g.part for g in service_identity(get_settings()).gaps()] == list(PARTS)


def test_the_refusal_names_every_missing_setting_r_svc_1(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ALL_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    with pytest.raises(IdentityIncomplete) as refused:
        require_service_identity()
    message = str(refused.value)
    assert message == (
        "the collection service's identity is incomplete: set " + ", ".join(ALL_SETTINGS) + "; no letter was produced"
    )
    assert refused.value.code == "service_identity_incomplete"
    assert [g.part for g in refused.value.gaps] == list(PARTS)


def test_the_refusal_names_what_is_missing_and_what_to_correct_and_nothing_else_r_svc_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KRAV_SERVICE_STREET")
    monkeypatch.setenv("KRAV_SERVICE_PHONE", "  ")
    monkeypatch.setenv("KRAV_SERVICE_ACCOUNT", "1602.00.00001")
    monkeypatch.setenv("KRAV_SERVICE_BIC", "DNBAXXKK")
    get_settings.cache_clear()
    with pytest.raises(IdentityIncomplete) as refused:
        require_service_identity()
    assert str(refused.value) == (
        "the collection service's identity is incomplete: set KRAV_SERVICE_STREET, KRAV_SERVICE_PHONE; correct "
        "KRAV_SERVICE_ACCOUNT (not a valid Norwegian bank account number (11 digits, MOD11)), KRAV_SERVICE_BIC "
        "(not a valid BIC (SWIFT code)); no letter was produced"
    )
    for fine in (
        set(ALL_SETTINGS) - {"KRAV_SERVICE_STREET", "KRAV_SERVICE_PHONE", "KRAV_SERVICE_ACCOUNT"} - {"KRAV_SERVICE_BIC"}
    ):
        assert fine not in str(refused.value)


def test_settings_written_as_people_write_them_are_read_r_svc_1(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spaces and dots in the numbers, a lower-case IBAN and BIC: the identity is the same complete one."""
    written = {
        "KRAV_SERVICE_ORGNO": "916 000 006",
        "KRAV_SERVICE_ACCOUNT": "1602.00.00000",
        "KRAV_SERVICE_IBAN": "no39 1602 0000 000",
        "KRAV_SERVICE_BIC": "dnba no kk xxx",
        "KRAV_SERVICE_NAME": "  Krav Inkasso ",
    }
    for name, value in written.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    service = require_service_identity()
    assert (service.name, service.orgno, service.account, service.iban, service.bic) == (
        "Krav Inkasso",
        "916000006",
        "16020000000",
        "NO3916020000000",
        "DNBANOKKXXX",
    )
    assert not service.demo


def test_the_configured_identity_is_returned_whole_when_complete_r_svc_1() -> None:
    assert require_service_identity() == SERVICE
