"""/openapi.json and /docs: a complete, honest document and a UI that needs no internet."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from integration.api.support import PASSWORD, Caller, SignUp

PUBLIC = {
    ("post", "/auth/register"),
    ("post", "/auth/login"),
    ("post", "/auth/refresh"),
    ("get", "/healthz"),
    ("get", "/livez"),
    ("get", "/readyz"),
}

CONTRACT = {
    ("post", "/auth/register"),
    ("post", "/auth/login"),
    ("post", "/auth/refresh"),
    ("post", "/auth/logout"),
    ("get", "/users"),
    ("post", "/users"),
    ("get", "/users/me"),
    ("get", "/users/{external_id}"),
    ("patch", "/users/{external_id}"),
    ("delete", "/users/{external_id}"),
    ("get", "/tasks"),
    ("post", "/tasks"),
    ("get", "/tasks/{external_id}"),
    ("patch", "/tasks/{external_id}"),
    ("delete", "/tasks/{external_id}"),
    ("post", "/tasks/assign_task"),
    ("post", "/tasks/{external_id}/start_task"),
    ("post", "/tasks/{external_id}/complete_task"),
    ("get", "/tasks/{external_id}/history"),
    ("get", "/webhooks"),
    ("post", "/webhooks"),
    ("get", "/webhooks/{webhook_id}"),
    ("patch", "/webhooks/{webhook_id}"),
    ("delete", "/webhooks/{webhook_id}"),
    ("post", "/webhooks/{webhook_id}/rotate_secret"),
    ("get", "/webhooks/{webhook_id}/deliveries"),
    ("post", "/webhooks/{webhook_id}/deliveries/{delivery_id}/replay"),
    ("get", "/healthz"),
    ("get", "/livez"),
    ("get", "/readyz"),
}


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.is_json
    document: dict[str, Any] = response.get_json()
    return document


def operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): operation
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "patch", "put", "delete"}
    }


def test_the_document_is_openapi_3_with_every_endpoint_of_the_contract(
    spec: dict[str, Any],
) -> None:
    assert spec["openapi"].startswith("3.")
    assert set(operations(spec)) == CONTRACT


def test_the_v2_alias_is_documented_once(spec: dict[str, Any]) -> None:
    assert "/v2" in spec["info"]["description"]
    assert not [path for path in spec["paths"] if path.startswith(("/v1", "/v2"))]


def test_bearer_security_guards_every_protected_operation(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes == {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    for key, operation in operations(spec).items():
        if key in PUBLIC:
            assert "security" not in operation, key
        else:
            assert operation["security"] == [{"bearerAuth": []}], key
            assert "401" in operation["responses"], key


def test_every_operation_documents_its_errors_as_problem_details(spec: dict[str, Any]) -> None:
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert set(problem["properties"]) == {"type", "title", "status", "detail", "instance", "errors"}
    default = spec["components"]["responses"]["DEFAULT_ERROR"]
    assert set(default["content"]) == {"application/problem+json"}
    for key, operation in operations(spec).items():
        responses = operation["responses"]
        assert "default" in responses, key
        errors = [code for code in responses if code.startswith(("4", "5"))]
        assert errors or key == ("get", "/livez"), key
        if "{external_id}" in key[1] and key[1] != "/healthz":
            assert "404" in responses, key
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= set(responses), key


def test_bodies_and_queries_are_documented_with_their_fields(spec: dict[str, Any]) -> None:
    ops = operations(spec)
    body = ops[("post", "/tasks/assign_task")]["requestBody"]["content"]["application/json"]
    assign = spec["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[1]]
    assert set(assign["required"]) == {"user_id", "task_id"}
    params = {p["name"]: p for p in ops[("get", "/tasks")]["parameters"]}
    assert {"external_id", "status", "assigned_to", "type", "order_by", "limit", "offset"} <= set(
        params
    )
    assert set(params["order_by"]["schema"]["enum"]) == {
        "created_at",
        "-created_at",
        "deadline",
        "-deadline",
    }


def test_swagger_ui_is_served_with_local_assets(client: FlaskClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/openapi.json" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert not asset.startswith(("http:", "https:", "//")), asset
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.get_data()) > 1000, asset
    error = client.get("/docs/assets/missing.js")
    assert (error.status_code, error.is_json) == (404, True)


def test_no_response_ever_carries_a_password_or_a_hash(
    client: FlaskClient, admin: Caller, sign_up: SignUp
) -> None:
    """Walk through every endpoint that shows users or tasks and look at every byte."""
    bob = sign_up("Bob")
    responses = [
        admin.post("/users", json={"email": "c@example.com", "name": "C", "password": PASSWORD}),
        bob.patch(f"/users/{bob.user_id}", json={"password": PASSWORD + "!"}),
        client.post("/auth/login", json={"email": admin.email, "password": PASSWORD}),
        client.post("/auth/login", json={"email": admin.email, "password": "wrong password"}),
        client.post(
            "/auth/register",
            json={"email": "d@example.com", "name": "D", "password": PASSWORD, "password2": "x"},
        ),
    ]
    task = admin.create_task(name="Visible")
    responses += [
        admin.post(
            "/tasks/assign_task", json={"user_id": admin.user_id, "task_id": task["external_id"]}
        ),
        admin.get("/users"),
        admin.get(f"/users/{admin.user_id}"),
        admin.get("/tasks"),
        admin.get(f"/tasks/{task['external_id']}"),
        admin.get(f"/tasks/{task['external_id']}/history"),
        admin.patch(f"/users/{admin.user_id}", json={"name": "Still admin"}),
    ]
    for response in responses:
        text = response.get_data(as_text=True)
        assert PASSWORD not in text
        assert "$2b$" not in text
        assert "password_hash" not in text
        if response.status_code < 400:
            assert '"password' not in text
