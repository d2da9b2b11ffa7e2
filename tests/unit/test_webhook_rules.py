"""The plain rules of webhooks: outcomes by status, the event names, the reminder's bounds."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import InvalidValue
from domain.status import WEBHOOK_EVENT_MAX_LENGTH, WEBHOOK_EVENTS, TaskEventType, WebhookEventType
from domain.task import Task
from domain.task_fields import REMIND_BEFORE_MAX_SECONDS
from domain.webhooks import DeliveryOutcome, outcome_of, valid_url
from unit.fakes import DEFAULT_NOW


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, DeliveryOutcome.DELIVERED),
        (204, DeliveryOutcome.DELIVERED),
        (299, DeliveryOutcome.DELIVERED),
        (301, DeliveryOutcome.FAILED),
        (410, DeliveryOutcome.GONE),
        (404, DeliveryOutcome.FAILED),
        (500, DeliveryOutcome.FAILED),
        (None, DeliveryOutcome.FAILED),
    ],
)
def test_2xx_is_success_410_is_gone_and_anything_else_fails(
    status: int | None, outcome: DeliveryOutcome
) -> None:
    assert outcome_of(status) is outcome


def test_every_webhook_event_name_fits_its_column() -> None:
    assert max(len(value) for value in WebhookEventType) <= WEBHOOK_EVENT_MAX_LENGTH


def test_edits_releases_and_imports_stay_in_the_history_only() -> None:
    assert set(TaskEventType) - set(WEBHOOK_EVENTS) == {
        TaskEventType.EDITED,
        TaskEventType.UNASSIGNED,
        TaskEventType.IMPORTED,
    }
    assert set(WebhookEventType) - set(WEBHOOK_EVENTS.values()) == {
        WebhookEventType.TASK_DEADLINE_APPROACHING
    }


@pytest.mark.parametrize("seconds", [0, -1, REMIND_BEFORE_MAX_SECONDS + 1])
def test_a_reminder_lies_between_a_second_and_a_week_before_the_deadline(seconds: int) -> None:
    with pytest.raises(InvalidValue, match="remind_before_seconds"):
        Task.create(name="x", created_by=uuid4(), now=DEFAULT_NOW, remind_before_seconds=seconds)


def test_a_task_keeps_its_own_reminder_time() -> None:
    task = Task.create(name="x", created_by=uuid4(), now=DEFAULT_NOW, remind_before_seconds=60)
    assert task.remind_before_seconds == 60


@pytest.mark.parametrize("url", ["", "   ", "https://x/" + "a" * 2048, "https://x/\x00"])
def test_a_url_is_storable_text_of_bounded_length(url: str) -> None:
    with pytest.raises(InvalidValue, match="url"):
        valid_url(url)
