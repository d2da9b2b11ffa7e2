"""Fields that turn the awkward corners of JSON into 422s instead of 500s further down."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError, fields

from domain.validation import unstorable


class Text(fields.String):
    """A string PostgreSQL can store.

    JSON can carry NUL characters and lone surrogates (``"\\ud800"``); neither can be stored
    or even encoded as UTF-8, so they are refused here, per field, as bad input (by the same
    rule the domain applies, :func:`domain.validation.unstorable`).
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        reason = unstorable(text)
        if reason is not None:
            raise ValidationError(reason[:1].upper() + reason[1:] + ".")
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
