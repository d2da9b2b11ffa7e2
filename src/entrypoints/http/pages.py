"""Pages of a list on the wire: the page itself, and its neighbours as ``Link`` header
fields (RFC 8288, ``rel="next"`` and ``rel="prev"``), carrying their cursors.

The strict dialect also writes the cursors in the page; the original's page has no place for
them, and a dialect that only adds headers leaves its bodies as they were.
"""

from __future__ import annotations

from typing import Any, Final, TypeVar
from urllib.parse import urlencode

from flask import request

from application.paging import Page

T = TypeVar("T")

LINK_HEADERS: Final = {
    "Link": {
        "description": 'The neighbouring pages, by cursor: `<...?cursor=...>; rel="next"`, '
        '`rel="prev"` (RFC 8288); absent when there is neither.',
        "schema": {"type": "string"},
    }
}


def paged(page: Page[T]) -> tuple[Page[T], int, dict[str, str]]:
    links = [
        f'<{_at(cursor)}>; rel="{rel}"'
        for rel, cursor in (("next", page.next_cursor), ("prev", page.previous_cursor))
        if cursor is not None
    ]
    return page, 200, ({"Link": ", ".join(links)} if links else {})


def _at(cursor: str) -> str:
    """This list's URL (a relative reference) starting at ``cursor``: same filters, same
    order, same size."""
    kept: list[tuple[str, Any]] = [
        (key, value)
        for key, value in request.args.items(multi=True)
        if key not in ("cursor", "offset")
    ]
    return f"{request.script_root}{request.path}?{urlencode([*kept, ('cursor', cursor)])}"
