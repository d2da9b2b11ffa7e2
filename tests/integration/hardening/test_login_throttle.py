"""Guessing one account's password is slowed down (429 + Retry-After), but the delay is capped:
an attacker hammering the account cannot keep its owner out for long."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from integration.api.support import PASSWORD, Caller, MovableClock, SignUp, error_of

#: Longest wait the owner may face, however many guesses were made (the throttle's cap).
LONGEST_LOCKOUT_SECONDS = 60


def login(client: FlaskClient, email: str, password: str) -> tuple[int, int | None]:
    response = client.post("/auth/login", json={"email": email, "password": password})
    wait = response.headers.get("Retry-After")
    if response.status_code == 429:
        error_of(response, 429)
        assert wait is not None, response.headers
        assert wait.isdigit(), wait
    return response.status_code, int(wait) if wait else None


def test_repeated_failures_are_throttled_with_retry_after(alice: Caller) -> None:
    statuses = [login(alice.client, alice.email, "wrong guess")[0] for _ in range(12)]
    assert statuses[0] == 401
    assert 429 in statuses, statuses
    # Once throttled, even the right password waits: the throttle does not leak a hint.
    status, wait = login(alice.client, alice.email, PASSWORD)
    assert status == 429
    assert wait is not None
    assert 0 < wait <= LONGEST_LOCKOUT_SECONDS


def test_the_owner_gets_in_after_the_delay_even_after_a_long_attack(
    alice: Caller, clock: MovableClock
) -> None:
    waits, guesses = [], 0
    while guesses < 25:  # wrong guesses, each made as soon as the throttle allows it
        status, wait = login(alice.client, alice.email, "wrong guess")
        if status == 429:
            assert wait is not None
            waits.append(wait)
            clock.advance(timedelta(seconds=wait))
        else:
            assert status == 401
            guesses += 1
    assert waits, "the attack was never slowed down"
    assert max(waits) <= LONGEST_LOCKOUT_SECONDS

    status, wait = login(alice.client, alice.email, PASSWORD)
    assert status == 429
    assert wait is not None
    clock.advance(timedelta(seconds=wait))
    assert login(alice.client, alice.email, PASSWORD)[0] == 200
    # ...and a success forgets the failures: the next typo is a plain 401, no wait.
    assert login(alice.client, alice.email, "one typo")[0] == 401


def test_throttling_one_account_leaves_the_others_alone(
    alice: Caller, sign_up: SignUp, client: FlaskClient
) -> None:
    for _ in range(12):
        login(client, alice.email, "wrong guess")
    assert login(client, alice.email, PASSWORD)[0] == 429
    bob = sign_up("Bob", "bob@example.com")
    assert login(client, bob.email, PASSWORD)[0] == 200


def login_from(client: FlaskClient, address: str, email: str, password: str, **headers: str) -> int:
    response = client.post(
        "/auth/login",
        json={"email": email, "password": password},
        headers=headers,
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code


ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


def test_someone_elses_failures_do_not_lock_the_owner_out(
    alice: Caller, client: FlaskClient
) -> None:
    statuses = [login_from(client, ATTACKER, alice.email, "wrong guess") for _ in range(12)]
    assert statuses[-1] == 429
    assert login_from(client, OWNER, alice.email, PASSWORD) == 200


def test_one_address_trying_many_accounts_is_throttled(
    sign_up: SignUp, client: FlaskClient
) -> None:
    bob = sign_up("Bob", "bob@example.com")
    statuses = [login_from(client, ATTACKER, f"victim{n}@example.com", PASSWORD) for n in range(40)]
    assert statuses[0] == 401
    assert statuses[-1] == 429, statuses
    # Even a right password waits at that address, before any password work...
    assert login_from(client, ATTACKER, bob.email, PASSWORD) == 429
    # ...while everybody else logs in as usual.
    assert login_from(client, OWNER, bob.email, PASSWORD) == 200
