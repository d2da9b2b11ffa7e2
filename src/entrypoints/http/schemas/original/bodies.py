"""What the original's clients send: the strict bodies, worded as DRF worded its problems,
with the original's limits (a user's name: 80 characters) and its email check.

Unknown and read-only fields are ignored by the dialect's parser, so a client may send back
what it read. A task's ``status`` may be sent, as the original's clients moved tasks that way.
"""

from __future__ import annotations

from typing import Any, Final

from marshmallow import post_load, validate

from domain.status import TaskStatus, TaskType
from domain.user import EMAIL_MAX_LENGTH
from entrypoints.http.schemas import auth, tasks, users
from entrypoints.http.schemas.fields import Text, UtcDateTime
from entrypoints.http.schemas.original.wording import EMAIL, Choice, Worded

#: The original's limit on a user's name (ours is longer: a /v1 client never sends more).
NAME_MAX_LENGTH: Final = 80
_NAME = validate.Length(max=NAME_MAX_LENGTH)
_EMAIL = [validate.Length(max=EMAIL_MAX_LENGTH), EMAIL]


class RegisterSchema(Worded, auth.RegisterSchema):
    email = Text(required=True, validate=_EMAIL)
    name = Text(required=True, validate=_NAME)


class LoginSchema(Worded, auth.LoginSchema):
    email = Text(required=True, validate=[validate.Length(min=3), EMAIL])


class RefreshSchema(Worded, auth.RefreshSchema):
    pass


class UserCreateSchema(Worded, users.UserCreateSchema):
    email = Text(required=True, validate=_EMAIL)
    name = Text(required=True, validate=_NAME)


class UserUpdateSchema(Worded, users.UserUpdateSchema):
    email = Text(validate=_EMAIL)
    name = Text(validate=_NAME)


class TaskCreateSchema(Worded, tasks.TaskCreateSchema):
    type = Choice(TaskType, load_default=TaskType.NORMAL)


class TaskUpdateSchema(Worded, tasks.TaskUpdateSchema):
    """A ``status`` moves the task (``in_progress``: start, ``completed``: complete). A
    ``deadline`` of null, as a task without one reads, changes nothing."""

    type = Choice(TaskType)
    status = Choice(TaskStatus)
    deadline = UtcDateTime(allow_none=True, metadata=tasks.DEADLINE)

    @post_load
    def unchanged_deadline(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if data.get("deadline", ...) is None:
            del data["deadline"]
        return data


class AssignSchema(Worded, tasks.AssignSchema):
    pass
