"""Errors as RFC 9457 problem details: a stable machine ``code``, the HTTP status, a title in bokmål and English
(``Accept-Language`` chooses which is the ``title``), and the detail that says what was wrong and where.

Krav's own errors keep their codes (:mod:`krav.domain.errors`); a request the schema refuses is
``invalid_request`` with each problem's place in ``errors``; anything unforeseen is ``internal_error`` with no
trace of the code behind it.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from krav.domain.errors import (
    Conflict,
    DatabaseBusy,
    InputError,
    KravError,
    NotFound,
    RuleViolation,
    RunInProgress,
)

log = logging.getLogger("krav.api")

PROBLEM_JSON = "application/problem+json"

#: the title of each code, in bokmål and English
TITLES: dict[str, tuple[str, str]] = {
    "unauthenticated": ("Mangler gyldig API-nøkkel", "A valid API key is needed"),
    "forbidden": ("Rollen din kan ikke gjøre dette", "Your role may not do this"),
    "not_found": ("Finnes ikke", "Not found"),
    "invalid_request": ("Forespørselen er ugyldig", "The request is not valid"),
    "invalid_input": ("Ugyldige data", "Invalid input"),
    "invalid_field": ("Ugyldig felt", "Invalid field"),
    "invalid_file": ("Ugyldig fil", "Invalid file"),
    "import_refused": ("Filen ble avvist", "The file was refused"),
    "rule_violation": ("Regelverket tillater ikke dette", "A rule refuses this"),
    "action_refused": ("Handlingen er ikke tillatt for kravet", "The action is not allowed for the claim"),
    "activation_refused": ("Avtalen kan ikke aktiveres ennå", "The agreement cannot be activated yet"),
    "conflict": ("Konflikt", "Conflict"),
    "idempotency_in_flight": ("Samme Idempotency-Key behandles allerede", "The same Idempotency-Key is in flight"),
    "idempotency_mismatch": (
        "Idempotency-Key er brukt med en annen forespørsel",
        "The Idempotency-Key was used with another request",
    ),
    "precondition_failed": ("Ressursen er endret siden du leste den", "The resource changed since you read it"),
    "run_in_progress": ("En kjøring pågår", "A run is in progress"),
    "database_busy": ("Databasen er opptatt", "The database is busy"),
    "method_not_allowed": ("Metoden er ikke tillatt", "Method not allowed"),
    "internal_error": ("Intern feil", "Internal error"),
}


class ApiProblem(Exception):
    """A problem the face itself raises (authentication, role, idempotency, preconditions)."""

    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers


def status_of(error: KravError) -> int:
    """The HTTP status of one of Krav's errors."""
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, InputError):
        return 422
    if isinstance(error, Conflict | RunInProgress):
        return 409
    if isinstance(error, RuleViolation):
        return 409
    if isinstance(error, DatabaseBusy):
        return 503
    return 400


def _norwegian_first(request: Request) -> bool:
    accepted = request.headers.get("accept-language", "")
    first = accepted.split(",")[0].strip().lower()
    return first.startswith(("nb", "no", "nn")) if first else False


def problem(
    request: Request, status: int, code: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    nb, en = TITLES.get(code, TITLES["invalid_request"] if status < 500 else TITLES["internal_error"])
    body = {
        "type": f"https://krav.example/problems/{code}",
        "title": nb if _norwegian_first(request) else en,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
        "titles": {"nb": nb, "en": en},
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` as problem details."""

    @app.exception_handler(KravError)
    async def krav_error(request: Request, exc: KravError) -> JSONResponse:
        return problem(request, status_of(exc), exc.code, str(exc))

    @app.exception_handler(ApiProblem)
    async def api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem(request, exc.status, exc.code, exc.detail, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['where']}: {e['problem']}" for e in errors[:5])
        return problem(request, 422, "invalid_request", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthenticated", 403: "forbidden"}.get(
            exc.status_code, "invalid_request"
        )
        return problem(request, exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unforeseen(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unforeseen error on %s %s", request.method, request.url.path)
        return problem(request, 500, "internal_error", "Krav could not answer this request; it is logged")
