"""Fixtures of the department subgraph tests: import path, a small dataset, servers, databases.

``tests/subgraphs/`` has no ``__init__.py`` (it would be imported as ``subgraphs`` and
hide the project package). pytest still puts ``tests/`` on ``sys.path``, where this
folder then shadows the editable install's ``subgraphs`` as a namespace package; the
repository root goes first on ``sys.path`` so ``import subgraphs.x`` is the project.
"""

from __future__ import annotations

import sys
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

from subgraphs.common.datagen import Dataset, DatasetConfig  # noqa: E402

SMALL_PERSONS = 400


@pytest.fixture(scope="session")
def small_dataset() -> Dataset:
    """A small generated Tieling (every county present) shared by the department tests."""
    return Dataset(DatasetConfig(seed=7, persons=SMALL_PERSONS))
