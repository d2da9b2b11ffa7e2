"""Where users are kept."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Executable

from adapters.sqlalchemy.mapping import row_to_user, user_to_row
from adapters.sqlalchemy.prepared import prepared
from adapters.sqlalchemy.tables import users
from adapters.sqlalchemy.tracking import Tracked
from domain.errors import EmailAlreadyUsed
from domain.user import Email, User

#: The partial unique index on active users' addresses, named in the violation's message.
_EMAIL_TAKEN = "uq_users_email_active"
_ID = "user_id"
#: A live user by their id, built once (a statement built per call costs more than its run).
_READ = prepared(
    select(users).where(
        users.c.external_id == bindparam(_ID, type_=users.c.external_id.type),
        users.c.deleted_at.is_(None),
    )
)
#: NO KEY UPDATE: user changes never touch the key, so task writes that only check the
#: foreign key to this user (KEY SHARE) need not wait, nor deadlock.
_LOCKED = _READ.with_for_update(key_share=True)


class SqlUserRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._tracked: Tracked[User] = Tracked(user_to_row)

    def add(self, user: User) -> None:
        self._tracked.added(user.external_id, user)

    def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        user = self._tracked.find(user_id, for_update=for_update)
        if user is None:
            query = _LOCKED if for_update else _READ
            row = self._connection.execute(query, {_ID: user_id}).mappings().one_or_none()
            if row is None:
                return None
            user = self._tracked.loaded(user_id, row_to_user(row), locked=for_update)
        return None if user.is_deleted else user

    def get_by_email(self, email: Email) -> User | None:
        for user in self._tracked.aggregates():
            if user.email == email and not user.is_deleted:
                return user
        query = select(users).where(users.c.email_key == email.key, users.c.deleted_at.is_(None))
        row = self._connection.execute(query).mappings().one_or_none()
        if row is None:
            return None
        user = self._tracked.loaded(row["external_id"], row_to_user(row), locked=False)
        # Only a user tracked here can differ from their row, and one tracked with this
        # address was returned above: this one has moved off it or been deleted.
        return user if user.email == email and not user.is_deleted else None

    def flush(self) -> None:
        """Write new and changed users, one statement each so that a taken address is
        reported with the user who wanted it."""
        for user, row, stored in self._tracked.pending():
            statement: Executable
            if stored is None:
                statement = insert(users).values(row)
            else:
                changed = {key: value for key, value in row.items() if stored.get(key) != value}
                statement = (
                    update(users).where(users.c.external_id == user.external_id).values(changed)
                )
            try:
                self._connection.execute(statement)
            except IntegrityError as error:
                if _EMAIL_TAKEN in str(error.orig):
                    raise EmailAlreadyUsed(user.email.value) from error
                raise
        self._tracked.written()
