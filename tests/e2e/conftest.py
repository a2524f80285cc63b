"""One running government graph for the whole end-to-end folder (see e2e_stack).

Like tests/subgraphs/conftest.py: pytest puts ``tests/`` on ``sys.path``, where
``tests/subgraphs`` and ``tests/gateway`` would shadow the project packages as namespace
packages, so the repository root goes first.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[2])
if sys.path[:1] != [_ROOT]:
    sys.path.insert(0, _ROOT)
for _package in ("subgraphs", "gateway"):
    _loaded = sys.modules.get(_package)
    if _loaded is not None and getattr(_loaded, "__file__", None) is None:
        for _name in [m for m in sys.modules if m == _package or m.startswith(_package + ".")]:
            del sys.modules[_name]

from e2e_stack import Stack, start_stack  # noqa: E402


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with start_stack(tmp_path_factory.mktemp("tieling")) as running:
        yield running
