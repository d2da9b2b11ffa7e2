"""Small value rules shared by the aggregates."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Final

from domain.errors import InvalidValue

#: Lone surrogates (from JSON escapes such as "\ud800") cannot be encoded as UTF-8, so no
#: database can store them; refusing them here keeps them a validation error, not a crash.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def require_aware_utc(field: str, value: datetime) -> datetime:
    """Return ``value`` in UTC; naive datetimes are refused rather than guessed at."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValue(field, "must include a time zone")
    return value.astimezone(UTC)


def require_text(field: str, value: str, *, max_length: int) -> str:
    """Return ``value`` stripped; blank or over-long text is refused."""
    value = value.strip()
    if not value:
        raise InvalidValue(field, "must not be blank")
    if len(value) > max_length:
        raise InvalidValue(field, f"must be at most {max_length} characters")
    return value


def unstorable(value: str) -> str | None:
    """Why no database can store ``value`` as text, or None when one can: PostgreSQL rejects
    NUL characters in text, and lone surrogates are not valid UTF-8."""
    if "\x00" in value:
        return "must not contain NUL characters"
    if _SURROGATE.search(value):
        return "must be valid Unicode text"
    return None


def require_storable(field: str, value: str) -> str:
    """Return ``value`` if a database can store it as text; refuse it otherwise."""
    reason = unstorable(value)
    if reason is not None:
        raise InvalidValue(field, reason)
    return value
