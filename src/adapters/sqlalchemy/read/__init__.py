"""The read side: pages of DTOs for display, in a fixed number of statements.

``callers`` answers who is behind a token; ``tasks``, ``users`` and ``history`` hold the
query adapters; ``filters`` is the one translation of a task filter into SQL; ``counting``
the one way of counting tasks (the task tallies); ``rows`` turns result rows into the DTOs
the API shows. Every read ignores soft-deleted tasks and users, except that a task still
shows the (deleted) user it was assigned to and history still names a deleted actor: that
is history.
"""

from adapters.sqlalchemy.read.callers import SqlCallers
from adapters.sqlalchemy.read.history import SqlHistoryQueries
from adapters.sqlalchemy.read.tasks import SqlTaskQueries
from adapters.sqlalchemy.read.users import SqlUserQueries

__all__ = ["SqlCallers", "SqlHistoryQueries", "SqlTaskQueries", "SqlUserQueries"]
