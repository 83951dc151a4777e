"""The collection agreement as a value (DOMAIN.md section 4): R-AGR-1, R-AGR-2, changing fields by name, and what
activation needs (section 10)."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krav.domain.agreement import (
    ACCOUNTING_FIELDS,
    SETTABLE,
    AccountingSection,
    Agreement,
    AllocationOrder,
    DunningFlow,
    agreement_problems,
    effective_days_before_transfer,
    field_values,
    ledger_sends_reminders,
    minimum_days_before_transfer,
    missing_for_activation,
    with_changes,
)
from krav.domain.errors import FieldError
from krav.domain.kid import KidScheme
from krav.domain.money import Money

WITH_REMINDER = Agreement(reminder_before_notice=True)
WITHOUT_REMINDER = Agreement(reminder_before_notice=False)
CHART = {"1500", "3900", "8040", "7830", "1921"}
BANK_ACCOUNT = "86011117947"


def refused(agreement: Agreement, changes: dict[str, str | None]) -> FieldError:
    with pytest.raises(FieldError) as info:
        with_changes(agreement, changes)
    return info.value


# -- R-AGR-1 ------------------------------------------------------------------------------------------------------


def test_the_minimum_is_7_days_with_a_reminder_before_the_notice_and_14_without_r_agr_1() -> None:
    assert minimum_days_before_transfer(True) == 7
    assert minimum_days_before_transfer(False) == 14


@pytest.mark.parametrize("days", [-1, 0, 1, 6])
def test_fewer_than_7_days_with_a_reminder_are_refused_naming_the_field_r_agr_1(days: int) -> None:
    error = refused(WITH_REMINDER, {"days_before_transfer": str(days)})
    assert error.field == "days_before_transfer"
    assert "at least 7 days with a reminder" in str(error)
    assert "R-AGR-1" not in str(error)  # the rule's id is for the code; the user reads what to do


@pytest.mark.parametrize("days", [0, 7, 13])
def test_fewer_than_14_days_without_a_reminder_are_refused_naming_the_field_r_agr_1(days: int) -> None:
    error = refused(WITHOUT_REMINDER, {"days_before_transfer": str(days)})
    assert error.field == "days_before_transfer"
    assert "at least 14 days without a reminder" in str(error)
    assert f"not {days}" in str(error)


@pytest.mark.parametrize(
    ("agreement", "days"), [(WITH_REMINDER, 7), (WITH_REMINDER, 8), (WITHOUT_REMINDER, 14), (WITHOUT_REMINDER, 365)]
)
def test_the_minimum_or_more_days_are_allowed_r_agr_1(agreement: Agreement, days: int) -> None:
    changed = with_changes(agreement, {"days_before_transfer": str(days)})
    assert changed.days_before_transfer == days
    assert effective_days_before_transfer(changed) == days


def test_more_than_a_year_is_refused_naming_the_field_r_agr_1() -> None:
    assert refused(WITHOUT_REMINDER, {"days_before_transfer": "366"}).field == "days_before_transfer"


@pytest.mark.parametrize("text", [None, "", "  ", "null", "None", "min", "MIN"])
def test_no_days_means_the_minimum_of_r_agr_1(text: str | None) -> None:
    changed = with_changes(Agreement(days_before_transfer=30), {"days_before_transfer": text})
    assert changed.days_before_transfer is None
    assert effective_days_before_transfer(changed) == 14
    assert effective_days_before_transfer(replace(changed, reminder_before_notice=True)) == 7


def test_turning_the_reminder_off_re_checks_the_days_already_set_r_agr_1() -> None:
    ten_days = with_changes(WITH_REMINDER, {"days_before_transfer": "10"})
    error = refused(ten_days, {"reminder_before_notice": "no"})
    assert error.field == "days_before_transfer"
    assert "at least 14 days" in str(error)
    both = with_changes(ten_days, {"reminder_before_notice": "no", "days_before_transfer": "14"})
    assert (both.reminder_before_notice, both.days_before_transfer) == (False, 14)


def test_the_order_of_the_changes_does_not_matter_the_whole_is_checked_r_agr_1() -> None:
    changed = with_changes(WITHOUT_REMINDER, {"days_before_transfer": "8", "reminder_before_notice": "ja"})
    assert (changed.reminder_before_notice, changed.days_before_transfer) == (True, 8)


@given(st.booleans(), st.none() | st.integers(-30, 400))
def test_the_effective_days_are_never_fewer_than_the_minimum_and_otherwise_what_is_set_r_agr_1(
    reminder: bool, days: int | None
) -> None:
    agreement = Agreement(reminder_before_notice=reminder, days_before_transfer=days)
    minimum = 7 if reminder else 14
    expected = minimum if days is None or days < minimum else days
    assert effective_days_before_transfer(agreement) == expected
    problems = [p.field for p in agreement_problems(agreement)]
    assert ("days_before_transfer" in problems) == (days is not None and not minimum <= days <= 365)


# -- R-AGR-2 ------------------------------------------------------------------------------------------------------


def test_the_ledger_sends_no_reminders_of_its_own_while_the_agreement_is_active_r_agr_2() -> None:
    assert ledger_sends_reminders(Agreement(active=False)) is True
    assert ledger_sends_reminders(Agreement(active=True, activated_on=date(2025, 1, 1))) is False


# -- changing fields by name --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["days_before", "Days_before_transfer", "accounting", "kid", ""])
def test_an_unknown_field_is_refused_naming_it_and_listing_the_settable_ones(name: str) -> None:
    error = refused(Agreement(), {name: "1"})
    assert error.field == name
    assert "unknown field" in str(error)
    assert "days_before_transfer" in str(error)


@pytest.mark.parametrize("name", ["active", "activated_on", "accepted_by"])
def test_activation_fields_cannot_be_set_directly(name: str) -> None:
    error = refused(Agreement(), {name: "true"})
    assert error.field == name
    assert "agreement activate" in str(error)


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("days_before_transfer", "ten", "not a whole number of days"),
        ("days_before_transfer", "14.5", "not a whole number of days"),
        ("reminder_deadline_days", "6", "between 7 and 60"),
        ("reminder_deadline_days", "61", "between 7 and 60"),
        ("reminder_deadline_days", None, "needs a value"),
        ("kid_length", "1", "2 to 25 digits"),
        ("kid_length", "26", "2 to 25 digits"),
        ("kid_length", "x", "not a number"),
        ("minimum_amount", "-0.01", "0.00 or more"),
        ("minimum_amount", "abc", "not an amount"),
        ("collection_list_email", "liste.example.no", "not an e-mail address"),
        ("reminder_before_notice", "maybe", "not yes/no"),
        ("auto_transfer", "", "not yes/no"),
        ("dunning_flow", "sideways", "client_account, creditor_account"),
        ("allocation_order", "random", "costs_interest_principal"),
        ("kid_scheme", "MOD12", "MOD10, MOD11"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field_and_what_is_wrong(name: str, text: str | None, says: str) -> None:
    error = refused(Agreement(), {name: text})
    assert error.field == name
    assert str(error).startswith(f"{name}: ")
    assert says in str(error)


@pytest.mark.parametrize("text", ["--3", "²", "١٤", "1_4", "0x10", "14 days"])
def test_a_malformed_number_of_days_is_a_field_error_not_a_crash(text: str) -> None:
    error = refused(WITHOUT_REMINDER, {"days_before_transfer": text})
    assert error.field == "days_before_transfer"
    assert "not a whole number of days" in str(error)


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("reminder_before_notice", "ja", True),
        ("reminder_before_notice", "Yes", True),
        ("auto_transfer", "nei", False),
        ("automatic_collection_list", "off", False),
        ("charge_interest", "0", False),
        ("claim_standard_compensation", "on", True),
        ("require_email", "true", True),
        ("reminder_deadline_days", "14", 14),
        ("kid_length", "25", 25),
        ("minimum_amount", "1 234,50", Money.of("1234.50")),
        ("collection_list_email", "liste@eksempel.no", "liste@eksempel.no"),
        ("collection_list_email", "", None),
        ("dunning_flow", "creditor_account", DunningFlow.CREDITOR_ACCOUNT),
        ("allocation_order", "principal_interest_costs", AllocationOrder.PRINCIPAL_INTEREST_COSTS),
        ("kid_scheme", "MOD11", KidScheme.MOD11),
    ],
)
def test_a_good_value_is_parsed_into_its_type_and_nothing_else_changes(name: str, text: str, value: object) -> None:
    before = Agreement(collection_list_email="old@eksempel.no")
    after = with_changes(before, {name: text})
    assert getattr(after, name) == value
    assert replace(after, **{name: getattr(before, name)}) == before


def test_the_accounting_section_is_changed_by_dotted_names() -> None:
    after = with_changes(Agreement(), {"accounting.fee_income": " 3901 ", "accounting.vat_code": ""})
    assert after.accounting == replace(AccountingSection(), fee_income="3901", vat_code=None)
    assert with_changes(after, {"accounting.vat_code": "5"}).accounting.vat_code == "5"


def test_an_unknown_accounting_field_is_refused_naming_it_and_listing_the_known_ones() -> None:
    error = refused(Agreement(), {"accounting.bank": "1920"})
    assert error.field == "accounting.bank"
    assert all(name in str(error) for name in ACCOUNTING_FIELDS)


@pytest.mark.parametrize("text", ["", "  ", None])
def test_an_accounting_account_cannot_be_emptied(text: str | None) -> None:
    error = refused(Agreement(), {"accounting.receivables": text})
    assert error.field == "accounting.receivables"
    assert "needs an account number" in str(error)


def test_a_refused_change_among_good_ones_refuses_them_all_and_names_the_bad_field() -> None:
    before = Agreement()
    error = refused(before, {"kid_length": "10", "accounting.loss": "7831", "reminder_deadline_days": "99"})
    assert error.field == "reminder_deadline_days"
    assert before == Agreement()


# -- field values ---------------------------------------------------------------------------------------------------


def test_field_values_show_every_field_as_text_with_the_accounting_section_dotted() -> None:
    values = field_values(Agreement(minimum_amount=Money.of("250"), activated_on=date(2025, 3, 1), active=True))
    plain = [f.name for f in fields(Agreement) if f.name != "accounting"]
    assert list(values) == plain + [f"accounting.{name}" for name in ACCOUNTING_FIELDS]
    assert (values["active"], values["activated_on"], values["minimum_amount"]) == ("true", "2025-03-01", "250.00")
    assert (values["days_before_transfer"], values["collection_list_email"]) == (None, None)
    assert (values["kid_scheme"], values["dunning_flow"], values["accounting.receivables"]) == (
        "MOD10",
        "client_account",
        "1500",
    )


@st.composite
def valid_agreements(draw: st.DrawFn) -> Agreement:
    reminder = draw(st.booleans())
    minimum = 7 if reminder else 14
    account = st.from_regex(r"[1-8][0-9]{3}", fullmatch=True)
    return Agreement(
        days_before_transfer=draw(st.none() | st.integers(minimum, 365)),
        reminder_before_notice=reminder,
        reminder_deadline_days=draw(st.integers(7, 60)),
        auto_transfer=draw(st.booleans()),
        automatic_collection_list=draw(st.booleans()),
        collection_list_email=draw(st.sampled_from([None, "liste@eksempel.no", "a.b@c.example"])),
        dunning_flow=draw(st.sampled_from(list(DunningFlow))),
        charge_interest=draw(st.booleans()),
        claim_standard_compensation=draw(st.booleans()),
        minimum_amount=Money.of(draw(st.decimals(min_value=0, max_value=100000, places=2))),
        allocation_order=draw(st.sampled_from(list(AllocationOrder))),
        kid_scheme=draw(st.sampled_from(list(KidScheme))),
        kid_length=draw(st.integers(2, 25)),
        require_email=draw(st.booleans()),
        invoice_inkasso_costs_on_close=draw(st.booleans()),
        accounting=AccountingSection(
            receivables=draw(account),
            fee_income=draw(account),
            interest_income=draw(account),
            overpayment=draw(account),
            loss=draw(account),
            intermediary_bank=draw(account),
            collection_costs=draw(account),
            input_vat=draw(account),
            posting_type=draw(st.sampled_from(["1", "4"])),
            vat_code=draw(st.sampled_from([None, "1", "5"])),
        ),
    )


@given(valid_agreements())
def test_field_values_read_back_through_with_changes_give_the_same_agreement(agreement: Agreement) -> None:
    assert agreement_problems(agreement) == []
    text = {k: v for k, v in field_values(agreement).items() if k in SETTABLE or k.startswith("accounting.")}
    assert with_changes(Agreement(), text) == agreement


# -- what activation needs (DOMAIN.md section 10) -----------------------------------------------------------------


def test_a_new_agreement_misses_the_collection_list_email_the_bank_account_and_the_accounts() -> None:
    missing = missing_for_activation(Agreement(), creditor_bank_account=None, chart=set())
    assert missing[0].startswith("collection_list_email")
    assert "bank account" in missing[1]
    assert [m.split(":")[0] for m in missing[2:]] == [
        "accounting.receivables",
        "accounting.fee_income",
        "accounting.interest_income",
        "accounting.overpayment",
        "accounting.loss",
        "accounting.intermediary_bank",
    ]


def test_nothing_is_missing_with_an_email_a_bank_account_and_the_accounts_in_the_chart() -> None:
    agreement = Agreement(collection_list_email="liste@eksempel.no")
    assert missing_for_activation(agreement, creditor_bank_account=BANK_ACCOUNT, chart=CHART) == []


@pytest.mark.parametrize(
    ("agreement", "bank", "chart", "names"),
    [
        (Agreement(), BANK_ACCOUNT, CHART, "collection_list_email"),
        (Agreement(collection_list_email="liste@eksempel.no"), None, CHART, "bank account"),
        (Agreement(collection_list_email="liste@eksempel.no"), "", CHART, "bank account"),
        (
            with_changes(Agreement(collection_list_email="liste@eksempel.no"), {"accounting.loss": "7831"}),
            BANK_ACCOUNT,
            CHART,
            "accounting.loss: account 7831 is not in the chart",
        ),
        (Agreement(collection_list_email="liste@eksempel.no"), BANK_ACCOUNT, CHART - {"1921"}, "intermediary_bank"),
    ],
)
def test_each_missing_thing_is_named_alone(agreement: Agreement, bank: str | None, chart: set[str], names: str) -> None:
    (missing,) = missing_for_activation(agreement, creditor_bank_account=bank, chart=chart)
    assert names in missing
