"""The schema, in one place. Alembic migrations are checked against it (``migrations.check``).

Every list reads non-deleted rows in a stable order, so the indexes that serve lists are partial
on ``deleted_at IS NULL`` and end with the primary key (the tie-breaker of every ORDER BY).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from adapters.sqlalchemy.types import UtcDateTime
from application.idempotency import KEY_MAX_LENGTH as IDEMPOTENCY_KEY_LENGTH
from domain.status import (
    OPEN_STATUSES,
    VALUE_MAX_LENGTH,
    WEBHOOK_EVENT_MAX_LENGTH,
    TaskEventType,
    TaskStatus,
    TaskType,
    WebhookEventType,
)
from domain.task_fields import NAME_MAX_LENGTH as TASK_NAME_LENGTH
from domain.user import EMAIL_MAX_LENGTH
from domain.user import NAME_MAX_LENGTH as USER_NAME_LENGTH

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def quoted(value: object) -> str:
    """A constant of ours (an enum value) as an SQL string literal, for schema and fixed SQL."""
    return "'" + str(value).replace("'", "''") + "'"


def _one_of(column: str, values: Iterable[object]) -> str:
    listed = ", ".join(quoted(value) for value in sorted(str(v) for v in values))
    return f"{column} IN ({listed})"


def _partial(condition: str) -> dict[str, Any]:
    """Keyword arguments of an index that covers only the rows matching ``condition``."""
    return {"postgresql_where": text(condition)}


ACTIVE: Final = "deleted_at IS NULL"
#: Open statuses, spelled exactly as in the sweep's partial index so the planner matches them.
IS_OPEN: Final = _one_of("status", OPEN_STATUSES)
#: The sweep's rows: open, not deleted, with a deadline. Kept small by excluding finished work.
OVERDUE_CANDIDATE: Final = f"{IS_OPEN} AND deleted_at IS NULL AND deadline IS NOT NULL"
#: The reminder sweep's rows: open tasks with a deadline not reminded yet (reminded_for holds
#: the deadline a reminder went out for, so a moved deadline is due again).
REMIND_CANDIDATE: Final = f"{OVERDUE_CANDIDATE} AND reminded_for IS DISTINCT FROM deadline"
#: Room for a webhook secret (whsec_ and the base64 of 32 bytes).
WEBHOOK_SECRET_LENGTH: Final = 64
#: Room for a password hash with its scheme (a bcrypt hash is 60 characters).
PASSWORD_HASH_LENGTH: Final = 255
#: A refresh token's id and its family's: random URL-safe text, well under this.
TOKEN_ID_LENGTH: Final = 64
#: A throttle key: the hex SHA-256 digest of what it counts.
THROTTLE_KEY_LENGTH: Final = 64


def _version() -> Column[int]:
    """A row's version: moves on with every change, so an ETag naming it goes stale."""
    return Column("version", Integer, nullable=False, server_default=text("1"))


