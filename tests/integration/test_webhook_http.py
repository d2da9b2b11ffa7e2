"""The HTTP side of webhooks: names resolved by the system, and calls that go to the address
that was checked, whatever the name says by then."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.webhook_http import HttpSender, SystemResolver
from application.webhooks.ports import Request
from integration.receiver import Receiver, running_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


def test_the_system_resolver_knows_loopback_and_nothing_of_invalid_names() -> None:
    assert "127.0.0.1" in SystemResolver().addresses("localhost", 80)
    assert SystemResolver().addresses("no-such-host.invalid", 443) == []
    assert SystemResolver().addresses("10.1.2.3", 443) == ["10.1.2.3"]


def test_a_call_goes_to_the_checked_address_not_to_what_the_name_resolves_to(
    receiver: Receiver,
) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    # The name resolves nowhere: the call can only have gone to the address it was given.
    url = f"http://hooks.invalid:{port}/hooks?x=1"
    request = Request(url, "127.0.0.1", {"webhook-id": "msg_1"}, '{"a": 1}', 5.0)

    response = HttpSender().send(request)

    assert response.status_code == 204
    assert response.error is None
    [received] = receiver.received
    assert received.body == '{"a": 1}'
    assert received.headers["Host"] == f"hooks.invalid:{port}"
    assert received.headers["webhook-id"] == "msg_1"


def test_a_receiver_that_is_not_there_is_an_error_not_an_exception() -> None:
    request = Request("http://127.0.0.1:9/hooks", "127.0.0.1", {}, "{}", 2.0)

    response = HttpSender().send(request)

    assert response.status_code is None
    assert response.error is not None
    assert "Connection" in response.error


def test_a_receiver_slower_than_the_timeout_is_cut_off(receiver: Receiver) -> None:
    receiver.delays = [3.0]
    request = Request(receiver.url, "127.0.0.1", {}, "{}", 0.5)

    response = HttpSender().send(request)

    assert response.status_code is None
    assert response.error is not None
    assert "timed out" in response.error
    assert response.duration_ms < 2500
