"""Property-based fuzzing of the JSON API from its own OpenAPI document: no input, however
odd, makes the server fail (5xx), and every answer matches the documented schema."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.central.web.conftest import CENTER, Dashboard, csrf_of

EXAMPLES_PER_OPERATION = 25  # enough to hit odd ids, dates and numbers; keeps this ~10 s


@pytest.fixture
def signed_in(tmp_path: Path, dashboard: Dashboard) -> tuple[Dashboard, dict[str, str]]:
    client = dashboard.client("admin")
    token = csrf_of(client, "/")
    cookie = client.cookies.get("sarangbang_session")
    return dashboard, {"Cookie": f"sarangbang_session={cookie}", "X-CSRF-Token": token}


@pytest.fixture
def api_schema(signed_in: tuple[Dashboard, dict[str, str]]) -> schemathesis.BaseSchema:
    dashboard, headers = signed_in
    return schemathesis.openapi.from_asgi("/api/openapi.json", dashboard.app, headers=headers)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_api_never_fails_and_keeps_its_schema(
    api_schema: schemathesis.BaseSchema, signed_in: tuple[Dashboard, dict[str, str]]
) -> None:
    _, headers = signed_in
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    statuses: Counter[int] = Counter()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def fuzz(case: schemathesis.Case) -> None:
            statuses[case.call_and_validate(headers=headers, checks=CHECKS).status_code] += 1
            if case.path_parameters and "center" in case.path_parameters:
                case.path_parameters["center"] = CENTER  # the odd query, on a real center
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                statuses[response.status_code] += 1

        fuzz()
    assert statuses.total() >= len(operations) * 5 and statuses[200] > 0, statuses
    print(dict(statuses))
