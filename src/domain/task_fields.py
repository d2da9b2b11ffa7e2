"""The rules of a task's own fields: how long its text may be, and when it may be due."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from domain.errors import InvalidValue
from domain.status import TaskType
from domain.validation import require_aware_utc, require_storable, require_text

NAME_MAX_LENGTH: Final = 255
DESCRIPTION_MAX_LENGTH: Final = 10_000
#: How long before its deadline a task may ask to be reminded, at most: a week. The reminder
#: sweep reads the deadlines of the coming week only, so this bound keeps it cheap.
REMIND_BEFORE_MAX_SECONDS: Final = 7 * 24 * 3600


def valid_name(name: str) -> str:
    return require_storable("name", require_text("name", name, max_length=NAME_MAX_LENGTH))


def valid_description(description: str) -> str:
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise InvalidValue("description", f"must be at most {DESCRIPTION_MAX_LENGTH} characters")
    return require_storable("description", description)


def future_deadline(deadline: datetime | None, now: datetime) -> datetime | None:
    """A deadline is aware UTC and lies ahead when it is set (None: no deadline)."""
    if deadline is None:
        return None
    deadline = require_aware_utc("deadline", deadline)
    if deadline <= now:
        raise InvalidValue("deadline", "must be in the future")
    return deadline


def valid_remind_before(seconds: int | None) -> int | None:
    """Seconds before the deadline to remind (None: the service's default)."""
    if seconds is not None and not 1 <= seconds <= REMIND_BEFORE_MAX_SECONDS:
        raise InvalidValue(
            "remind_before_seconds", f"must be between 1 and {REMIND_BEFORE_MAX_SECONDS}"
        )
    return seconds


def edited_fields(
    now: datetime,
    *,
    name: str | None,
    description: str | None,
    type: TaskType | None,
    deadline: datetime | None,
    remind_before_seconds: int | None = None,
) -> dict[str, object]:
    """The fields an edit gives (None: left as it is), each checked by its rule."""
    wanted: dict[str, object] = {}
    if name is not None:
        wanted["name"] = valid_name(name)
    if description is not None:
        wanted["description"] = valid_description(description)
    if type is not None:
        wanted["type"] = type
    if deadline is not None:
        wanted["deadline"] = future_deadline(deadline, now)
    if remind_before_seconds is not None:
        wanted["remind_before_seconds"] = valid_remind_before(remind_before_seconds)
    return wanted
