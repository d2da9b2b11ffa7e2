"""Cursors: a keyset position as an opaque, signed token, pinned to the list it walks.

A cursor names the list it was made for (its filter and order, as a digest) and refuses any
other, rather than carrying them along: a request with a cursor still says what it lists, so
a cursor can never silently turn one list into another. Signing is a port (:class:`Signer`):
the key is configuration, which the application never reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Final, TypeVar
from uuid import UUID

from application.errors import InvalidInput
from application.paging import Direction, Keyset, Page, Position
from application.ports import Signer

T = TypeVar("T")

NOT_A_CURSOR: Final = "Not a cursor of this service."
OTHER_LIST: Final = "Made for another filter or order; repeat the query it came from."


class Cursors:
    def __init__(self, signer: Signer) -> None:
        self._signer = signer

    def read(self, token: str, scope: str) -> Keyset:
        """The keyset a token of ``scope``'s list carries; any other token is InvalidInput."""
        message = self._signer.unsign(token)
        if message is None:
            raise InvalidInput({"cursor": [NOT_A_CURSOR]})
        try:
            digest, direction, key, external_id = json.loads(message)
            keyset = Keyset(
                Position(None if key is None else _aware(key), UUID(external_id)),
                Direction(direction),
            )
        except (TypeError, ValueError, AttributeError) as error:
            # Only a token signed with our key gets here: an older format, not an attack.
            raise InvalidInput({"cursor": [NOT_A_CURSOR]}) from error
        if digest != _digest(scope):
            raise InvalidInput({"cursor": [OTHER_LIST]})
        return keyset

    def write(self, keyset: Keyset, scope: str) -> str:
        key = keyset.position.key
        message = [
            _digest(scope),
            keyset.direction.value,
            None if key is None else key.isoformat(),
            str(keyset.position.external_id),
        ]
        return self._signer.sign(json.dumps(message, separators=(",", ":")))

    def around(self, page: Page[T], scope: str, position: Callable[[T], Position]) -> Page[T]:
        """``page`` with the cursors of its neighbours: past its last row if more follow,
        before its first if some precede."""
        if not page.items:
            return page
        after = Keyset(position(page.items[-1]), Direction.NEXT)
        before = Keyset(position(page.items[0]), Direction.PREVIOUS)
        return replace(
            page,
            next_cursor=self.write(after, scope) if page.has_next else None,
            previous_cursor=self.write(before, scope) if page.has_previous else None,
        )


def _digest(scope: str) -> str:
    return hashlib.sha256(scope.encode()).hexdigest()[:16]


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a position's time has a time zone")
    return moment
