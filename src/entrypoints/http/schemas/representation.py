"""Representations: the schemas answers are written with, dumped through a plan made once.

marshmallow's own dump asks every field, for every object, how to read its attribute (an
accessor, a dotted path, a mapping or an object, a default) before it formats the value; on
a page of thirty tasks that is most of the time an answer takes. A :class:`Representation`
keeps the same fields, hooks and document — the plan is made from its own ``dump_fields``
the first time it dumps — and only reads each attribute directly, then lets the field format
the value as marshmallow would. Fields whose values need the general machinery (a dotted
``attribute``, a ``dump_default``, fields that read no attribute) keep it.

``tests/unit/entrypoints/test_representations.py`` dumps every representation both ways and
compares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from marshmallow import Schema, fields, missing


class Step(NamedTuple):
    """One dumped field: the key it writes, the attribute it reads, how the field formats
    the value; or, for a field that needs marshmallow's general machinery, that."""

    key: str
    name: str
    attribute: str
    formatted: Callable[..., Any]
    general: Callable[[Any], Any] | None


class Representation(Schema):
    """A schema for dumping: ``dump`` (hooks, ``many``) as marshmallow's, each object
    serialized by the plan of :func:`plan_of`."""

    _plan: list[Step] | None = None

    def _serialize(self, obj: Any, *, many: bool = False) -> Any:
        if many and obj is not None:
            return [self._serialize(each) for each in obj]
        plan = self._plan
        if plan is None:
            plan = self._plan = plan_of(self)
        read: Callable[[str, Any], Any]
        if _is_mapping(type(obj)):
            read = obj.get
        else:

            def read(attribute: str, default: Any) -> Any:
                return getattr(obj, attribute, default)

        written = self.dict_class()
        for key, name, attribute, formatted, general in plan:
            if general is None:
                value = read(attribute, missing)
                if value is missing:
                    continue
                written[key] = formatted(value, name, obj)
            else:
                value = general(obj)
                if value is not missing:
                    written[key] = value
        return written


def plan_of(schema: Schema) -> list[Step]:
    """Per dumped field, in order, the :class:`Step` that writes it."""
    return [_step(schema, name, field) for name, field in schema.dump_fields.items()]


def _step(schema: Schema, name: str, field: fields.Field[Any]) -> Step:
    key = field.data_key if field.data_key is not None else name
    attribute = field.attribute or name
    general = None
    if not field._CHECK_ATTRIBUTE or "." in attribute or field.dump_default is not missing:

        def general(obj: Any) -> Any:
            return field.serialize(name, obj, accessor=schema.get_attribute)

    return Step(key, name, attribute, field._serialize, general)


_MAPPINGS: dict[type, bool] = {}


def _is_mapping(kind: type) -> bool:
    """Whether objects of ``kind`` are read by key (once per type: ``Mapping`` is an ABC)."""
    known = _MAPPINGS.get(kind)
    if known is None:
        known = _MAPPINGS[kind] = issubclass(kind, Mapping)
    return known
