"""``PATCH {"status": ...}``: how the original's clients moved a task, made the matching
transition here (``in_progress``: start, ``completed``: complete) under the same rules.

The original took a status like any other field, so a move refused here is refused as a
field's problem would be: on ``status``. Sending the status the task already has is no move
at all, so that a client may send back a task as it read it.
"""

from __future__ import annotations

from typing import Final

from application.errors import InvalidInput
from application.policy import Actor
from application.read_models import TaskView
from application.tasks import CompleteTask, StartTask
from domain.errors import Conflict
from domain.status import TaskStatus

MOVES: Final = (TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED)


def moved(
    task: TaskView,
    to: TaskStatus,
    actor: Actor,
    start: StartTask,
    complete: CompleteTask,
    expected_version: int | None = None,
) -> TaskView:
    if to is task.status:
        return task
    if to not in MOVES:
        names = " or ".join(f'"{status.value}"' for status in MOVES)
        raise InvalidInput({"status": [f"A task moves to {names} only."]})
    move = start if to is TaskStatus.IN_PROGRESS else complete
    try:
        return move(actor, task.external_id, expected_version=expected_version)
    except Conflict as refusal:
        raise InvalidInput({"status": [refusal.message]}) from refusal
