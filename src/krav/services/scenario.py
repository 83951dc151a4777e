"""The conformance runner: a scenario's timeline run day by day through the same services as the daily run
(../shared/scenarios/FORMAT.md), its outcome as data, and the differences from what it expects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from krav.domain.agreement import Agreement, AllocationOrder, DunningFlow, agreement_problems
from krav.domain.collection.actions import Action
from krav.domain.errors import FieldError, KravError
from krav.domain.kid import KidScheme
from krav.domain.ledger import accounts as acc
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.vouchers import Batch, Voucher, VoucherLine
from krav.domain.money import Money
from krav.domain.party import Address, Company, Customer, CustomerKind
from krav.domain.rates import RateTables
from krav.formats.camt054_writer import Credit, build_camt054
from krav.formats.scenario import Scenario, ScenarioEvent, parse_scenario
from krav.services import collection, ledger, queries
from krav.services.collection.delivery import letter_document
from krav.services.daily_run import run_days
from krav.services.ledger import submission
from krav.services.ports import ClaimFigures, Collaborators, ItemFilter, Renderer, Service, UnitOfWork


def _money(m: Money) -> str:
    return f"{m.amount:.2f}"


def _agreement(scenario: Scenario) -> Agreement:
    a = scenario.agreement
    base = Agreement(collection_list_email=f"inkassoliste@{scenario.creditor_orgno}.example")
    values: dict[str, Any] = {}
    for key, value in a.items():
        if key == "kid_scheme":
            values[key] = KidScheme(str(value).upper())
        elif key == "minimum_amount":
            values[key] = Money.of(str(value))
        elif key == "dunning_flow":
            values[key] = DunningFlow(value)
        elif key == "allocation_order":
            values[key] = AllocationOrder(value)
        else:
            values[key] = value
    agreement = replace(base, **values)
    problems = agreement_problems(agreement)
    if problems:
        raise FieldError(f"agreement.{problems[0].field}", problems[0].problem)
    return agreement


def read_scenario(data: bytes, *, filename: str) -> Scenario:
    """A scenario file (../shared/scenarios/FORMAT.md) checked and read; a bad one is refused with where."""
    return parse_scenario(data, filename=filename)


def _setup(uow: UnitOfWork, s: Scenario) -> None:
    ledger.create_company(
        uow,
        Company(
            orgno=s.creditor_orgno,
            name=s.creditor_name,
            bank_account=s.creditor_account,
            vat_registered=s.creditor_vat_registered,
        ),
    )
    ledger.save_customers(
        uow,
        s.creditor_orgno,
        [
            Customer(
                number=c.id,
                name=c.name,
                kind=CustomerKind(c.kind),
                orgno=c.orgno,
                address=Address(c.street, c.postcode, c.city, c.country),
                email=c.email,
                exempt=c.exempt,
                language=c.language,
                # a scenario's customer gives its e-mail for letters (docs/collection.md "Letters"); a scenario's
                # outcome does not depend on the channel
                email_for_letters=c.email is not None,
            )
            for c in s.customers
        ],
        strict_orgno=False,
        source="scenario",
    )
    vouchers = [
        Voucher(
            voucher_type=i.voucher_type,
            date=i.issued,
            text=f"Faktura {i.number}",
            lines=(
                VoucherLine(
                    acc.RECEIVABLES, i.amount, customer=i.customer, item=i.number, due_date=i.due, exempt=i.exempt
                ),
                VoucherLine(acc.SALES, -i.amount),
            ),
        )
        for i in sorted(s.invoices, key=lambda i: (i.issued, i.number))
    ]
    if vouchers:
        ledger.post_batch(uow, s.creditor_orgno, Batch(tuple(vouchers), text="Fakturaer", source="scenario"))
    with uow:
        company = uow.companies.get(s.creditor_orgno)
        assert company.id is not None
        uow.agreements.save(
            company.id, replace(_agreement(s), active=True, activated_on=s.start, accepted_by="scenario")
        )
        uow.commit()


def _invoice_item(uow: UnitOfWork, orgno: str, number: str, where: str) -> tuple[str, Money]:
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        items = uow.ledger.items(company.id, ItemFilter(numbers=[number], debits_only=True))
    if not items:
        raise FieldError(where, f"no invoice {number!r}")
    return items[0].customer, items[0].remaining


def _apply_event(
    uow: UnitOfWork,
    s: Scenario,
    event: ScenarioEvent,
    collab: Collaborators,
    figures: ClaimFigures,
    actions: list[dict[str, Any]],
) -> None:
    orgno, data, on = s.creditor_orgno, event.data, event.on
    rates, service = collab.rates, collab.service
    where = f"events[{event.index}].{event.kind}"
    if event.kind == "pay_letter":
        debtor, n = str(data.get("debtor")), data.get("letter")
        with uow:
            company = uow.companies.get(orgno)
            assert company.id is not None
            letters = [lt for lt in uow.collection.letters(company.id, debtor=debtor) if lt.n == n]
        if not letters:
            raise FieldError(where, f"debtor {debtor} has no letter {n} by {on}")
        letter = letters[0]
        raw = data.get("amount")
        amount = letter.total if raw == "letter_total" else Money.of(str(raw))
        # through the real path: a camt.054 notification of the client account, put in the inbox that the day's
        # run imports first and matches by KID
        paid_on = data.get("paid_on")  # the day the debtor's bank got the order (R-CLM-14)
        credit = Credit(
            f"SCN{event.index:04d}",
            amount,
            on,
            kid=letter.kid,
            payer_name=f"debtor {debtor}",
            ordered_on=paid_on if isinstance(paid_on, date) and paid_on != on else None,
        )
        data_file = build_camt054(
            service.account,
            [credit],
            message_id=f"SCN-{on:%Y%m%d}-{event.index}",
            created=datetime.combine(on, time(6), tzinfo=UTC),
        )
        if collab.inbox is None:
            raise FieldError(where, "the scenario runner needs an inbox folder for payment files")
        collab.inbox.mkdir(parents=True, exist_ok=True)
        (collab.inbox / f"camt054-{on}-{event.index:04d}.xml").write_bytes(data_file)
    elif event.kind == "pay_direct":
        invoice = str(data.get("invoice"))
        _invoice_item(uow, orgno, invoice, where)
        amount = Money.of(str(data.get("amount")))
        # the creditor's own bank reports the payment; the ledger matches it by the invoice number in its text
        credit = Credit(f"DIR{event.index:04d}", amount, on, text=f"Faktura {invoice}", payer_name="debtor")
        with uow:
            company = uow.companies.get(orgno)
            bank = company.bank_account or "86011117947"
        data_file = build_camt054(
            bank,
            [credit],
            message_id=f"DIR-{on:%Y%m%d}-{event.index}",
            created=datetime.combine(on, time(6), tzinfo=UTC),
        )
        report = ledger.import_bank_file(uow, figures, orgno, data_file, filename=f"bank-{on}-{event.index}.xml", on=on)
        if not report.posted:
            raise FieldError(where, f"the direct payment could not be matched: {report.lines[0].reason}")
    elif event.kind == "credit":
        customer, _ = _invoice_item(uow, orgno, str(data.get("invoice")), where)
        amount = Money.of(str(data.get("amount")))
        ledger.post_batch(
            uow,
            orgno,
            Batch(
                (
                    Voucher(
                        vt.OUTGOING_CREDIT_NOTE,
                        on,
                        (
                            VoucherLine(acc.SALES, amount),
                            VoucherLine(
                                acc.RECEIVABLES, -amount, customer=customer, settles=(str(data.get("invoice")),)
                            ),
                        ),
                        text="Kreditnota",
                    ),
                ),
                source="scenario",
            ),
        )
    elif event.kind == "write_off":
        ledger.write_off(uow, orgno, str(data.get("invoice")), on=on)
    elif event.kind == "action":
        invoices = [str(i) for i in data.get("invoices") or []]
        try:
            action = Action(str(data.get("do")))
        except ValueError:
            raise FieldError(f"{where}.do", f"must be one of {', '.join(a.value for a in Action)}") from None
        for result in collection.act(
            uow, orgno, invoices, action, on=on, by="creditor", rates=rates, text=data.get("text")
        ):
            actions.append(
                {
                    "date": on.isoformat(),
                    "invoice": result.invoice_number,
                    "do": action.value,
                    "result": "accepted" if result.accepted else "refused",
                    "reason": result.reason.value if result.reason else None,
                }
            )
    elif event.kind == "approve":
        collection.approve(uow, orgno, [str(i) for i in data.get("invoices") or []], on=on, by="creditor")


def run_scenario(
    uow: UnitOfWork,
    s: Scenario,
    *,
    collab: Collaborators,
    figures: ClaimFigures,
    observe: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run ``s`` on the (fresh) database behind ``uow`` through the daily run, day by day: each day's events
    first (payments reach the inbox, actions are taken), then the business day with its inbox, steps and
    delivery. Returns the outcome as FORMAT.md describes.

    ``observe`` is told where the run stands: after the set-up, after each event and after each day's run
    (``"2025-03-14 after events[2].pay_letter"``, ``"2025-03-14 after the run"``)."""
    seen = observe or (lambda _: None)
    _setup(uow, s)
    seen("after the set-up")
    actions: list[dict[str, Any]] = []
    by_day: dict[date, list[ScenarioEvent]] = {}
    for event in s.events:
        if not s.start <= event.on <= s.end:
            raise FieldError(f"events[{event.index}].date", f"{event.on} is outside the run {s.start}..{s.end}")
        by_day.setdefault(event.on, []).append(event)

    def events_of(day: date) -> None:
        for event in by_day.get(day, []):
            try:
                _apply_event(uow, s, event, collab, figures, actions)
            except FieldError:
                raise
            except KravError as exc:  # the event cannot happen as written (no claim yet, settled already, ...)
                raise FieldError(f"events[{event.index}].{event.kind}", str(exc)) from None
            seen(f"{day} after events[{event.index}].{event.kind}")

    run_days(
        uow,
        s.start,
        s.end,
        collab,
        company=s.creditor_orgno,
        before_day=events_of,
        after_day=lambda done: seen(f"{done.date} after the run"),
    )
    return outcome(uow, s, rates=collab.rates, actions=actions)


