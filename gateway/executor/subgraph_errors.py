"""Subgraph errors as client errors: re-pathed into the client's response, named by service.

A subgraph's error path is relative to the operation the gateway sent it. For a root
fetch it is prefixed with where the fetch ran; for an ``_entities`` fetch the leading
``["_entities", i]`` is replaced by the path of every object that produced the i-th
representation. Locations are dropped: they point into the gateway's subgraph operation,
not into the client's document. A failed call becomes one error per affected path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, TypeGuard

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from graphql.error import GraphQLError

from gateway.errors import GatewayError
from gateway.executor.cursor import PathKey

__all__ = [
    "failure_errors",
    "repath_entity_errors",
    "repath_root_errors",
    "root_response_keys",
]


def _client_error(
    error: Any, service_name: str, path: Sequence[str | int] | None
) -> dict[str, Any]:
    if isinstance(error, dict):
        message = error.get("message")
        extensions = error.get("extensions")
    else:
        message, extensions = None, None
    out: dict[str, Any] = {
        "message": message if isinstance(message, str) and message else "Subgraph error"
    }
    if path is not None:
        out["path"] = list(path)
    ext = dict(extensions) if isinstance(extensions, dict) else {}
    ext["serviceName"] = service_name
    out["extensions"] = ext
    return out


def _valid_path(path: Any) -> TypeGuard[list[str | int]]:
    return isinstance(path, list) and all(type(p) in (str, int) for p in path)


def repath_root_errors(
    errors: Iterable[Any], service_name: str, base_paths: Sequence[PathKey]
) -> list[dict[str, Any]]:
    """Errors of a root fetch that ran at ``base_paths`` (``[()]`` at the root)."""
    out: list[dict[str, Any]] = []
    for error in errors:
        path = error.get("path") if isinstance(error, dict) else None
        if not _valid_path(path):
            out.append(_client_error(error, service_name, None))
            continue
        for base in base_paths:
            out.append(_client_error(error, service_name, (*base, *path)))
    return out


def repath_entity_errors(
    errors: Iterable[Any],
    service_name: str,
    owners: Sequence[Sequence[int]],
    object_paths: Sequence[PathKey],
    *,
    locate_pathless: bool,
) -> list[dict[str, Any]]:
    """Errors of an ``_entities`` fetch; ``owners[i]`` = objects behind representation i.

    A pathless error is left pathless, unless ``locate_pathless`` (the whole fetch produced
    no entities), when it is located at every affected object.
    """
    out: list[dict[str, Any]] = []
    for error in errors:
        path = error.get("path") if isinstance(error, dict) else None
        if (
            _valid_path(path)
            and len(path) >= 2
            and path[0] == "_entities"
            and type(path[1]) is int
            and 0 <= path[1] < len(owners)
        ):
            rest = path[2:]
            for position in owners[path[1]]:
                out.append(_client_error(error, service_name, (*object_paths[position], *rest)))
        elif locate_pathless:
            for owner in owners:
                for position in owner:
                    out.append(_client_error(error, service_name, object_paths[position]))
        else:
            out.append(_client_error(error, service_name, None))
    return out


def failure_errors(
    exc: GatewayError, paths: Iterable[PathKey], service_name: str | None = None
) -> list[dict[str, Any]]:
    """One located error per affected path for a subgraph call that failed outright."""
    base = exc.to_graphql()
    if service_name is not None:
        base["extensions"] = {**base.get("extensions", {}), "serviceName": service_name}
    located = [{**base, "path": list(path)} for path in dict.fromkeys(paths)]
    return located or [base]


@lru_cache(maxsize=1024)
def root_response_keys(operation: str) -> tuple[str, ...]:
    """The response keys the root selection of a subgraph operation writes."""
    try:
        document = parse(operation, no_location=True)
    except GraphQLError:
        return ()
    fragments = {
        d.name.value: d.selection_set
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    keys: dict[str, None] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            _collect_keys(definition.selection_set, fragments, keys, set())
    return tuple(keys)


def _collect_keys(
    selection_set: SelectionSetNode,
    fragments: dict[str, SelectionSetNode],
    keys: dict[str, None],
    seen: set[str],
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            key = (selection.alias or selection.name).value
            if key != "__typename":
                keys[key] = None
        elif isinstance(selection, InlineFragmentNode):
            _collect_keys(selection.selection_set, fragments, keys, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                seen.add(name)
                _collect_keys(fragments[name], fragments, keys, seen)
