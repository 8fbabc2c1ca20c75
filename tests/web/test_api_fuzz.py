"""The REST API under generated input: schemathesis reads /api/v1/_openapi and sends each
operation a few examples, valid (positive) and invalid (negative) bodies, parameters and ids;
no answer may be a 5xx or carry SQL.

Bounded: EXAMPLES_PER_OPERATION examples of each kind per operation, derandomized, so the run
takes seconds per backend. An administrator's token reaches every operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.conftest import api_token

EXAMPLES_PER_OPERATION = 2


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    isolated_demo_app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash must answer, as live
    yield isolated_demo_app
    isolated_demo_app.config["PROPAGATE_EXCEPTIONS"] = None


def _problem(case, response) -> str | None:  # noqa: ANN001
    text = response.text
    if response.status_code >= 500:
        return f"{response.status_code}"
    if "INSERT INTO" in text or "SELECT " in text or "sqlalchemy" in text.lower():
        return "SQL in the answer"
    return None


def test_no_operation_answers_a_server_error(app):
    headers = api_token(app, "admin")
    schema = schemathesis.openapi.from_wsgi("/api/v1/_openapi", app, headers=headers)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def run(case) -> None:  # noqa: ANN001
                response = case.call(headers=headers)
                problem = _problem(case, response)
                if problem:
                    failures.append(
                        f"{problem}: {case.method} {case.formatted_path} query={case.query} "
                        f"body={case.body!r:.200} -> {response.text[:200]}"
                    )

            run()
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/progress/4922180078281872384/behind?page=-301",
        "/api/v1/progress/4922180078281872384",
    ],
)
def test_an_id_past_the_database_range_is_a_client_error(app, path):
    """An id no integer column can hold: PostgreSQL refuses it (400), SQLite finds nothing
    (404); neither is a server error (found by the fuzzing above)."""
    response = app.test_client().get(path, headers=api_token(app, "kepegawaian"))
    assert response.status_code in (400, 404), (response.status_code, response.text)
    assert "message" in response.json
