"""Every use case wired to the fakes, as the container wires them to the adapters, plus a few
ways to arrange state straight through the domain (so a test of one use case does not depend
on the others)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

from adapters.signing import HmacSigner
from application.auth import Authenticate, LogIn, LogOut, RefreshTokens, TokenIssuer, TokenPair
from application.cursors import Cursors
from application.expiry import ExpireOverdueTasks
from application.housekeeping import PruneExpiredRecords
from application.idempotency import AnswerOnce
from application.policy import Actor
from application.queries import GetTask, GetUser, ListTasks, ListUsers, TaskHistory
from application.tasks import (
    AssignTask,
    CompleteTask,
    CreateTask,
    DeleteTask,
    StartTask,
    UpdateTask,
)
from application.users import CreateAdmin, CreateUser, DeleteUser, RegisterUser, UpdateUser
from domain.events import TaskEvent
from domain.status import TaskStatus
from domain.task import Task
from domain.user import Email, User
from unit.fake_idempotency import FakeIdempotencyStore
from unit.fakes import (
    FakeCallers,
    FakeHistoryQueries,
    FakeLoginThrottle,
    FakeTaskQueries,
    FakeTokenService,
    FakeUnitOfWork,
    FakeUserQueries,
    FixedClock,
    PlainPasswordHasher,
)

PASSWORD = "correct horse battery"
#: The address logins come from unless a test says otherwise.
HOME = "192.0.2.1"
DAY = timedelta(days=1)


class Core:
    def __init__(self) -> None:
        self.clock = clock = FixedClock()
        self.uow = uow = FakeUnitOfWork()
        self.hasher = hasher = PlainPasswordHasher()
        self.tokens = FakeTokenService(clock)
        self.throttle = FakeLoginThrottle()
        self.task_queries = tasks = FakeTaskQueries(uow)
        self.user_queries = users = FakeUserQueries(uow)
        self.history_queries = FakeHistoryQueries(uow)
        issuer = TokenIssuer(self.tokens, clock)

        self.register_user = RegisterUser(uow, clock, hasher, users, issuer)
        self.login = LogIn(uow, hasher, issuer, self.throttle, clock)
        self.refresh_tokens = RefreshTokens(uow, self.tokens, issuer, clock)
        self.authenticate = Authenticate(FakeCallers(uow), self.tokens)
        self.log_out = LogOut(uow, self.tokens, clock)
        self.create_user = CreateUser(uow, clock, hasher, users)
        self.create_admin = CreateAdmin(uow, clock, hasher, users)
        self.update_user = UpdateUser(uow, clock, hasher, users)
        self.delete_user = DeleteUser(uow, clock)
        self.cursors = cursors = Cursors(HmacSigner("unit-test-secret", "list cursors"))
        self.list_users = ListUsers(users, cursors)
        self.get_user = GetUser(users)

        self.create_task = CreateTask(uow, clock, tasks)
        self.update_task = UpdateTask(uow, clock, tasks)
        self.delete_task = DeleteTask(uow, clock)
        self.assign_task = AssignTask(uow, clock, tasks)
        self.start_task = StartTask(uow, clock, tasks)
        self.complete_task = CompleteTask(uow, clock, tasks)
        self.list_tasks = ListTasks(tasks, cursors)
        self.get_task = GetTask(tasks)
        self.task_history = TaskHistory(self.history_queries)
        self.expire_overdue = ExpireOverdueTasks(uow, clock)
        self.kept_answers = FakeIdempotencyStore()
        self.answer_once = AnswerOnce(self.kept_answers, clock, int(DAY.total_seconds()))
        self.prune_expired_records = PruneExpiredRecords(
            uow, self.throttle, self.kept_answers, clock
        )

    def log_in(self, email: str, password: str, address: str = HOME) -> TokenPair:
        return self.login(email, password, address).tokens

    # -- arranging committed state -------------------------------------------------------

    def user(self, name: str = "Ada", *, email: str | None = None, admin: bool = False) -> Actor:
        user = User.register(
            email=Email(email or f"{uuid4().hex[:10]}@example.com"),
            name=name,
            password_hash=self.hasher.hash(PASSWORD),
            now=self.clock.now(),
            is_admin=admin,
        )
        with self.uow:
            self.uow.users.add(user)
            self.uow.commit()
        return Actor(user_id=user.external_id, is_admin=admin)

    def task(
        self,
        creator: Actor,
        *,
        assignee: Actor | None = None,
        status: TaskStatus | None = None,
        due_in: timedelta | None = DAY,
        name: str = "Write the report",
    ) -> UUID:
        """A committed task, brought to ``status`` (pending when given an assignee)."""
        now = self.clock.now()
        status = status or (TaskStatus.PENDING if assignee else TaskStatus.UNASSIGNED)
        task = Task.create(
            name=name,
            created_by=creator.user_id,
            now=now,
            deadline=None if due_in is None else now + due_in,
        )
        if assignee is not None:
            task.assign(assignee.user_id, actor_id=creator.user_id, now=now)
        if assignee is not None and status in (TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED):
            task.start(actor_id=assignee.user_id, now=now)
        if assignee is not None and status is TaskStatus.COMPLETED:
            task.complete(actor_id=assignee.user_id, now=now)
        if status is TaskStatus.FAILED and task.deadline is not None:
            task.expire(task.deadline)
        assert task.status is status, f"cannot arrange a {status} task this way"
        with self.uow:
            self.uow.tasks.add(task)
            self.uow.commit()
        return task.external_id

    # -- reading committed state ---------------------------------------------------------

    def saved_task(self, task_id: UUID) -> Task:
        task = self.uow.tasks.saved(task_id)
        assert task is not None
        return task

    def saved_user(self, user_id: UUID) -> User:
        user = self.uow.users.saved(user_id)
        assert user is not None
        return user

    def events(self, task_id: UUID) -> list[TaskEvent]:
        return self.uow.events_of(task_id)
