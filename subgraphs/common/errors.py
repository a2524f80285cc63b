"""Clean GraphQL errors for department subgraphs, and the masking of everything else.

A resolver that refuses input raises :class:`InputError` (via :func:`bad_input` or the
``require_*`` validators): its message names the argument and the rule, and its
``extensions`` carry ``code``, ``argument`` and ``rule`` so clients can react without
parsing text. Any other exception is a bug: :func:`masking_extension` replaces it with
"Internal server error" and logs it in full, so no stack trace reaches a client.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from subgraphs.common.divisions import DIVISION_CODES
from subgraphs.common.identifiers import credit_code_problem, id_number_problem

__all__ = [
    "InputError",
    "NotFoundError",
    "bad_input",
    "masking_extension",
    "require_county",
    "require_credit_code",
    "require_id_number",
    "should_mask",
]

log = logging.getLogger("govgraph.subgraph")


class InputError(GraphQLError):
    """The caller's input breaks a rule; safe to show, ``BAD_USER_INPUT`` by default."""

    def __init__(
        self,
        message: str,
        *,
        argument: str | None = None,
        rule: str,
        code: str = "BAD_USER_INPUT",
        **extra: Any,
    ) -> None:
        extensions: dict[str, Any] = {"code": code, "rule": rule, **extra}
        if argument is not None:
            extensions["argument"] = argument
        super().__init__(message, extensions=extensions)


class NotFoundError(InputError):
    """A mutation names something that does not exist (queries answer ``null`` instead)."""

    def __init__(self, message: str, *, argument: str, rule: str = "must exist") -> None:
        super().__init__(message, argument=argument, rule=rule, code="NOT_FOUND")


def bad_input(argument: str, rule: str, detail: str | None = None) -> InputError:
    """An error for ``argument`` breaking ``rule``: ``Invalid argument "x": <detail or rule>``."""
    return InputError(
        f'Invalid argument "{argument}": {detail or rule}', argument=argument, rule=rule
    )


def require_id_number(value: str, argument: str) -> str:
    problem = id_number_problem(value)
    if problem is not None:
        raise bad_input(argument, "GB 11643-1999 resident identity number", problem)
    return value


def require_credit_code(value: str, argument: str) -> str:
    problem = credit_code_problem(value)
    if problem is not None:
        raise bad_input(argument, "GB 32100-2015 unified social credit code", problem)
    return value


def require_county(value: str | None, argument: str = "county") -> str | None:
    """``None`` passes (no filter); anything else must be a Tieling division code."""
    if value is not None and value not in DIVISION_CODES:
        raise bad_input(
            argument,
            "Tieling county-level division code",
            f"{value!r} is not a Tieling county-level division code "
            f"(one of {', '.join(sorted(DIVISION_CODES))})",
        )
    return value


def should_mask(error: GraphQLError) -> bool:
    """Mask errors raised by bugs; keep parse/validation errors and deliberate GraphQL errors."""
    # Strawberry has already logged it with its traceback (``Schema.process_errors``).
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class _MaskInternalErrors(MaskErrors):
    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked


def masking_extension() -> MaskErrors:
    """The schema extension every department schema installs."""
    return _MaskInternalErrors(should_mask_error=should_mask, error_message="Internal server error")
