"""Quarantine: one claim that cannot be decided never stops the others.

A step decides all its claims at once (one letter per debtor, R-CLM-1). When that fails, the step decides each
debtor's claims on their own, on copies, to find the claims that cannot be decided; those are *held* with the
reason, the others are decided together as usual. A held claim keeps its state (nothing of the failed decision
is stored), gets a ``held`` event in its history (R-ACT-5), is named in the day's report, and is looked at again
the next day.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat

from krav.domain.collection.claims import Claim
from krav.domain.collection.steps import StepResult, by_debtor


@dataclass(frozen=True, slots=True)
class Held:
    """A claim a step could not decide, and why."""

    collection_id: str
    invoice_number: str
    step: str
    reason: str


#: What a step decides: the claims, the case numbers it may draw, and what it decided.
Decide = Callable[[list[Claim], Iterator[str]], StepResult]
#: What must also hold for a decision to be kept (the figures the step stores, computed for its claims).
Check = Callable[[list[Claim], StepResult], object]


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)


def _fails(claims: list[Claim], decide: Decide, check: Check) -> BaseException | None:
    """Whether deciding copies of ``claims`` fails, and how (no case number is drawn for the trial)."""
    trial = copy.deepcopy(claims)
    try:
        check(trial, decide(trial, repeat("TRIAL")))
    except Exception as exc:  # any failure of one claim is held, whatever its kind
        return exc
    return None


def decide_holding(
    load: Callable[[], list[Claim]], decide: Decide, check: Check, numbers: Iterator[str], *, step: str
) -> tuple[list[Claim], StepResult, list[Held]]:
    """Decide the claims ``load`` gives; when that fails, hold the claims that cannot be decided and decide the
    rest. Returns the claims decided (the ones to store), what was decided, and the claims held."""
    claims = load()
    try:
        result = decide(claims, numbers)
        check(claims, result)
    except Exception:  # some claim cannot be decided: found below, one debtor at a time
        return _holding(load(), decide, check, numbers, step)  # from what is stored: the failure may have changed some
    return claims, result, []


def _holding(
    fresh: list[Claim], decide: Decide, check: Check, numbers: Iterator[str], step: str
) -> tuple[list[Claim], StepResult, list[Held]]:
    held: list[Held] = []
    good: list[Claim] = []
    for group in by_debtor(fresh):
        if _fails(group, decide, check) is None:
            good.extend(group)
            continue
        for claim in group:
            error = _fails([claim], decide, check)
            if error is None:
                good.append(claim)
            else:
                held.append(Held(claim.collection_id, claim.invoice_number, step, _reason(error)))
    good = _decidable_together(good, decide, check, held, step)
    return good, decide(good, numbers), held


def _decidable_together(claims: list[Claim], decide: Decide, check: Check, held: list[Held], step: str) -> list[Claim]:
    """The claims that also decide together; should the set still fail, every debtor whose claims fail with
    the others is held too (a last guard: the rules decide each debtor on its own)."""
    error = _fails(claims, decide, check)
    if error is None:
        return claims
    for group in by_debtor(claims):
        held.extend(Held(c.collection_id, c.invoice_number, step, _reason(error)) for c in group)
    return []


def held_ids(held: Iterable[Held]) -> set[str]:
    return {h.collection_id for h in held}
