"""Where a read model's values are in a result row: the keys of its columns, as a named tuple
of strings made once per prefix (a joined table's columns are labelled with one), so that
turning a row into a view only looks values up."""

from __future__ import annotations

from typing import Any, TypeVar

K = TypeVar("K", bound=tuple[Any, ...])


def prefixed(keys: type[K], prefix: str) -> K:
    """``keys`` (a NamedTuple of column keys) with every field's own name behind ``prefix``."""
    return keys(*(prefix + name for name in keys._fields))  # type: ignore[attr-defined]
