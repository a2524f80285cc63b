"""The gateway's request pipeline; the stage order is in ``gateway.pipeline.pipeline``."""

from gateway.pipeline.request import GraphQLRequest, GraphQLResponse, RequestContext

__all__ = ["GraphQLRequest", "GraphQLResponse", "RequestContext"]