def outcome(uow: UnitOfWork, s: Scenario, *, rates: RateTables, actions: list[dict[str, Any]]) -> dict[str, Any]:
    """The state as of the run's last day, in the shape of FORMAT.md."""
    orgno, last = s.creditor_orgno, s.end
    proposal = [
        {"invoice": row.item.number, "valid": row.valid, "reasons": sorted(r.code for r in row.reasons)}
        for row in sorted(submission.proposal(uow, orgno, today=last), key=lambda r: r.item.number)
    ]
    views = sorted(queries.claims_view(uow, orgno, on=last, rates=rates), key=lambda v: v.claim.invoice_number)
    claims = [
        {
            "invoice": v.claim.invoice_number,
            "stage": v.claim.stage.value,
            "closed_reason": v.claim.closed_reason.value if v.claim.closed_reason else None,
            "paused": v.claim.paused,
            "disputed": v.claim.disputed,
            "principal": _money(v.claim.principal),
            "principal_outstanding": _money(v.claim.principal_outstanding),
            "fees_charged": _money(v.claim.fees_charged),
            "fees_outstanding": _money(v.claim.fees_outstanding),
            "interest_accrued": _money(v.interest_accrued),
            "interest_outstanding": _money(v.interest_outstanding),
            "salaer_charged": _money(v.claim.salaer_charged),
            "salaer_outstanding": _money(v.claim.salaer_outstanding),
        }
        for v in views
    ]
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        stored = uow.collection.letters(company.id)
        lists = uow.collection.lists(company.id)
        settlements = uow.collection.settlements(company.id)
    letters = []
    for lt in sorted(stored, key=lambda lt: (lt.sent_on, lt.debtor, lt.n)):
        entry: dict[str, Any] = {
            "debtor": lt.debtor,
            "n": lt.n,
            "type": lt.type.value,
            "sent": lt.sent_on.isoformat(),
            "deadline": lt.deadline.isoformat() if lt.deadline else None,
            "invoices": [line.invoice_number for line in lt.lines],
        }
        for key in ("principal", "fee", "interest", "salaer"):
            entry[key] = _money(Money.sum((getattr(line, key) for line in lt.lines), "NOK"))
        # the scenario format counts the standard compensation (R-CLM-11) among the fees; a letter names it apart
        entry["fee"] = _money(Money.sum((line.fee + (line.compensation or Money.zero()) for line in lt.lines), "NOK"))
        entry["total"] = _money(lt.total)
        letters.append(entry)
    balance = ledger.balance(uow, orgno)
    items = ledger.open_items(uow, orgno, open_only=False)
    return {
        "proposal": proposal,
        "claims": claims,
        "actions": actions,
        "letters": letters,
        "collection_lists": [{"date": d.isoformat(), "invoices": invoices} for d, invoices, _ in lists],
        "settlements": [
            {
                "date": st.settled_on.isoformat(),
                "principal": _money(st.principal),
                "fee": _money(st.fee),
                "interest": _money(st.interest),
                "overpayment": _money(st.overpaid),
            }
            for st in settlements
        ],
        "ledger": {
            "balanced": balance.balanced,
            "open_items": [
                {"invoice": i.number, "remaining": _money(i.remaining)}
                for i in sorted(items, key=lambda i: i.number)
                if i.is_debit
            ],
        },
    }


