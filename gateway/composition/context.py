"""State shared by the merge stages: the subgraphs in Apollo's order (sorted by name),
their join__Graph names, the subtype relation of the merged schema, errors and hints."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .model import SType, Subgraph
from .result import CompositionError, CompositionHint

__all__ = ["MergeContext", "default_conflict", "graph_enum_names", "names", "pick_description"]


def graph_enum_names(names: list[str]) -> list[str]:
    """``join__Graph`` value per subgraph: upper-cased, non-identifier characters to ``_``,
    a leading ``_`` before a digit; names that collide all get ``_1``, ``_2`` ..."""
    bases: list[str] = []
    for name in names:
        base = re.sub(r"[^A-Z0-9_]", "_", name.upper())
        bases.append("_" + base if base[:1].isdigit() else base)
    counts = Counter(bases)
    seen: Counter[str] = Counter()
    out: list[str] = []
    for base in bases:
        if counts[base] == 1:
            out.append(base)
        else:
            seen[base] += 1
            out.append(f"{base}_{seen[base]}")
    return out


@dataclass
class MergeContext:
    subgraphs: list[Subgraph]
    graphs: list[str] = field(default_factory=list)
    errors: list[CompositionError] = field(default_factory=list)
    hints: list[CompositionHint] = field(default_factory=list)
    # supertype relation of the merged schema: type -> unions/interfaces it belongs to
    supertypes: dict[str, set[str]] = field(default_factory=dict)
    features: set[str] = field(default_factory=set)  # spec directives used, "overrideLabel"

    def __post_init__(self) -> None:
        self.graphs = graph_enum_names([s.name for s in self.subgraphs])
        for s in self.subgraphs:
            for t in s.types.values():
                for iface in t.interfaces:
                    self.supertypes.setdefault(t.name, set()).add(iface)
                for member in t.members:
                    self.supertypes.setdefault(member, set()).add(t.name)

    def error(self, code: str, message: str) -> None:
        self.errors.append(CompositionError(code, message))

    def hint(self, code: str, message: str) -> None:
        self.hints.append(CompositionHint(code, message))

    def sources(self, type_name: str) -> Iterator[tuple[int, SType]]:
        for i, s in enumerate(self.subgraphs):
            t = s.types.get(type_name)
            if t is not None:
                yield i, t

    def index_of(self, subgraph_name: str) -> int | None:
        return next((i for i, s in enumerate(self.subgraphs) if s.name == subgraph_name), None)

    def is_subtype(self, general: str, specific: str) -> bool:
        """Whether type reference ``specific`` may stand where ``general`` is expected."""
        if general == specific:
            return True
        if specific.endswith("!"):
            inner = specific[:-1]
            if general.endswith("!"):
                return self.is_subtype(general[:-1], inner)
            return self.is_subtype(general, inner)
        if general.endswith("!"):
            return False
        if general.startswith("[") and specific.startswith("["):
            return self.is_subtype(general[1:-1], specific[1:-1])
        if general.startswith("[") or specific.startswith("["):
            return False
        return general in self.supertypes.get(specific, set())


def names(subgraphs: list[str]) -> str:
    """``subgraph "a"``, ``subgraphs "a" and "b"``, ``subgraphs "a", "b" and "c"``: how
    messages name subgraphs (as Apollo's do)."""
    quoted = [f'"{n}"' for n in subgraphs]
    if len(quoted) <= 1:
        return "subgraph " + "".join(quoted)
    return "subgraphs " + ", ".join(quoted[:-1]) + " and " + quoted[-1]


def pick_description(descriptions: Iterable[str | None]) -> str | None:
    """The description most subgraphs give (the first of those on a tie), as Apollo does."""
    given = [d for d in descriptions if d]
    if not given:
        return None
    counts = Counter(given)
    return max(given, key=lambda d: counts[d])


def default_conflict(subject: str, defaults: list[tuple[str, str | None]]) -> str:
    """Apollo's wording for defaults that differ: ``(subgraph, printed default)`` pairs."""
    parts = [
        f'{"default value " + d if d is not None else "no default value"} in subgraph "{n}"'
        for n, d in defaults
    ]
    return f"{subject} has incompatible default values across subgraphs: it has " + " but ".join(
        parts
    )
