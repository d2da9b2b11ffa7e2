"""The OpenAPI document tells clients about ETags and the conditional answers, and about
Idempotency-Key where it is honoured."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

READS = {("get", "/tasks/{external_id}"), ("get", "/users/{external_id}"), ("get", "/users/me")}
ERROR = {"$ref": "#/components/schemas/Problem"}
WRITES = {
    ("patch", "/tasks/{external_id}"),
    ("delete", "/tasks/{external_id}"),
    ("post", "/tasks/assign_task"),
    ("post", "/tasks/{external_id}/start_task"),
    ("post", "/tasks/{external_id}/complete_task"),
    ("patch", "/users/{external_id}"),
    ("delete", "/users/{external_id}"),
}


def _operations(client: FlaskClient) -> dict[tuple[str, str], dict[str, Any]]:
    spec = client.get("/openapi.json").get_json()
    return {
        (method, path): operation
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    }


def _headers_of(operation: dict[str, Any]) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}


def test_reads_document_their_etag_if_none_match_and_304(client: FlaskClient) -> None:
    operations = _operations(client)
    for key in READS:
        operation = operations[key]
        assert _headers_of(operation) == {"If-None-Match"}, key
        assert "ETag" in operation["responses"]["200"]["headers"], key
        assert "ETag" in operation["responses"]["304"]["headers"], key


def test_writes_document_if_match_412_with_the_current_etag_and_428(client: FlaskClient) -> None:
    operations = _operations(client)
    conditional = {key for key, op in operations.items() if "If-Match" in _headers_of(op)}
    assert conditional == WRITES
    for key in WRITES:
        responses = operations[key]["responses"]
        assert "ETag" in responses["412"]["headers"], key
        assert responses["412"]["content"]["application/problem+json"]["schema"] == ERROR, key
        assert "428" in responses, key
        success = responses.get("200") or responses["204"]
        assert key[0] == "delete" or "ETag" in success["headers"], key


#: The operations that honour Idempotency-Key: the POSTs an access token authorises.
KEYED = {
    ("post", "/tasks"),
    ("post", "/users"),
    ("post", "/tasks/assign_task"),
    ("post", "/tasks/{external_id}/start_task"),
    ("post", "/tasks/{external_id}/complete_task"),
}


def test_keyed_posts_document_idempotency_key_and_its_400_409_422(client: FlaskClient) -> None:
    operations = _operations(client)
    keyed = {key for key, op in operations.items() if "Idempotency-Key" in _headers_of(op)}
    assert keyed == KEYED
    for key in KEYED:
        assert {"400", "409", "422"} <= set(operations[key]["responses"]), key
        parameter = next(p for p in operations[key]["parameters"] if p["in"] == "header")
        assert parameter["required"] is False
