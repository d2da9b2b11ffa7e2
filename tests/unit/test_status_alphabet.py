"""The status machine's alphabet lives in one module, and the modules that speak it can be read
by type-hint tools without a circle of imports."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from uuid import UUID

import pytest

from domain import errors
from domain.events import Change, TaskEvent
from domain.status import VALUE_MAX_LENGTH, TaskEventType, TaskStatus, TaskType


def test_the_hints_of_a_task_event_resolve() -> None:
    assert typing.get_type_hints(TaskEvent) == {
        "task_id": UUID,
        "type": TaskEventType,
        "actor_id": UUID | None,
        "at": datetime,
        "from_status": TaskStatus | None,
        "to_status": TaskStatus,
        "changes": Mapping[str, Change],
    }


@pytest.mark.parametrize("refusal", [errors.InvalidTransition, errors.TaskIsTerminal])
def test_the_hints_of_the_refusals_that_name_a_status_resolve(refusal: type[Exception]) -> None:
    signature = inspect.signature(refusal, eval_str=True)
    assert signature.parameters["status"].annotation is TaskStatus


@pytest.mark.parametrize("alphabet", [TaskStatus, TaskType, TaskEventType])
def test_every_stored_name_fits_its_column(alphabet: type[StrEnum]) -> None:
    assert max(len(value) for value in alphabet) <= VALUE_MAX_LENGTH


def test_every_event_has_a_verb() -> None:
    assert {event.verb for event in TaskEventType} >= {"assign", "start", "complete", "expire"}
    assert len({event.verb for event in TaskEventType}) == len(TaskEventType)
