"""Cache hints: what subgraphs say about their answers, and what one request collected.

A subgraph speaks through its ``Cache-Control`` header (``max-age``, ``s-maxage``,
``private``, ``no-store``/``no-cache``) or Apollo-style hints in
``extensions.cacheControl`` (``maxAge``, ``scope: PRIVATE``). Each fetch of a request
notes its hint in the request's :class:`FetchReport` (a context variable the response
cache opens), so the response's own max-age is never longer than its shortest part.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

__all__ = ["FetchReport", "SubgraphHint", "begin_report", "current_report", "subgraph_hint"]


@dataclass(frozen=True, slots=True)
class SubgraphHint:
    max_age: int | None = None  # None: the subgraph said nothing
    private: bool = False
    no_store: bool = False


def subgraph_hint(headers: Mapping[str, str], payload: Mapping[str, Any]) -> SubgraphHint:
    """The hint of one subgraph response, from its header and its extensions."""
    max_age: int | None = None
    private = no_store = False
    header = headers.get("cache-control") or headers.get("Cache-Control")
    if header:
        shared_age: int | None = None
        for token in header.lower().split(","):
            name, _, value = token.strip().partition("=")
            if name in ("no-store", "no-cache"):
                no_store = True
            elif name == "private":
                private = True
            elif name in ("max-age", "s-maxage"):
                seconds = _seconds(value)
                if seconds is None:
                    no_store = True  # unreadable: do not guess a lifetime
                elif name == "s-maxage":
                    shared_age = seconds
                else:
                    max_age = seconds
        if shared_age is not None:
            max_age = shared_age if max_age is None else min(max_age, shared_age)
    extensions = payload.get("extensions")
    control = extensions.get("cacheControl") if isinstance(extensions, dict) else None
    if isinstance(control, dict):
        hints = control.get("hints")
        for hint in [control, *(hints if isinstance(hints, list) else [])]:
            if not isinstance(hint, dict):
                continue
            seconds = _seconds(hint.get("maxAge"))
            if seconds is not None:
                max_age = seconds if max_age is None else min(max_age, seconds)
            if str(hint.get("scope", "")).upper() == "PRIVATE":
                private = True
    if max_age == 0:
        no_store = True
    return SubgraphHint(max_age, private, no_store)


def _seconds(value: Any) -> int | None:
    try:
        seconds = int(str(value).strip().strip('"'))
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


@dataclass(slots=True)
class FetchReport:
    """What the fetches of one request said about caching, combined (strictest wins)."""

    max_age: int | None = None
    private: bool = False
    no_store: bool = False
    fetches: int = 0

    def note(
        self, *, max_age: int | None = None, private: bool = False, no_store: bool = False
    ) -> None:
        self.fetches += 1
        if max_age is not None:
            self.max_age = max_age if self.max_age is None else min(self.max_age, max_age)
        self.private = self.private or private
        self.no_store = self.no_store or no_store


_current: ContextVar[FetchReport | None] = ContextVar("govgraph_fetch_report", default=None)


def begin_report() -> FetchReport:
    """Open a fresh report for the current request (its task and the tasks it spawns)."""
    report = FetchReport()
    _current.set(report)
    return report


def current_report() -> FetchReport | None:
    return _current.get()
