"""The ``Cache-Control`` and ``Vary`` a response leaves with.

- ``no-store``: personal fields were released, the response has errors, it is a
  mutation, or a part said ``no-store``;
- ``private, max-age=N`` (``Vary: Authorization, X-Purpose``): the answer depends on who
  asks, which is every answer under a policy unless the decision consulted nothing about
  the caller and anonymous callers are allowed;
- ``public, max-age=N``: only data that every caller, anonymous included, gets alike.

``N`` is the shortest of the parts' lifetimes and the configured default.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "NO_STORE",
    "CacheDirective",
    "caller_dependent",
    "combine",
    "http_cache_headers",
    "response_cache_control",
]

VARY = ("Authorization", "X-Purpose")


@dataclass(frozen=True, slots=True)
class CacheDirective:
    cache_control: str
    vary: tuple[str, ...] = ()

    def headers(self) -> dict[str, str]:
        out = {"Cache-Control": self.cache_control}
        if self.vary:
            out["Vary"] = ", ".join(self.vary)
        return out

    @property
    def max_age(self) -> int | None:
        for token in self.cache_control.split(","):
            name, _, value = token.strip().partition("=")
            if name == "max-age":
                return int(value)
        return None


NO_STORE = CacheDirective("no-store")


def caller_dependent(decision: Any | None, allow_anonymous: bool) -> bool:
    """Does the answer depend on the caller? True unless the policy consulted nothing.

    ``decision`` is the authorize stage's outcome (None: no policy in force, so nothing
    is known to be shareable). A decision's ``context`` records each scope, claim and
    fact it read; an empty record means every caller got the same decision.
    """
    if decision is None or not allow_anonymous:
        return True
    context = getattr(decision, "context", None)
    if context is None:
        return True
    return bool(context.scopes or context.claims or context.facts)


def response_cache_control(
    *,
    personal: bool,
    caller_dependent: bool,
    max_age: int | None,
    default_ttl: int,
    private: bool = False,
    no_store: bool = False,
    errors: bool = False,
    mutation: bool = False,
) -> CacheDirective:
    """The directive for one response; see the module docstring for the rules."""
    if personal or errors or mutation or no_store:
        return NO_STORE
    age = default_ttl if max_age is None else min(max_age, default_ttl)
    if age <= 0:
        return NO_STORE
    if caller_dependent or private:
        return CacheDirective(f"private, max-age={age}", VARY)
    return CacheDirective(f"public, max-age={age}")


def combine(directives: Iterable[CacheDirective]) -> CacheDirective:
    """One directive for a batch: the strictest of its operations', shortest max-age."""
    items = list(directives)
    if not items or any(d.cache_control == NO_STORE.cache_control for d in items):
        return NO_STORE
    ages = [d.max_age for d in items]
    age = min(a for a in ages if a is not None) if any(a is not None for a in ages) else 0
    if age <= 0:
        return NO_STORE
    if any(d.cache_control.startswith("private") for d in items):
        return CacheDirective(f"private, max-age={age}", VARY)
    return CacheDirective(f"public, max-age={age}")


def http_cache_headers(cache_controls: Iterable[str | None]) -> dict[str, str]:
    """The headers of one HTTP response carrying these operations' ``cache_control``
    (None, as set by a pipeline without caches, is ``no-store``)."""
    directives = []
    for value in cache_controls:
        if not value or value == NO_STORE.cache_control:
            return NO_STORE.headers()
        vary = VARY if value.startswith("private") else ()
        directives.append(CacheDirective(value, vary))
    return combine(directives).headers()
