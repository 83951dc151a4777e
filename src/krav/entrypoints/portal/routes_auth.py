"""Log-in, log-out, the language switch and the first page (the user's company, or a choice of them)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from krav.entrypoints.portal.session import Session
from krav.entrypoints.portal.web import (
    LANG_COOKIE,
    Form,
    SignedIn,
    Visiting,
    companies_of,
    redirect,
    render,
    safe_next,
)
from krav.services import users

router = APIRouter()


@router.get("/login")
def login_page(v: Visiting, next: str = "/", expired: bool = False, out: bool = False) -> Response:
    if v.user is not None:
        return redirect(safe_next(next))
    note = v.t("expired") if expired else v.t("logged out") if out else None
    return render(v, "login.html", next=safe_next(next), note=note, error=None, email="")


@router.post("/login")
async def log_in(v: Visiting, fields: Form) -> Response:
    email, password = fields.get("email", ""), fields.get("password", "")
    after = safe_next(fields.get("next"))
    try:
        user = await run_in_threadpool(users.authenticate, v.krav.reader(), v.krav.hasher, email, password)
    except users.LoginRefused:
        return render(v, "login.html", status=401, next=after, note=None, error=v.t("login refused"), email=email)
    v.keep(Session.fresh(user.id))  # a new session (and CSRF token) at log-in
    return redirect(after)


@router.post("/logout")
def log_out(v: Visiting, _: Form) -> Response:
    v.keep(Session.fresh())
    return redirect("/login?out=1")


@router.post("/lang")
def switch_language(v: Visiting, fields: Form) -> Response:
    chosen = "en" if fields.get("lang") == "en" else "nb"
    response = redirect(safe_next(fields.get("next")))
    response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response


@router.get("/")
def home(v: SignedIn) -> Response:
    """The user's company's overview; a choice when the user works in several."""
    found = companies_of(v)
    if len(found) == 1:
        return redirect(f"/c/{found[0].orgno}/")
    return render(v, "home.html", companies=found)
