"""The strict dialect: ``/v2`` and the unprefixed paths (the ``/v2`` alias strips its prefix
before routing)."""

from __future__ import annotations

from typing import Final

from entrypoints.http.dialects import problems
from entrypoints.http.dialects.base import Dialect, Schemas
from entrypoints.http.dialects.parsers import StrictParser
from entrypoints.http.schemas import auth, common, history, tasks, users

STRICT: Final = Dialect(
    name="strict",
    prefix="",
    schemas=Schemas(
        register=auth.RegisterSchema,
        login=auth.LoginSchema,
        refresh=auth.RefreshSchema,
        token=auth.TokenSchema,
        user=users.UserSchema,
        user_page=users.UserPageSchema,
        user_create=users.UserCreateSchema,
        user_update=users.UserUpdateSchema,
        user_query=users.UserQuerySchema,
        task=tasks.TaskSchema,
        task_page=tasks.TaskPageSchema,
        task_message=tasks.TaskMessageSchema,
        task_create=tasks.TaskCreateSchema,
        task_update=tasks.TaskUpdateSchema,
        task_query=tasks.TaskQuerySchema,
        assign=tasks.AssignSchema,
        history_page=history.HistoryPageSchema,
        page_query=common.PageQuerySchema,
    ),
    parser=StrictParser(),
    body_location="json",
    error_schema=problems.ProblemSchema,
    error_media_type=problems.MEDIA_TYPE,
    render=problems.render,
)
