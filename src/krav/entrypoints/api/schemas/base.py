"""What every body of the API shares: money as decimal strings, dates, ids, the request and answer bases, pages,
and problem details."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from krav.domain.money import Money

Amount = Annotated[
    str,
    Field(
        pattern=r"^-?\d{1,13}(\.\d{1,2})?$",
        description="An amount in kroner as a decimal string, at most two decimals.",
        examples=["4000.00"],
    ),
]
Orgno = Annotated[str, Field(pattern=r"^\d{9}$", description="An organisation number, 9 digits.")]
Text = Annotated[str, Field(min_length=1, max_length=200)]
OptionalText = Annotated[str | None, Field(default=None, max_length=200)]
Day = Annotated[date, Field(ge=date(1990, 1, 1), le=date(2099, 12, 31))]
#: a stored row's id
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


def decimal(value: Money) -> str:
    """An amount as the API writes it: a decimal string with two decimals."""
    return f"{value.amount:.2f}"


def money(value: Money | None) -> str | None:
    return None if value is None else decimal(value)


def amount(value: str) -> Money:
    return Money.of(Decimal(value))


class In(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


T = TypeVar("T")


class Page(Out, Generic[T]):
    """One page of a list; ``next_cursor`` asks for the next page (None: this is the last)."""

    items: list[T]
    next_cursor: str | None = None


# -- problems -----------------------------------------------------------------------------------------------------


class ProblemError(Out):
    where: str
    problem: str


class Problem(BaseModel):
    """An error as RFC 9457 problem details, with Krav's stable machine code and the title in bokmål and
    English."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    titles: dict[str, str]
    errors: list[ProblemError] | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problem answers an operation may give, for its OpenAPI document."""
    described = {
        400: "The request cannot be answered as it is.",
        401: "No valid API key.",
        403: "The key's role may not do this.",
        404: "Not found, or not this key's company.",
        409: "A rule or the state of the claim refuses it, or the same Idempotency-Key is still in flight.",
        412: "If-Match names another version: the resource changed since it was read.",
        422: "The request is not valid: what and where is in detail and errors.",
        503: "The database is busy; try again.",
    }
    return {
        status: {
            "description": described[status],
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
