"""The federation schema class departments use: masks bugs, logs refusals without noise."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from graphql import GraphQLError
from strawberry.federation import Schema
from strawberry.types import ExecutionContext

from subgraphs.common.errors import InputError, masking_extension

__all__ = ["SubgraphSchema"]

log = logging.getLogger("govgraph.subgraph")


class SubgraphSchema(Schema):
    """A Federation 2 schema whose unexpected errors become "Internal server error".

    Refused input (:class:`InputError`) is the client's business: one INFO line, no
    traceback. Everything else keeps strawberry's full error log.
    """

    def __init__(
        self,
        *,
        query: type,
        mutation: type | None = None,
        types: Iterable[type] = (),
        extensions: Iterable[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(
            query=query,
            mutation=mutation,
            types=types,
            extensions=[masking_extension, *extensions],
            **kwargs,
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = []
        for error in errors:
            if isinstance(error.original_error, InputError):
                log.info("refused input at %s: %s", error.path, error.message)
            else:
                unexpected.append(error)
        if unexpected:
            super().process_errors(unexpected, execution_context)
