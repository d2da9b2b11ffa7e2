"""The original's dialect, under ``/v1``, where the original served its clients."""

from __future__ import annotations

from typing import Final

from entrypoints.http.dialects import drf
from entrypoints.http.dialects.base import Dialect, Schemas
from entrypoints.http.dialects.parsers import LenientParser
from entrypoints.http.schemas import auth
from entrypoints.http.schemas.original import bodies, queries, shapes

ORIGINAL: Final = Dialect(
    name="original",
    prefix="/v1",
    schemas=Schemas(
        register=bodies.RegisterSchema,
        login=bodies.LoginSchema,
        refresh=bodies.RefreshSchema,
        token=auth.TokenSchema,
        user=shapes.UserSchema,
        user_page=shapes.UserPageSchema,
        user_create=bodies.UserCreateSchema,
        user_update=bodies.UserUpdateSchema,
        user_query=queries.UserQuerySchema,
        task=shapes.TaskSchema,
        task_page=shapes.TaskPageSchema,
        task_message=shapes.TaskMessageSchema,
        task_create=bodies.TaskCreateSchema,
        task_update=bodies.TaskUpdateSchema,
        task_query=queries.TaskQuerySchema,
        assign=bodies.AssignSchema,
        history_page=shapes.HistoryPageSchema,
        page_query=queries.PageQuerySchema,
    ),
    parser=LenientParser(),
    body_location="json_or_form",
    error_schema=drf.DrfErrorSchema,
    error_media_type=drf.MEDIA_TYPE,
    render=drf.render,
)
