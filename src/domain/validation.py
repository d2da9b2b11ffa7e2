"""Small value rules shared by the aggregates."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.errors import InvalidValue


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
    """PostgreSQL cannot store NUL characters in text; refuse them as bad input."""
    if "\x00" in value:
        raise InvalidValue(field, "must not contain NUL characters")
    return value