users = Table(
    "users",
    metadata,
    Column("external_id", Uuid, primary_key=True),
    Column("email", String(EMAIL_MAX_LENGTH), nullable=False),
    #: How addresses compare (domain.user.email_key): casefolded, so unique whatever the case.
    Column("email_key", String(EMAIL_MAX_LENGTH), nullable=False),
    Column("name", String(USER_NAME_LENGTH), nullable=False),
    Column("password_hash", String(PASSWORD_HASH_LENGTH), nullable=False),
    Column("is_admin", Boolean, nullable=False),
    Column("token_version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    _version(),
    # A deleted user's address is free again: unique among active users only.
    Index("uq_users_email_active", "email_key", unique=True, **_partial(ACTIVE)),
    Index("ix_users_page", "created_at", "external_id", **_partial(ACTIVE)),
)

tasks = Table(
    "tasks",
    metadata,
    Column("external_id", Uuid, primary_key=True),
    Column("name", String(TASK_NAME_LENGTH), nullable=False),
    # The domain bounds descriptions (domain.task.DESCRIPTION_MAX_LENGTH); the column need not.
    Column("description", Text, nullable=False),
    Column("type", String(VALUE_MAX_LENGTH), nullable=False),
    Column("status", String(VALUE_MAX_LENGTH), nullable=False),
    Column("deadline", UtcDateTime, nullable=True),
    Column("created_by", Uuid, ForeignKey("users.external_id"), nullable=False),
    Column("assigned_to", Uuid, ForeignKey("users.external_id"), nullable=True),
    Column("completed_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    _version(),
    #: Seconds before the deadline to remind; NULL: the service's REMINDER_BEFORE_SECONDS.
    Column("remind_before_seconds", Integer, nullable=True),
    #: The deadline the last reminder went out for (only the reminder sweep writes it).
    Column("reminded_for", UtcDateTime, nullable=True),
    CheckConstraint(_one_of("status", TaskStatus), name="status"),
    CheckConstraint(_one_of("type", TaskType), name="type"),
    CheckConstraint(
        "(status = 'completed') = (completed_at IS NOT NULL)", name="completed_at_iff_completed"
    ),
    # Orders of the list page, unfiltered and under each filter.
    Index("ix_tasks_created", "created_at", "external_id", **_partial(ACTIVE)),
    Index("ix_tasks_deadline", "deadline", "external_id", **_partial(ACTIVE)),
    Index("ix_tasks_status_created", "status", "created_at", "external_id", **_partial(ACTIVE)),
    Index("ix_tasks_type_created", "type", "created_at", "external_id", **_partial(ACTIVE)),
    Index(
        "ix_tasks_assignee_created", "assigned_to", "created_at", "external_id", **_partial(ACTIVE)
    ),
    # Statistics: per assignee, counts by status, answered from the index alone.
    Index("ix_tasks_assignee_status", "assigned_to", "status", **_partial(ACTIVE)),
    # The sweep: only open tasks with a deadline, so it stays small as finished work piles up.
    Index("ix_tasks_overdue", "deadline", **_partial(OVERDUE_CANDIDATE)),
    # The reminders: only open tasks whose deadline has not been reminded.
    Index("ix_tasks_remind", "deadline", **_partial(REMIND_CANDIDATE)),
)

#: Logins (sessions). Every token a login issues carries its id; once ``ended_at`` is set
#: (a replay, a logout) none of them works.
logins = Table(
    "logins",
    metadata,
    Column("id", String(TOKEN_ID_LENGTH), primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.external_id"), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_id", String(TOKEN_ID_LENGTH), primary_key=True),
    #: The login the token belongs to.
    Column("family", String(TOKEN_ID_LENGTH), ForeignKey("logins.id"), nullable=False, index=True),
    Column("user_id", Uuid, ForeignKey("users.external_id"), nullable=False, index=True),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)

task_events = Table(
    "task_events",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("task_id", Uuid, ForeignKey("tasks.external_id"), nullable=False),
    Column("type", String(VALUE_MAX_LENGTH), nullable=False),
    Column("actor_id", Uuid, ForeignKey("users.external_id"), nullable=True),  # NULL: the system
    Column("at", UtcDateTime, nullable=False),
    Column("from_status", String(VALUE_MAX_LENGTH), nullable=True),
    Column("to_status", String(VALUE_MAX_LENGTH), nullable=False),
    Column("changes", JSONB, nullable=False),
    CheckConstraint(_one_of("type", TaskEventType), name="type"),
    # A task's history page, newest first (scanned backwards).
    Index("ix_task_events_task_at", "task_id", "at", "id"),
)

#: Login attempts not (yet) followed by a success, per client address and per (account,
#: address), shared by every API process (see throttle.SqlLoginThrottle). Keys are digests, so
#: they fit whatever was typed.
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("key", String(THROTTLE_KEY_LENGTH), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("last_attempt_at", UtcDateTime, nullable=False),
)

#: Live task counts per (assignee, status, type) of non-deleted tasks, for counts and user
#: statistics without scanning tasks. Kept by PostgreSQL triggers (migration 0003): a key may
#: have several rows at once, so readers always sum. Unassigned tasks count under NOBODY.
task_tallies = Table(
    "task_tallies",
    metadata,
    Column("assignee", Uuid, nullable=False),
    Column("status", String(VALUE_MAX_LENGTH), nullable=False),
    Column("type", String(VALUE_MAX_LENGTH), nullable=False),
    Column("tasks", BigInteger, nullable=False),
    Index("ix_task_tallies_key", "assignee", "status", "type"),
)
NOBODY: Final = UUID(int=0)

#: The answers kept for callers' Idempotency-Keys (application.idempotency), each written in
#: the transaction of the request it answers. ``caller`` is a user, but no foreign key: a key
#: is only a caller's name for a request, and pruning must never wait on a user's row.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("caller", Uuid, nullable=False),
    Column("key", String(IDEMPOTENCY_KEY_LENGTH), nullable=False),
    #: The hex SHA-256 digest of what was asked (method, path, media type, body).
    Column("fingerprint", String(64), nullable=False),
    Column("status", SmallInteger, nullable=False),
    #: The answer's headers, as a list of [name, value] pairs, in order.
    Column("headers", JSONB, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    PrimaryKeyConstraint("caller", "key"),
)


#: The transactional outbox: one row per task event that webhooks may receive, written in the
#: transaction of the change (the sweeps' statements included). ``task`` is the task's row
#: right after the event; ``body`` the payload, rendered once when the event is fanned out
#: into deliveries (``dispatched_at``).
webhook_outbox = Table(
    "webhook_outbox",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("type", String(WEBHOOK_EVENT_MAX_LENGTH), nullable=False),
    Column("task_id", Uuid, ForeignKey("tasks.external_id"), nullable=False),
    Column("actor_id", Uuid, nullable=True),  # NULL: the system
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("task", JSONB, nullable=False),
    Column("body", Text, nullable=True),
    Column("dispatched_at", UtcDateTime, nullable=True),
    CheckConstraint(_one_of("type", WebhookEventType), name="type"),
    Index("ix_webhook_outbox_undispatched", "occurred_at", **_partial("dispatched_at IS NULL")),
)

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_id", Uuid, ForeignKey("users.external_id"), nullable=False, index=True),
    Column("url", Text, nullable=False),
    Column("event_types", ARRAY(String(WEBHOOK_EVENT_MAX_LENGTH)), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("disabled_reason", Text, nullable=True),
    Column("secret", String(WEBHOOK_SECRET_LENGTH), nullable=False),
    Column("previous_secret", String(WEBHOOK_SECRET_LENGTH), nullable=True),
    Column("previous_secret_until", UtcDateTime, nullable=True),
    #: The first of an unbroken run of failed attempts; NULL after a success.
    Column("failing_since", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

#: One event on its way to one endpoint. A worker holds a due one under a lease
#: (``lease_until``); once it runs out, the dispatcher queues the delivery again.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column(
        "endpoint_id",
        Uuid,
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("event_id", Uuid, ForeignKey("webhook_outbox.id"), nullable=False, index=True),
    Column("status", String(VALUE_MAX_LENGTH), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("lease_until", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
    Index("ix_webhook_deliveries_due", "next_attempt_at", **_partial("status = 'pending'")),
)

#: The delivery log: every attempt, kept with its endpoint.
webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(
        "delivery_id",
        Uuid,
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "endpoint_id",
        Uuid,
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("at", UtcDateTime, nullable=False),
    Column("outcome", String(VALUE_MAX_LENGTH), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("duration_ms", Float, nullable=False),
    Column("error", Text, nullable=True),
    Index("ix_webhook_attempts_endpoint_at", "endpoint_id", "at", "id"),
)

ALL_TABLES: Final = (
    idempotency_keys,
    webhook_attempts,
    webhook_deliveries,
    webhook_endpoints,
    webhook_outbox,
    task_tallies,
    task_events,
    refresh_tokens,
    logins,
    login_attempts,
    tasks,
    users,
)
