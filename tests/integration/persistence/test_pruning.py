"""Pruning on PostgreSQL: expired refresh tokens, the logins left without any, login attempts
past the throttle's window and expired Idempotency-Keys are deleted; everything still usable
stays."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import func, select

from adapters.passwords import BcryptPasswordHasher
from adapters.sqlalchemy.enclosing import EnclosingTransactions
from adapters.sqlalchemy.idempotency import SqlIdempotencyStore
from adapters.sqlalchemy.read import SqlUserQueries
from adapters.sqlalchemy.tables import idempotency_keys, login_attempts, logins, refresh_tokens
from adapters.sqlalchemy.throttle import PER_ACCOUNT, SqlLoginThrottle
from adapters.tokens import JwtTokenService
from application import auth
from application.errors import Unauthenticated
from application.housekeeping import PruneExpiredRecords
from application.idempotency import Answer, KeyedRequest
from application.users import RegisterUser
from integration.api.support import MovableClock
from persistence.support import Store

REFRESH_TTL = 600
PASSWORD = "secret-pw"


def _count(store: Store, table: object) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _keep(answers: SqlIdempotencyStore, key: str, expires_at: datetime) -> None:
    with answers:
        assert answers.claim(CALLER, key)
        answers.keep(KeyedRequest(CALLER, key, "f"), Answer(201, (), b"{}"), expires_at)
        answers.commit()


CALLER = uuid4()


def test_prune_deletes_what_expired_and_keeps_what_still_works(store: Store) -> None:
    clock = MovableClock()  # PyJWT checks the real time: the first login happens in the past
    long_ago = PER_ACCOUNT.window + timedelta(seconds=REFRESH_TTL + 1)
    clock.advance(-long_ago)
    tokens = JwtTokenService("s" * 40, access_ttl_seconds=60, refresh_ttl_seconds=REFRESH_TTL)
    issuer = auth.TokenIssuer(tokens, clock)
    throttle = SqlLoginThrottle(store.engine)
    register = RegisterUser(
        store.uow(), clock, BcryptPasswordHasher(rounds=4), SqlUserQueries(store.reads), issuer
    )
    log_in = auth.LogIn(store.uow(), BcryptPasswordHasher(rounds=4), issuer, throttle, clock)
    answers = SqlIdempotencyStore(EnclosingTransactions(store.engine))
    prune = PruneExpiredRecords(store.uow(), throttle, answers, clock)

    old = register(email="old@example.com", name="Old", password=PASSWORD, password2=PASSWORD)
    with pytest.raises(Unauthenticated):
        log_in("old@example.com", "wrong password", "192.0.2.1")
    clock.advance(long_ago)  # back to now: the old login's tokens and attempts have expired
    live = register(email="new@example.com", name="New", password=PASSWORD, password2=PASSWORD)
    assert (_count(store, logins), _count(store, refresh_tokens)) == (2, 2)
    _keep(answers, "expired", clock.now())
    _keep(answers, "live", clock.now() + timedelta(seconds=1))

    pruned = prune()

    assert (pruned.refresh_tokens, pruned.logins, pruned.login_attempts) == (1, 1, 2)
    assert pruned.idempotency_keys == 1
    assert [row["key"] for row in store.rows(idempotency_keys)] == ["live"]
    assert (_count(store, logins), _count(store, refresh_tokens)) == (1, 1)
    assert _count(store, login_attempts) == 0
    assert store.rows(refresh_tokens)[0]["family"] == store.rows(logins)[0]["id"]
    refresh = auth.RefreshTokens(store.uow(), tokens, issuer, clock)
    assert refresh(live.refresh).access  # the live login still works
    with pytest.raises(Unauthenticated):
        refresh(old.refresh)  # the forgotten one does not
    assert prune() == type(pruned)(refresh_tokens=0, logins=0, login_attempts=0, idempotency_keys=0)
