"""Composition specs import the department schemas, so the project's ``subgraphs``
package must win over ``tests/subgraphs/`` (which pytest's ``tests/`` path entry would
otherwise turn into a namespace package); same fix as ``tests/subgraphs/conftest.py``."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if sys.path[:1] != [_ROOT]:
    sys.path.insert(0, _ROOT)
_loaded = sys.modules.get("subgraphs")
if _loaded is not None and getattr(_loaded, "__file__", None) is None:
    for _name in [m for m in sys.modules if m == "subgraphs" or m.startswith("subgraphs.")]:
        del sys.modules[_name]
