"""The original service's Django PBKDF2 hashes: they verify, and only their own password does."""

from __future__ import annotations

import base64
import hashlib

import pytest

from adapters.passwords import BcryptPasswordHasher

PASSWORD = "an old password"


def django_hash(password: str, salt: str = "QdJfpn3uu5Kd4vkmBaWv7L", iterations: int = 1000) -> str:
    """As Django's PBKDF2PasswordHasher encodes (its default digest length: SHA-256's)."""
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


@pytest.fixture
def hasher() -> BcryptPasswordHasher:
    return BcryptPasswordHasher(rounds=4)


def test_a_django_hash_verifies_its_password_and_nothing_else(hasher: BcryptPasswordHasher) -> None:
    stored = django_hash(PASSWORD)
    assert hasher.verify(PASSWORD, stored)
    assert not hasher.verify(PASSWORD + "!", stored)
    assert not hasher.verify("", stored)


def test_a_known_vector_verifies() -> None:
    """PBKDF2-HMAC-SHA256("password", "salt", 1 iteration), RFC 7914 §11's first vector,
    written as Django writes it."""
    digest = bytes.fromhex("120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
    stored = f"pbkdf2_sha256$1$salt${base64.b64encode(digest).decode()}"
    assert BcryptPasswordHasher(rounds=4).verify("password", stored)


@pytest.mark.parametrize(
    "stored",
    [
        "pbkdf2_sha256$1000$salt",  # a part missing
        "pbkdf2_sha256$many$salt$AAAA",  # iterations not a number
        "pbkdf2_sha256$0$salt$AAAA",  # no work at all
        "pbkdf2_sha256$99999999999$salt$AAAA",  # more work than a login may cost
        "pbkdf2_sha256$1000$salt$not base64!",
        "pbkdf2_sha256$1000$salt$",  # an empty digest
        "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA",  # another hasher
        "md5$salt$5f4dcc3b5aa765d61d8327deb882cf99",
    ],
)
def test_a_malformed_or_foreign_hash_is_a_plain_no(
    hasher: BcryptPasswordHasher, stored: str
) -> None:
    assert not hasher.verify(PASSWORD, stored)


def test_only_an_imported_hash_asks_to_be_replaced(hasher: BcryptPasswordHasher) -> None:
    assert hasher.needs_rehash(django_hash(PASSWORD))
    assert not hasher.needs_rehash(hasher.hash(PASSWORD))
