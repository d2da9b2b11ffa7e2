from __future__ import annotations

import pytest

from unit.harness import Core


@pytest.fixture
def core() -> Core:
    return Core()
