"""Copying the original service's users and tasks into ours (``task-assigner import-original``).

The rules of the copy live here; reading the original's database and writing ours are ports.
A row is copied as it is or reported, never guessed at: an address that is not one, a status
or type we do not have, an assignee the original does not hold. Rows already here (by
``external_id``) are left alone, so a second run changes nothing. Every task gets one
``imported`` history event whose actor is the system. The original records no creator: each
task is owned by one admin (``--owner``, by default the earliest admin), since an admin may
already do everything a creator may, so the choice gives no one a right they lacked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.errors import InvalidValue
from domain.status import TaskStatus, TaskType
from domain.task_fields import valid_description
from domain.task_fields import valid_name as valid_task_name
from domain.user import Email, valid_name


@dataclass(frozen=True, slots=True)
class OriginalUser:
    """A row of the original's user table, as it stands."""

    id: int
    external_id: UUID
    email: str
    name: str
    password_hash: str
    is_admin: bool
    is_superuser: bool
    created_at: datetime
    updated_at: datetime
    deleted: bool


@dataclass(frozen=True, slots=True)
class OriginalTask:
    id: int
    external_id: UUID
    name: str
    description: str
    status: str
    type: str
    deadline: datetime | None
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    deleted: bool
    assigned_to_id: int | None


@dataclass(frozen=True, slots=True)
class ImportedUser:
    external_id: UUID
    email: Email
    name: str
    password_hash: str
    is_admin: bool
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


@dataclass(frozen=True, slots=True)
class ImportedTask:
    external_id: UUID
    name: str
    description: str
    status: TaskStatus
    type: TaskType
    deadline: datetime | None
    completed_at: datetime | None
    created_by: UUID
    assigned_to: UUID | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


@dataclass(frozen=True, slots=True)
class Misfit:
    """A source row that was not copied, and why."""

    table: str
    id: int
    external_id: UUID
    reason: str


@dataclass(frozen=True, slots=True)
class Present:
    """What the target already holds."""

    user_ids: frozenset[UUID]
    task_ids: frozenset[UUID]
    #: The address keys of its active users (an address must stay unique among them).
    email_keys: frozenset[str]
    #: Its active admins, earliest first, with their address keys.
    admins: tuple[tuple[UUID, str], ...]


@dataclass(slots=True)
class ImportReport:
    users: list[ImportedUser] = field(default_factory=list)
    tasks: list[ImportedTask] = field(default_factory=list)
    misfits: list[Misfit] = field(default_factory=list)
    users_already_here: int = 0
    tasks_already_here: int = 0
    #: Addresses of copied users whose password hash no scheme of ours verifies.
    foreign_hashes: list[str] = field(default_factory=list)
    owner: UUID | None = None
    written: bool = False

    @property
    def changes_nothing(self) -> bool:
        return not self.users and not self.tasks


class OriginalSource(Protocol):
    def users(self) -> Sequence[OriginalUser]: ...

    def tasks(self) -> Sequence[OriginalTask]: ...


class ImportTarget(Protocol):
    def present(self) -> Present: ...

    def write(
        self,
        users: Sequence[ImportedUser],
        tasks: Sequence[ImportedTask],
        now: datetime,
        progress: Callable[[int], None],
    ) -> None:
        """Everything in one transaction, each task with its ``imported`` event at ``now``;
        ``progress`` is told how many rows were written since it was last told."""
        ...


class HashSchemes(Protocol):
    def recognizes(self, password_hash: str) -> bool:
        """Whether a login could verify a password against ``password_hash``."""
        ...


class TargetNotEmpty(Exception):
    """The target holds users or tasks the original does not: merge only when told to."""

    def __init__(self, users: int, tasks: int) -> None:
        super().__init__(
            f"The database already holds {users} users and {tasks} tasks that the original "
            "does not; pass --merge to add the original's beside them."
        )


class NoOwner(Exception):
    def __init__(self, wanted: str | None) -> None:
        super().__init__(
            f"No active admin has the address {wanted!r}."
            if wanted
            else "The original's tasks need an owner, and there is no admin to own them: "
            "import one (the original's admins come along) or create one with create-admin."
        )


