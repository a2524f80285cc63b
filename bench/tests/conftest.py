"""Make the benchmark's script folders importable the way their scripts import them."""

import sys
from pathlib import Path

__all__: list[str] = []

BENCH = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(BENCH), str(BENCH / "subgraphs")]
