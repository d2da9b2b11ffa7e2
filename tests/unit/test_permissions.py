"""Every row of the authorization table (docs/architecture.md §3), allowed and refused,
through the use cases that apply it. A refused action commits nothing; an allowed one commits.

Register, log in and refresh take no actor at all, and reads only need an authenticated caller
(see test_auth.py): the table rows that need a rule are the ones below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import pytest

from application.errors import Forbidden
from application.policy import Actor
from unit.harness import Core


@dataclass(frozen=True)
class Scene:
    """``pending`` was created by ``creator`` and assigned to ``assignee``; ``unassigned``
    was created by ``creator`` too. ``other`` is a user whom the actions target."""

    roles: dict[str, Actor]
    pending: UUID
    unassigned: UUID

    @property
    def other(self) -> UUID:
        return self.roles["other"].user_id


@pytest.fixture
def scene(core: Core) -> Scene:
    roles = {
        "creator": core.user("Cleo"),
        "admin": core.user("Ada", admin=True),
        "assignee": core.user("Asa"),
        "stranger": core.user("Sam"),
        "other": core.user("Otto"),
    }
    return Scene(
        roles=roles,
        pending=core.task(roles["creator"], assignee=roles["assignee"]),
        unassigned=core.task(roles["creator"]),
    )


Action = Callable[[Core, Scene, Actor], object]
ACTIONS: dict[str, Action] = {
    "create a task": lambda c, s, a: c.create_task(a, name="New work"),
    "edit a task": lambda c, s, a: c.update_task(a, s.pending, name="Renamed"),
    "delete a task": lambda c, s, a: c.delete_task(a, s.pending),
    "assign a task to anyone": lambda c, s, a: c.assign_task(a, s.pending, s.other),
    "take an unassigned task": lambda c, s, a: c.assign_task(a, s.unassigned, a.user_id),
    "take an assigned task": lambda c, s, a: c.assign_task(a, s.pending, a.user_id),
    "give an unassigned task away": lambda c, s, a: c.assign_task(a, s.unassigned, s.other),
    "start a task": lambda c, s, a: c.start_task(a, s.pending),
    "complete a task": lambda c, s, a: c.complete_task(a, s.pending),
    "create a user": lambda c, s, a: c.create_user(
        a, email="new@example.com", name="New", password="a good password"
    ),
    "delete a user": lambda c, s, a: c.delete_user(a, s.other),
    "grant admin rights": lambda c, s, a: c.update_user(a, s.other, is_admin=True),
    "rename a user": lambda c, s, a: c.update_user(a, s.other, name="Otto II"),
    "change a user's email": lambda c, s, a: c.update_user(a, s.other, email="o2@example.com"),
    "change a user's password": lambda c, s, a: c.update_user(a, s.other, password="n3w secret"),
}

TABLE = [
    ("create a task", "stranger", True),
    *[("edit a task", role, True) for role in ("creator", "admin")],
    *[("edit a task", role, False) for role in ("assignee", "stranger")],
    *[("delete a task", role, True) for role in ("creator", "admin")],
    *[("delete a task", role, False) for role in ("assignee", "stranger")],
    *[("assign a task to anyone", role, True) for role in ("creator", "admin")],
    *[("assign a task to anyone", role, False) for role in ("assignee", "stranger")],
    *[("take an unassigned task", role, True) for role in ("stranger", "assignee")],
    ("take an assigned task", "stranger", False),
    ("give an unassigned task away", "stranger", False),
    ("give an unassigned task away", "creator", True),
    ("start a task", "assignee", True),
    *[("start a task", role, False) for role in ("creator", "admin", "stranger")],
    ("complete a task", "assignee", True),
    *[("complete a task", role, False) for role in ("creator", "admin", "stranger")],
    ("create a user", "admin", True),
    ("create a user", "stranger", False),
    ("delete a user", "admin", True),
    *[("delete a user", role, False) for role in ("stranger", "other")],
    ("grant admin rights", "admin", True),
    *[("grant admin rights", role, False) for role in ("stranger", "other")],
    *[
        (action, role, role != "stranger")
        for action in ("rename a user", "change a user's email", "change a user's password")
        for role in ("other", "admin", "stranger")
    ],
]


@pytest.mark.parametrize(
    ("action", "role", "allowed"),
    TABLE,
    ids=[f"{role} may {'' if ok else 'not '}{action}" for action, role, ok in TABLE],
)
def test_the_authorization_table(
    core: Core, scene: Scene, action: str, role: str, allowed: bool
) -> None:
    commits, history = core.uow.commits, len(core.uow.history)
    if allowed:
        ACTIONS[action](core, scene, scene.roles[role])
        assert core.uow.commits == commits + 1
    else:
        with pytest.raises(Forbidden):
            ACTIONS[action](core, scene, scene.roles[role])
        assert (core.uow.commits, len(core.uow.history)) == (commits, history)


def test_every_action_of_the_table_is_checked_both_ways() -> None:
    outcomes = {(action, allowed) for action, _, allowed in TABLE}
    assert {action for action, _ in outcomes} == set(ACTIONS)
    always_allowed = {"create a task", "take an unassigned task"}
    always_refused = {"take an assigned task"}
    for action in set(ACTIONS) - always_allowed - always_refused:
        assert {(action, True), (action, False)} <= outcomes, action


def test_a_refusal_says_what_was_refused(core: Core, scene: Scene) -> None:
    with pytest.raises(Forbidden, match="not allowed to complete this task"):
        core.complete_task(scene.roles["admin"], scene.pending)
