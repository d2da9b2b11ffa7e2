"""/users and /users/{external_id}: shapes, statistics and who may change what."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from flask.testing import FlaskClient

from integration.api.support import (
    ENVELOPE,
    PASSWORD,
    Caller,
    SignUp,
    error_of,
    fields_of,
    in_an_hour,
)

USER_FIELDS = {
    "external_id",
    "email",
    "name",
    "completion_percentage",
    "total_tasks_assigned",
    "total_tasks_completed",
    "total_tasks_in_progress",
    "total_tasks_failed",
    "meta",
    "created_at",
    "updated_at",
}


def test_a_user_has_exactly_the_contracts_fields(alice: Caller) -> None:
    user = alice.get(f"/users/{alice.user_id}").get_json()
    assert set(user) == USER_FIELDS
    assert user["external_id"] == alice.user_id
    assert user["name"] == "Alice"
    assert user["meta"] == {"is_admin": False, "is_staff": False, "is_superuser": False}
    assert user["created_at"].endswith("+00:00")
    assert user["completion_percentage"] == 0


def test_an_admins_meta_flags_all_say_so(admin: Caller) -> None:
    meta = admin.get(f"/users/{admin.user_id}").get_json()["meta"]
    assert meta == {"is_admin": True, "is_staff": True, "is_superuser": True}


def test_statistics_count_the_users_tasks(alice: Caller, bob: Caller) -> None:
    tasks = [alice.create_task(name=f"t{i}") for i in range(4)]
    for task in tasks[:3]:
        alice.post(
            "/tasks/assign_task", json={"user_id": bob.user_id, "task_id": task["external_id"]}
        )
    bob.post(f"/tasks/{tasks[0]['external_id']}/complete_task")
    bob.post(f"/tasks/{tasks[1]['external_id']}/start_task")
    user = alice.get(f"/users/{bob.user_id}").get_json()
    assert (
        user["total_tasks_assigned"],
        user["total_tasks_completed"],
        user["total_tasks_in_progress"],
        user["total_tasks_failed"],
        user["completion_percentage"],
    ) == (3, 1, 1, 0, 33.33)


def test_the_list_is_a_page_and_filters_by_external_id(
    alice: Caller, bob: Caller, carol: Caller
) -> None:
    page = alice.get("/users").get_json()
    assert set(page) == ENVELOPE
    assert page["count"] == 3
    assert {u["external_id"] for u in page["results"]} == {
        alice.user_id,
        bob.user_id,
        carol.user_id,
    }
    only_bob = alice.get("/users", query_string={"external_id": bob.user_id}).get_json()
    assert [u["external_id"] for u in only_bob["results"]] == [bob.user_id]
    assert only_bob["count"] == 1


def test_reading_users_needs_a_token(client: FlaskClient, alice: Caller) -> None:
    error_of(client.get("/users"), 401)
    error_of(client.get(f"/users/{alice.user_id}"), 401)
    error_of(client.get("/users/me"), 401)


def test_me_is_the_caller_as_their_own_page_shows_them(alice: Caller, admin: Caller) -> None:
    task = alice.create_task(deadline=in_an_hour())
    assign = {"task_id": task["external_id"], "user_id": alice.user_id}
    assert alice.post("/tasks/assign_task", json=assign).status_code == 200
    for caller in (alice, admin):
        me = caller.get("/users/me")
        assert me.status_code == 200, me.get_json()
        assert me.get_json() == caller.get(f"/users/{caller.user_id}").get_json()
    assert alice.get("/v1/users/me").get_json()["email"] == alice.email


def test_unknown_and_malformed_user_ids_are_404(alice: Caller) -> None:
    error_of(alice.get(f"/users/{uuid4()}"), 404)
    error_of(alice.get("/users/not-a-uuid"), 404)
    error_of(alice.get("/users/12345"), 404)


def test_a_malformed_id_filter_is_422(alice: Caller) -> None:
    body = error_of(alice.get("/users", query_string={"external_id": "nope"}), 422)
    assert "external_id" in fields_of(body)


# -- POST /users: admins only ---------------------------------------------------------


def new_user(**overrides: Any) -> dict[str, Any]:
    return {"email": "erin@example.com", "name": "Erin", "password": PASSWORD, **overrides}


def test_an_admin_creates_a_user_who_can_log_in(client: FlaskClient, admin: Caller) -> None:
    response = admin.post("/users", json=new_user())
    assert response.status_code == 201
    user = response.get_json()
    assert set(user) == USER_FIELDS
    assert user["email"] == "erin@example.com"
    assert user["meta"]["is_admin"] is False
    login = client.post("/auth/login", json={"email": "erin@example.com", "password": PASSWORD})
    assert login.status_code == 200


def test_a_non_admin_cannot_create_users(alice: Caller) -> None:
    error_of(alice.post("/users", json=new_user()), 403)


def test_creating_a_user_with_a_taken_email_is_409(admin: Caller, alice: Caller) -> None:
    error_of(admin.post("/users", json=new_user(email=alice.email.upper())), 409)


@pytest.mark.parametrize(
    "body",
    [
        new_user(password="short"),
        new_user(email="nope"),
        new_user(name=""),
        new_user(is_admin=True),
        new_user(meta={"is_admin": True}),
        {"email": "x@example.com"},
    ],
)
def test_invalid_user_bodies_are_422(admin: Caller, body: dict[str, Any]) -> None:
    error_of(admin.post("/users", json=body), 422)


# -- PATCH /users/{id} ----------------------------------------------------------------


def test_people_edit_their_own_name_and_email(alice: Caller) -> None:
    response = alice.patch(
        f"/users/{alice.user_id}", json={"name": "Alice B.", "email": "ALICE.B@example.com"}
    )
    assert response.status_code == 200
    assert (response.get_json()["name"], response.get_json()["email"]) == (
        "Alice B.",
        "ALICE.B@example.com",
    )


def test_nobody_edits_someone_else(alice: Caller, bob: Caller) -> None:
    error_of(alice.patch(f"/users/{bob.user_id}", json={"name": "Hacked"}), 403)
    assert alice.get(f"/users/{bob.user_id}").get_json()["name"] == "Bob"


def test_an_admin_edits_anyone(admin: Caller, bob: Caller) -> None:
    response = admin.patch(f"/users/{bob.user_id}", json={"name": "Robert"})
    assert response.status_code == 200
    assert response.get_json()["name"] == "Robert"


def test_only_admins_grant_admin_rights(admin: Caller, alice: Caller, bob: Caller) -> None:
    error_of(alice.patch(f"/users/{alice.user_id}", json={"is_admin": True}), 403)
    granted = admin.patch(f"/users/{bob.user_id}", json={"is_admin": True})
    assert granted.status_code == 200
    assert granted.get_json()["meta"]["is_admin"] is True
    # The new admin's existing token now carries admin rights.
    assert bob.post("/users", json=new_user()).status_code == 201


def test_taking_someone_elses_email_is_409(alice: Caller, bob: Caller) -> None:
    error_of(alice.patch(f"/users/{alice.user_id}", json={"email": bob.email}), 409)


@pytest.mark.parametrize(
    "body",
    [
        {"external_id": str(uuid4())},
        {"completion_percentage": 100},
        {"total_tasks_completed": 5},
        {"meta": {"is_admin": True}},
        {"created_at": "2030-01-01T00:00:00Z"},
        {"password": "short"},
        {"name": None},
        {"email": "not-an-email"},
    ],
)
def test_read_only_unknown_and_invalid_fields_are_422(alice: Caller, body: dict[str, Any]) -> None:
    error_of(alice.patch(f"/users/{alice.user_id}", json=body), 422)


def test_patching_an_unknown_user_is_404_for_an_admin(admin: Caller) -> None:
    error_of(admin.patch(f"/users/{uuid4()}", json={"name": "X"}), 404)


# -- DELETE /users/{id} ---------------------------------------------------------------


def test_an_admin_deletes_a_user_who_then_vanishes(admin: Caller, alice: Caller) -> None:
    response = admin.delete(f"/users/{alice.user_id}")
    assert response.status_code == 204
    assert response.get_data() == b""
    error_of(admin.get(f"/users/{alice.user_id}"), 404)
    listed = admin.get("/users").get_json()
    assert alice.user_id not in {u["external_id"] for u in listed["results"]}
    error_of(admin.delete(f"/users/{alice.user_id}"), 404)


def test_a_non_admin_cannot_delete_users(alice: Caller, bob: Caller) -> None:
    error_of(alice.delete(f"/users/{bob.user_id}"), 403)
    error_of(alice.delete(f"/users/{alice.user_id}"), 403)


def test_a_deleted_users_open_tasks_go_back_to_the_pool(
    admin: Caller, alice: Caller, bob: Caller
) -> None:
    open_task = alice.create_task(name="open")
    done_task = alice.create_task(name="done")
    for task in (open_task, done_task):
        alice.post(
            "/tasks/assign_task", json={"user_id": bob.user_id, "task_id": task["external_id"]}
        )
    bob.post(f"/tasks/{done_task['external_id']}/complete_task")
    assert admin.delete(f"/users/{bob.user_id}").status_code == 204
    reopened = alice.get(f"/tasks/{open_task['external_id']}").get_json()
    assert (reopened["status"], reopened["assigned_to"]) == ("unassigned", None)
    kept = alice.get(f"/tasks/{done_task['external_id']}").get_json()
    assert kept["status"] == "completed"
    assert kept["assigned_to"]["external_id"] == bob.user_id


def test_a_deleted_users_email_can_sign_up_again(
    client: FlaskClient, admin: Caller, sign_up: SignUp, alice: Caller
) -> None:
    admin.delete(f"/users/{alice.user_id}")
    again = sign_up("Alice again", alice.email)
    assert again.user_id != alice.user_id