class ImportOriginal:
    def __init__(
        self,
        source: OriginalSource,
        target: ImportTarget,
        schemes: HashSchemes,
        now: Callable[[], datetime],
    ) -> None:
        self._source = source
        self._target = target
        self._schemes = schemes
        self._now = now

    def plan(self, *, merge: bool, owner: str | None = None) -> ImportReport:
        """What a run would copy and report, writing nothing."""
        present = self._target.present()
        source_users, source_tasks = self._source.users(), self._source.tasks()
        foreign_users = present.user_ids - {user.external_id for user in source_users}
        foreign_tasks = present.task_ids - {task.external_id for task in source_tasks}
        if (foreign_users or foreign_tasks) and not merge:
            raise TargetNotEmpty(len(foreign_users), len(foreign_tasks))
        report = ImportReport()
        by_id = self._plan_users(source_users, present, report)
        report.owner = self._owner(owner, present, report.users)
        self._plan_tasks(source_tasks, present, by_id, report)
        return report

    def __call__(
        self,
        *,
        merge: bool,
        dry_run: bool,
        owner: str | None = None,
        progress: Callable[[int], None] = lambda _: None,
    ) -> ImportReport:
        report = self.plan(merge=merge, owner=owner)
        if not dry_run and not report.changes_nothing:
            self._target.write(report.users, report.tasks, self._now(), progress)
            report.written = True
        return report

    def _plan_users(
        self, rows: Sequence[OriginalUser], present: Present, report: ImportReport
    ) -> dict[int, UUID]:
        """Plans the users; answers every copyable original id (copied now or before)."""
        by_id: dict[int, UUID] = {}
        taken = set(present.email_keys)
        for row in rows:
            if row.external_id in present.user_ids:
                report.users_already_here += 1
                by_id[row.id] = row.external_id
                continue
            try:
                email, name = Email(row.email), valid_name(row.name)
            except InvalidValue as error:
                report.misfits.append(Misfit("user", row.id, row.external_id, error.message))
                continue
            if not row.deleted:
                if email.key in taken:
                    reason = f"the address {email.value} is already taken (in any case)"
                    report.misfits.append(Misfit("user", row.id, row.external_id, reason))
                    continue
                taken.add(email.key)
            by_id[row.id] = row.external_id
            report.users.append(
                ImportedUser(
                    external_id=row.external_id,
                    email=email,
                    name=name,
                    password_hash=row.password_hash,
                    is_admin=row.is_admin or row.is_superuser,
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                    deleted_at=row.updated_at if row.deleted else None,
                )
            )
            if not row.deleted and not self._schemes.recognizes(row.password_hash):
                report.foreign_hashes.append(email.value)
        return by_id

    def _owner(
        self, wanted: str | None, present: Present, users: Sequence[ImportedUser]
    ) -> UUID | None:
        copied = sorted(
            (user for user in users if user.is_admin and user.deleted_at is None),
            key=lambda user: user.created_at,
        )
        admins = [*present.admins, *((user.external_id, user.email.key) for user in copied)]
        if wanted is None:
            return admins[0][0] if admins else None
        key = Email(wanted).key
        for user_id, email_key in admins:
            if email_key == key:
                return user_id
        raise NoOwner(wanted)

    def _plan_tasks(
        self,
        rows: Sequence[OriginalTask],
        present: Present,
        users: dict[int, UUID],
        report: ImportReport,
    ) -> None:
        for row in rows:
            if row.external_id in present.task_ids:
                report.tasks_already_here += 1
                continue
            reason = _task_misfit(row, users)
            if reason is None and report.owner is None:
                raise NoOwner(None)
            if reason is not None:
                report.misfits.append(Misfit("task", row.id, row.external_id, reason))
                continue
            assert report.owner is not None
            report.tasks.append(
                ImportedTask(
                    external_id=row.external_id,
                    name=valid_task_name(row.name),
                    description=valid_description(row.description),
                    status=TaskStatus(row.status),
                    type=TaskType(row.type),
                    deadline=row.deadline,
                    completed_at=row.completed_at,
                    created_by=report.owner,
                    assigned_to=None if row.assigned_to_id is None else users[row.assigned_to_id],
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                    deleted_at=row.updated_at if row.deleted else None,
                )
            )


def _task_misfit(row: OriginalTask, users: dict[int, UUID]) -> str | None:
    """Why ``row`` cannot be copied as it is, or None."""
    if row.status not in TaskStatus.__members__.values():
        return f"unknown status {row.status!r}"
    if row.type not in TaskType.__members__.values():
        return f"unknown type {row.type!r}"
    if row.assigned_to_id is not None and row.assigned_to_id not in users:
        return f"its assignee (user {row.assigned_to_id}) is not among the copied users"
    status = TaskStatus(row.status)
    if (status is TaskStatus.COMPLETED) != (row.completed_at is not None):
        return f"status {row.status!r} with completed_at {row.completed_at}"
    if status is not TaskStatus.FAILED and (status is TaskStatus.UNASSIGNED) != (
        row.assigned_to_id is None
    ):
        held = "without" if row.assigned_to_id is None else "with"
        return f"status {row.status!r} {held} an assignee"
    try:
        valid_task_name(row.name)
        valid_description(row.description)
    except InvalidValue as error:
        return error.message
    return None
