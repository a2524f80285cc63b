"""PolicyStore: the policy set in force, reloaded safely when the files change.

The store polls the directory's ``*.yaml`` (names, sizes, mtimes) at most every
``min_interval`` seconds, either from :meth:`PolicyStore.get` (per request) or from the
:meth:`PolicyStore.watch` task. A changed set is loaded and checked against the API
schema; a set with errors is refused and the previous one stays in force, with a log
line that says why. A missing or unreadable directory puts deny-all in force.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from graphql import GraphQLSchema

from gateway.policy.check import Finding, check_policy
from gateway.policy.directives import SecurityDirectives
from gateway.policy.loader import load_policy_set
from gateway.policy.policyset import PolicySet, deny_all_policy

__all__ = ["PolicyStore"]

log = logging.getLogger("govgraph.policy")
_Stamp = tuple[tuple[str, int, int], ...]


class PolicyStore:
    def __init__(
        self,
        directory: str | Path,
        api_schema: GraphQLSchema,
        *,
        directives: SecurityDirectives | None = None,
        min_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.directory = Path(directory)
        self.api_schema = api_schema
        self.directives = directives
        self.min_interval = min_interval
        self._clock = clock
        self._lock = threading.Lock()
        self._stamp: _Stamp | None = None
        self._checked_at = float("-inf")
        self._current: PolicySet = deny_all_policy("no policy loaded yet")
        self.last_findings: list[Finding] = []
        self.reload()

    @property
    def current(self) -> PolicySet:
        """The set in force, without looking at the files."""
        return self._current

    def get(self) -> PolicySet:
        """The set in force, after a reload if the files changed (checked at most every N s)."""
        now = self._clock()
        if now - self._checked_at >= self.min_interval:
            self._checked_at = now
            if self._read_stamp() != self._stamp:
                self.reload()
        return self._current

    def _read_stamp(self) -> _Stamp | None:
        try:
            if not self.directory.is_dir():
                return None
            return tuple(
                (p.name, p.stat().st_mtime_ns, p.stat().st_size)
                for p in sorted(self.directory.glob("*.yaml"))
            )
        except OSError:
            return None

    def reload(self) -> bool:
        """Load and check now; True if a new set was put in force."""
        with self._lock:
            stamp = self._read_stamp()
            self._stamp = stamp
            if stamp is None:
                self._current = deny_all_policy(
                    f"policy directory {self.directory} is missing or unreadable"
                )
                log.error(
                    "policy directory %s is missing or unreadable: denying everything",
                    self.directory,
                )
                return False
            candidate = load_policy_set(self.directory)
            findings = check_policy(candidate, self.api_schema, self.directives)
            self.last_findings = findings
            errors = [f for f in findings if f.severity == "error"]
            if errors or candidate.deny_all:
                log.error(
                    "policy set %s from %s refused (%d errors), keeping %s: %s",
                    candidate.version,
                    self.directory,
                    len(errors),
                    self._current.version,
                    "; ".join(f.message for f in errors[:5]),
                )
                return False
            previous = self._current.version
            self._current = candidate
            log.info(
                "policy set %s in force (was %s), files: %s",
                candidate.version,
                previous,
                ", ".join(candidate.sources),
            )
            return True

    async def watch(self, interval: float | None = None) -> None:
        """Poll for changes until cancelled (run it as a task next to the server)."""
        while True:
            await asyncio.sleep(interval or self.min_interval)
            try:
                await asyncio.to_thread(self.get)
            except Exception:
                log.exception("policy reload failed; the set in force is unchanged")
