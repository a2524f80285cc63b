"""What a ``FetchNode`` needs at run time, computed once per node and cached.

The request body is assembled from bytes: the JSON of the operation text and name is
encoded once per node, and each representation is encoded once (its bytes are also its
de-duplication key), so a representation is never serialised twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from gateway.executor.representations import RequiresSelector
from gateway.planner.nodes import FetchNode

__all__ = ["PreparedFetch", "PreparedFetches"]


class PreparedFetch:
    """Per-node constants: URL, body prefix, compiled ``requires``."""

    __slots__ = ("body_prefix", "node", "selector", "url", "variable_usages")

    def __init__(
        self, node: FetchNode, url: str, possible_types: Mapping[str, frozenset[str]]
    ) -> None:
        self.node = node
        self.url = url
        self.variable_usages = node.variable_usages
        prefix = b'{"query":' + orjson.dumps(node.operation)
        if node.operation_name:
            prefix += b',"operationName":' + orjson.dumps(node.operation_name)
        self.body_prefix = prefix + b',"variables":'
        self.selector = (
            RequiresSelector(node.requires, possible_types) if node.requires is not None else None
        )

    def _variables(self, variables: Mapping[str, Any]) -> dict[str, Any]:
        return {name: variables[name] for name in self.variable_usages if name in variables}

    def root_body(self, variables: Mapping[str, Any]) -> bytes:
        return self.body_prefix + orjson.dumps(self._variables(variables)) + b"}"

    def entities_body(self, representations: list[bytes], variables: Mapping[str, Any]) -> bytes:
        body = self.body_prefix + b'{"representations":[' + b",".join(representations) + b"]"
        others = self._variables(variables)
        others.pop("representations", None)
        if others:
            body += b"," + orjson.dumps(others)[1:-1]
        return body + b"}}"


class PreparedFetches:
    """A bounded cache of ``PreparedFetch`` by node identity (plans are cached and reused)."""

    __slots__ = ("_entries", "_limit", "_possible", "_urls")

    def __init__(
        self,
        subgraph_urls: Mapping[str, str],
        possible_types: Mapping[str, frozenset[str]],
        limit: int = 4096,
    ) -> None:
        self._urls = subgraph_urls
        self._possible = possible_types
        self._limit = limit
        self._entries: dict[int, PreparedFetch] = {}

    def get(self, node: FetchNode) -> PreparedFetch:
        entry = self._entries.get(id(node))
        # The entry holds the node, so its id cannot be reused while it is cached.
        if entry is not None and entry.node is node:
            return entry
        url = self._urls.get(node.service_name)
        if url is None:
            raise KeyError(node.service_name)
        if len(self._entries) >= self._limit:
            self._entries.clear()
        entry = PreparedFetch(node, url, self._possible)
        self._entries[id(node)] = entry
        return entry
