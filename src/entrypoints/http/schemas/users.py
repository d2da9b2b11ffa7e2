"""The User resource: what is shown of a user, and what may be sent to create or change one."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, pre_dump, validate

from application.passwords import PASSWORD_RULE
from application.read_models import UserFilter, UserStats, UserView
from domain.user import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH
from entrypoints.http.schemas.common import SEARCH, ListQuerySchema, page_of
from entrypoints.http.schemas.fields import Text, UtcDateTime
from entrypoints.http.schemas.representation import Representation


class UserMetaSchema(Representation):
    """The original exposed Django's three flags; here they all mean "is an admin"."""

    is_admin = fields.Boolean(required=True)
    is_staff = fields.Boolean(required=True)
    is_superuser = fields.Boolean(required=True)


class UserSchema(Representation):
    external_id = fields.UUID(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    completion_percentage = fields.Float(
        required=True, metadata={"description": "completed / assigned * 100, 2 decimals."}
    )
    total_tasks_assigned = fields.Integer(required=True)
    total_tasks_completed = fields.Integer(required=True)
    total_tasks_in_progress = fields.Integer(required=True)
    total_tasks_failed = fields.Integer(required=True)
    meta = fields.Nested(UserMetaSchema, required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)

    @pre_dump
    def flatten(self, user: UserView, **_: Any) -> dict[str, Any]:
        stats = user.stats
        return {
            "external_id": user.external_id,
            "email": user.email,
            "name": user.name,
            "completion_percentage": self.percentage(stats),
            "total_tasks_assigned": stats.assigned,
            "total_tasks_completed": stats.completed,
            "total_tasks_in_progress": stats.in_progress,
            "total_tasks_failed": stats.failed,
            "meta": dict.fromkeys(("is_admin", "is_staff", "is_superuser"), user.is_admin),
            "created_at": user.created_at,
            "updated_at": user.updated_at,
        }

    def percentage(self, stats: UserStats) -> float:
        return stats.completion_percentage


UserPageSchema = page_of(UserSchema, "UserPage", cursors=True)


class UserCreateSchema(Schema):
    email = Text(required=True, validate=validate.Length(max=EMAIL_MAX_LENGTH))
    name = Text(required=True, validate=validate.Length(max=NAME_MAX_LENGTH))
    password = Text(required=True, metadata={"description": PASSWORD_RULE})


class UserUpdateSchema(Schema):
    """Only the fields sent change. ``is_admin`` is for admins only."""

    email = Text(validate=validate.Length(max=EMAIL_MAX_LENGTH))
    name = Text(validate=validate.Length(max=NAME_MAX_LENGTH))
    password = Text(metadata={"description": f"{PASSWORD_RULE} Ends existing tokens."})
    is_admin = fields.Boolean()


class UserQuerySchema(ListQuerySchema):
    external_id = fields.UUID(metadata={"description": "Only the user with this id."})
    search = Text(
        validate=SEARCH,
        metadata={"description": "Only users whose name or email contains this (any case)."},
    )

    def filters(self, data: dict[str, Any]) -> dict[str, Any]:
        where = UserFilter(external_id=data.get("external_id"), search=data.get("search"))
        return {"where": where}
