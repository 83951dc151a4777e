"""The bodies of API clients and webhooks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from krav.domain.access import Role
from krav.entrypoints.api.schemas.base import (
    In,
    Out,
    Text,
)

# -- access -------------------------------------------------------------------------------------------------------


class ApiClientIn(In):
    name: Text
    role: Literal[Role.INTEGRATION, Role.CREDITOR_USER, Role.VIEWER, Role.CREDITOR_ADMIN] = Role.INTEGRATION


class ApiKeyOut(Out):
    id: int
    name: str
    role: str
    company: str | None
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


class NewApiKeyOut(ApiKeyOut):
    token: str = Field(description="The key itself: shown this once, stored only as a hash.")


class WebhookIn(In):
    url: Annotated[str, Field(pattern=r"^https?://[^\s]{1,1990}$")]
    events: Annotated[list[str], Field(min_length=1, max_length=10)]


class WebhookOut(Out):
    id: int
    url: str
    events: list[str]
    created_at: datetime
    disabled_at: datetime | None


class NewWebhookOut(WebhookOut):
    secret: str = Field(description="The signing secret: shown this once.")


class WebhookDeliveryOut(Out):
    id: int
    webhook: int
    event_id: str
    event: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    delivered_at: datetime | None
