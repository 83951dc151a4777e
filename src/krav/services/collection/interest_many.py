"""Late interest for many claims at once (R-CLM-6, R-TIME-4): the domain's integer day weights
(:func:`krav.domain.collection.interest.day_weights`) applied to whole columns with numpy, for the daily run's
figures and the lists of claims.

The arithmetic is the one-claim path's, exactly: a segment's interest is ``principal · (W[end] − W[start]) /
denominator`` øre over the table's running sum ``W`` of integer day weights, rounded half up once. A row that the
64-bit columns cannot hold exactly (a principal so large that twice the numerator would pass 2⁶³), or that the
day weights do not cover (a segment starting before the rate table or ending after it), is worked out by the
domain's exact fractions instead, so every row gives the same øre as :func:`~krav.domain.collection.interest.
open_segment`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from krav.domain.collection.claims import Claim
from krav.domain.collection.interest import (
    DayWeights,
    day_weights,
    interest_end,
    round_half_up_ore,
    segment_interest_ore,
)
from krav.domain.money import Money
from krav.domain.rates import RateTables

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ore = npt.NDArray[np.int64]

# numpy is imported where it is used, so that starting Krav (every command) does not wait for it
_INT64_MAX = 2**63 - 1
_last: list[tuple[DayWeights, Ore]] = []  # the running sums of the table asked for last, by identity


def _running_sums(weights: DayWeights) -> Ore:
    import numpy as np

    if _last and _last[0][0] is weights:
        return _last[0][1]
    sums = np.array(weights.cumulative, dtype=np.int64)  # the last sum stays far below 2⁶³ for any real rate
    _last[:] = [(weights, sums)]
    return sums


def open_segments_ore(principal_ore: Ore, start: Ore, end: Ore, rates: RateTables) -> Ore:
    """R-CLM-6: the interest in øre, rounded half up, of each open segment — ``principal_ore[i]`` øre from the day
    numbered ``start[i]`` to ``end[i]`` (proleptic ordinals, :meth:`date.toordinal`; the days after the start up to
    and including the end are interest days). Nothing where the end is not after the start or there is no
    principal."""
    import numpy as np

    weights = day_weights(rates)
    sums = _running_sums(weights)
    denominator = weights.denominator
    before = weights.first.toordinal() - 1  # a day's place in the running sums is its ordinal less this
    low, high = start - before, end - before
    if len(principal_ore) == 0:
        return np.zeros(0, dtype=np.int64)
    days = len(sums)
    # both ends inside the running sums (a day before the table would index from its end, silently)
    inside = min(int(low.min()), int(high.min())) >= 0 and max(int(low.max()), int(high.max())) < days
    covered = None
    if inside:
        span = sums[high] - sums[low]
    else:
        covered = (low >= 0) & (high >= 0) & (low < days) & (high < days)
        span = np.where(covered, sums[np.where(covered, high, 0)] - sums[np.where(covered, low, 0)], 0)
    # an end not after the start gives a span of nothing or less, a credit no principal: both earn nothing
    span = np.maximum(span, 0)
    principal = np.maximum(principal_ore, 0)
    # twice the numerator plus the denominator must fit in 64 bits: principal · span ≤ (2⁶³ − 1 − d) // 2
    room = (_INT64_MAX - denominator) // 2
    if inside and int(principal.max()) * int(span.max()) <= room:  # every row fits: the columns alone
        every: Ore = (2 * principal * span + denominator) // (2 * denominator)
        return every
    live = (end > start) & (principal > 0)
    fits = live & (principal <= room // np.maximum(span, 1))
    if covered is not None:
        fits &= covered
    result: Ore = (2 * np.where(fits, principal, 0) * span + denominator) // (2 * denominator)
    result[~fits] = 0
    for i in np.flatnonzero(live & ~fits).tolist():  # too large for the columns, or outside the table: exactly
        segment = segment_interest_ore(
            Money.from_ore(int(principal_ore[i])),
            date.fromordinal(int(start[i])),
            date.fromordinal(int(end[i])),
            rates,
        )
        result[i] = round_half_up_ore(segment)  # numpy refuses (OverflowError) what 64 bits cannot hold
    return result


@dataclass(frozen=True, slots=True)
class ClaimsInterest:
    """What :func:`claims_interest` worked out, in the order of the claims, in øre."""

    accrued_ore: list[int]  # all interest up to the day, less what was waived (as interest_accrued)
    outstanding_ore: list[int]  # of that, what is not paid (as interest_outstanding: never below nothing)
    currencies: list[str]

    @property
    def accrued(self) -> list[Money]:
        return [Money.from_ore(ore, cur) for ore, cur in zip(self.accrued_ore, self.currencies, strict=True)]

    @property
    def outstanding(self) -> list[Money]:
        return [Money.from_ore(ore, cur) for ore, cur in zip(self.outstanding_ore, self.currencies, strict=True)]


def claims_interest(
    claims: Sequence[Claim], on: date, rates: RateTables, *, charge_interest: bool = True
) -> ClaimsInterest:
    """R-CLM-6: every claim's interest accrued and outstanding as of ``on``, the open segments worked out together
    (:func:`open_segments_ore`); the same amounts as :func:`~krav.domain.collection.interest.interest_accrued` and
    :func:`~krav.domain.collection.interest.interest_outstanding` claim by claim."""
    import numpy as np

    # one pass over the claims: principal, the open segment's start and end, interest booked less waived, paid
    table = np.array(
        [
            (
                c.principal_outstanding.ore,
                c.segment_start.toordinal(),
                interest_end(c, on).toordinal(),
                c.interest_booked.ore - c.interest_waived.ore,
                c.interest_paid.ore,
            )
            for c in claims
        ],
        dtype=np.int64,
    ).reshape(len(claims), 5)
    accrued = table[:, 3]
    if charge_interest:
        accrued = accrued + open_segments_ore(table[:, 0], table[:, 1], table[:, 2], rates)
    outstanding = np.maximum(accrued - table[:, 4], 0)
    return ClaimsInterest(accrued.tolist(), outstanding.tolist(), [c.currency for c in claims])
