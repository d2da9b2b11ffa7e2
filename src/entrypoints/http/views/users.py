# mypy: allow-untyped-decorators
"""Users: anyone authenticated reads; admins create and delete; people edit themselves."""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from flask.views import MethodView

from application.policy import Actor
from application.queries import GetUser, ListUsers
from application.users import CreateUser, DeleteUser, UpdateUser
from entrypoints.container import Container
from entrypoints.http.api import Blueprint
from entrypoints.http.dialects.base import Dialect
from entrypoints.http.idempotency import idempotent
from entrypoints.http.pages import LINK_HEADERS, paged
from entrypoints.http.preconditions import (
    ETAG_HEADERS,
    conditional_read,
    conditional_write,
    expected_version,
    shown,
    tagged,
)
from entrypoints.http.security import authenticated


@cache
def blueprint(dialect: Dialect) -> Blueprint:
    blp = Blueprint(
        "Users",
        __name__,
        dialect=dialect,
        url_prefix="/users",
        description="People and their statistics.",
    )
    schemas = dialect.schemas

    @blp.route("")
    class Users(MethodView):
        @authenticated(blp)
        @blp.arguments(schemas.user_query, location="query")
        @blp.response(200, schemas.user_page, headers=LINK_HEADERS)
        @inject
        def get(
            self,
            query: dict[str, Any],
            actor: Actor,
            list_users: ListUsers = Provide[Container.list_users],
        ) -> Any:
            """A page of users with their task statistics."""
            return paged(list_users(**query))

        @authenticated(blp)
        @idempotent(blp)
        @blp.arguments(schemas.user_create)
        @blp.response(201, schemas.user, headers=ETAG_HEADERS)
        @blp.errors(400, 403, 409, 413)
        @inject
        def post(
            self,
            body: dict[str, Any],
            actor: Actor,
            create_user: CreateUser = Provide[Container.create_user],
        ) -> Any:
            """Create a user (admins only)."""
            return tagged(create_user(actor, **body), status=201)

    @blp.route("/me")
    class Me(MethodView):
        @authenticated(blp)
        @blp.response(200, schemas.user, headers=ETAG_HEADERS)
        @conditional_read(blp)
        @inject
        def get(self, actor: Actor, get_user: GetUser = Provide[Container.get_user]) -> Any:
            """The caller, as ``GET /users/{external_id}`` shows them: who the token belongs to,
            without decoding it."""
            return shown(get_user(actor.user_id))

    @blp.route("/<uuid:external_id>")
    class UserDetail(MethodView):
        @authenticated(blp)
        @blp.response(200, schemas.user, headers=ETAG_HEADERS)
        @blp.errors(404)
        @conditional_read(blp)
        @inject
        def get(
            self, external_id: UUID, actor: Actor, get_user: GetUser = Provide[Container.get_user]
        ) -> Any:
            """One user with their task statistics; the ETag is the user's version."""
            return shown(get_user(external_id))

        @authenticated(blp)
        @blp.arguments(schemas.user_update)
        @blp.response(200, schemas.user, headers=ETAG_HEADERS)
        @blp.errors(400, 403, 404, 409, 413)
        @conditional_write(blp)
        @inject
        def patch(
            self,
            body: dict[str, Any],
            external_id: UUID,
            actor: Actor,
            update_user: UpdateUser = Provide[Container.update_user],
        ) -> Any:
            """Change name, email or password (that user or an admin); is_admin (admins only).
            A new password ends the user's existing tokens."""
            return tagged(
                update_user(actor, external_id, **body, expected_version=expected_version())
            )

        @authenticated(blp)
        @blp.response(204)
        @blp.errors(403, 404)
        @conditional_write(blp)
        @inject
        def delete(
            self,
            external_id: UUID,
            actor: Actor,
            delete_user: DeleteUser = Provide[Container.delete_user],
        ) -> None:
            """Delete a user (admins only). Their open tasks go back to unassigned (overdue ones
            fail); finished ones keep them for history; their tokens stop working at once."""
            delete_user(actor, external_id, expected_version=expected_version())

    return blp
