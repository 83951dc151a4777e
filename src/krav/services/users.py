"""The portal's users (DOMAIN.md section 10): a person with an e-mail and a password stored hashed (argon2, as
the API keys' secrets), holding the same roles as the API keys per company — a creditor's role in one company,
or a role of the service across companies. A role is granted and revoked; a user's roles are read again on every
request, so a revoked role is refused at once.
"""

from __future__ import annotations

from datetime import datetime

from krav.domain.access import Role, User, UserRole, normal_email, role_scope_problem
from krav.domain.errors import Conflict, FieldError, InputError, NotFound
from krav.services.ports import SavedFilter, SecretHasher, UnitOfWork, company_id

#: the shortest password a user may have
MIN_PASSWORD = 8
#: the longest name and query string of a saved filter
FILTER_NAME, FILTER_QUERY = 60, 500


class LoginRefused(Exception):
    """An unknown e-mail, a wrong password or a disabled user: the face refuses the log-in and never says which."""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD or len(password) > 200:
        raise FieldError("password", f"give a password of {MIN_PASSWORD} to 200 characters")


def create_user(
    uow: UnitOfWork, hasher: SecretHasher, *, email: str, name: str, password: str, by: str, now: datetime
) -> User:
    """Make a user with no role yet (grant one with :func:`grant`); only the password's hash is stored."""
    address = normal_email(email)
    name = name.strip() or address
    if len(name) > 100:
        raise FieldError("name", "give a name of at most 100 characters")
    _check_password(password)
    with uow:
        if uow.access.user_by_email(address) is not None:
            raise Conflict(f"a user {address} exists already")
        user_id = uow.access.add_user(User(address, name, hasher.hash(password), now, by))
        made = uow.access.user(user_id)
        uow.commit()
    assert made is not None
    return made


def set_password(uow: UnitOfWork, hasher: SecretHasher, email: str, password: str) -> None:
    """Give the user ``email`` a new password."""
    _check_password(password)
    with uow:
        user = _user(uow, email)
        assert user.id is not None
        uow.access.set_password(user.id, hasher.hash(password))
        uow.commit()


def _user(uow: UnitOfWork, email: str) -> User:
    found = uow.access.user_by_email(normal_email(email))
    if found is None:
        raise NotFound(f"no user {email.strip()}")
    return found


def user(uow: UnitOfWork, user_id: int) -> User | None:
    """The user with its roles as they are now; None for no such user."""
    with uow:
        return uow.access.user(user_id)


def users(uow: UnitOfWork, orgno: str | None = None) -> list[User]:
    """Every user, or those holding a role in the company ``orgno``."""
    with uow:
        company_id = uow.companies.get(orgno).id if orgno is not None else None
        return uow.access.users(company_id)


def grant(uow: UnitOfWork, email: str, role: Role, orgno: str | None, *, by: str, now: datetime) -> User:
    """Give the user ``role`` in the company ``orgno`` (None for a role of the service, across companies); a role
    the user held there before is replaced."""
    with uow:
        found = _user(uow, email)
        assert found.id is not None
        company_id = uow.companies.get(orgno).id if orgno is not None else None
        problem = role_scope_problem(role, company_id)
        if problem is not None:
            raise FieldError("company", problem.replace(" key ", " role "))
        uow.access.revoke_user_role(found.id, company_id, now)
        uow.access.add_user_role(found.id, UserRole(role, company_id, now, by))
        changed = uow.access.user(found.id)
        uow.commit()
    assert changed is not None
    return changed


def revoke(uow: UnitOfWork, email: str, orgno: str | None, *, now: datetime) -> User:
    """Take away the user's roles in the company ``orgno`` (None: the roles across companies)."""
    with uow:
        found = _user(uow, email)
        assert found.id is not None
        company_id = uow.companies.get(orgno).id if orgno is not None else None
        if uow.access.revoke_user_role(found.id, company_id, now) == 0:
            where = f"company {orgno}" if orgno else "across companies"
            raise NotFound(f"{found.email} holds no role in {where}")
        changed = uow.access.user(found.id)
        uow.commit()
    assert changed is not None
    return changed


def authenticate(uow: UnitOfWork, hasher: SecretHasher, email: str, password: str) -> User:
    """The user whose e-mail and password these are, or :class:`LoginRefused`."""
    try:
        address = normal_email(email)
    except InputError:
        raise LoginRefused("not an e-mail address") from None
    with uow:
        found = uow.access.user_by_email(address)
    if found is None or not found.active or not hasher.verify(found.password_hash, password):
        raise LoginRefused("unknown user, wrong password or disabled")
    return found


# -- saved filters of the claims list ------------------------------------------------------------------------------


def saved_filters(uow: UnitOfWork, user_id: int, orgno: str) -> list[SavedFilter]:
    """The filters of the claims list the user saved in the company ``orgno``, by name."""
    with uow:
        return uow.access.saved_filters(user_id, company_id(uow, orgno))


def save_filter(uow: UnitOfWork, user_id: int, orgno: str, name: str, query: str, *, now: datetime) -> SavedFilter:
    """Keep the claims list's ``query`` (its query string) as the user's filter ``name`` in the company, in place
    of one of the same name."""
    name = " ".join(name.split())
    if not name or len(name) > FILTER_NAME:
        raise FieldError("name", f"give the filter a name of 1 to {FILTER_NAME} characters")
    if len(query) > FILTER_QUERY:
        raise FieldError("query", f"a filter holds at most {FILTER_QUERY} characters of the list's address")
    with uow:
        saved = SavedFilter(user_id, company_id(uow, orgno), name, query, now)
        uow.access.save_filter(saved)
        uow.commit()
    return saved


def delete_filter(uow: UnitOfWork, user_id: int, orgno: str, name: str) -> None:
    """Delete the user's filter ``name`` in the company; NotFound when the user has none such."""
    with uow:
        if uow.access.delete_filter(user_id, company_id(uow, orgno), name) == 0:
            raise NotFound(f"no saved filter {name!r}")
        uow.commit()
