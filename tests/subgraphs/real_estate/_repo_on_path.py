"""Puts the repository root on ``sys.path`` so ``subgraphs`` is the project package.

Why: pytest (rootdir ``prepend`` import mode) puts ``tests/`` on ``sys.path`` for
``tests/conftest.py``; ``tests/subgraphs/`` (no ``__init__.py``) then shadows the editable
install's ``subgraphs`` package as a namespace package, and ``import subgraphs.x`` fails.
A ``pythonpath = ["."]`` in the pytest settings would make this module unnecessary.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__: list[str] = []

_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
for _package in ("subgraphs", "gateway"):
    _loaded = sys.modules.get(_package)
    if _loaded is not None and getattr(_loaded, "__file__", None) is None:
        for name in [m for m in sys.modules if m == _package or m.startswith(_package + ".")]:
            del sys.modules[name]
