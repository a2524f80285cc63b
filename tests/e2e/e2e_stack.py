"""The whole government graph on loopback, started once per test session.

Real components only: the legacy real-estate registry (aiohttp), the five department
subgraphs over a small generated Tieling in a temporary folder (SQLite, CSV exports, the
registry database), a supergraph composed for their ephemeral ports, and the gateway with
its built-in token issuer, the demo policies and a real access-log file. Everything runs
on threads of this process and speaks real HTTP on 127.0.0.1.

Each subgraph sits behind a recorder that keeps every request it receives (body and
whether the gateway signed it), so a spec can say how often a department was asked and
for what, without touching the product code.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
from aiohttp import web

from gateway.app import create_app
from gateway.cli.data import generate
from gateway.composition import SubgraphSource, compose
from gateway.composition.sources import department_sdl
from gateway.config import GatewayConfig
from gateway.identity import Issuer
from subgraphs.common.datagen import Dataset, DatasetConfig
from subgraphs.common.records import (
    EnterpriseRecord,
    HouseholdRecord,
    MarriageRecord,
    PersonRecord,
    PropertyRecord,
)
from subgraphs.common.settings import SubgraphSettings
from subgraphs.real_estate.legacy_service import create_legacy_app, registry_path
from tests.support.servers import free_port, serve_asgi

__all__ = ["DEPARTMENTS", "Stack", "SubgraphCall", "Truth", "start_stack"]

REPO = Path(__file__).resolve().parents[2]
DEPARTMENTS = ("population", "civil_affairs", "market_regulation", "social_security", "real_estate")
PERSONS = 600  # small, yet one household has data in every department


@dataclass(frozen=True, slots=True)
class SubgraphCall:
    """One HTTP request a department subgraph received."""

    subgraph: str
    method: str
    body: bytes
    signed: bool
    status: int | None

    @property
    def query(self) -> str:
        try:
            return str(orjson.loads(self.body).get("query", ""))
        except (orjson.JSONDecodeError, AttributeError):
            return ""


class CallRecorder:
    """ASGI wrapper that records every /graphql request a subgraph receives."""

    def __init__(self, app: Any, name: str, calls: list[SubgraphCall]) -> None:
        self.app, self.name, self.calls = app, name, calls

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/graphql"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        headers = {k.decode("latin-1").lower() for k, _ in scope["headers"]}
        status: list[int] = []
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def spy(message: Any) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, replay, spy)
        self.calls.append(
            SubgraphCall(
                self.name,
                scope["method"],
                body,
                "x-govgraph-signature" in headers,
                status[0] if status else None,
            )
        )


class Truth:
    """The generated dataset, indexed: what each department really holds."""

    def __init__(self, dataset: Dataset) -> None:
        self.persons: dict[str, PersonRecord] = {p.id_number: p for p in dataset.persons()}
        self.households: dict[str, HouseholdRecord] = {
            h.household_number: h for h in dataset.households()
        }
        self.members: dict[str, list[PersonRecord]] = defaultdict(list)
        for person in self.persons.values():
            self.members[person.household_number].append(person)
        self.marriages: dict[str, list[MarriageRecord]] = defaultdict(list)
        for m in dataset.marriages():
            self.marriages[m.party_a_id_number].append(m)
            self.marriages[m.party_b_id_number].append(m)
        self.enterprises: dict[str, EnterpriseRecord] = {
            e.credit_code: e for e in dataset.enterprises()
        }
        self.represented: dict[str, list[EnterpriseRecord]] = defaultdict(list)
        for e in self.enterprises.values():
            self.represented[e.legal_representative_id_number].append(e)
        self.contributions: dict[str, int] = defaultdict(int)
        for c in dataset.contributions():
            self.contributions[c.id_number] += 1
        self.properties: dict[str, list[PropertyRecord]] = defaultdict(list)
        self.all_properties: dict[str, PropertyRecord] = {}
        for p in dataset.properties():
            self.all_properties[p.certificate_number] = p
            for owner in p.owners:
                self.properties[owner.owner_id].append(p)
        self.dibao_cases = list(dataset.dibao_cases())

    def dibao_household(self) -> HouseholdRecord:
        """The first household whose members appear in every department."""
        for number in sorted(self.members):
            ids = [p.id_number for p in self.members[number]]
            if (
                len(ids) >= 2
                and any(self.marriages[i] for i in ids)
                and any(self.represented[i] for i in ids)
                and any(self.contributions[i] for i in ids)
                and any(self.properties[i] for i in ids)
            ):
                return self.households[number]
        raise AssertionError("the generated Tieling has no household known to all departments")

    def resident_of(self, county: str, *, with_phone: bool = True) -> PersonRecord:
        """The first living resident of ``county`` (one with a phone number, by default)."""
        for person in sorted(self.persons.values(), key=lambda p: p.id_number):
            if person.county_code == county and person.alive and (person.phone or not with_phone):
                return person
        raise AssertionError(f"no resident of {county} in the generated dataset")


@dataclass
class Stack:
    gateway_url: str
    subgraph_urls: dict[str, str]  # base URL of each department, e.g. http://127.0.0.1:N
    secret: bytes
    issuer: Issuer
    access_log: Path
    policies: Path
    truth: Truth
    tmp: Path
    calls: list[SubgraphCall] = field(default_factory=list)
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))

    # --- callers ---------------------------------------------------------------
    def officer(
        self,
        county: str,
        *,
        scopes: tuple[str, ...] = ("civil_affairs:officer",),
        subject: str | None = None,
    ) -> str:
        """A county civil-affairs officer's token (the city identity provider's shape)."""
        return self.issuer.mint_user_token(
            subject or f"officer-{county}",
            scopes,
            department="civil_affairs",
            county=county,
        )

    def citizen(self, id_number: str) -> str:
        return self.issuer.mint_user_token(id_number, ["citizen"])

    def client_token(self, client_id: str, secret: str, scope: str | None = None) -> str:
        form = {"grant_type": "client_credentials"}
        if scope:
            form["scope"] = scope
        response = self.client.post(
            f"{self.gateway_url}/oauth/token", data=form, auth=(client_id, secret)
        )
        assert response.status_code == 200, f"token endpoint refused {client_id}: {response.text}"
        return str(response.json()["access_token"])

    # --- requests ----------------------------------------------------------------
    def post(
        self,
        payload: Any,
        *,
        token: str | None = None,
        purpose: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = {"accept": "application/json"}
        if token is not None:
            sent["authorization"] = f"Bearer {token}"
        if purpose is not None:
            sent["x-purpose"] = purpose
        sent.update(headers or {})
        return self.client.post(f"{self.gateway_url}/graphql", json=payload, headers=sent)

    def ask(
        self,
        query: str,
        *,
        token: str | None = None,
        purpose: str | None = None,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """POST one operation; the decoded body (any HTTP status that carries GraphQL)."""
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        response = self.post(payload, token=token, purpose=purpose, headers=headers)
        body: dict[str, Any] = response.json()
        return body

    @contextmanager
    def watching(self) -> Iterator[list[SubgraphCall]]:
        """The subgraph calls made while the block runs (in the order they finished)."""
        start = len(self.calls)
        seen: list[SubgraphCall] = []
        try:
            yield seen
        finally:
            seen.extend(self.calls[start:])

    def log_records(self) -> list[dict[str, Any]]:
        if not self.access_log.exists():
            return []
        return [orjson.loads(line) for line in self.access_log.read_bytes().splitlines() if line]


@contextmanager
def _serve_aiohttp(app: web.Application) -> Iterator[str]:
    """Serve an aiohttp app on its own event loop in a thread; yields its base URL."""
    loop = asyncio.new_event_loop()
    port = free_port()
    runner = web.AppRunner(app, access_log=None)
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=run, daemon=True, name="legacy-registry")
    thread.start()
    if not ready.wait(10):
        raise RuntimeError("the legacy real-estate registry did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def _subgraph_app(name: str, settings: SubgraphSettings) -> Any:
    module = __import__(f"subgraphs.{name}.app", fromlist=["create_app"])
    return module.create_app(settings)


@contextmanager
def start_stack(tmp: Path) -> Iterator[Stack]:
    data_dir = tmp / "data"
    dataset = Dataset(DatasetConfig(persons=PERSONS))
    secret = secrets.token_hex(32)
    policies = tmp / "policies"
    # A snapshot of the demo policies: colleagues may edit the working tree meanwhile.
    shutil.copytree(REPO / "policies", policies)
    with ExitStack() as stack:
        legacy_settings = SubgraphSettings.from_env({"GOVGRAPH_DATA_DIR": str(data_dir)})
        asyncio.run(generate(dataset, legacy_settings))
        legacy_url = stack.enter_context(_serve_aiohttp(create_legacy_app(registry_path(data_dir))))
        settings = SubgraphSettings.from_env(
            {
                "GOVGRAPH_DATA_DIR": str(data_dir),
                "GOVGRAPH_REAL_ESTATE_LEGACY_URL": legacy_url,
                "GOVGRAPH_SUBGRAPH_SECRET": secret,
            }
        )
        calls: list[SubgraphCall] = []
        urls: dict[str, str] = {}
        for name in DEPARTMENTS:
            app = CallRecorder(_subgraph_app(name, settings), name, calls)
            urls[name] = stack.enter_context(serve_asgi(app))
        composed = compose(
            [SubgraphSource(n, f"{urls[n]}/graphql", department_sdl(n)) for n in DEPARTMENTS]
        )
        assert composed.supergraph_sdl is not None, composed.errors
        supergraph = tmp / "supergraph.graphql"
        supergraph.write_text(composed.supergraph_sdl)

        port = free_port()
        access_log = tmp / "gateway" / "access-log.jsonl"
        config = GatewayConfig(
            supergraph=supergraph,
            host="127.0.0.1",
            port=port,
            data_dir=tmp / "gateway",
            auth_mode="dev",
            jwt_issuer=f"http://127.0.0.1:{port}",
            clients_file=REPO / "config" / "clients.yaml",
            policies_dir=policies,
            access_log=str(access_log),
            subgraph_secret=secret,
            # Response and entity caching on, as in production: the specs must hold with it.
            cache_url="memory://",
            cache_entities=True,
            cache_responses=True,
            cache_dedup=True,
        )
        gateway_app = create_app(config)
        gateway_url = stack.enter_context(serve_asgi(gateway_app, port=port))
        issuer = gateway_app.state.gateway.issuer
        assert issuer is not None
        result = Stack(
            gateway_url=gateway_url,
            subgraph_urls=urls,
            secret=secret.encode(),
            issuer=issuer,
            access_log=access_log,
            policies=policies,
            truth=Truth(dataset),
            tmp=tmp,
            calls=calls,
        )
        try:
            yield result
        finally:
            result.client.close()
