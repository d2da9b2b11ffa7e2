"""DRF's words for the problems marshmallow finds, and its way of writing values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any, Final

from marshmallow import Schema, ValidationError, fields, validate

from entrypoints.http.schemas.fields import UtcDateTime, utc_zulu

REQUIRED: Final = "This field is required."
#: DRF's message for a value of the wrong kind, by the kind of field (most specific first).
_INVALID: Final = (
    (fields.UUID, "Must be a valid UUID."),
    (fields.Integer, "A valid integer is required."),
    (fields.Boolean, "Must be a valid boolean."),
    (
        fields.DateTime,
        "Datetime has wrong format. Use one of these formats instead: "
        "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
    ),
    (fields.String, "Not a valid string."),
)
EMAIL: Final = validate.Email(error="Enter a valid email address.")


class Worded(Schema):
    """Every field of a schema deriving from this one words its problems as DRF did."""

    def on_bind_field(self, field_name: str, field_obj: fields.Field[Any]) -> None:
        messages = {"required": REQUIRED, "null": "This field may not be null."}
        for kind, message in _INVALID:
            if isinstance(field_obj, kind):
                # (marshmallow files a bad UUID under a key of its own)
                messages["invalid"] = messages["invalid_uuid"] = message
                break
        field_obj.error_messages = {**field_obj.error_messages, **messages}
        field_obj.validators = [_worded(v) for v in field_obj.validators]


def _worded(validator: Any) -> Any:
    if not isinstance(validator, validate.Length) or validator.equal is not None:
        return validator
    if validator.max is not None and validator.min is None:
        message = "Ensure this field has no more than {max} characters."
        return validate.Length(max=validator.max, error=message)
    if validator.min is not None and validator.max is None:
        message = "Ensure this field has at least {min} characters."
        return validate.Length(min=validator.min, error=message)
    return validator


class Choice(fields.Enum):  # type: ignore[type-arg]
    """An enum by value, refused as DRF refused a choice: ``"critical" is not a valid
    choice.``"""

    def __init__(self, enum: type[Enum], **kwargs: Any) -> None:
        super().__init__(enum, by_value=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            raise ValidationError(f'"{value}" is not a valid choice.') from None


class ZuluDateTime(UtcDateTime):
    """Written as DRF wrote times: ``2026-12-02T02:35:50.624238Z``."""

    def plain_writer(self) -> Callable[[datetime], str] | None:
        return utc_zulu if super().plain_writer() is not None else None
