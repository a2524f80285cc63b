"""Gateway errors, split by who may read them.

::

    GatewayError
    ├── ClientError              message is safe to show the caller; carries code + HTTP status
    │   ├── BadRequestError          malformed HTTP/GraphQL-over-HTTP request (400)
    │   ├── MethodNotAllowedError    e.g. a mutation over GET (405)
    │   ├── UnsupportedMediaError    415
    │   ├── GraphQLParseError        GRAPHQL_PARSE_FAILED (400)
    │   ├── GraphQLValidationError   GRAPHQL_VALIDATION_FAILED (400)
    │   ├── UnauthenticatedError     missing or bad token (401)
    │   ├── ForbiddenError           the policy refuses the operation (403)
    │   └── PlanningError            the operation cannot be planned over the subgraphs (400)
    ├── SubgraphError            a subgraph call failed; becomes a located GraphQL error
    │   ├── SubgraphUnavailableError   connection refused/reset
    │   ├── SubgraphTimeoutError       no answer in time
    │   └── SubgraphBadResponseError   non-JSON, or not a GraphQL response
    └── InternalError            a bug or a broken dependency; logged in full, shown as
                                 "Internal server error"
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "BadRequestError",
    "ClientError",
    "ForbiddenError",
    "GatewayError",
    "GraphQLParseError",
    "GraphQLValidationError",
    "InternalError",
    "MethodNotAllowedError",
    "PlanningError",
    "SubgraphBadResponseError",
    "SubgraphError",
    "SubgraphTimeoutError",
    "SubgraphUnavailableError",
    "UnauthenticatedError",
    "UnsupportedMediaError",
]


class GatewayError(Exception):
    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"
    status: ClassVar[int] = 500

    def __init__(self, message: str, *, extensions: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions or {}

    def to_graphql(self) -> dict[str, Any]:
        return {"message": self.message, "extensions": {"code": self.code, **self.extensions}}


class ClientError(GatewayError):
    code = "BAD_REQUEST"
    status = 400


class BadRequestError(ClientError):
    pass


class MethodNotAllowedError(ClientError):
    code = "METHOD_NOT_ALLOWED"
    status = 405


class UnsupportedMediaError(ClientError):
    code = "UNSUPPORTED_MEDIA_TYPE"
    status = 415


class GraphQLParseError(ClientError):
    code = "GRAPHQL_PARSE_FAILED"


class GraphQLValidationError(ClientError):
    code = "GRAPHQL_VALIDATION_FAILED"


class UnauthenticatedError(ClientError):
    code = "UNAUTHENTICATED"
    status = 401


class ForbiddenError(ClientError):
    code = "FORBIDDEN"
    status = 403


class PlanningError(ClientError):
    code = "QUERY_PLANNING_FAILED"


class SubgraphError(GatewayError):
    code = "SUBGRAPH_REQUEST_FAILED"
    status = 502

    def __init__(self, service_name: str, message: str) -> None:
        super().__init__(message, extensions={"serviceName": service_name})
        self.service_name = service_name


class SubgraphUnavailableError(SubgraphError):
    code = "SUBGRAPH_UNAVAILABLE"


class SubgraphTimeoutError(SubgraphError):
    code = "SUBGRAPH_TIMEOUT"
    status = 504


class SubgraphBadResponseError(SubgraphError):
    code = "SUBGRAPH_BAD_RESPONSE"


class InternalError(GatewayError):
    def to_graphql(self) -> dict[str, Any]:
        return {"message": "Internal server error", "extensions": {"code": self.code}}
