"""/v1 answers as the original service answered, error for error: one test per row of the
table of errors observed on the wire (the README's "Moving from the original service")."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from integration.api.support import PASSWORD, Caller, SignUp


def drf(response: TestResponse, code: int) -> dict[str, Any]:
    """The original's error body: JSON, never problem details."""
    assert response.status_code == code, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/json", response.content_type
    body: dict[str, Any] = response.get_json()
    return body


def register(client: FlaskClient, **fields: str) -> TestResponse:
    body = {
        "email": "dana@example.com",
        "name": "Dana",
        "password": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }
    return client.post("/v1/auth/register", json=body)


def test_v1_malformed_email_is_a_400_on_email(client: FlaskClient) -> None:
    assert drf(register(client, email="not-an-email"), 400) == {
        "email": ["Enter a valid email address."]
    }
    login = client.post("/v1/auth/login", json={"email": "ab", "password": PASSWORD})
    assert drf(login, 400) == {
        "email": ["Ensure this field has at least 3 characters.", "Enter a valid email address."]
    }


def test_v1_a_taken_email_is_a_400_on_email_whatever_its_case(client: FlaskClient) -> None:
    assert register(client).status_code == 201
    assert drf(register(client, email="DANA@Example.com"), 400) == {
        "email": ["user with this email already exists."]
    }


def test_v1_passwords_that_differ_are_a_400_on_password(client: FlaskClient) -> None:
    assert drf(register(client, password2="another password"), 400) == {
        "password": ["Passwords must match."]
    }


def test_v1_a_missing_field_is_drf_400(client: FlaskClient) -> None:
    body = drf(client.post("/v1/auth/register", json={"email": "e@example.com"}), 400)
    assert body == {
        "name": ["This field is required."],
        "password": ["This field is required."],
        "password2": ["This field is required."],
    }


def test_v1_a_string_too_long_is_a_400_with_its_limit(alice: Caller) -> None:
    assert drf(register(alice.client, name="n" * 81), 400) == {
        "name": ["Ensure this field has no more than 80 characters."]
    }
    assert drf(alice.post("/v1/tasks", json={"name": "n" * 256}), 400) == {
        "name": ["Ensure this field has no more than 255 characters."]
    }


def test_v1_an_invalid_choice_in_a_body_is_a_400(alice: Caller) -> None:
    response = alice.post("/v1/tasks", json={"name": "T", "type": "critical"})
    assert drf(response, 400) == {"type": ['"critical" is not a valid choice.']}


def test_v1_an_invalid_order_by_is_a_400(alice: Caller) -> None:
    response = alice.get("/v1/tasks", query_string={"order_by": "name"})
    assert drf(response, 400) == {
        "order_by": ["Select a valid choice. name is not one of the available choices."]
    }


def test_v1_assign_with_ids_that_are_not_uuids_is_a_400_on_both(alice: Caller) -> None:
    response = alice.post("/v1/tasks/assign_task", json={"user_id": "x", "task_id": "y"})
    assert drf(response, 400) == {
        "user_id": ["Must be a valid UUID."],
        "task_id": ["Must be a valid UUID."],
    }


def test_v1_malformed_json_is_a_400_json_parse_error(alice: Caller) -> None:
    response = alice.client.post(
        "/v1/tasks", data="{nope", headers=alice.headers, content_type="application/json"
    )
    body = drf(response, 400)
    assert set(body) == {"detail"}
    assert body["detail"].startswith("JSON parse error - ")


def test_v1_a_failed_login_is_401_invalid_credentials(client: FlaskClient, alice: Caller) -> None:
    wrong = client.post("/v1/auth/login", json={"email": alice.email, "password": "wrong one!"})
    assert drf(wrong, 401) == {"error": "Invalid credentials"}
    unknown = client.post("/v1/auth/login", json={"email": "no@example.com", "password": PASSWORD})
    assert drf(unknown, 401) == {"error": "Invalid credentials"}


def test_v1_a_token_that_does_not_verify_is_simplejwts_401(client: FlaskClient) -> None:
    response = client.get("/v1/tasks", headers={"Authorization": "Bearer not.a.token"})
    assert drf(response, 401) == {
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
        "messages": [
            {"token_class": "AccessToken", "token_type": "access", "message": "Token is invalid"}
        ],
    }


def test_v1_the_token_of_a_deleted_user_no_longer_works(admin: Caller, bob: Caller) -> None:
    assert admin.delete(f"/v1/users/{bob.user_id}").status_code == 204
    # The original said "User not found"; here the token is refused like any dead token.
    assert drf(bob.get("/v1/tasks"), 401)["code"] == "token_not_valid"


def test_v1_no_token_is_drfs_401(client: FlaskClient) -> None:
    assert drf(client.get("/v1/tasks"), 401) == {
        "detail": "Authentication credentials were not provided."
    }


def test_v1_not_allowed_is_drfs_403(alice: Caller, bob: Caller) -> None:
    task = alice.create_task()
    response = bob.patch(f"/v1/tasks/{task['external_id']}", json={"name": "Mine now"})
    assert drf(response, 403) == {"detail": "You do not have permission to perform this action."}


def test_v1_an_unknown_task_or_user_is_a_404_naming_its_kind(alice: Caller) -> None:
    assert drf(alice.get(f"/v1/tasks/{uuid4()}"), 404) == {
        "detail": "No Task matches the given query."
    }
    assert drf(alice.get(f"/v1/users/{uuid4()}"), 404) == {
        "detail": "No User matches the given query."
    }


def test_v1_an_id_that_is_not_a_uuid_is_not_found(alice: Caller) -> None:
    assert drf(alice.get("/v1/tasks/12345"), 404) == {"detail": "Not found."}


def test_v1_a_method_a_route_does_not_offer_is_405_naming_it(alice: Caller) -> None:
    response = alice.client.put("/v1/tasks", headers=alice.headers)
    assert drf(response, 405) == {"detail": 'Method "PUT" not allowed.'}
    assert "GET" in response.headers["Allow"]


def test_v1_register_without_name_and_a_malformed_id_filter_are_400s(
    client: FlaskClient, sign_up: SignUp
) -> None:
    """The original answered both with an HTML 500; ours are field errors."""
    no_name = {"email": "e@example.com", "password": PASSWORD, "password2": PASSWORD}
    assert drf(client.post("/v1/auth/register", json=no_name), 400) == {
        "name": ["This field is required."]
    }
    caller = sign_up("Eve")
    response = caller.get("/v1/tasks", query_string={"external_id": "nope"})
    assert drf(response, 400) == {"external_id": ["Must be a valid UUID."]}
