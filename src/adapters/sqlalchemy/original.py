"""The original service's database, read as it stands, and ours, written in one transaction
(the ports of :mod:`application.importing`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Engine, insert, select, text

from adapters.sqlalchemy.tables import task_events, tasks, users
from application.importing import (
    ImportedTask,
    ImportedUser,
    OriginalTask,
    OriginalUser,
    Present,
)
from domain.status import TaskEventType

#: Rows written per statement: large enough to be quick, small enough to report progress.
BATCH: Final = 1000

_USERS: Final = text(
    "SELECT id, external_id, email, name, password, is_admin, is_superuser, created_at,"
    " updated_at, deleted FROM task_assigner_user ORDER BY id"
)
_TASKS: Final = text(
    "SELECT id, external_id, name, description, status, type, deadline, completed_at,"
    " created_at, updated_at, deleted, assigned_to_id FROM task_assigner_task ORDER BY id"
)


class OriginalDatabase:
    """Reads the original's user and task tables (only reads: one read-only transaction)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def users(self) -> Sequence[OriginalUser]:
        return [
            OriginalUser(
                id=row.id,
                external_id=row.external_id,
                email=row.email,
                name=row.name,
                password_hash=row.password,
                is_admin=row.is_admin,
                is_superuser=row.is_superuser,
                created_at=row.created_at,
                updated_at=row.updated_at,
                deleted=row.deleted,
            )
            for row in self._rows(_USERS)
        ]

    def tasks(self) -> Sequence[OriginalTask]:
        return [
            OriginalTask(
                id=row.id,
                external_id=row.external_id,
                name=row.name,
                description=row.description,
                status=row.status,
                type=row.type,
                deadline=row.deadline,
                completed_at=row.completed_at,
                created_at=row.created_at,
                updated_at=row.updated_at,
                deleted=row.deleted,
                assigned_to_id=row.assigned_to_id,
            )
            for row in self._rows(_TASKS)
        ]

    def _rows(self, query: Any) -> list[Any]:
        with self._engine.connect() as connection:
            connection.execute(text("SET TRANSACTION READ ONLY"))
            return list(connection.execute(query))


class SqlImportTarget:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def present(self) -> Present:
        with self._engine.connect() as connection:
            user_rows = connection.execute(
                select(
                    users.c.external_id, users.c.email_key, users.c.is_admin, users.c.deleted_at
                ).order_by(users.c.created_at, users.c.external_id)
            ).all()
            task_ids = connection.execute(select(tasks.c.external_id)).scalars().all()
        active = [row for row in user_rows if row.deleted_at is None]
        return Present(
            user_ids=frozenset(row.external_id for row in user_rows),
            task_ids=frozenset(task_ids),
            email_keys=frozenset(row.email_key for row in active),
            admins=tuple((row.external_id, row.email_key) for row in active if row.is_admin),
        )

    def write(
        self,
        new_users: Sequence[ImportedUser],
        new_tasks: Sequence[ImportedTask],
        now: datetime,
        progress: Callable[[int], None],
    ) -> None:
        with self._engine.begin() as connection:
            for batch in _batches([_user_row(user) for user in new_users]):
                connection.execute(insert(users), batch)
                progress(len(batch))
            for chunk in _batches(list(new_tasks)):
                connection.execute(insert(tasks), [_task_row(task) for task in chunk])
                connection.execute(insert(task_events), [_event_row(task, now) for task in chunk])
                progress(len(chunk))


def _batches(rows: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _user_row(user: ImportedUser) -> dict[str, Any]:
    return {
        "external_id": user.external_id,
        "email": user.email.value,
        "email_key": user.email.key,
        "name": user.name,
        "password_hash": user.password_hash,
        "is_admin": user.is_admin,
        "token_version": 0,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
        "deleted_at": user.deleted_at,
    }


def _task_row(task: ImportedTask) -> dict[str, Any]:
    return {
        "external_id": task.external_id,
        "name": task.name,
        "description": task.description,
        "type": task.type.value,
        "status": task.status.value,
        "deadline": task.deadline,
        "created_by": task.created_by,
        "assigned_to": task.assigned_to,
        "completed_at": task.completed_at,
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "deleted_at": task.deleted_at,
    }


def _event_row(task: ImportedTask, now: datetime) -> dict[str, Any]:
    return {
        "task_id": task.external_id,
        "type": TaskEventType.IMPORTED.value,
        "actor_id": None,  # the system
        "at": now,
        "from_status": None,
        "to_status": task.status.value,
        "changes": {},
    }
