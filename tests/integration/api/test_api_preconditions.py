"""ETag, If-None-Match and If-Match on tasks and users (RFC 9110 §13), on both prefixes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from entrypoints.container import Container
from integration.api.support import Caller, MovableClock, error_of, in_an_hour


def _task_path(task: dict[str, Any], prefix: str = "") -> str:
    return f"{prefix}/tasks/{task['external_id']}"


@pytest.mark.parametrize("prefix", ["", "/v1"])
def test_a_task_answers_its_version_as_a_strong_etag(alice: Caller, prefix: str) -> None:
    created = alice.post(f"{prefix}/tasks", json={"name": "Draft"})
    assert created.headers["ETag"] == '"1"'
    response = alice.get(_task_path(created.get_json(), prefix))
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    assert "version" not in response.get_json()  # headers only: the body stays as it was


@pytest.mark.parametrize("prefix", ["", "/v1"])
def test_a_current_copy_is_not_sent_again(alice: Caller, prefix: str) -> None:
    path = _task_path(alice.create_task(), prefix)
    for current in ('"1"', 'W/"1"', '"7", "1"', "*"):
        response = alice.client.get(path, headers={**alice.headers, "If-None-Match": current})
        assert (response.status_code, response.data) == (304, b""), current
        assert response.headers["ETag"] == '"1"'
    stale = alice.client.get(path, headers={**alice.headers, "If-None-Match": '"0"'})
    assert (stale.status_code, stale.headers["ETag"]) == (200, '"1"')


@pytest.mark.parametrize("prefix", ["", "/v1"])
def test_a_change_with_the_current_etag_answers_the_new_one(alice: Caller, prefix: str) -> None:
    path = _task_path(alice.create_task(), prefix)
    response = alice.client.patch(
        path, json={"name": "Renamed"}, headers={**alice.headers, "If-Match": '"1"'}
    )
    assert (response.status_code, response.headers["ETag"]) == (200, '"2"')
    assert alice.get(path).headers["ETag"] == '"2"'


def test_a_change_with_a_stale_etag_is_412_with_the_current_one(alice: Caller) -> None:
    path = _task_path(alice.create_task())
    alice.patch(path, json={"name": "Theirs"})
    for stale in ('"1"', 'W/"2"', "garbage", '"99999999999999999999999"'):
        response = alice.client.patch(
            path, json={"name": "Mine"}, headers={**alice.headers, "If-Match": stale}
        )
        error_of(response, 412)
        assert response.headers["ETag"] == '"2"', stale
    assert alice.get(path).get_json()["name"] == "Theirs"


def test_any_etag_matches_an_existing_task_but_not_a_missing_one(alice: Caller) -> None:
    path = _task_path(alice.create_task())
    star = {**alice.headers, "If-Match": "*"}
    assert alice.client.patch(path, json={"name": "Any"}, headers=star).status_code == 200
    assert alice.client.delete(path, headers=star).status_code == 204
    error_of(alice.client.delete(path, headers=star), 404)


def test_deleting_with_a_stale_etag_is_refused(alice: Caller) -> None:
    path = _task_path(alice.create_task())
    alice.patch(path, json={"name": "Moved on"})
    error_of(alice.client.delete(path, headers={**alice.headers, "If-Match": '"1"'}), 412)
    assert (
        alice.client.delete(path, headers={**alice.headers, "If-Match": '"2"'}).status_code == 204
    )


def test_assign_start_and_complete_honour_if_match(alice: Caller, bob: Caller) -> None:
    task = alice.create_task(deadline=in_an_hour())
    body = {"user_id": bob.user_id, "task_id": task["external_id"]}
    stale = {**alice.headers, "If-Match": '"0"'}
    assert error_of(alice.client.post("/tasks/assign_task", json=body, headers=stale), 412)
    assigned = alice.client.post(
        "/tasks/assign_task", json=body, headers={**alice.headers, "If-Match": '"1"'}
    )
    assert (assigned.status_code, assigned.headers["ETag"]) == (200, '"2"')
    for action, version in (("start_task", 2), ("complete_task", 3)):
        url = f"{_task_path(task)}/{action}"
        refused = bob.client.post(url, headers={**bob.headers, "If-Match": f'"{version - 1}"'})
        error_of(refused, 412)
        assert refused.headers["ETag"] == f'"{version}"'
        done = bob.client.post(url, headers={**bob.headers, "If-Match": f'"{version}"'})
        assert (done.status_code, done.headers["ETag"]) == (200, f'"{version + 1}"')


def test_an_etag_taken_before_the_sweep_failed_the_task_is_stale(
    alice: Caller, clock: MovableClock, container: Container
) -> None:
    path = _task_path(alice.create_task(deadline=in_an_hour()))
    taken = alice.get(path).headers["ETag"]
    clock.advance(timedelta(hours=2))
    assert container.expire_overdue()().failed == 1
    again = alice.client.get(path, headers={**alice.headers, "If-None-Match": taken})
    assert (again.status_code, again.get_json()["status"]) == (200, "failed")
    refused = alice.client.delete(path, headers={**alice.headers, "If-Match": taken})
    error_of(refused, 412)
    assert refused.headers["ETag"] == again.headers["ETag"] != taken


@pytest.mark.parametrize("path", ["/users/{id}", "/users/me", "/v1/users/me"])
def test_a_user_answers_an_etag_and_honours_if_none_match(alice: Caller, path: str) -> None:
    url = path.format(id=alice.user_id)
    response = alice.get(url)
    assert response.headers["ETag"] == '"1"'
    not_modified = alice.client.get(url, headers={**alice.headers, "If-None-Match": '"1"'})
    assert not_modified.status_code == 304


def test_user_changes_honour_if_match(alice: Caller, admin: Caller) -> None:
    path = f"/users/{alice.user_id}"
    renamed = alice.client.patch(
        path, json={"name": "Alice L."}, headers={**alice.headers, "If-Match": '"1"'}
    )
    assert (renamed.status_code, renamed.headers["ETag"]) == (200, '"2"')
    refused = alice.client.patch(
        path, json={"name": "Lost"}, headers={**alice.headers, "If-Match": '"1"'}
    )
    error_of(refused, 412)
    assert refused.headers["ETag"] == '"2"'
    error_of(admin.client.delete(path, headers={**admin.headers, "If-Match": '"1"'}), 412)
    assert (
        admin.client.delete(path, headers={**admin.headers, "If-Match": '"2"'}).status_code == 204
    )
