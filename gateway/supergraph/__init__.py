"""The supergraph: a Federation 2 supergraph SDL loaded into schemas and join metadata."""

from __future__ import annotations

from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.loader import Supergraph, parse_field_set
from gateway.supergraph.model import (
    EntityKey,
    FieldJoin,
    FieldMeta,
    SubgraphInfo,
    TypeJoin,
    TypeMeta,
)

__all__ = [
    "EntityKey",
    "FieldJoin",
    "FieldMeta",
    "SubgraphInfo",
    "Supergraph",
    "SupergraphError",
    "TypeJoin",
    "TypeMeta",
    "parse_field_set",
]
