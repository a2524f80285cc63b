"""Plan execution and response shaping: the gateway's hot path (see docs/transport.md)."""

from __future__ import annotations

from gateway.executor.interpreter import ExecutionResult, Executor
from gateway.executor.possible_types import possible_types_of
from gateway.executor.shape import ResponseShape, compile_shape

__all__ = [
    "ExecutionResult",
    "Executor",
    "ResponseShape",
    "compile_shape",
    "possible_types_of",
]
