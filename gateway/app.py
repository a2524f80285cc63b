"""The FastAPI application: /graphql (GET, POST), /health, the explorer page, and the
built-in token issuer when configured. Everything request-specific is in the pipeline."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import orjson
from fastapi import FastAPI
from graphql import GraphQLInterfaceType, GraphQLUnionType
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from gateway.accesslog import AccessLog, open_access_log
from gateway.caching import (
    CacheLayer,
    CacheSettings,
    EntityCachingFetcher,
    ResponseCache,
    cache_admin_router,
    http_cache_headers,
)
from gateway.config import GatewayConfig
from gateway.errors import ClientError, UnauthenticatedError
from gateway.executor import Executor
from gateway.http.explorer import explorer_page
from gateway.http.graphql_http import (
    GRAPHQL_RESPONSE_JSON,
    decode_request,
    encode_response,
    negotiate,
)
from gateway.http.headers import header_text
from gateway.http.policy_page import policy_matrix_page
from gateway.identity import IdentityConfig, Issuer, TokenVerifier, issuer_router
from gateway.pipeline.access_recorder import AccessLogRecorder
from gateway.pipeline.pipeline import Pipeline
from gateway.pipeline.request import GraphQLRequest, GraphQLResponse, RequestContext
from gateway.pipeline.subgraph_signing import SigningFetcher
from gateway.policy import PolicyAuthorizer, PolicyStore, parse_security_directives
from gateway.policy.principal import ANONYMOUS, Principal
from gateway.supergraph import Supergraph
from gateway.telemetry.setup import configure_telemetry
from gateway.telemetry.spans import request_span
from gateway.transport.fetcher import SubgraphFetcher
from gateway.transport.http import HttpFetcher
from gateway.transport.pooled import PooledFetcher

__all__ = ["Gateway", "create_app"]

log = logging.getLogger("govgraph.app")


class Gateway:
    """The assembled gateway: supergraph, pipeline and the edge (identity) in one place."""

    def __init__(self, config: GatewayConfig, supergraph: Supergraph | None = None) -> None:
        self.config = config
        self.supergraph = supergraph or Supergraph.from_sdl(config.supergraph.read_text())
        urls = {name: info.url for name, info in self.supergraph.subgraphs.items()}
        urls.update(config.subgraph_url_overrides)
        # Our own keep-alive HTTP/1.1 client: a fraction of aiohttp's CPU per subgraph
        # call (docs/transport.md); aiohttp remains available as the general client.
        self.http_fetcher: PooledFetcher | HttpFetcher = (
            PooledFetcher(
                timeout=config.subgraph_timeout,
                max_connections_per_origin=config.subgraph_pool_size,
            )
            if config.subgraph_transport == "pooled"
            else HttpFetcher(
                timeout=config.subgraph_timeout, max_connections=config.subgraph_pool_size
            )
        )
        fetcher: SubgraphFetcher = self.http_fetcher
        if config.subgraph_secret:
            fetcher = SigningFetcher(fetcher, config.subgraph_secret.encode())
        # Outside the signing wrapper: it rewrites the body that is then signed.
        self.cache = CacheLayer(
            CacheSettings(
                url=config.cache_url,
                entities=config.cache_entities,
                responses=config.cache_responses,
                dedup=config.cache_dedup,
            ),
            self.supergraph,
        )
        fetcher = EntityCachingFetcher(fetcher, self.cache)
        self.executor = Executor(fetcher, urls, possible_types=_possible_types(self.supergraph))
        self.authorizer: PolicyAuthorizer | None = None
        if config.policies_dir is not None:
            directives = parse_security_directives(self.supergraph.sdl)
            store = PolicyStore(
                config.policies_dir, self.supergraph.api_schema, directives=directives
            )
            self.authorizer = PolicyAuthorizer(
                store,
                self.supergraph.api_schema,
                directives=directives,
                mode=config.policy_mode,
                allow_anonymous=config.allow_anonymous,
            )
        elif config.auth_mode != "off":
            # Tokens without policies would share every field with every caller.
            raise ValueError(
                "GOVGRAPH_POLICIES_DIR must be set when tokens are checked: with no policy "
                "nothing may be shared"
            )
        self.access_log: AccessLog | None = None
        recorder = None
        if self.authorizer is not None:
            self.access_log = open_access_log(
                config.access_log or str(config.data_dir / "access-log.jsonl")
            )
            recorder = AccessLogRecorder(self.access_log)
        self.pipeline = Pipeline(
            self.supergraph,
            self.executor,
            authorizer=self.authorizer,
            access_recorder=recorder,
            document_cache_size=config.document_cache_size,
            plan_cache_size=config.plan_cache_size,
            max_query_bytes=config.max_query_bytes,
            max_depth=config.max_depth,
            introspection=config.introspection,
            responses=ResponseCache(self.cache, self.supergraph.api_schema),
            allow_anonymous=config.allow_anonymous,
        )

        self.issuer: Issuer | None = None
        self.verifier: TokenVerifier | None = None
        if config.auth_mode == "dev":
            self.issuer = Issuer.open(
                data_dir=config.data_dir,
                clients_file=config.clients_file,
                issuer=config.jwt_issuer or f"http://{config.host}:{config.port}",
                audience=config.jwt_audience,
            )
            self.verifier = TokenVerifier(
                self.issuer.identity_config(allow_anonymous=config.allow_anonymous)
            )
        elif config.auth_mode == "jwks":
            if not config.jwt_issuer:
                raise ValueError("GOVGRAPH_JWT_ISSUER must be set when GOVGRAPH_AUTH_MODE=jwks")
            self.verifier = TokenVerifier(
                IdentityConfig(
                    issuer=config.jwt_issuer,
                    audience=config.jwt_audience,
                    jwks_url=config.jwks_url,
                    jwks_file=config.jwks_file,
                    allow_anonymous=config.allow_anonymous,
                )
            )

    async def context_for(self, request: Request) -> RequestContext:
        """Authenticate at the edge; raises UnauthenticatedError for a bad or missing token."""
        principal = ANONYMOUS
        if self.verifier is not None:
            principal = await self.verifier.verify(request.headers.get("authorization"))
        purpose = header_text(request.headers.get("x-purpose"))
        return RequestContext(principal=principal, purpose=purpose, headers=request.headers)

    async def aclose(self) -> None:
        await self.http_fetcher.aclose()
        await self.cache.aclose()
        if self.access_log is not None:
            await self.access_log.close()


def _possible_types(supergraph: Supergraph) -> dict[str, frozenset[str]]:
    """Abstract type name -> its object types, for type conditions on representations."""
    schema = supergraph.api_schema
    return {
        name: frozenset(t.name for t in schema.get_possible_types(type_))
        for name, type_ in schema.type_map.items()
        if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType) and not name.startswith("__")
    }


def _error_response(exc: ClientError, media_type: str) -> Response:
    body = orjson.dumps({"errors": [exc.to_graphql()]})
    headers = {}
    if isinstance(exc, UnauthenticatedError):
        headers["WWW-Authenticate"] = 'Bearer realm="govgraph"'
    return Response(body, status_code=exc.status, media_type=media_type, headers=headers)


def _without_framework_telemetry() -> dict[str, Any]:
    # The gateway makes its own request and stage spans; newer FastAPI releases would add
    # a second server span (and metrics) per request on the hot path.
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters:
        return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}
    return {}


_INTERNAL = b'{"errors":[{"message":"Internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}'


class GatewayApp(FastAPI):
    """FastAPI for every route, except that /graphql is dispatched before the framework's
    middleware and routing layers: they cost about a tenth of the gateway's CPU per
    request on the benchmark query and add nothing the GraphQL handler does not do."""

    graphql_endpoint: Callable[[Request], Awaitable[Response]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = self.graphql_endpoint
        if endpoint is None or scope["type"] != "http" or scope["path"] != "/graphql":
            await super().__call__(scope, receive, send)
            return
        if scope["method"] not in ("GET", "POST"):
            response = Response(
                b'{"errors":[{"message":"use GET or POST"}]}',
                status_code=405,
                media_type="application/json",
                headers={"Allow": "GET, POST"},
            )
        else:
            try:
                response = await endpoint(Request(scope, receive))
            except Exception:
                log.exception("unexpected error handling /graphql")
                response = Response(_INTERNAL, status_code=500, media_type="application/json")
        await response(scope, receive, send)


def create_app(
    config: GatewayConfig | None = None, *, gateway: Gateway | None = None
) -> GatewayApp:
    config = config or GatewayConfig()
    gw = gateway or Gateway(config)
    configure_telemetry(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await gw.aclose()

    app = GatewayApp(
        **_without_framework_telemetry(),
        title="govgraph",
        description="Federated government data-sharing gateway of Tieling",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.gateway = gw
    if gw.issuer is not None:
        app.include_router(issuer_router(gw.issuer))

    async def admin_principal(request: Request) -> Principal:
        return (await gw.context_for(request)).principal

    app.include_router(cache_admin_router(gw.cache, admin_principal))

    async def _run_all(
        operations: list[GraphQLRequest], batch: bool, context: RequestContext
    ) -> list[GraphQLResponse]:
        if not batch:
            return [await gw.pipeline.run(operations[0], context)]
        # Each operation of a batch is authorized and executed on its own.
        return list(await asyncio.gather(*(gw.pipeline.run(op, context) for op in operations)))

    async def graphql(request: Request) -> Response:
        accept = request.headers.get("accept")
        if request.method == "GET" and "text/html" in (accept or "") and not request.query_params:
            return HTMLResponse(explorer_page())
        media_type = negotiate(accept)
        if media_type is None:
            return Response(
                b'{"errors":[{"message":"none of the accepted media types can be served"}]}',
                status_code=406,
                media_type="application/json",
            )
        try:
            operations, batch = await decode_request(request, config.max_batch)
            context = await gw.context_for(request)
        except ClientError as exc:
            return _error_response(exc, media_type)
        responses: list[GraphQLResponse]
        with request_span(request.headers, "/graphql"):
            responses = await _run_all(operations, batch, context)
        body, status = encode_response(responses, batch, media_type)
        headers = http_cache_headers(r.cache_control for r in responses)
        return Response(
            body,
            status_code=status,
            media_type=media_type if media_type == GRAPHQL_RESPONSE_JSON else "application/json",
            headers=headers,
        )

    app.graphql_endpoint = graphql

    async def health(request: Request) -> Response:
        payload: dict[str, Any] = {
            "status": "ok",
            "supergraph": gw.supergraph.hash[:16],
            "subgraphs": sorted(gw.supergraph.subgraphs),
        }
        return Response(orjson.dumps(payload), media_type="application/json")

    app.add_route("/health", health, methods=["GET"])

    async def policies(request: Request) -> Response:
        if gw.authorizer is None:
            return Response(b"no access policies are configured", status_code=404)
        # Who may read what is itself for signed-in callers only, like the schema.
        try:
            await gw.context_for(request)
        except ClientError as exc:
            return _error_response(exc, "application/json")
        return HTMLResponse(
            policy_matrix_page(gw.authorizer.store.current, gw.supergraph.api_schema)
        )

    app.add_route("/policies", policies, methods=["GET"])
    return app
