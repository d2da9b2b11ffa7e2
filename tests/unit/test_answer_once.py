"""AnswerOnce: a keyed request runs once; its retries get its answer; a key names one request."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from application.idempotency import Answer, KeyedRequest, KeyReused, RequestInFlight
from unit.harness import DAY, Core

CREATED = Answer(201, (("Content-Type", "application/json"), ("ETag", '"1"')), b'{"id": 1}')
REFUSED = Answer(409, (("Content-Type", "application/json"),), b'{"code": 409}')
CRASHED = Answer(500, (("Content-Type", "application/json"),), b'{"code": 500}')


class Runs:
    """A request that answers ``answer`` and counts how often it ran."""

    def __init__(self, answer: Answer = CREATED) -> None:
        self.answer = answer
        self.count = 0

    def __call__(self) -> Answer:
        self.count += 1
        return self.answer


CALLER = uuid4()


def keyed(
    key: str = "k-1", fingerprint: str = "POST /tasks {}", caller: UUID = CALLER
) -> KeyedRequest:
    return KeyedRequest(caller, key, fingerprint)


def test_the_first_request_with_a_key_runs_and_its_answer_is_kept(core: Core) -> None:
    run = Runs()
    assert core.answer_once(keyed(), run) == CREATED
    assert run.count == 1
    assert core.kept_answers.committed[(CALLER, "k-1")][1] == core.clock.now() + DAY


def test_a_retry_gets_the_kept_answer_and_runs_nothing(core: Core) -> None:
    first, retry = Runs(), Runs(REFUSED)
    core.answer_once(keyed(), first)
    assert core.answer_once(keyed(), retry) == CREATED
    assert retry.count == 0


def test_a_refusal_is_kept_and_replayed_like_a_success(core: Core) -> None:
    core.answer_once(keyed(), Runs(REFUSED))
    retry = Runs()
    assert core.answer_once(keyed(), retry) == REFUSED
    assert retry.count == 0


def test_a_server_error_is_not_kept_so_the_retry_runs_afresh(core: Core) -> None:
    assert core.answer_once(keyed(), Runs(CRASHED)) == CRASHED
    assert core.kept_answers.committed == {}
    retry = Runs()
    assert core.answer_once(keyed(), retry) == CREATED
    assert retry.count == 1


def test_a_retry_while_the_first_still_runs_is_refused(core: Core) -> None:
    core.kept_answers.held.add((CALLER, "k-1"))
    run = Runs()
    with pytest.raises(RequestInFlight):
        core.answer_once(keyed(), run)
    assert run.count == 0


def test_the_same_key_on_another_request_is_refused(core: Core) -> None:
    core.answer_once(keyed(), Runs())
    run = Runs()
    with pytest.raises(KeyReused) as refused:
        core.answer_once(keyed(fingerprint="POST /tasks {other}"), run)
    assert run.count == 0
    assert list(refused.value.errors) == ["Idempotency-Key"]


def test_another_callers_identical_key_is_another_key(core: Core) -> None:
    core.answer_once(keyed(), Runs())
    theirs = Runs(REFUSED)
    assert core.answer_once(keyed(caller=uuid4()), theirs) == REFUSED
    assert theirs.count == 1


def test_a_key_is_new_again_once_it_expired(core: Core) -> None:
    core.answer_once(keyed(), Runs())
    core.clock.advance(DAY)
    later = Runs(REFUSED)
    assert core.answer_once(keyed(fingerprint="another request"), later) == REFUSED
    assert later.count == 1


def test_a_key_still_answers_just_before_it_expires(core: Core) -> None:
    core.answer_once(keyed(), Runs())
    core.clock.advance(DAY - timedelta(seconds=1))
    assert core.answer_once(keyed(), Runs(REFUSED)) == CREATED


def test_a_crash_while_running_keeps_nothing(core: Core) -> None:
    def crash() -> Answer:
        raise RuntimeError("the process died")

    with pytest.raises(RuntimeError):
        core.answer_once(keyed(), crash)
    assert core.kept_answers.committed == {}
    assert not core.kept_answers.open


def test_pruning_forgets_expired_keys_only(core: Core) -> None:
    core.answer_once(keyed("old"), Runs())
    core.clock.advance(timedelta(hours=12))
    core.answer_once(keyed("new"), Runs())
    core.clock.advance(timedelta(hours=12))
    assert core.prune_expired_records().idempotency_keys == 1
    assert set(core.kept_answers.committed) == {(CALLER, "new")}
