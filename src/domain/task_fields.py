"""The rules of a task's own fields: how long its text may be, and when it may be due."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from domain.errors import InvalidValue
from domain.status import TaskType
from domain.validation import require_aware_utc, require_storable, require_text

NAME_MAX_LENGTH: Final = 255
DESCRIPTION_MAX_LENGTH: Final = 10_000


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


def edited_fields(
    now: datetime,
    *,
    name: str | None,
    description: str | None,
    type: TaskType | None,
    deadline: datetime | None,
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
    return wanted
