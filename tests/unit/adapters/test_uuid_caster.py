"""A UUID read from PostgreSQL's text is the UUID ``uuid.UUID`` makes of it."""

from __future__ import annotations

import uuid

import pytest

from adapters.sqlalchemy.uuid_caster import uuid_from_text

SPELLED = [
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    *(str(uuid.uuid4()) for _ in range(200)),
    *(str(uuid.uuid1()) for _ in range(50)),
]


@pytest.mark.parametrize("text", SPELLED)
def test_a_canonical_text_reads_as_the_uuid_it_spells(text: str) -> None:
    read = uuid_from_text(text, None)
    expected = uuid.UUID(text)
    assert type(read) is uuid.UUID
    assert read == expected
    assert hash(read) == hash(expected)
    assert str(read) == text
    assert (read.version, read.variant, read.is_safe) == (
        expected.version,
        expected.variant,
        expected.is_safe,
    )


def test_null_reads_as_none() -> None:
    assert uuid_from_text(None, None) is None
