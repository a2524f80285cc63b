"""Make the conformance scripts importable as the runner imports them (by module name)."""

import sys
from pathlib import Path

__all__: list[str] = []

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
