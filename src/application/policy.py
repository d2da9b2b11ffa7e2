"""Who may do what: the authorization table (docs/architecture.md §3), in one place.

| action                                   | allowed                      |
|------------------------------------------|------------------------------|
| edit / delete a task, assign it to anyone | its creator, or an admin     |
| assign an unassigned task to oneself     | any authenticated user       |
| start, complete                          | the assignee                 |
| create or delete a user, set is_admin    | an admin                     |
| edit a user's name / email / password    | that user, or an admin       |

Reading, creating tasks and the auth endpoints need no rule here: any authenticated caller (or
anyone, for register/login/refresh) may.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.errors import Forbidden
from domain.status import TaskStatus
from domain.task import Task


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated caller of a use case."""

    user_id: UUID
    is_admin: bool = False


def _owns(actor: Actor, task: Task) -> bool:
    return actor.is_admin or task.created_by == actor.user_id


def may_edit_task(actor: Actor, task: Task) -> bool:
    return _owns(actor, task)


def may_delete_task(actor: Actor, task: Task) -> bool:
    return _owns(actor, task)


def may_assign_task(actor: Actor, task: Task, assignee_id: UUID) -> bool:
    takes_it_oneself = task.status is TaskStatus.UNASSIGNED and assignee_id == actor.user_id
    return _owns(actor, task) or takes_it_oneself


def may_work_on_task(actor: Actor, task: Task) -> bool:
    """Start and complete: only the assignee, admins included."""
    return task.assigned_to == actor.user_id


def may_manage_users(actor: Actor) -> bool:
    """Create and delete users, grant or revoke admin."""
    return actor.is_admin


def may_edit_user(actor: Actor, user_id: UUID) -> bool:
    return actor.is_admin or actor.user_id == user_id


def authorize(allowed: bool, action: str) -> None:
    if not allowed:
        raise Forbidden(f"You are not allowed to {action}.")
