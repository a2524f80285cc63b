"""Sign every subgraph call with the caller's identity, so subgraphs can refuse anyone
who goes around the gateway (see gateway.policy.signing for the header format)."""

from __future__ import annotations

from gateway.pipeline.request import RequestContext
from gateway.policy.signing import sign_subgraph_request
from gateway.transport.fetcher import SubgraphFetcher, SubgraphRequest, SubgraphResponse

__all__ = ["SigningFetcher"]


class SigningFetcher:
    def __init__(self, inner: SubgraphFetcher, secret: bytes) -> None:
        self.inner = inner
        self.secret = secret

    async def fetch(self, request: SubgraphRequest) -> SubgraphResponse:
        context = request.context
        principal = context.principal if isinstance(context, RequestContext) else None
        purpose = context.purpose if isinstance(context, RequestContext) else None
        request.headers.update(
            sign_subgraph_request(
                request.body,
                secret=self.secret,
                subject=principal.subject if principal else None,
                client_id=principal.client_id if principal else None,
                purpose=purpose,
                kind=principal.kind if principal else None,
                county=_text(principal.county) if principal else None,
                department=_text(principal.department) if principal else None,
                scopes=principal.scopes if principal else (),
            )
        )
        return await self.inner.fetch(request)


def _text(value: object) -> str | None:
    # Tokens may carry a county as a number (211202); the header carries text.
    return None if value is None else str(value)
