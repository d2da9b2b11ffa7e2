"""The User aggregate: who can log in, own and work on tasks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from uuid import UUID, uuid4

from domain.errors import InvalidValue
from domain.validation import require_storable, require_text

NAME_MAX_LENGTH: Final = 255
EMAIL_MAX_LENGTH: Final = 254
# Deliberately loose: one @, something on each side, a dot in the domain, no spaces.
_EMAIL_SHAPE: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_key(address: str) -> str:
    """How addresses compare: trimmed and casefolded, so that ``Straße@…`` and ``STRASSE@…``
    are one account (lower-casing alone leaves ``ß`` apart from ``ss``). Login throttling
    counts attempts under this key too, so that it names an account the same way."""
    return address.strip().casefold()


@dataclass(frozen=True, slots=True)
class Email:
    """An email address, kept as given but for its domain, which is lower-cased (the domain is
    case-insensitive; the local part is the owner's to spell).

    Addresses are unique case-insensitively: two are equal, and hash alike, when their
    :attr:`key` is. Both the address and its key must fit :data:`EMAIL_MAX_LENGTH`, since
    casefolding can lengthen text (``ß`` becomes ``ss``) and both are stored.
    """

    value: str = field(compare=False)
    key: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        local, at, domain = self.value.strip().rpartition("@")
        normalised = require_storable("email", f"{local}{at}{domain.lower()}")
        key = email_key(normalised)
        too_long = max(len(normalised), len(key)) > EMAIL_MAX_LENGTH
        if too_long or not _EMAIL_SHAPE.fullmatch(normalised):
            raise InvalidValue("email", "is not a valid email address")
        object.__setattr__(self, "value", normalised)
        object.__setattr__(self, "key", key)

    def __str__(self) -> str:
        return self.value


class User:
    """A person using the service. ``token_version`` changes whenever their tokens must die."""

    def __init__(
        self,
        *,
        external_id: UUID,
        email: Email,
        name: str,
        password_hash: str,
        is_admin: bool,
        token_version: int,
        created_at: datetime,
        updated_at: datetime,
        deleted_at: datetime | None = None,
        version: int = 1,
    ) -> None:
        self.external_id = external_id
        self.email = email
        self.name = name
        self.password_hash = password_hash
        self.is_admin = is_admin
        self.token_version = token_version
        self.created_at = created_at
        self.updated_at = updated_at
        self.deleted_at = deleted_at
        #: Moves on with every change (each goes through :meth:`_changed`): what an ETag names.
        self.version = version

    @classmethod
    def register(
        cls,
        *,
        email: Email,
        name: str,
        password_hash: str,
        now: datetime,
        is_admin: bool = False,
        external_id: UUID | None = None,
    ) -> User:
        return cls(
            external_id=external_id or uuid4(),
            email=email,
            name=valid_name(name),
            password_hash=password_hash,
            is_admin=is_admin,
            token_version=0,
            created_at=now,
            updated_at=now,
        )

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<User {self.external_id} {self.email}>"

    def rename(self, name: str, *, now: datetime) -> None:
        self.name = valid_name(name)
        self._changed(now)

    def change_email(self, email: Email, *, now: datetime) -> None:
        self.email = email
        self._changed(now)

    def change_password(self, password_hash: str, *, now: datetime) -> None:
        """A new password ends every token issued before it."""
        self.password_hash = password_hash
        self.token_version += 1
        self._changed(now)

    def rehash_password(self, password_hash: str) -> None:
        """The same password, hashed anew (an imported scheme replaced by ours): nothing the
        user sees changes, so neither the version nor the tokens do."""
        self.password_hash = password_hash

    def set_admin(self, is_admin: bool, *, now: datetime) -> None:
        self.is_admin = is_admin
        self._changed(now)

    def delete(self, *, now: datetime) -> None:
        """Soft delete: the row stays for history, the person and their tokens are gone."""
        if self.is_deleted:
            return
        self.deleted_at = now
        self.token_version += 1
        self._changed(now)

    def _changed(self, now: datetime) -> None:
        self.updated_at, self.version = now, self.version + 1


def valid_name(name: str) -> str:
    return require_storable("name", require_text("name", name, max_length=NAME_MAX_LENGTH))
