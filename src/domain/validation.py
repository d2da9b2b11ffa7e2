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


def refuse_nul(field: str, value: str) -> str:
    """Refuse text a database cannot store: PostgreSQL rejects NUL characters in text, and
    lone surrogates are not valid UTF-8."""
    if "\x00" in value:
        raise InvalidValue(field, "must not contain NUL characters")
    if _SURROGATE.search(value):
        raise InvalidValue(field, "must be valid Unicode text")
    return value
