"""The bcrypt adapter: hashes verify, and every bad candidate is a plain "no"."""

from __future__ import annotations

import time

import bcrypt
import pytest

from adapters.passwords import BcryptPasswordHasher

PASSWORD = "correct horse battery"


@pytest.fixture
def hasher() -> BcryptPasswordHasher:
    return BcryptPasswordHasher(rounds=4)


def test_a_hash_verifies_its_password_and_nothing_else(hasher: BcryptPasswordHasher) -> None:
    stored = hasher.hash(PASSWORD)
    assert hasher.verify(PASSWORD, stored)
    assert not hasher.verify(PASSWORD + "!", stored)


def test_the_hash_is_bcrypt_at_the_configured_cost(hasher: BcryptPasswordHasher) -> None:
    stored = hasher.hash(PASSWORD)
    assert stored.startswith("$2b$04$")
    assert PASSWORD not in stored


def test_the_default_cost_is_twelve() -> None:
    assert BcryptPasswordHasher().rounds == 12


@pytest.mark.parametrize("rounds", [3, 32])
def test_a_cost_bcrypt_cannot_use_is_refused(rounds: int) -> None:
    with pytest.raises(ValueError, match="rounds"):
        BcryptPasswordHasher(rounds=rounds)


def test_no_stored_hash_means_no(hasher: BcryptPasswordHasher) -> None:
    assert hasher.verify(PASSWORD, None) is False


def test_no_stored_hash_still_does_bcrypt_work_of_the_same_cost() -> None:
    """An unknown account must cost about as much as a wrong password, so timing tells
    nothing. Compared at a cost where bcrypt dominates: a missing hash that skipped the
    work would be orders of magnitude faster."""
    hasher = BcryptPasswordHasher(rounds=10)
    stored = hasher.hash(PASSWORD)
    hasher.verify("warm up the dummy hash", None)

    def timed(candidate_hash: str | None) -> float:
        start = time.perf_counter()
        hasher.verify("wrong password", candidate_hash)
        return time.perf_counter() - start

    wrong = min(timed(stored) for _ in range(3))
    unknown = min(timed(None) for _ in range(3))
    assert unknown > wrong / 3


def test_the_dummy_hash_has_the_configured_cost(hasher: BcryptPasswordHasher) -> None:
    hasher.verify(PASSWORD, None)
    assert hasher._dummy_hash.startswith(b"$2b$04$")


def test_a_password_over_72_bytes_is_a_no_not_an_error(hasher: BcryptPasswordHasher) -> None:
    stored = hasher.hash("x" * 72)
    assert hasher.verify("x" * 73, stored) is False
    assert hasher.verify("é" * 40, None) is False


def test_hashing_a_password_over_72_bytes_is_refused(hasher: BcryptPasswordHasher) -> None:
    with pytest.raises(ValueError, match="72"):
        hasher.hash("é" * 37)


def test_seventy_two_bytes_are_all_significant(hasher: BcryptPasswordHasher) -> None:
    stored = hasher.hash("a" * 71 + "b")
    assert not hasher.verify("a" * 72, stored)


def test_a_stored_value_that_is_not_a_bcrypt_hash_is_a_no(hasher: BcryptPasswordHasher) -> None:
    assert hasher.verify(PASSWORD, "not-a-hash") is False
    assert hasher.verify(PASSWORD, "ünïcode") is False


def test_a_lone_surrogate_neither_crashes_hash_nor_verify(hasher: BcryptPasswordHasher) -> None:
    odd = "pass\ud800word"
    stored = hasher.hash(odd)
    assert hasher.verify(odd, stored)
    assert not hasher.verify("password", stored)


def test_hashes_made_elsewhere_with_bcrypt_verify(hasher: BcryptPasswordHasher) -> None:
    stored = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(5)).decode()
    assert hasher.verify(PASSWORD, stored)
