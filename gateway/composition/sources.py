"""Where subgraph SDLs come from: the department schemas in this process, a subgraph's
``_service { sdl }`` over HTTP, SDL files, or a rover-style ``supergraph.yaml``."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import httpx
import yaml

from .result import SubgraphSource

__all__ = [
    "DEPARTMENTS",
    "SourceError",
    "default_sources",
    "department_sdl",
    "department_url",
    "fetch_sdl",
    "load_config",
    "parse_subgraph_option",
]

DEPARTMENTS = ("population", "civil_affairs", "market_regulation", "social_security", "real_estate")
_SERVICE_QUERY = "query SubgraphSdl { _service { sdl } }"


class SourceError(Exception):
    """A subgraph's SDL could not be obtained; the message says which and why."""


def department_url(department: str) -> str:
    """``GOVGRAPH_<DEPT>_URL``, else the department's port of ``govgraph up`` on loopback."""
    env = os.environ.get(f"GOVGRAPH_{department.upper()}_URL")
    if env:
        return env
    port = 4001 + DEPARTMENTS.index(department)
    return f"http://127.0.0.1:{port}/graphql"


def department_sdl(department: str) -> str:
    """The SDL ``_service { sdl }`` of ``subgraphs.<department>.schema:schema`` returns."""
    try:
        module = importlib.import_module(f"subgraphs.{department}.schema")
    except ImportError as exc:
        raise SourceError(f"subgraph {department}: cannot import its schema ({exc})") from exc
    schema: Any = getattr(module, "schema", None)
    if schema is None or not hasattr(schema, "execute_sync"):
        raise SourceError(f"subgraph {department}: subgraphs.{department}.schema has no `schema`")
    result = schema.execute_sync(_SERVICE_QUERY)
    if result.errors or not result.data:
        # A schema whose extensions only run asynchronously still prints the same SDL.
        printed = schema.as_str()
        if not isinstance(printed, str):
            raise SourceError(f"subgraph {department}: _service {{ sdl }} failed")
        return printed
    return str(result.data["_service"]["sdl"])


def fetch_sdl(name: str, url: str, timeout: float = 10.0) -> str:
    """Ask a running subgraph for its SDL over HTTP."""
    try:
        response = httpx.post(url, json={"query": _SERVICE_QUERY}, timeout=timeout)
    except httpx.HTTPError as exc:
        raise SourceError(
            f"subgraph {name}: cannot reach {url} ({exc.__class__.__name__}: {exc})"
        ) from exc
    if response.status_code != 200:
        raise SourceError(f"subgraph {name}: {url} answered HTTP {response.status_code}")
    try:
        body = response.json()
        sdl = body["data"]["_service"]["sdl"]
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"subgraph {name}: {url} did not return _service {{ sdl }}") from exc
    if not isinstance(sdl, str):
        raise SourceError(f"subgraph {name}: {url} returned a non-string SDL")
    return sdl


def default_sources(introspect: bool = False) -> list[SubgraphSource]:
    """The five departments, SDL in-process (or over HTTP with ``introspect``)."""
    out: list[SubgraphSource] = []
    for department in DEPARTMENTS:
        url = department_url(department)
        sdl = fetch_sdl(department, url) if introspect else department_sdl(department)
        out.append(SubgraphSource(department, url, sdl))
    return out


def parse_subgraph_option(option: str, introspect: bool = False) -> SubgraphSource:
    """``name=URL`` (asked over HTTP), ``name=FILE`` or ``name=FILE@URL``."""
    name, sep, value = option.partition("=")
    if not sep or not name or not value:
        raise SourceError(f"--subgraph {option!r}: expected NAME=URL, NAME=FILE or NAME=FILE@URL")
    if value.startswith(("http://", "https://")):
        return SubgraphSource(name, value, fetch_sdl(name, value))
    path, at, routing_url = value.partition("@")
    if not at:
        if name in DEPARTMENTS:
            routing_url = department_url(name)
        else:
            raise SourceError(f"--subgraph {option!r}: say where it is served, as NAME=FILE@URL")
    if introspect:
        return SubgraphSource(name, routing_url, fetch_sdl(name, routing_url))
    return SubgraphSource(name, routing_url, _read(Path(path), name))


def load_config(path: Path, introspect: bool = False) -> list[SubgraphSource]:
    """Read a rover-style config::

    subgraphs:
      population:
        routing_url: http://127.0.0.1:4001/graphql
        schema: {file: population.graphql}        # or {subgraph_url: http://...}
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise SourceError(f"{path}: not valid YAML ({exc})") from exc
    subgraphs = data.get("subgraphs") if isinstance(data, dict) else None
    if not isinstance(subgraphs, dict) or not subgraphs:
        raise SourceError(f"{path}: expected a `subgraphs:` mapping of name -> settings")
    out: list[SubgraphSource] = []
    for name, entry in subgraphs.items():
        if not isinstance(entry, dict):
            raise SourceError(f"{path}: subgraph {name}: expected a mapping")
        schema = entry.get("schema") or {}
        routing_url = entry.get("routing_url") or entry.get("url") or schema.get("subgraph_url")
        if not isinstance(routing_url, str):
            raise SourceError(f"{path}: subgraph {name}: needs routing_url")
        if introspect or (not schema.get("file") and schema.get("subgraph_url")):
            sdl = fetch_sdl(str(name), str(schema.get("subgraph_url") or routing_url))
        elif schema.get("file"):
            sdl = _read(path.parent / str(schema["file"]), str(name))
        else:
            raise SourceError(f"{path}: subgraph {name}: needs schema.file or schema.subgraph_url")
        out.append(SubgraphSource(str(name), routing_url, sdl))
    return out


def _read(path: Path, name: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"subgraph {name}: cannot read {path} ({exc.strerror})") from exc
