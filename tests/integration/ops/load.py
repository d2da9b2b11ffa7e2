"""Load on running `task-assigner serve` instances (what came of it: :mod:`integration.ops.fates`).

A few threads, each signed in as a person of its own, create tasks due 1-3 s later through the
APIs in turn; a third of the tasks are assigned and completed at once, a third only assigned,
a third left alone, so that two thirds fall due while the load goes on. Every answer that is
not the expected one is kept as an error: the tests want none.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt

from integration.ops.support import Service, Start, wait_until

PASSWORD = "a good password"
#: When tasks fall due: seconds after their creation.
DUE_IN = (1.0, 3.0)
#: Between two tasks of one thread: enough load for the machine these tests share.
PAUSE_SECONDS = 0.03
#: Completing an overdue task fails it instead (409): rare, and as good as an expiry.
COMPLETE_ANSWERS = {200: "completed", 409: "failed"}


@dataclass
class Api:
    """A `task-assigner serve` process and the address it answers on."""

    service: Service
    url: str


def serve(start: Start, env: dict[str, str], port: int, web_workers: int = 2) -> Api:
    """Start ``task-assigner serve`` on ``port``; returns once it answers."""
    settings = {"HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": str(web_workers)}
    api = Api(start("serve", env={**env, **settings}), f"http://127.0.0.1:{port}")
    wait_until(lambda: _answers(api), 30, f"the API on port {port} to answer")
    return api


def _answers(api: Api) -> bool:
    assert api.service.process.poll() is None, f"the API exited:\n{api.service.output()}"
    try:
        return httpx.get(f"{api.url}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Person:
    user_id: str
    headers: dict[str, str]


def sign_up(api_url: str, n: int) -> Person:
    body = {"email": f"load{n}@example.com", "name": f"Load {n}", "password": PASSWORD}
    response = httpx.post(f"{api_url}/auth/register", json={**body, "password2": PASSWORD})
    assert response.status_code == 201, response.text
    access = response.json()["token"]["access"]
    claims = jwt.decode(access, options={"verify_signature": False})
    return Person(str(claims["sub"]), {"Authorization": f"Bearer {access}"})


@dataclass
class Load:
    """Runs in threads until :meth:`finish`; :meth:`retire` drains an API, as a load balancer
    does before an instance stops: no new work goes there, and the work under way ends."""

    apis: list[str]
    people: list[Person]
    deadlines: dict[str, datetime] = field(default_factory=dict)
    completed: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    answered: dict[str, int] = field(default_factory=dict)
    _busy: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def begin(self) -> None:
        for person in self.people:
            thread = threading.Thread(target=self._run, args=(person,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def retire(self, api_url: str) -> None:
        with self._lock:
            self.apis.remove(api_url)
        wait_until(lambda: not self._busy.get(api_url), 10, f"the work on {api_url} to end")

    def finish(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self, person: Person) -> None:
        chance = random.Random(person.user_id)  # a spread of cases, repeatable
        with httpx.Client(timeout=10) as client:
            turn = 0
            while not self._stop.is_set():
                with self._lock:
                    api = self.apis[turn % len(self.apis)]
                    self._busy[api] = self._busy.get(api, 0) + 1
                turn += 1
                try:
                    self._one_task(client, api, person, turn % 3, chance.uniform(*DUE_IN))
                except (httpx.HTTPError, AssertionError) as error:
                    with self._lock:
                        self.errors.append(f"{api}: {error!r}")
                finally:
                    with self._lock:
                        self._busy[api] -= 1
                time.sleep(PAUSE_SECONDS)

    def _one_task(
        self, client: httpx.Client, api: str, person: Person, case: int, due_in: float
    ) -> None:
        deadline = datetime.now(UTC) + timedelta(seconds=due_in)
        task = self._call(client, api, person, "/tasks", 201, name="load", deadline=deadline)
        task_id = task["external_id"]
        with self._lock:
            self.deadlines[task_id] = datetime.fromisoformat(task["deadline"])
        if case == 2:
            return
        self._call(
            client, api, person, "/tasks/assign_task", 200, task_id=task_id, user_id=person.user_id
        )
        if case == 1:
            return
        response = client.post(f"{api}/tasks/{task_id}/complete_task", headers=person.headers)
        assert response.status_code in COMPLETE_ANSWERS, f"{response.status_code} {response.text}"
        self._count(api)
        if COMPLETE_ANSWERS[response.status_code] == "completed":
            with self._lock:
                self.completed.add(task_id)

    def _call(
        self, client: httpx.Client, api: str, person: Person, path: str, status: int, **body: Any
    ) -> Any:
        json = {key: value.isoformat() if isinstance(value, datetime) else value
                for key, value in body.items()}  # fmt: skip
        response = client.post(f"{api}{path}", json=json, headers=person.headers)
        assert response.status_code == status, (
            f"POST {path}: {response.status_code} {response.text}"
        )
        self._count(api)
        return response.json().get("task", response.json())

    def _count(self, api: str) -> None:
        with self._lock:
            self.answered[api] = self.answered.get(api, 0) + 1
