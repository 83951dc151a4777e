"""A claim's page is kept and answered again while what it shows is unchanged, and made again as soon as any of
it changes — whoever changed it, Krav or another program writing the database (krav.services.claim_pages)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from krav.adapters.db import tables as t
from krav.domain.access import Role
from krav.domain.personal_data import ERASED, erased
from tests.api.conftest import A, Api, Caller, company_body, set_up_company

ON = {"on": "2025-01-20"}
TAMPERED = '{"kept": "this page"}'


def _claim_with_a_letter(api: Api) -> tuple[Caller, str]:
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    assert operator.post("/runs", json={"on": "2025-01-10", "to": "2025-01-20"}).status_code == 200
    viewer = api.as_(api.key(Role.VIEWER, A))
    (claim,) = viewer.get(f"/companies/{A}/claims", params=ON).json()["items"]
    return viewer, claim["collection_id"]


def _tamper_with_the_kept_page(api: Api) -> None:
    """Write over the kept page, so that an answer shows whether it came from there."""
    with api.krav.engine.begin() as conn:
        assert conn.execute(sa.update(t.claim_page).values(body=TAMPERED)).rowcount == 1


def _sql(api: Api, statement: str) -> None:
    with api.krav.engine.begin() as conn:
        conn.execute(sa.text(statement))


def test_a_kept_page_is_answered_until_what_it_shows_changes(api: Api) -> None:
    viewer, ref = _claim_with_a_letter(api)
    first = viewer.get(f"/companies/{A}/claims/{ref}", params=ON)
    assert first.status_code == 200
    with api.krav.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.claim_page)).scalar() == 1
    assert viewer.get(f"/companies/{A}/claims/{ref}", params=ON).json() == first.json()

    _tamper_with_the_kept_page(api)
    assert viewer.get(f"/companies/{A}/claims/{ref}", params=ON).json() == {"kept": "this page"}
    assert viewer.get(f"/companies/{A}/claims/2001", params=ON).json() == {"kept": "this page"}  # by invoice too
    # another day, another page (interest runs daily)
    assert viewer.get(f"/companies/{A}/claims/{ref}", params={"on": "2025-01-21"}).json()["claim"]["collection_id"]


CHANGES: dict[str, Callable[[Api], None]] = {
    # the claim's row, changed by a statement that does not raise its revision: the database's trigger does
    "claim": lambda api: _sql(api, "update claim set next_action_on = '2025-03-01'"),
    # an event added to its history
    "event": lambda api: _sql(
        api,
        "insert into claim_event (claim_id, company_id, on_date, kind, by, detail, created_at) "
        "select id, company_id, '2025-01-20', 'message', 'test', 'a note', '2025-01-20 10:00:00' from claim",
    ),
    # its letter's delivery moved on
    "delivery": lambda api: _sql(
        api, "update delivery set status = 'failed', updated_at = '2031-01-01 00:00:00' where kind = 'letter'"
    ),
    # its company stopped charging interest
    "agreement": lambda api: _sql(api, "update agreement set charge_interest = not charge_interest"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_what_a_page_shows_makes_it_again(api: Api, change: str) -> None:
    viewer, ref = _claim_with_a_letter(api)
    assert viewer.get(f"/companies/{A}/claims/{ref}", params=ON).status_code == 200
    _tamper_with_the_kept_page(api)
    CHANGES[change](api)
    answered: dict[str, Any] = viewer.get(f"/companies/{A}/claims/{ref}", params=ON).json()
    assert answered != {"kept": "this page"}
    assert answered["claim"]["collection_id"] == ref
    if change == "event":
        assert "a note" in [h["detail"] for h in answered["history"]]
    if change == "delivery":
        assert [lt["status"] for lt in answered["letters"]] == ["failed"]
    # made again, and kept again
    _tamper_with_the_kept_page(api)
    assert viewer.get(f"/companies/{A}/claims/{ref}", params=ON).json() == {"kept": "this page"}


def test_the_database_raises_a_claims_revision_on_every_change(api: Api) -> None:
    _claim_with_a_letter(api)
    with api.krav.engine.begin() as conn:
        before = conn.execute(sa.select(t.claim.c.revision)).scalar_one()
        conn.execute(sa.update(t.claim).values(paused=True))
        after_other = conn.execute(sa.select(t.claim.c.revision)).scalar_one()
        conn.execute(sa.update(t.claim).values(paused=False, revision=t.claim.c.revision + 1))
        after_own = conn.execute(sa.select(t.claim.c.revision)).scalar_one()
    assert after_other == before + 1  # raised by the trigger
    assert after_own == after_other + 1  # raised by the statement, not once more by the trigger


def test_another_companys_claim_has_no_page_for_it(api: Api) -> None:
    _, ref = _claim_with_a_letter(api)
    operator = api.as_(api.key(Role.OPERATOR))
    other = "923609016"
    assert operator.post("/companies", json=company_body(other, "Kreditor B AS")).status_code == 201
    stranger = api.as_(api.key(Role.VIEWER, other))
    assert stranger.get(f"/companies/{other}/claims/{ref}", params=ON).status_code == 404
    with api.krav.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.claim_page)).scalar() == 0


def _pages(api: Api) -> int:
    with api.krav.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(t.claim_page)).scalar_one())


def test_the_daily_run_drops_the_pages_of_earlier_days(api: Api) -> None:
    viewer, ref = _claim_with_a_letter(api)
    assert viewer.get(f"/companies/{A}/claims/{ref}", params=ON).status_code == 200
    assert _pages(api) == 1
    operator = api.as_(api.key(Role.OPERATOR))
    assert operator.post("/runs", json={"on": "2025-01-21"}).status_code == 200
    assert _pages(api) == 0


def test_erasing_a_debtor_drops_the_pages_of_its_claims(api: Api) -> None:
    viewer, ref = _claim_with_a_letter(api)
    assert viewer.get(f"/companies/{A}/claims/{ref}", params=ON).status_code == 200
    with api.krav.uow() as uow:
        company = uow.companies.get(A)
        assert company.id is not None
        customer = uow.ledger.customers(company.id)["20001"]
        changed = uow.personal_data.erase(company.id, erased(customer, date(2031, 1, 1)))
        uow.commit()
    assert changed["claim_page"] == 1
    assert _pages(api) == 0
    assert viewer.get(f"/companies/{A}/claims/{ref}", params=ON).json()["claim"]["debtor_name"] == ERASED
