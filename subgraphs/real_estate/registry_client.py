"""The subgraph's client of the legacy registry: one shared httpx client, envelope decoding.

Failures come out as GraphQL errors a client may read:

- the registry cannot be reached, times out, or answers something that is not its
  envelope -> :class:`RegistryUnavailableError` ("real estate registry unavailable");
- the registry answers with a non-zero code -> :class:`RegistryRefusedError`, carrying
  the registry's code and message.

``calls`` counts HTTP round-trips, so tests can prove that entity resolution is batched.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import httpx
from graphql import GraphQLError

from .legacy_service.protocol import MAX_BATCH, LegacyCode

__all__ = [
    "DEFAULT_TIMEOUT",
    "RegistryClient",
    "RegistryRefusedError",
    "RegistryUnavailableError",
]

log = logging.getLogger("govgraph.real_estate")

DEFAULT_TIMEOUT = httpx.Timeout(5.0, connect=2.0)


class RegistryUnavailableError(GraphQLError):
    """The registry is down, slow, or not speaking its protocol."""

    def __init__(self) -> None:
        super().__init__(
            "real estate registry unavailable", extensions={"code": "REGISTRY_UNAVAILABLE"}
        )


class RegistryRefusedError(GraphQLError):
    """The registry answered with a non-zero result code."""

    def __init__(self, legacy_code: int, legacy_msg: str) -> None:
        super().__init__(
            f"real estate registry refused the request: {legacy_msg}",
            extensions={"code": "REGISTRY_REFUSED", "registryCode": legacy_code},
        )
        self.legacy_code = legacy_code


class RegistryClient:
    """Calls the registry's batch endpoints; one instance (one connection pool) per app."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.calls = 0
        self._http = httpx.AsyncClient(
            base_url=self.base_url + "/bdc/api",
            timeout=timeout,
            transport=transport,
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, str | int] | None = None,
    ) -> Any:
        self.calls += 1
        try:
            response = await self._http.request(method, path, json=json, params=params)
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("registry %s %s failed: %r", method, path, exc)
            raise RegistryUnavailableError() from exc
        if not (isinstance(body, dict) and isinstance(body.get("code"), int)):
            log.warning(
                "registry %s %s answered without an envelope (HTTP %s)",
                method,
                path,
                response.status_code,
            )
            raise RegistryUnavailableError()
        if body["code"] != LegacyCode.OK:
            raise RegistryRefusedError(body["code"], str(body.get("msg", "")))
        return body.get("data")

    async def health(self) -> None:
        """Raises :class:`RegistryUnavailableError` unless the registry answers UP."""
        await self._call("GET", "/health")

    async def _batched(self, path: str, name: str, keys: Sequence[str]) -> list[dict[str, Any]]:
        # The registry takes at most MAX_BATCH keys per call: bigger batches are split.
        units: list[dict[str, Any]] = []
        for start in range(0, len(keys), MAX_BATCH):
            chunk = list(keys[start : start + MAX_BATCH])
            units.extend(_unit_list(await self._call("POST", path, json={name: chunk})))
        return units

    async def units_by_certificates(self, certificates: Sequence[str]) -> list[dict[str, Any]]:
        """Units of the listed certificates; unknown ones are absent."""
        return await self._batched("/bdcdy/queryByZsh", "zshList", certificates)

    async def units_by_owners(self, owner_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Units with at least one of the listed owners (a unit may come back once per chunk)."""
        return await self._batched("/bdcdy/queryByQlr", "zjhList", owner_ids)

    async def list_units(
        self, *, county: str | None, usage_code: str | None, page: int, size: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """``(total, units)`` of one registry page (pages start at 1)."""
        params: dict[str, str | int] = {"page": page, "size": size}
        if county is not None:
            params["xzqdm"] = county
        if usage_code is not None:
            params["ytdm"] = usage_code
        data = await self._call("GET", "/bdcdy/list", params=params)
        if not isinstance(data, dict) or not isinstance(data.get("total"), int):
            raise RegistryUnavailableError()
        return data["total"], _unit_list(data.get("list"))

    async def record_seizure(self, certificate: str, court_decision: str) -> dict[str, Any]:
        data = await self._call(
            "POST", "/cf/record", json={"bdcqzh": certificate, "cfwh": court_decision}
        )
        units = _unit_list([data])
        return units[0]


def _unit_list(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, list) or not all(isinstance(u, dict) for u in data):
        raise RegistryUnavailableError()
    return data
