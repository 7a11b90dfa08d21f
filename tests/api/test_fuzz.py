"""Property-based fuzzing of the API from its own OpenAPI document (schemathesis, against the WSGI
application): valid and invalid inputs for every operation, as a procurator and as agency staff,
on existing and random ids. No request may give a 5xx, and every error is the JSON error format.

Bounded so the suite stays fast: a few examples per operation and mode, derandomized (the same
examples every run), no deadline. A 500 found here becomes a regression test in test_errors.py.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, Phase, given, strategies
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from tests.api.conftest import keep_token, token_for
from tests.api.test_schema import known_ids, operations, point_at_existing, wsgi_schema

EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}


@pytest.mark.parametrize("who", ["procurator", "boss"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_generated_request_gives_a_server_error(who, mode, scenario, wsgi_app):
    schema = wsgi_schema(wsgi_app)
    ids = known_ids(scenario)
    user = scenario.users[who]
    key = token_for(user)
    failures: list = []
    for operation in operations(schema):
        strategy = operation.as_strategy(mode)

        @given(case=strategy, pick=strategies.integers(min_value=-1, max_value=3))
        @hypothesis_settings(
            max_examples=EXAMPLES[mode],
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case, pick):
            if pick >= 0:
                point_at_existing(case, ids, pick)
            response = case.call(headers={"Authorization": f"Token {key}"})
            keep_token(user, key)
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, case.query, case.body, response.status_code))
            elif response.status_code >= 400:
                body = json.loads(response.content)
                assert {"code", "message", "fields"} <= set(body), (case.formatted_path, body)

        try:
            call()
        except Unsatisfiable:
            # Nothing in this operation can be made invalid (no parameters, no body).
            assert mode == GenerationMode.NEGATIVE, operation.label
    assert not failures, failures
