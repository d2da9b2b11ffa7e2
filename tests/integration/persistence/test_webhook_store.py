"""Endpoints and deliveries in PostgreSQL: a round trip with every field, the fan-out's rule
of who receives what, and leases that two dispatchers never share."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from uuid import UUID

import pytest

from adapters.sqlalchemy.tables import webhook_deliveries
from domain.status import WebhookEventType
from domain.webhooks import DeliveryOutcome
from persistence.support import Store, endpoint_of, later, new_task, new_user


def fan_out(store: Store) -> int:
    with store.uow() as uow:
        events = uow.deliveries.undispatched(100)
        made = uow.deliveries.fan_out({event.id: "{}" for event in events}, later(10))
        uow.commit()
    return made


def test_an_endpoint_round_trips_with_every_field(store: Store) -> None:
    owner = new_user("owner@example.com")
    store.save(owner)
    endpoint_id = endpoint_of(store, owner)
    with store.uow() as uow:
        endpoint = uow.webhooks.get(endpoint_id, for_update=True)
        assert endpoint is not None
        endpoint.rotate_secret("whsec_bmV3", later(1))
        endpoint.record(DeliveryOutcome.FAILED, later(2), "HTTP 500")
        endpoint.update(now=later(3), url="https://hooks.example.com/v2")
        expected = vars(endpoint).copy()
        uow.commit()

    with store.uow() as uow:
        loaded = uow.webhooks.get(endpoint_id)
    assert loaded is not None
    assert vars(loaded) == expected


def test_events_fan_out_to_admins_and_to_the_creator_and_assignee_only(store: Store) -> None:
    boss, worker, stranger = (new_user(f"{n}@example.com") for n in ("boss", "worker", "other"))
    admin = new_user("admin@example.com", is_admin=True)
    store.save(boss, worker, stranger, admin)
    for user in (boss, worker, stranger, admin):
        endpoint_of(store, user)
    endpoint_of(store, stranger, frozenset({WebhookEventType.TASK_EXPIRED}))
    task = new_task(boss, deadline=later(3600))
    task.assign(worker.external_id, actor_id=boss.external_id, now=later(1))
    # Both events committed together, so both show the task as committed, assigned to the
    # worker: each goes to the boss, the worker and the admin, never to the stranger.
    store.save(task)

    assert fan_out(store) == 6
    assert fan_out(store) == 0  # each event is fanned out once


def test_two_dispatchers_never_lease_the_same_delivery(store: Store) -> None:
    boss = new_user("boss@example.com")
    store.save(boss)
    endpoint_of(store, boss)
    store.save(*(new_task(boss, f"Task {n}") for n in range(40)))
    fan_out(store)

    def claim() -> list[UUID]:
        with store.uow() as uow:
            claimed = uow.deliveries.claim_due(later(20), later(80), 30)
            uow.commit()
        return claimed

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.submit(claim), pool.submit(claim)
        claimed = first.result() + second.result()
    assert len(claimed) == len(set(claimed)) == 40
    assert claim() == []  # all leased until later(80)

    with store.uow() as uow:
        again = uow.deliveries.claim_due(later(80), later(140), 100)
    assert len(again) == 40  # leases run out: the work comes back
    assert len(store.rows(webhook_deliveries)) == 40


@pytest.mark.parametrize("days", [0, 1])
def test_deleting_an_endpoint_deletes_its_deliveries(store: Store, days: int) -> None:
    boss = new_user("boss@example.com")
    store.save(boss)
    endpoint_id = endpoint_of(store, boss)
    store.save(new_task(boss, "One"))
    fan_out(store)
    with store.uow() as uow:
        endpoint = uow.webhooks.get(endpoint_id, for_update=True)
        assert endpoint is not None
        endpoint.update(now=later(0) + timedelta(days=days), enabled=False)
        uow.webhooks.remove(endpoint)
        uow.commit()

    assert store.rows(webhook_deliveries) == []
