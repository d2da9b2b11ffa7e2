"""bcrypt behind the :class:`application.ports.PasswordHasher` port; the original service's
Django PBKDF2 hashes are verified too, so that imported accounts keep their passwords until
their first login replaces the hash by a bcrypt one."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from functools import cached_property
from typing import Final

import bcrypt

from application.passwords import MAX_BYTES, password_bytes

MIN_ROUNDS: Final = 4
MAX_ROUNDS: Final = 31
#: Django's ``PBKDF2PasswordHasher``: ``pbkdf2_sha256$<iterations>$<salt>$<base64 digest>``.
DJANGO_PBKDF2: Final = "pbkdf2_sha256"
#: More iterations than any Django release uses: a stored hash asking for more is refused
#: rather than let it cost a login minutes of work.
MAX_PBKDF2_ITERATIONS: Final = 10_000_000
_BCRYPT_PREFIXES: Final = ("$2a$", "$2b$", "$2y$")


def django_pbkdf2_matches(password: bytes, password_hash: str) -> bool | None:
    """Whether ``password`` matches a Django PBKDF2 hash; None when it is not one."""
    algorithm, _, rest = password_hash.partition("$")
    if algorithm != DJANGO_PBKDF2:
        return None
    parts = rest.split("$")
    if len(parts) != 3 or not parts[0].isdigit():
        return False
    iterations, salt, digest = int(parts[0]), parts[1], parts[2]
    if not 0 < iterations <= MAX_PBKDF2_ITERATIONS:
        return False
    try:
        expected = base64.b64decode(digest, validate=True)
    except (binascii.Error, ValueError):
        return False
    if not expected:
        return False
    computed = hashlib.pbkdf2_hmac("sha256", password, salt.encode(), iterations, len(expected))
    return hmac.compare_digest(computed, expected)


class BcryptPasswordHasher:
    """Hashes with bcrypt at a configurable cost (12 by default; tests use the minimum, 4).

    ``verify`` never raises for a bad candidate: a password bcrypt cannot take, an unknown
    account or an unreadable stored hash are all just "no" — after the same amount of bcrypt
    work, so that the answer's timing does not tell an unknown email from a wrong password.
    """

    def __init__(self, rounds: int = 12) -> None:
        if not MIN_ROUNDS <= rounds <= MAX_ROUNDS:
            raise ValueError(f"bcrypt rounds must be between {MIN_ROUNDS} and {MAX_ROUNDS}.")
        self.rounds = rounds

    def hash(self, password: str) -> str:
        """bcrypt reads no further than MAX_BYTES (bcrypt 5 raises instead of truncating); this
        raises ValueError for longer passwords, which the use cases refuse first."""
        encoded = password_bytes(password)
        if len(encoded) > MAX_BYTES:
            raise ValueError(f"Passwords longer than {MAX_BYTES} bytes are refused.")
        return bcrypt.hashpw(encoded, bcrypt.gensalt(self.rounds)).decode("ascii")

    def verify(self, password: str, password_hash: str | None) -> bool:
        encoded = password_bytes(password)
        if password_hash is None or len(encoded) > MAX_BYTES:
            self._spend_equal_effort(encoded)
            return False
        imported = django_pbkdf2_matches(encoded, password_hash)
        if imported is not None:
            return imported
        try:
            return bcrypt.checkpw(encoded, password_hash.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            # A stored value that is not a bcrypt hash: refuse rather than fail the request.
            return False

    def recognizes(self, password_hash: str) -> bool:
        """Whether a login can verify against this hash: bcrypt's, or Django's PBKDF2."""
        return password_hash.startswith(_BCRYPT_PREFIXES) or self.needs_rehash(password_hash)

    def needs_rehash(self, password_hash: str) -> bool:
        """An imported hash is replaced by a bcrypt one at the first login that matches it."""
        return password_hash.startswith(DJANGO_PBKDF2 + "$")

    @cached_property
    def _dummy_hash(self) -> bytes:
        """A hash of the configured cost, made once, to check against when there is none."""
        return bcrypt.hashpw(b"no account has this password", bcrypt.gensalt(self.rounds))

    def _spend_equal_effort(self, encoded: bytes) -> None:
        bcrypt.checkpw(encoded[:MAX_BYTES], self._dummy_hash)
