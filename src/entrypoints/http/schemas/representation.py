"""Representations: the schemas answers are written with, dumped through a plan made once.

marshmallow's own dump asks every field, for every object, how to read its attribute (an
accessor, a dotted path, a mapping or an object, a default) before it formats the value; on
a page of thirty tasks that is most of the time an answer takes. A :class:`Representation`
keeps the same fields, hooks and document — the plan is made from its own ``dump_fields``
the first time it dumps, and written out as a function — and only reads each attribute
directly, then lets the field format the value as marshmallow would. Fields whose values
need the general machinery (a dotted ``attribute``, a ``dump_default``, fields that read no
attribute) keep it.

The commonest fields (a string, a UUID, a number, a flag, an enum by value, a time in UTC)
write a value of their usual type without the field at all: as it is, or through the one
function marshmallow's own field would end up calling. A value of any other type still goes
through the field. One object nested by another representation (a task's assignee) is
written by that representation's own writers, its pre-dump hooks called directly.

``tests/unit/entrypoints/test_representations.py`` dumps every representation both ways and
compares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any, NamedTuple
from uuid import UUID

from marshmallow import Schema, fields, missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP

from entrypoints.http.schemas.fields import UtcDateTime


class Step(NamedTuple):
    """One dumped field: the key it writes, the attribute it reads, how the field formats
    the value; or, for a field that needs marshmallow's general machinery, that."""

    key: str
    name: str
    attribute: str
    formatted: Callable[..., Any]
    general: Callable[[Any], Any] | None
    #: Values of exactly this type are written by ``plain`` (None: as they are).
    usual: type | None = None
    plain: Callable[[Any], Any] | None = None
    #: Writes every value, the field never asked (a nested representation).
    direct: Callable[[Any], Any] | None = None


class Representation(Schema):
    """A schema for dumping: ``dump`` (hooks, ``many``) as marshmallow's, each object
    written by the functions :func:`writers_of` makes from the plan of :func:`plan_of`."""

    _writers: Writers | None = None

    def dumped_one(self) -> Callable[[Any], Any]:
        """A function that writes one object (None as None) as ``dump(obj, many=False)`` would,
        calling the schema's pre-dump hooks itself: marshmallow's dump, which looks its hooks
        up on every call, took a fifth of writing a page's nested users. A schema with other
        hooks (post-dump, or given the collection or the original) keeps marshmallow's dump."""
        hooks = self._hooks
        plain = not hooks[POST_DUMP] and all(
            not many and not options.get("pass_original") for _, many, options in hooks[PRE_DUMP]
        )
        if not plain:
            return lambda obj: None if obj is None else self.dump(obj, many=False)
        before = tuple(getattr(self, name) for name, _, _ in hooks[PRE_DUMP])

        def one(obj: Any) -> Any:
            if obj is None:
                return None
            for hook in before:
                obj = hook(obj, many=False)
            return self._serialize(obj)

        return one

    def _serialize(self, obj: Any, *, many: bool = False) -> Any:
        if many and obj is not None:
            return [self._serialize(each) for each in obj]
        writers = self._writers
        if writers is None:
            writers = self._writers = writers_of(plan_of(self), self.dict_class)
        return writers.from_mapping(obj) if _is_mapping(type(obj)) else writers.from_object(obj)


class Writers(NamedTuple):
    """What writes one object by a plan: read by key from a mapping, or by attribute."""

    from_mapping: Callable[[Any], Any]
    from_object: Callable[[Any], Any]


