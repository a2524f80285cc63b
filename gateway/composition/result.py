"""What composition takes in and gives back: subgraph sources, errors, hints, the result."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CompositionError", "CompositionHint", "CompositionResult", "SubgraphSource"]


@dataclass(frozen=True, slots=True)
class SubgraphSource:
    """One subgraph as composition sees it: its name, routing URL and SDL text."""

    name: str
    url: str
    sdl: str


@dataclass(frozen=True, slots=True)
class CompositionError:
    """A reason the subgraphs cannot be composed; ``code`` follows Apollo's error names."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


@dataclass(frozen=True, slots=True)
class CompositionHint:
    """Something that composed but that a subgraph owner probably wants to know."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


@dataclass(slots=True)
class CompositionResult:
    """The supergraph SDL when composition succeeded, otherwise the errors (never both)."""

    supergraph_sdl: str | None
    errors: list[CompositionError] = field(default_factory=list)
    hints: list[CompositionHint] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.supergraph_sdl is not None and not self.errors
