"""The password rule: 8 to 72 bytes of UTF-8, because bcrypt reads no further than 72.

Longer passwords are refused rather than silently truncated."""

from __future__ import annotations

from typing import Final

from application.errors import InvalidInput

MIN_BYTES: Final = 8
MAX_BYTES: Final = 72


def check_password(password: str, field: str = "password") -> str:
    size = len(password.encode("utf-8", errors="surrogatepass"))
    if size < MIN_BYTES:
        raise InvalidInput({field: [f"Must be at least {MIN_BYTES} bytes long."]})
    if size > MAX_BYTES:
        raise InvalidInput({field: [f"Must be at most {MAX_BYTES} bytes long (UTF-8)."]})
    if "\x00" in password:
        raise InvalidInput({field: ["Must not contain NUL characters."]})
    return password
