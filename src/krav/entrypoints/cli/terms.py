"""The agreement's terms as a creditor admin reads them before accepting (DOMAIN.md section 10)."""

from __future__ import annotations

from typing import Any

from krav.domain.agreement_terms import Terms, terms_content
from krav.domain.money import format_amount
from krav.entrypoints.cli.presenters import day


def _kr(amount: Any) -> str:
    return f"{format_amount(amount)} kr"


def terms_lines(terms: Terms) -> list[str]:
    """The terms in bokmål, amounts as ``12 345,50 kr``, the day they were taken from the rate table."""
    first = (
        f"betalingspåminnelse uten gebyr, frist {terms.reminder_deadline_days} dager, så inkassovarsel"
        if terms.reminder_before_notice
        else "inkassovarsel som første brev"
    )
    lines = [
        f"Vilkår for innfordringsavtalen per {day(terms.on)}",
        "",
        "Skyldner betaler (satsene som gjelder på dagen, inkassoloven og inkassoforskriften):",
        f"  - {first}; inkassovarselet med gebyr {_kr(terms.notice_fee)} når det sendes minst 14 dager etter forfall",
        f"  - forsinkelsesrente {format_amount(terms.interest_rate)} % per år (forsinkelsesrenteloven § 3)",
    ]
    if terms.standard_compensation is not None:
        lines.append(
            f"  - næringsdrivende: standardkompensasjon {_kr(terms.standard_compensation)} "
            "(forsinkelsesrenteloven § 3 a), motregnet i senere gebyr og salær"
        )
    lines.append(f"  - inkassosalær etter tabellen (inkassosats {_kr(terms.inkassosats)}), for en forbruker:")
    lines += [
        f"      hovedstol {_kr(s.principal):>15}: lett {_kr(s.light):>12}, tung {_kr(s.heavy):>12}"
        for s in terms.salaer
    ]
    if not terms.creditor_vat_registered:
        lines.append("      (kreditor er ikke mva-registrert: salæret er 25 % høyere)")
    lines += [
        "",
        "Kreditor:",
        f"  - kravene kan sendes til innfordring {terms.days_before_transfer} dager etter forfall",
        "  - inkassolisten kommer hver tirsdag; "
        + (
            "kravene sendes til inkasso torsdag uten videre, med mindre de stoppes"
            if terms.automatic_collection_list
            else "kravene sendes til inkasso når du godkjenner dem"
        ),
        (
            "  - skyldner betaler til tjenestens klientkonto; innbetalt hovedstol, gebyr og renter avregnes til "
            "deg hver bankdag, salæret beholder tjenesten"
            if terms.client_account
            else "  - skyldner betaler til din egen konto"
        ),
        (
            "  - lukker du et krav som er til inkasso, faktureres du påløpte inkassokostnader med mva"
            if terms.costs_on_close_invoiced
            else "  - lukker du et krav som er til inkasso, koster det deg ingenting"
        ),
        "",
        f"Vilkårenes fingeravtrykk: sha256:{terms.fingerprint}",
    ]
    return lines


def terms_json(terms: Terms) -> dict[str, Any]:
    return {**terms_content(terms), "fingerprint": f"sha256:{terms.fingerprint}"}
