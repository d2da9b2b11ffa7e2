"""The client address the throttle counts comes from ``X-Forwarded-For`` only when the service
is told how many proxies in front of it to trust (``TRUSTED_PROXIES``); otherwise the header
is anybody's to forge."""

from __future__ import annotations

from dataclasses import replace

import pytest
from dependency_injector import providers
from flask.testing import FlaskClient

from entrypoints.container import Container
from entrypoints.http.app import create_app
from integration.api.support import PASSWORD, Caller

GUESSES = 12


def proxied_client(container: Container, trusted_proxies: int) -> FlaskClient:
    settings = replace(container.settings(), trusted_proxies=trusted_proxies)
    container.settings.override(providers.Object(settings))
    app = create_app(container)
    app.testing = True
    return app.test_client()


def guesses_each_from_a_forged_address(client: FlaskClient, email: str) -> list[int]:
    return [
        client.post(
            "/auth/login",
            json={"email": email, "password": "wrong guess"},
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        ).status_code
        for n in range(GUESSES)
    ]


@pytest.mark.parametrize("trusted_proxies", [0, 1])
def test_x_forwarded_for_counts_only_behind_trusted_proxies(
    container: Container, alice: Caller, trusted_proxies: int
) -> None:
    client = proxied_client(container, trusted_proxies)
    statuses = guesses_each_from_a_forged_address(client, alice.email)
    if trusted_proxies == 0:
        # One address (the peer's) whatever the header says: throttled as usual.
        assert statuses[-1] == 429, statuses
    else:
        # Each guess comes from another client behind the proxy: none is throttled...
        assert set(statuses) == {401}, statuses
        # ...and the proxy's own address is not counted against anyone.
        response = client.post(
            "/auth/login",
            json={"email": alice.email, "password": PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.7"},
        )
        assert response.status_code == 200
