"""The composition root: the one place that knows which adapter serves which port."""

from __future__ import annotations

from datetime import timedelta

from dependency_injector import containers, providers
from redis import Redis

from adapters.clock import SystemClock
from adapters.passwords import BcryptPasswordHasher
from adapters.signing import HmacSigner
from adapters.sqlalchemy.enclosing import EnclosingTransactions
from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.idempotency import SqlIdempotencyStore
from adapters.sqlalchemy.original import OriginalDatabase, SqlImportTarget
from adapters.sqlalchemy.read import (
    SqlCallers,
    SqlHistoryQueries,
    SqlTaskQueries,
    SqlUserQueries,
)
from adapters.sqlalchemy.throttle import SqlLoginThrottle
from adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from adapters.tokens import JwtTokenService
from adapters.webhook_http import HttpSender, SystemResolver, jitter
from application import (
    auth,
    expiry,
    housekeeping,
    idempotency,
    importing,
    queries,
    reminders,
    tasks,
    users,
)
from application.cursors import Cursors
from application.webhooks import delivery, endpoints, log
from entrypoints.settings import Settings
from entrypoints.webhook_payloads import JsonPayloads


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    # -- driven adapters: one of each per process ---------------------------------------
    engine = providers.Singleton(make_engine, settings.provided.database_url)
    # Units of work and reads join a request's enclosing transaction while one is open (a
    # POST with an Idempotency-Key), and use sessions and connections of their own otherwise.
    transactions = providers.Singleton(EnclosingTransactions, engine)
    redis = providers.Singleton(
        Redis.from_url, settings.provided.redis_url, socket_connect_timeout=1, socket_timeout=2
    )
    clock = providers.Singleton(SystemClock)
    hasher = providers.Singleton(BcryptPasswordHasher, rounds=settings.provided.bcrypt_rounds)
    tokens = providers.Singleton(
        JwtTokenService,
        secret=settings.provided.jwt_secret,
        access_ttl_seconds=settings.provided.access_token_ttl_seconds,
        refresh_ttl_seconds=settings.provided.refresh_token_ttl_seconds,
    )
    throttle = providers.Singleton(SqlLoginThrottle, engine)
    cursors = providers.Singleton(
        Cursors, providers.Singleton(HmacSigner, settings.provided.jwt_secret, "list cursors")
    )
    task_queries = providers.Singleton(SqlTaskQueries, transactions)
    user_queries = providers.Singleton(SqlUserQueries, transactions)
    history_queries = providers.Singleton(SqlHistoryQueries, transactions)
    callers = providers.Singleton(SqlCallers, transactions)
    resolver = providers.Singleton(SystemResolver)
    sender = providers.Singleton(HttpSender)
    payloads = providers.Singleton(JsonPayloads, user_queries)

    # -- a fresh unit of work and use case per call --------------------------------------
    uow = providers.Factory(SqlAlchemyUnitOfWork, transactions.provided.unit)
    kept_answers = providers.Factory(SqlIdempotencyStore, transactions)
    issuer = providers.Factory(auth.TokenIssuer, tokens, clock)

    register_user = providers.Factory(users.RegisterUser, uow, clock, hasher, user_queries, issuer)
    log_in = providers.Factory(auth.LogIn, uow, hasher, issuer, throttle, clock)
    refresh_tokens = providers.Factory(auth.RefreshTokens, uow, tokens, issuer, clock)
    authenticate = providers.Factory(auth.Authenticate, callers, tokens)
    log_out = providers.Factory(auth.LogOut, uow, tokens, clock)

    create_user = providers.Factory(users.CreateUser, uow, clock, hasher, user_queries)
    create_admin = providers.Factory(users.CreateAdmin, uow, clock, hasher, user_queries)
    #: ``import_original(source=original_database(url))``: the original's database is named
    #: per run, on the command line.
    original_database = providers.Factory(
        lambda url: OriginalDatabase(make_engine(url)),
    )
    import_original = providers.Factory(
        importing.ImportOriginal,
        target=providers.Factory(SqlImportTarget, engine),
        schemes=hasher,
        now=clock.provided.now,
    )
    update_user = providers.Factory(users.UpdateUser, uow, clock, hasher, user_queries)
    delete_user = providers.Factory(users.DeleteUser, uow, clock)
    list_users = providers.Factory(queries.ListUsers, user_queries, cursors)
    get_user = providers.Factory(queries.GetUser, user_queries)

    create_task = providers.Factory(tasks.CreateTask, uow, clock, task_queries)
    update_task = providers.Factory(tasks.UpdateTask, uow, clock, task_queries)
    delete_task = providers.Factory(tasks.DeleteTask, uow, clock)
    assign_task = providers.Factory(tasks.AssignTask, uow, clock, task_queries)
    start_task = providers.Factory(tasks.StartTask, uow, clock, task_queries)
    complete_task = providers.Factory(tasks.CompleteTask, uow, clock, task_queries)
    list_tasks = providers.Factory(queries.ListTasks, task_queries, cursors)
    get_task = providers.Factory(queries.GetTask, task_queries)
    task_history = providers.Factory(queries.TaskHistory, history_queries)

    expire_overdue = providers.Factory(expiry.ExpireOverdueTasks, uow, clock)
    answer_once = providers.Factory(
        idempotency.AnswerOnce, kept_answers, clock, settings.provided.idempotency_ttl_seconds
    )
    prune_expired_records = providers.Factory(
        housekeeping.PruneExpiredRecords, uow, throttle, kept_answers, clock
    )
    remind_deadlines = providers.Factory(
        reminders.RemindDeadlines, uow, clock, settings.provided.reminder_before_seconds
    )

    _webhook_case = (uow, clock, resolver, settings.provided.webhook_allow_private)
    create_webhook = providers.Factory(endpoints.CreateWebhook, *_webhook_case)
    list_webhooks = providers.Factory(endpoints.ListWebhooks, *_webhook_case)
    get_webhook = providers.Factory(endpoints.GetWebhook, *_webhook_case)
    update_webhook = providers.Factory(endpoints.UpdateWebhook, *_webhook_case)
    delete_webhook = providers.Factory(endpoints.DeleteWebhook, *_webhook_case)
    rotate_webhook_secret = providers.Factory(endpoints.RotateWebhookSecret, *_webhook_case)
    list_deliveries = providers.Factory(log.ListDeliveries, *_webhook_case)
    replay_delivery = providers.Factory(log.ReplayDelivery, *_webhook_case)
    dispatch_webhooks = providers.Factory(
        delivery.DispatchWebhooks,
        uow,
        clock,
        payloads,
        providers.Factory(timedelta, seconds=settings.provided.webhook_lease_seconds),
    )
    deliver_webhook = providers.Factory(
        delivery.DeliverWebhook,
        uow,
        clock,
        resolver,
        sender,
        providers.Object(jitter),
        settings.provided.webhook_allow_private,
    )


def build_container(settings: Settings | None = None) -> Container:
    """A container for these settings (from the environment by default). Connects nothing:
    engines and clients are made on first use."""
    return Container(settings=settings or Settings.from_env())
