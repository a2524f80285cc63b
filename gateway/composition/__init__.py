"""Federation 2 composition: subgraph SDLs in, Apollo-format supergraph SDL out."""

from __future__ import annotations

from .compose import compose
from .result import CompositionError, CompositionHint, CompositionResult, SubgraphSource

__all__ = ["CompositionError", "CompositionHint", "CompositionResult", "SubgraphSource", "compose"]
