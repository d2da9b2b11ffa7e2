"""Every refusal of the application and the domain has its HTTP answer; none is a 500."""

from __future__ import annotations

from uuid import uuid4

import pytest

from application.errors import (
    ApplicationError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    TooManyAttempts,
    Unauthenticated,
)
from domain.errors import InvalidValue, TaskExpired
from entrypoints.http.errors import reply_for
from unit.fakes import FixedClock

REFUSALS: dict[type[ApplicationError], tuple[ApplicationError, int]] = {
    NotFound: (NotFound("Task", uuid4()), 404),
    Unauthenticated: (Unauthenticated("no"), 401),
    Forbidden: (Forbidden("no"), 403),
    InvalidInput: (InvalidInput({"name": ["Bad."]}), 422),
    TooManyAttempts: (TooManyAttempts(3), 429),
    PreconditionFailed: (PreconditionFailed("Task", uuid4(), 3), 412),
}


def test_every_kind_of_application_refusal_is_listed_here() -> None:
    assert set(ApplicationError.__subclasses__()) == set(REFUSALS)


@pytest.mark.parametrize(("error", "status"), REFUSALS.values(), ids=lambda v: str(v))
def test_each_application_refusal_has_its_status(error: ApplicationError, status: int) -> None:
    assert reply_for(error).code == status


def test_throttled_logins_say_when_to_come_back() -> None:
    assert reply_for(TooManyAttempts(3)).headers["Retry-After"] == "3"


def test_a_failed_precondition_names_the_current_version() -> None:
    assert reply_for(PreconditionFailed("Task", uuid4(), 3)).headers["ETag"] == '"3"'


def test_domain_refusals_are_422_for_values_and_409_for_state() -> None:
    assert reply_for(InvalidValue("name", "must not be blank")).code == 422
    assert reply_for(TaskExpired(uuid4(), FixedClock().now())).code == 409