def writers_of(plan: list[Step], dict_class: type) -> Writers:
    """The two writers of ``plan``, generated as Python source with one statement per field,
    as :mod:`dataclasses` generates ``__init__``: looping over the plan (unpacking each step,
    calling a reader per field) cost a fifth of writing a page of tasks. The source names
    each step's functions and types by its index; keys and attributes are the schema's own
    field names, written as literals."""
    names: dict[str, Any] = {"missing": missing, "new": dict_class}
    by_key, by_attribute = [], []
    for index, step in enumerate(plan):
        names |= {
            f"formatted{index}": step.formatted,
            f"general{index}": step.general,
            f"usual{index}": step.usual,
            f"plain{index}": step.plain,
            f"direct{index}": step.direct,
        }
        by_key += _statements(index, step, f"obj.get({step.attribute!r}, missing)")
        by_attribute += _statements(index, step, f"getattr(obj, {step.attribute!r}, missing)")
    source = "\n".join(
        [
            "def from_mapping(obj):",
            "    written = new()",
            *by_key,
            "    return written",
            "def from_object(obj):",
            "    written = new()",
            *by_attribute,
            "    return written",
        ]
    )
    exec(compile(source, f"<representation writers {id(plan)}>", "exec"), names)  # noqa: S102
    return Writers(names["from_mapping"], names["from_object"])


def _statements(index: int, step: Step, read: str) -> list[str]:
    """How the writer writes one step's field: as :class:`Step` says."""
    value = f"general{index}(obj)" if step.general is not None else read
    lines = [f"    value = {value}", "    if value is not missing:"]
    key = repr(step.key)
    if step.general is not None:
        return [*lines, f"        written[{key}] = value"]
    if step.direct is not None:
        return [*lines, f"        written[{key}] = direct{index}(value)"]
    formatted = f"formatted{index}(value, {step.name!r}, obj)"
    if step.usual is None:
        return [*lines, f"        written[{key}] = {formatted}"]
    plain = "value" if step.plain is None else f"plain{index}(value)"
    return [
        *lines,
        f"        written[{key}] = {plain} if type(value) is usual{index} else {formatted}",
    ]


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

    nested = _nested_representation(field) if general is None else None
    if nested is not None:
        return Step(key, name, attribute, field._serialize, None, direct=nested.dumped_one())
    return Step(key, name, attribute, field._serialize, general, *_usual(field))


def _nested_representation(field: fields.Field[Any]) -> Representation | None:
    """The representation ``field`` nests one object by, if it is marshmallow's own Nested
    and leaves that representation's fields as they are."""
    if type(field) is not fields.Nested or field.many:
        return None
    nested = field.schema
    if isinstance(nested, Representation) and not nested.many:
        return nested if nested.only is None and not nested.exclude else None
    return None


def _usual(field: fields.Field[Any]) -> tuple[type | None, Callable[[Any], Any] | None]:
    """The type of value ``field`` writes by a plain function, and that function (None: the
    value itself); (None, None) for a field that always formats through itself. Only the
    exact field classes below qualify (a subclass may write its values its own way), and our
    times, whose fields name their writer."""
    kind = type(field)
    if kind is fields.String:
        return str, None
    if kind is fields.UUID:
        return UUID, str
    if kind in (fields.Integer, fields.Float) and not field.as_string:  # type: ignore[attr-defined]
        return (int if kind is fields.Integer else float), None
    if kind is fields.Boolean:
        return bool, None
    if kind is fields.Enum and field.by_value and type(field.field) is fields.Raw:  # type: ignore[attr-defined]
        enum: type[Enum] = field.enum  # type: ignore[attr-defined]
        return enum, _value_of
    if isinstance(field, UtcDateTime):
        # Ours, subclasses included: each names the function that writes its times.
        write = field.plain_writer()
        return (None, None) if write is None else (datetime, write)
    return None, None


def _value_of(member: Enum) -> Any:
    return member.value


_MAPPINGS: dict[type, bool] = {}


def _is_mapping(kind: type) -> bool:
    """Whether objects of ``kind`` are read by key (once per type: ``Mapping`` is an ABC)."""
    known = _MAPPINGS.get(kind)
    if known is None:
        known = _MAPPINGS[kind] = issubclass(kind, Mapping)
    return known
