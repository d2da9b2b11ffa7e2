"""Every answer carries a request id, which every log line of the request carries too; what
the API counted is on /metrics, labelled by route template. (The access lines, and that no
secret reaches them, are the ops tests' part: gunicorn writes them.)"""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from dependency_injector import providers
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from entrypoints.container import Container
from entrypoints.http.app import create_app
from integration.api.support import Caller

ID = "X-Request-ID"


def samples(client: FlaskClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    text = response.get_data(as_text=True)
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(found: dict[Any, float], name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


class _Broken:
    def get(self, *_: Any) -> None:
        raise RuntimeError("boom")

    page = get


@pytest.fixture
def production_app(container: Container) -> Flask:
    """Errors handled as in production (a 500 answered, not raised into the test)."""
    container.task_queries.override(providers.Object(_Broken()))
    app = create_app(container)
    app.testing = False
    return app


class TestRequestIds:
    def test_a_sane_request_id_sent_in_comes_back(self, client: FlaskClient) -> None:
        response = client.get("/healthz", headers={ID: "edge-1f3a.b_c-9"})
        assert response.headers[ID] == "edge-1f3a.b_c-9"

    @pytest.mark.parametrize(
        "offered", ["", "with space", "semi;colon", "x" * 129, "é", "a\tb"], ids=repr
    )
    def test_anything_else_is_replaced_by_a_new_id(self, client: FlaskClient, offered: str) -> None:
        response = client.get("/healthz", headers={ID: offered})
        assert response.headers[ID] != offered
        assert len(response.headers[ID]) == 32
        int(response.headers[ID], 16)

    def test_every_answer_gets_one_of_its_own(self, client: FlaskClient) -> None:
        ids = {client.get("/healthz").headers[ID] for _ in range(3)}
        assert len(ids) == 3

    @pytest.mark.parametrize(
        ("method", "path", "status"),
        [("GET", "/no/such/route", 404), ("DELETE", "/healthz", 405), ("GET", "/tasks", 401)],
    )
    def test_error_answers_carry_it_too(
        self, client: FlaskClient, method: str, path: str, status: int
    ) -> None:
        response = client.open(path, method=method, headers={ID: "err-1"})
        assert (response.status_code, response.headers[ID]) == (status, "err-1")

    def test_a_500_carries_it_and_its_log_line_too(
        self, production_app: Flask, alice: Caller, json_log: io.StringIO
    ) -> None:
        response = production_app.test_client().get(
            "/tasks", headers={**alice.headers, ID: "crash-42"}
        )
        assert (response.status_code, response.headers[ID]) == (500, "crash-42")
        lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
        [error] = [line for line in lines if line["level"] == "ERROR"]
        assert error["request_id"] == "crash-42"
        assert "RuntimeError: boom" in error["exc_info"]  # the traceback, for ops only
        assert error["time"]
        assert "boom" not in response.get_data(as_text=True)

    def test_lines_logged_outside_a_request_have_no_request_id(
        self, client: FlaskClient, json_log: io.StringIO
    ) -> None:
        client.get("/healthz", headers={ID: "done-1"})
        logging.getLogger("after").warning("later")
        [line] = [json.loads(x) for x in json_log.getvalue().splitlines() if "later" in x]
        assert line["request_id"] is None


class TestMetrics:
    def test_requests_are_counted_by_route_template_method_and_status(
        self, client: FlaskClient, alice: Caller
    ) -> None:
        task_id = alice.post("/tasks", json={"name": "measured"}).get_json()["external_id"]
        before = samples(client)
        alice.get(f"/tasks/{task_id}")
        alice.get(f"/v2/tasks/{task_id}")  # the same route, under the alias
        client.get("/no/such/route")
        found = samples(client)

        route = "/tasks/<uuid:external_id>"
        counted = "task_assigner_http_requests_total"
        labels = {"method": "GET", "route": route, "status": "200"}
        assert value(found, counted, **labels) == value(before, counted, **labels) + 2
        unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
        assert value(found, counted, **unmatched) == value(before, counted, **unmatched) + 1
        timed = "task_assigner_http_request_duration_seconds_count"
        assert value(found, timed, method="GET", route=route) >= 2
        assert not any(task_id in dict(key[1]).get("route", "") for key in found)

    def test_tasks_by_status_and_the_queue_depth_are_read_when_scraped(
        self, client: FlaskClient, alice: Caller
    ) -> None:
        for name in ("one", "two"):
            alice.post("/tasks", json={"name": name})
        found = samples(client)
        assert value(found, "task_assigner_tasks", status="unassigned") == 2
        assert value(found, "task_assigner_tasks", status="completed") == 0
        assert ("task_assigner_tasks", frozenset({("status", "failed")})) in found
        assert value(found, "task_assigner_queue_depth", queue="task-assigner") == 0

    def test_metrics_need_no_token(self, client: FlaskClient) -> None:
        assert client.get("/metrics").status_code == 200
