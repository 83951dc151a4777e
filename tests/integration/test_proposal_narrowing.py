"""The auto-transfer narrows its candidates in SQL before validating them: the narrowing never loses a valid
item (R-VAL-2), whatever the mix of items, customers and agreement."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krav.bootstrap import bootstrap
from krav.domain.agreement import Agreement, effective_days_before_transfer
from krav.domain.ledger.vouchers import Batch, Voucher, VoucherLine
from krav.domain.money import Money
from krav.domain.party import Address, Company, Customer
from krav.domain.validation import validate_item
from krav.services import ledger
from krav.services.ports import LikelyValid

TODAY = date(2025, 5, 2)

items = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3),  # customer
        st.sampled_from([-40, -22, -21, -20, -15, -14, -13, -8, -7, -6, -1, 0, 3]),  # due date, around the limits
        st.sampled_from(["-50.00", "0.00", "20.00", "400.00", "1250.50"]),
        st.booleans(),  # item exempt
        st.sampled_from([11, 12, 1, 17]),  # voucher type
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items,
    st.lists(st.booleans(), min_size=4, max_size=4),
    st.booleans(),
    st.sampled_from(["0.00", "100.00"]),
    st.sampled_from([None, 21]),
)
def test_the_sql_narrowing_keeps_every_valid_item_r_val_2(
    rows: list[tuple[int, int, str, bool, int]],
    exempt_customers: list[bool],
    reminder_first: bool,
    minimum: str,
    days: int | None,
) -> None:
    app = bootstrap(database_url="sqlite://")
    try:
        uow = app.uow()
        ledger.create_company(uow, Company(orgno="974760673", name="Eksempel AS", bank_account="86011117947"))
        ledger.save_customers(
            uow,
            "974760673",
            [
                Customer(str(n), f"Kunde {n}", address=Address("Gate 1", "0155", "Oslo"), exempt=exempt_customers[n])
                for n in range(4)
            ],
        )
        vouchers = []
        for n, (customer, due, amount, exempt, vtype) in enumerate(rows):
            money = Money.of(amount)
            if money.is_zero():
                continue
            vouchers.append(
                Voucher(
                    vtype,
                    TODAY - timedelta(days=60),
                    (
                        VoucherLine(
                            "1500",
                            money,
                            customer=str(customer),
                            item=f"F{n}",
                            due_date=TODAY + timedelta(days=due),
                            exempt=exempt,
                        ),
                        VoucherLine("3000", -money),
                    ),
                )
            )
        if vouchers:
            ledger.post_batch(uow, "974760673", Batch(tuple(vouchers)))
        agreement = replace(
            Agreement(),
            active=True,
            reminder_before_notice=reminder_first,
            minimum_amount=Money.of(minimum),
            days_before_transfer=days,
        )
        narrowing = LikelyValid(
            TODAY - timedelta(days=effective_days_before_transfer(agreement)), agreement.minimum_amount.ore
        )
        with uow:
            everything = uow.ledger.candidates(1, today=TODAY)
            narrowed = uow.ledger.candidates(1, today=TODAY, likely_valid=narrowing)
        valid = {c.item.id for c in everything if not validate_item(c, agreement, TODAY)}
        valid_narrowed = {c.item.id for c in narrowed if not validate_item(c, agreement, TODAY)}
        assert valid_narrowed == valid
        assert {c.item.id for c in narrowed} <= {c.item.id for c in everything}
    finally:
        app.close()
