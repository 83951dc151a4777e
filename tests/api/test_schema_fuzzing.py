"""The whole OpenAPI document fuzzed in process with schemathesis, with data that fits the schema and data that
does not: no request makes the server fail, and every answer keeps to the document (status, media type,
body)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from krav.bootstrap import bootstrap
from krav.config import Settings
from krav.domain.access import Role
from krav.entrypoints.api import create_app
from krav.services import access
from tests.api.conftest import A, Caller, set_up_company
from tests.conftest import SERVICE_SETTINGS

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 15


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """One Krav with company A, its agreement active, an invoice and a reminder; the API and an operator's key."""
    home: Path = tmp_path_factory.mktemp("fuzz-home")
    identity = {name.removeprefix("KRAV_").lower(): value for name, value in SERVICE_SETTINGS.items()}
    krav = bootstrap(Settings(home=home, **identity))
    app = create_app(krav, deliver_webhooks=False)
    token = access.create_key(
        krav.uow(), krav.hasher, name="fuzz", role=Role.OPERATOR, orgno=None, by="test", now=datetime.now(UTC)
    ).token
    with TestClient(app) as client:
        operator = Caller(client, token)
        set_up_company(operator, A, "Kreditor A AS")
        assert operator.post("/runs", json={"on": "2025-01-10", "to": "2025-01-20"}).status_code == 200
    yield app, token
    krav.close()


def _operations(app: Any) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
def test_no_request_breaks_the_server_or_the_document(served: tuple[Any, str], mode: GenerationMode) -> None:
    app, token = served
    operations = _operations(app)
    assert len(operations) >= 30
    for operation in operations:
        # the company's own data is reached as often as a company that is not there
        strategy = operation.as_strategy(generation_mode=mode)

        @given(case=strategy)
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: Any) -> None:
            if case.path_parameters and str(case.path_parameters.get("orgno", "")).isdigit():
                case.path_parameters["orgno"] = A
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        try:
            call()
        except Exception as exc:
            raise AssertionError(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}") from exc
