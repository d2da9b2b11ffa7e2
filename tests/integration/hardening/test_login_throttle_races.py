"""Wrong guesses sent all at once: the throttle admits and counts each in one atomic step, so
no more of them reach the password check than the throttle lets through one by one."""

from __future__ import annotations

import threading
import time
from collections import Counter

from dependency_injector import providers
from flask import Flask

from adapters.sqlalchemy.throttle import FREE_FAILURES
from entrypoints.container import Container
from integration.api.support import Caller
from integration.hardening.test_races import CONTENDERS, together


class SlowCountingHasher:
    """The real hasher, slowed down so that every guess is still checking its password when
    the others arrive; counts the checks it was asked for."""

    def __init__(self, real: object) -> None:
        self._real = real
        self._lock = threading.Lock()
        self.checks = 0

    def hash(self, password: str) -> str:
        return self._real.hash(password)  # type: ignore[attr-defined,no-any-return]

    def verify(self, password: str, password_hash: str | None) -> bool:
        with self._lock:
            self.checks += 1
        time.sleep(0.3)
        return self._real.verify(password, password_hash)  # type: ignore[attr-defined,no-any-return]

    def needs_rehash(self, password_hash: str) -> bool:
        return self._real.needs_rehash(password_hash)  # type: ignore[attr-defined,no-any-return]


def test_parallel_wrong_guesses_get_no_more_password_checks_than_allowed(
    app: Flask, container: Container, alice: Caller
) -> None:
    hasher = SlowCountingHasher(container.hasher())
    container.hasher.override(providers.Object(hasher))

    statuses = together(
        app,
        lambda client: client.post(
            "/auth/login", json={"email": alice.email, "password": "wrong guess"}
        ),
    )

    assert hasher.checks == FREE_FAILURES
    assert Counter(statuses) == {401: FREE_FAILURES, 429: CONTENDERS - FREE_FAILURES}
