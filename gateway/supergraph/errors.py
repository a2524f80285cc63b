"""The error a supergraph that cannot be loaded raises, with a message that says why."""

from __future__ import annotations

__all__ = ["SupergraphError"]


class SupergraphError(ValueError):
    """The supergraph SDL is malformed, or uses machinery the gateway does not implement.

    Raised at load time (start-up or reload), so it is meant for operators, not clients.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
