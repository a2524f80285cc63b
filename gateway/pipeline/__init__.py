"""The gateway's request pipeline (see pipeline.py for the stage order)."""

from gateway.pipeline.pipeline import Pipeline
from gateway.pipeline.request import GraphQLRequest, GraphQLResponse, RequestContext

__all__ = ["GraphQLRequest", "GraphQLResponse", "Pipeline", "RequestContext"]