def _normal(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)):.2f}"
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Where ``actual`` departs from ``expected`` (a subset: keys it leaves out are not compared; lists compare
    element by element, in order, and must be as long)."""
    expected = _normal(expected)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected a mapping, got {actual!r}"]
        out: list[str] = []
        for key, value in expected.items():
            here = f"{path}.{key}" if path else key
            if key not in actual:
                out.append(f"{here}: missing (expected {value!r})")
            else:
                out.extend(differences(value, actual[key], here))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {actual!r}"]
        out = []
        for n, (e, a) in enumerate(zip(expected, actual, strict=False)):
            out.extend(differences(e, a, f"{path}[{n}]"))
        if len(expected) != len(actual):
            extra = actual[len(expected) :] if len(actual) > len(expected) else expected[len(actual) :]
            which = "unexpected" if len(actual) > len(expected) else "missing"
            out.append(f"{path}: {len(actual)} entries, expected {len(expected)}; {which}: {extra!r}")
        return out
    if expected != actual:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


def write_letters(uow: UnitOfWork, s: Scenario, folder: Path, *, renderer: Renderer, service: Service) -> int:
    """Write the PDF of every letter the scenario produced into ``folder`` as ``{debtor}-{n}-{type}.pdf``."""
    folder.mkdir(parents=True, exist_ok=True)
    with uow:
        company = uow.companies.get(s.creditor_orgno)
        assert company.id is not None
        stored = uow.collection.letters(company.id)
        for letter in stored:
            doc = letter_document(uow, company, letter, service, renderer)
            (folder / doc.filename).write_bytes(doc.content)
        uow.commit()
    return len(stored)
