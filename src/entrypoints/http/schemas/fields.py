"""Fields that turn the awkward corners of JSON into 422s instead of 500s further down."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import fields


class Text(fields.String):
    """A string PostgreSQL can store.

    JSON can carry NUL characters and lone surrogates (``"\\ud800"``); neither can be stored
    or even encoded as UTF-8, so they are refused here, per field, as bad input.
    """

    default_error_messages = {
        "nul": "Must not contain NUL characters.",
        "encoding": "Must be valid Unicode text.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise self.make_error("nul")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise self.make_error("encoding") from None
        return text


class UtcDateTime(fields.DateTime):
    """Written as ISO 8601 in UTC; read as an aware time, converted to UTC.

    A time without a zone is refused rather than guessed at, and one that falls outside
    the representable years once converted to UTC is a validation error, not an overflow.
    """

    default_error_messages = {
        "naive": "Must include a time zone (e.g. 2030-01-31T12:00:00Z).",
        "range": "Is out of the supported range of dates.",
    }

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, datetime):
            value = value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise self.make_error("naive")
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise self.make_error("range") from None
