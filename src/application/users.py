"""Use cases that create, change and delete users."""

from __future__ import annotations

from uuid import UUID

from application.auth import TokenIssuer, TokenPair
from application.errors import InvalidInput, NotFound, require_version
from application.passwords import check_password
from application.policy import Actor, authorize, may_edit_user, may_manage_users
from application.ports import Clock, PasswordHasher, UnitOfWork
from application.queries import UserQueries
from application.read_models import UserView
from domain.errors import EmailAlreadyUsed
from domain.user import Email, User

PASSWORDS_DIFFER = "Passwords do not match."


class _UserCommand:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, hasher: PasswordHasher, users: UserQueries
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._users = users

    def _new_user(self, email: str, name: str, password: str, *, is_admin: bool) -> User:
        """A user ready to add, with an address no one else has."""
        address = Email(email)
        check_password(password)
        self._require_free(address)
        return User.register(
            email=address,
            name=name,
            password_hash=self._hasher.hash(password),
            now=self._clock.now(),
            is_admin=is_admin,
        )

    def _require_free(self, address: Email) -> None:
        """No active user may have the address already. Checked first for a clear refusal; the
        store checks again at commit, so two racing requests cannot both take it."""
        if self._uow.users.get_by_email(address) is not None:
            raise EmailAlreadyUsed(address.value)

    def _view(self, user_id: UUID) -> UserView:
        view = self._users.get(user_id)
        if view is None:
            raise NotFound("User", user_id)
        return view


class RegisterUser(_UserCommand):
    """Anyone may sign up; they get a token pair straight away, as the original did."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        hasher: PasswordHasher,
        users: UserQueries,
        issuer: TokenIssuer,
    ) -> None:
        super().__init__(uow, clock, hasher, users)
        self._issuer = issuer

    def __call__(self, *, email: str, name: str, password: str, password2: str) -> TokenPair:
        if password != password2:
            raise InvalidInput({"password2": [PASSWORDS_DIFFER]})
        with self._uow:
            user = self._new_user(email, name, password, is_admin=False)
            self._uow.users.add(user)
            pair = self._issuer.issue(self._uow, user)
            self._uow.commit()
        return pair


class CreateUser(_UserCommand):
    def __call__(
        self, actor: Actor, *, email: str, name: str, password: str, is_admin: bool = False
    ) -> UserView:
        authorize(may_manage_users(actor), "create users")
        with self._uow:
            user = self._new_user(email, name, password, is_admin=is_admin)
            self._uow.users.add(user)
            self._uow.commit()
        return self._view(user.external_id)


class CreateAdmin(_UserCommand):
    """For operators at the command line: there is no actor yet when the first admin is made."""

    def __call__(self, *, email: str, name: str, password: str) -> UserView:
        with self._uow:
            user = self._new_user(email, name, password, is_admin=True)
            self._uow.users.add(user)
            self._uow.commit()
        return self._view(user.external_id)


class UpdateUser(_UserCommand):
    def __call__(
        self,
        actor: Actor,
        user_id: UUID,
        *,
        name: str | None = None,
        email: str | None = None,
        password: str | None = None,
        is_admin: bool | None = None,
        expected_version: int | None = None,
    ) -> UserView:
        authorize(may_edit_user(actor, user_id), "edit this user")
        if is_admin is not None:
            authorize(may_manage_users(actor), "grant or revoke admin rights")
        with self._uow:
            user = self._uow.users.get(user_id, for_update=True)
            if user is None:
                raise NotFound("User", user_id)
            require_version("User", user_id, user.version, expected_version)
            now = self._clock.now()
            if name is not None:
                user.rename(name, now=now)
            if email is not None:
                self._change_email(user, Email(email))
            if password is not None:
                user.change_password(self._hasher.hash(check_password(password)), now=now)
            if is_admin is not None:
                user.set_admin(is_admin, now=now)
            self._uow.commit()
        return self._view(user_id)

    def _change_email(self, user: User, address: Email) -> None:
        if address.value == user.email.value:
            return
        if address != user.email:  # the same address in another spelling is still theirs
            self._require_free(address)
        user.change_email(address, now=self._clock.now())


class DeleteUser:
    """Soft delete. Their open tasks go back to the pool (those already past their deadline
    fail instead); finished ones keep them for history; their tokens stop working at once
    (the token version moves on)."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, actor: Actor, user_id: UUID, *, expected_version: int | None = None) -> None:
        authorize(may_manage_users(actor), "delete users")
        with self._uow:
            user = self._uow.users.get(user_id, for_update=True)
            if user is None:
                raise NotFound("User", user_id)
            require_version("User", user_id, user.version, expected_version)
            now = self._clock.now()
            for task in self._uow.tasks.open_tasks_assigned_to(user_id):
                task.release(actor_id=actor.user_id, now=now)
            user.delete(now=now)
            self._uow.commit()
