"""The password rule, in one place: 8 to 72 bytes of UTF-8, because bcrypt reads no further
than 72, and text like any other (no NUL characters, no lone surrogates).

Longer passwords are refused rather than silently truncated. The hashers measure and encode a
password with :func:`password_bytes`, so that they read exactly what the rule measured."""

from __future__ import annotations

from typing import Final

from application.errors import InvalidInput
from domain.validation import unstorable

MIN_BYTES: Final = 8
MAX_BYTES: Final = 72
#: The rule as documentation shows it (API schemas, the command line).
PASSWORD_RULE: Final = f"{MIN_BYTES} to {MAX_BYTES} bytes (UTF-8)."


def password_bytes(password: str) -> bytes:
    """The bytes a hasher reads. A lone surrogate (a password that never passed the rule, at a
    login) is carried through rather than raising deep inside a request."""
    return password.encode("utf-8", errors="surrogatepass")


def check_password(password: str, field: str = "password") -> str:
    reason = unstorable(password)
    if reason is not None:
        raise InvalidInput({field: [f"{reason[:1].upper()}{reason[1:]}."]})
    size = len(password_bytes(password))
    if size < MIN_BYTES:
        raise InvalidInput({field: [f"Must be at least {MIN_BYTES} bytes long."]})
    if size > MAX_BYTES:
        raise InvalidInput({field: [f"Must be at most {MAX_BYTES} bytes long (UTF-8)."]})
    return password
