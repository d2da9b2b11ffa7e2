"""Statements planned once per connection: the hot reads and the writes, prepared on the server.

PostgreSQL plans every statement it is sent, and psycopg2 sends every statement as text: a
task's detail spent more time being planned than being run (0.25 ms against 0.1 ms), a page
of tasks about a third of its time. A statement marked with :func:`prepared` is sent as
``PREPARE`` the first time a connection runs it, and as ``EXECUTE`` with its values from then
on, so PostgreSQL keeps its plan for the connection's life.

It keeps it only if the plan made without the values looks as cheap as planning for them,
and a page's ``LIMIT`` given as a value looks like a tenth of the table to it: every page was
planned anew. The sessions therefore ask for the generic plan always (:data:`GENERIC_PLANS`).
That setting touches prepared statements alone, and only statements whose plan cannot depend
on their values are marked: lookups by primary key, and pages that filter nothing, whose plan
follows from their order (the generic plan of the task list ran 20-40 % faster than planning
it each time). A filtered page is planned for its values, as before.

Only statements built once per shape (every value a bound parameter) are marked, so that a
connection prepares a bounded set. A prepared statement lives in one server session, so
nothing is prepared on a connection that is not one: behind a pooler (PgBouncer in
transaction mode hands each transaction to whichever server is free) the process the
connection was given at startup is not the one that answers, and the engine then prepares
nothing, saying so once in the log. Should a prepared statement still go missing (a
``DEALLOCATE`` by someone else), preparing stops the same way; a read outside a transaction
then runs as plain text at once, a statement inside one fails with its transaction.
"""

from __future__ import annotations

import logging
import re
import threading
import weakref
from typing import Any, Final, TypeVar

import psycopg2.errors
from sqlalchemy import Engine, event
from sqlalchemy.sql import Executable

log = logging.getLogger(__name__)

#: The session setting (a startup option) under which a prepared statement keeps one plan.
GENERIC_PLANS: Final = "-c plan_cache_mode=force_generic_plan"
#: The execution option that marks a statement to prepare.
PREPARE: Final = "prepare_on_server"
_PLACEHOLDER: Final = re.compile(r"%\((\w+)\)s|%%")
#: What a server says when the connection is not the session a statement was prepared in.
_NOT_ONE_SESSION: Final = (
    psycopg2.errors.InvalidSqlStatementName,  # prepared in another session
    psycopg2.errors.DuplicatePreparedStatement,  # that name already taken there
)
_OUTDATED_PLAN: Final = "cached plan must not change result type"

E = TypeVar("E", bound=Executable)


def prepared(statement: E) -> E:
    """``statement``, marked to be planned once per connection. Its text must not change
    with its values (no literal rendered in): one text, one prepared statement."""
    return statement.execution_options(**{PREPARE: True})


class PreparedText:
    """A statement's text as ``PREPARE`` and ``EXECUTE`` take it: numbered placeholders in
    the order its named parameters first appear."""

    __slots__ = ("execute", "name", "prepare")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        order: list[str] = []

        def numbered(match: re.Match[str]) -> str:
            key = match.group(1)
            if key is None:  # psycopg2's escaped percent sign: sent without values, it is one
                return "%"
            if key not in order:
                order.append(key)
            return f"${order.index(key) + 1}"

        self.prepare = f"PREPARE {name} AS {_PLACEHOLDER.sub(numbered, text)}"
        values = ", ".join(f"%({key})s" for key in order)
        self.execute = f"EXECUTE {name}({values})" if order else f"EXECUTE {name}"


class _Preparer:
    def __init__(self) -> None:
        self.enabled = True
        self._statements: dict[str, PreparedText] = {}
        self._named = 0
        self._lock = threading.Lock()
        # The names each driver connection has prepared (gone with the connection).
        self._made: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()

    def connected(self, driver: Any, _record: Any) -> None:
        """A new connection: is it one session on the server?"""
        if not self.enabled:
            return
        with driver.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (answering,) = cursor.fetchone()
        driver.rollback()
        if answering != driver.get_backend_pid():
            self._stop(
                f"server process {answering} answers a connection given process "
                f"{driver.get_backend_pid()} (a pooler?)"
            )

    def do_execute(self, cursor: Any, text: str, parameters: Any, context: Any) -> bool:
        """Run ``text`` on ``cursor`` as a prepared statement if it is marked and may be;
        False leaves it to the driver as usual."""
        if not context.execution_options.get(PREPARE):
            return False
        return self.run(cursor, text, parameters)

    def run(self, cursor: Any, text: str, parameters: Any) -> bool:
        """Run the marked statement ``text`` on ``cursor``, prepared unless preparing is off;
        False (nothing run) when it is."""
        if not self.enabled:
            return False
        driver = cursor.connection
        statement = self._statement(text)
        made = self._made.setdefault(driver, set())
        try:
            if statement.name not in made:
                cursor.execute(statement.prepare)
                made.add(statement.name)
            cursor.execute(statement.execute, parameters)
        except psycopg2.Error as error:
            if not (self._outlived(error, text) and driver.autocommit):
                raise
            cursor.execute(text, parameters)  # no transaction was aborted: as plain text
        return True

    def _outlived(self, error: psycopg2.Error, text: str) -> bool:
        """Whether ``error`` says that a prepared statement no longer serves (seen to)."""
        if isinstance(error, _NOT_ONE_SESSION):
            self._stop(str(error.pgerror))
            return True
        if isinstance(error, psycopg2.errors.FeatureNotSupported) and _OUTDATED_PLAN in str(
            error.pgerror
        ):
            # A table changed under the plan: prepared anew, under a new name, from now on.
            self._statement(text, renamed=True)
            return True
        return False

    def _statement(self, text: str, *, renamed: bool = False) -> PreparedText:
        known = None if renamed else self._statements.get(text)
        if known is None:
            with self._lock:
                self._named += 1
                known = self._statements[text] = PreparedText(f"ta_{self._named}", text)
        return known

    def _stop(self, why: str) -> None:
        if self.enabled:
            self.enabled = False
            log.warning("statements are no longer prepared on the server: %s", why)


_PREPARERS: weakref.WeakKeyDictionary[Engine, _Preparer] = weakref.WeakKeyDictionary()


def prepare_marked_statements(engine: Engine) -> None:
    """From now on ``engine`` prepares the statements marked with :func:`prepared`."""
    preparer = _PREPARERS[engine] = _Preparer()
    event.listen(engine, "connect", preparer.connected)
    event.listen(engine, "do_execute", preparer.do_execute)


def preparer_of(engine: Engine) -> _Preparer | None:
    """What prepares ``engine``'s marked statements (None: nothing does)."""
    return _PREPARERS.get(engine)
