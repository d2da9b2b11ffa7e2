"""bcrypt behind the :class:`application.ports.PasswordHasher` port."""

from __future__ import annotations

from functools import cached_property
from typing import Final

import bcrypt

from application.passwords import MAX_BYTES, password_bytes

MIN_ROUNDS: Final = 4
MAX_ROUNDS: Final = 31


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
        try:
            return bcrypt.checkpw(encoded, password_hash.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            # A stored value that is not a bcrypt hash: refuse rather than fail the request.
            return False

    @cached_property
    def _dummy_hash(self) -> bytes:
        """A hash of the configured cost, made once, to check against when there is none."""
        return bcrypt.hashpw(b"no account has this password", bcrypt.gensalt(self.rounds))

    def _spend_equal_effort(self, encoded: bytes) -> None:
        bcrypt.checkpw(encoded[:MAX_BYTES], self._dummy_hash)
