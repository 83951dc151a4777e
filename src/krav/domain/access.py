"""Who may do what (DOMAIN.md section 10): the roles, what each may do, and whose data each may see.

Each creditor is a tenant: a creditor's key (creditor admin, creditor user, viewer, or an ERP integration that a
creditor admin granted) is scoped to exactly one company and never sees another's data. The service's own people
(a case handler, an operator) work across companies.

========================  ====  ======  =======  ========  =====  ========
role                      read  ledger  collect  case      admin  operate
========================  ====  ======  =======  ========  =====  ========
viewer                    yes
creditor user             yes   yes     yes
integration (ERP client)  yes   yes     yes
creditor admin            yes   yes     yes               yes
case handler              yes                    yes
operator                  yes   yes     yes      yes       yes    yes
========================  ====  ======  =======  ========  =====  ========

*read*: companies, agreement, items, claims, letters, settlements; *ledger*: customers, items, vouchers and
payments reported by the creditor's books; *collect*: proposal, submit, claim actions, collection list approval;
*case*: the service's handling of a claim (messages, unmatched payments, runs); *admin*: the agreement, its
activation, voucher types, API clients; *operate*: companies, keys of every company, the client account's files.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from krav.domain.errors import InputError


class Role(enum.StrEnum):
    VIEWER = "viewer"
    CREDITOR_USER = "creditor_user"
    INTEGRATION = "integration"
    CREDITOR_ADMIN = "creditor_admin"
    CASE_HANDLER = "case_handler"
    OPERATOR = "operator"

    @property
    def across_companies(self) -> bool:
        """Whether the role is the service's own (it sees every company) rather than one creditor's."""
        return self in (Role.CASE_HANDLER, Role.OPERATOR)


class Permission(enum.StrEnum):
    READ = "read"
    LEDGER = "ledger"
    COLLECT = "collect"
    CASE = "case"
    ADMIN = "admin"
    OPERATE = "operate"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.CREDITOR_USER: frozenset({Permission.READ, Permission.LEDGER, Permission.COLLECT}),
    Role.INTEGRATION: frozenset({Permission.READ, Permission.LEDGER, Permission.COLLECT}),
    Role.CREDITOR_ADMIN: frozenset({Permission.READ, Permission.LEDGER, Permission.COLLECT, Permission.ADMIN}),
    Role.CASE_HANDLER: frozenset({Permission.READ, Permission.CASE}),
    Role.OPERATOR: frozenset(Permission),
}


def role_may(role: Role, permission: Permission) -> bool:
    """Whether ``role`` may do what ``permission`` covers (the table of the module docstring)."""
    return permission in _GRANTS[role]


def parse_role(value: str) -> Role:
    """The role named ``value``, or an error that lists the roles."""
    try:
        return Role(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        raise InputError(f"role: {value!r} is not a role ({', '.join(r.value for r in Role)})") from None


def role_scope_problem(role: Role, company_id: int | None) -> str | None:
    """Why a key of ``role`` cannot be scoped as asked: a creditor's role needs one company, the service's roles
    none; None when it can."""
    if role.across_companies and company_id is not None:
        return f"a {role.value} works across companies; give no company"
    if not role.across_companies and company_id is None:
        return f"a {role.value} key belongs to one company; give the company"
    return None


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request acts as: the key's id and name, its role, and the one company it is scoped to (None for the
    service's roles, which see every company)."""

    key_id: int
    name: str
    role: Role
    company_id: int | None
    via: str = "api"  # how the principal came in: an API key, or a user of the portal

    def may(self, permission: Permission) -> bool:
        return role_may(self.role, permission)

    def sees(self, company_id: int) -> bool:
        """Whether the company's data is visible to this principal: its own company, or any for the service."""
        return self.company_id is None or self.company_id == company_id

    @property
    def actor(self) -> str:
        """How the principal is named in a claim's history and an audit trail."""
        return f"{self.via}:{self.name}"


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored API key: its public prefix (how it is found), the hash of its secret (never the secret), its role
    and scope, and when it was revoked (a revoked key is refused on its next request)."""

    prefix: str
    secret_hash: str
    name: str
    role: Role
    company_id: int | None
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None
    id: int | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def principal(self) -> Principal:
        assert self.id is not None
        return Principal(self.id, self.name, self.role, self.company_id)


@dataclass(frozen=True, slots=True)
class UserRole:
    """A role a portal user holds: in one company (a creditor's role), or across companies (the service's)."""

    role: Role
    company_id: int | None
    granted_at: datetime
    granted_by: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class User:
    """A person who logs in to the portal: an e-mail, a password stored hashed (argon2, never the password), and
    the roles held per company; a disabled user is refused at once."""

    email: str
    name: str
    password_hash: str
    created_at: datetime
    created_by: str
    disabled_at: datetime | None = None
    roles: tuple[UserRole, ...] = ()
    id: int | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def role_in(self, company_id: int) -> Role | None:
        """The strongest role the user holds in the company (a role of the service counts in every company)."""
        held = [r.role for r in self.roles if r.company_id is None or r.company_id == company_id]
        if not held:
            return None
        return max(held, key=lambda role: len(_GRANTS[role]))

    def principal(self, company_id: int) -> Principal | None:
        """Who the user acts as in the company, or None when the user holds no role there."""
        role = self.role_in(company_id)
        if role is None or self.id is None:
            return None
        scope = None if role.across_companies else company_id
        return Principal(self.id, self.email, role, scope, via="portal")


def normal_email(value: str) -> str:
    """An e-mail address as users are found by: trimmed and in lower case; an error when it is no address."""
    email = value.strip().lower()
    if len(email) > 200 or "@" not in email or email.startswith("@") or email.endswith("@") or " " in email:
        raise InputError(f"e-mail: {value!r} is not an e-mail address")
    return email
