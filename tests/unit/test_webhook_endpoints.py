"""Managing webhook endpoints: the secret shown once, the address rule, who may manage what,
and the rotation of secrets."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import InvalidInput, NotFound
from application.policy import Actor
from application.webhooks.endpoints import (
    CreateWebhook,
    DeleteWebhook,
    GetWebhook,
    ListWebhooks,
    RotateWebhookSecret,
    UpdateWebhook,
)
from domain.errors import InvalidValue
from domain.status import WebhookEventType
from domain.webhooks import ROTATION_OVERLAP
from unit.fake_webhooks import FakeWebhookUnitOfWork, TableResolver
from unit.fakes import FixedClock

ALL = frozenset(WebhookEventType)
DNS = {
    "hooks.example.com": ["93.184.216.34"],
    "localhost": ["127.0.0.1"],
    "intranet.example.com": ["10.0.0.7"],
    "rebound.example.com": ["93.184.216.34", "192.168.1.1"],
    "metadata.example.com": ["169.254.169.254"],
}
ANN, BOB = Actor(uuid4()), Actor(uuid4())
ADMIN = Actor(uuid4(), is_admin=True)


class Cases:
    def __init__(self, allow_private: bool = False) -> None:
        self.uow = FakeWebhookUnitOfWork()
        self.clock = FixedClock()
        args = (self.uow, self.clock, TableResolver(DNS), allow_private)
        self.create, self.list, self.get = (
            CreateWebhook(*args),
            ListWebhooks(*args),
            GetWebhook(*args),
        )
        self.update, self.delete = UpdateWebhook(*args), DeleteWebhook(*args)
        self.rotate = RotateWebhookSecret(*args)


@pytest.fixture
def cases() -> Cases:
    return Cases()


def test_the_secret_is_shown_at_creation_and_never_again(cases: Cases) -> None:
    created = cases.create(ANN, url="https://hooks.example.com/in", event_types=ALL)

    assert created.secret is not None
    assert created.secret.startswith("whsec_")
    assert cases.get(ANN, created.id).secret is None
    assert [view.secret for view in cases.list(ANN)] == [None]


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/in",  # https is required
        "https://intranet.example.com/in",  # a private address
        "https://localhost/in",  # loopback
        "https://rebound.example.com/in",  # one of its addresses is private
        "https://metadata.example.com/latest",  # link-local: the cloud metadata service
        "https://169.254.169.254/latest",
        "https://[::1]/in",
        "https://nowhere.example.com/in",  # resolves to nothing
        "https://user:pw@hooks.example.com/in",  # credentials in the URL
        "https://hooks.example.com:99999/in",  # no such port
        "ftp://hooks.example.com/in",
    ],
)
def test_urls_that_could_reach_inside_are_refused(cases: Cases, url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        cases.create(ANN, url=url, event_types=ALL)
    assert list(refused.value.errors) == ["url"]


@pytest.mark.parametrize("url", ["http://localhost:8080/in", "https://intranet.example.com/in"])
def test_private_and_plain_http_urls_are_allowed_where_the_service_allows_them(url: str) -> None:
    assert Cases(allow_private=True).create(ANN, url=url, event_types=ALL).url == url


def test_link_local_addresses_are_refused_even_where_private_ones_are_allowed() -> None:
    with pytest.raises(InvalidInput):
        Cases(allow_private=True).create(ANN, url="http://metadata.example.com/", event_types=ALL)


def test_an_endpoint_wants_at_least_one_event_type(cases: Cases) -> None:
    with pytest.raises(InvalidValue, match="event_types"):
        cases.create(ANN, url="https://hooks.example.com/in", event_types=frozenset())


def test_only_its_owner_and_admins_see_and_manage_an_endpoint(cases: Cases) -> None:
    mine = cases.create(ANN, url="https://hooks.example.com/a", event_types=ALL)
    cases.create(BOB, url="https://hooks.example.com/b", event_types=ALL)

    assert [view.url for view in cases.list(ANN)] == ["https://hooks.example.com/a"]
    assert len(cases.list(ADMIN)) == 2
    assert cases.get(ADMIN, mine.id).id == mine.id
    for refused in (
        lambda: cases.get(BOB, mine.id),
        lambda: cases.update(BOB, mine.id, enabled=False),
        lambda: cases.delete(BOB, mine.id),
        lambda: cases.rotate(BOB, mine.id),
        lambda: cases.get(ANN, uuid4()),
    ):
        with pytest.raises(NotFound):
            refused()


def test_an_update_changes_only_what_it_names_and_checks_a_new_url(cases: Cases) -> None:
    created = cases.create(ANN, url="https://hooks.example.com/a", event_types=ALL)

    updated = cases.update(ANN, created.id, event_types=frozenset({WebhookEventType.TASK_EXPIRED}))
    assert updated.event_types == (WebhookEventType.TASK_EXPIRED,)
    assert updated.url == created.url
    with pytest.raises(InvalidInput):
        cases.update(ANN, created.id, url="https://intranet.example.com/")


def test_enabling_again_clears_why_it_was_disabled(cases: Cases) -> None:
    created = cases.create(ANN, url="https://hooks.example.com/a", event_types=ALL)
    stored = cases.uow.webhooks.committed[created.id]
    stored.enabled, stored.disabled_reason = False, "The endpoint answered 410 Gone."

    enabled = cases.update(ANN, created.id, enabled=True)

    assert enabled.enabled
    assert enabled.disabled_reason is None


def test_a_deleted_endpoint_is_gone(cases: Cases) -> None:
    created = cases.create(ANN, url="https://hooks.example.com/a", event_types=ALL)
    cases.delete(ADMIN, created.id)
    with pytest.raises(NotFound):
        cases.get(ANN, created.id)


def test_a_rotation_signs_with_both_secrets_until_the_overlap_ends(cases: Cases) -> None:
    created = cases.create(ANN, url="https://hooks.example.com/a", event_types=ALL)
    rotated = cases.rotate(ANN, created.id)

    assert rotated.secret not in (None, created.secret)
    endpoint = cases.uow.webhooks.committed[created.id]
    now = cases.clock.now()
    assert endpoint.signing_secrets(now) == (rotated.secret, created.secret)
    ends = now + ROTATION_OVERLAP
    assert endpoint.signing_secrets(ends - timedelta(seconds=1)) == (rotated.secret, created.secret)
    assert endpoint.signing_secrets(ends) == (rotated.secret,)
