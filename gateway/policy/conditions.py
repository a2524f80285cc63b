"""Row-level conditions: a small declarative language, compiled to a tree and never eval'd.

A condition is a mapping read from a policy file. Keys are dotted field paths of the
entity (``registeredCounty.code``) or one of the combinators ``all``, ``any``, ``not``;
several keys in one mapping are ANDed. A path maps to exactly one predicate::

    where:
      registeredCounty.code: {equals_claim: county}     # entity value == principal claim
    where:
      any:
        - idNumber: {equals_claim: sub}
        - registeredCounty.code: {in: ["211221", "211223"]}

Predicates: ``equals`` (a literal), ``in`` (a list of literals), ``equals_claim`` (a
claim of the principal) and ``in_claim`` (the claim is a list holding the value).

Evaluation is three-valued: a missing entity value or claim is *unknown*, ``not``
keeps unknown unknown, and unknown at the top counts as false, so that a condition can
never be satisfied by data that is absent (fail closed).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

__all__ = [
    "PREDICATES",
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "ConditionError",
    "Not",
    "compile_condition",
    "condition_claims",
    "condition_paths",
    "describe_condition",
    "evaluate_condition",
]

PREDICATES = ("equals", "in", "equals_claim", "in_claim")
_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")
_MAX_DEPTH = 8


class ConditionError(ValueError):
    """A ``where`` block that is not a valid condition."""


@dataclass(frozen=True, slots=True)
class Compare:
    path: tuple[str, ...]
    op: str
    operand: Any  # a literal, a tuple of literals, or a claim name


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition


Condition: TypeAlias = Compare | AllOf | AnyOf | Not


def _literal(value: object, where: str) -> str | int | float | bool:
    if isinstance(value, str | int | float | bool):
        return value
    raise ConditionError(f"{where}: expected a string, number or boolean, got {value!r}")


def _compare(path_text: str, spec: object, where: str) -> Compare:
    parts = tuple(path_text.split("."))
    if not all(_NAME.match(part) for part in parts):
        raise ConditionError(f"{where}: {path_text!r} is not a dotted field path")
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise ConditionError(
            f"{where}.{path_text}: expected exactly one predicate of {', '.join(PREDICATES)}"
        )
    ((op, operand),) = spec.items()
    here = f"{where}.{path_text}.{op}"
    if op == "equals":
        return Compare(parts, op, _literal(operand, here))
    if op == "in":
        if not isinstance(operand, list) or not operand:
            raise ConditionError(f"{here}: expected a non-empty list of literals")
        return Compare(parts, op, tuple(_literal(item, here) for item in operand))
    if op in ("equals_claim", "in_claim"):
        if not isinstance(operand, str) or not _NAME.match(operand):
            raise ConditionError(f"{here}: expected a claim name such as county or sub")
        return Compare(parts, op, operand)
    raise ConditionError(f"{here}: unknown predicate; use one of {', '.join(PREDICATES)}")


def compile_condition(raw: object, where: str = "where", depth: int = 0) -> Condition:
    """Compile a ``where`` mapping; raise :class:`ConditionError` naming the bad part."""
    if depth > _MAX_DEPTH:
        raise ConditionError(f"{where}: nested more than {_MAX_DEPTH} levels")
    if not isinstance(raw, Mapping) or not raw:
        raise ConditionError(f"{where}: expected a non-empty mapping")
    items: list[Condition] = []
    for key, value in raw.items():
        if not isinstance(key, str):
            raise ConditionError(f"{where}: keys must be strings, got {key!r}")
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise ConditionError(f"{where}.{key}: expected a non-empty list of conditions")
            parts = tuple(
                compile_condition(item, f"{where}.{key}[{index}]", depth + 1)
                for index, item in enumerate(value)
            )
            items.append(AllOf(parts) if key == "all" else AnyOf(parts))
        elif key == "not":
            items.append(Not(compile_condition(value, f"{where}.not", depth + 1)))
        else:
            items.append(_compare(key, value, where))
    return items[0] if len(items) == 1 else AllOf(tuple(items))


def condition_paths(condition: Condition) -> frozenset[tuple[str, ...]]:
    """The entity paths a condition reads (each becomes a hidden field of the operation)."""
    if isinstance(condition, Compare):
        return frozenset({condition.path})
    if isinstance(condition, Not):
        return condition_paths(condition.item)
    result: frozenset[tuple[str, ...]] = frozenset()
    for item in condition.items:
        result |= condition_paths(item)
    return result


def condition_claims(condition: Condition) -> frozenset[str]:
    """The principal claims a condition reads (they enter the decision fingerprint)."""
    if isinstance(condition, Compare):
        return frozenset({condition.operand}) if condition.op.endswith("_claim") else frozenset()
    if isinstance(condition, Not):
        return condition_claims(condition.item)
    result: frozenset[str] = frozenset()
    for item in condition.items:
        result |= condition_claims(item)
    return result


def _norm(value: object) -> object:
    # Tokens carry numbers where the graph carries strings (county 211202 vs "211202").
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | str):
        return str(value)
    return value


MISSING: Any = object()


def evaluate_condition(
    condition: Condition,
    values: Mapping[tuple[str, ...], object],
    claims: Mapping[str, object],
) -> bool | None:
    """True, False, or None when unknown (a value or claim is missing)."""
    if isinstance(condition, Compare):
        value = values.get(condition.path, MISSING)
        if value is MISSING or value is None:
            return None
        value = _norm(value)
        if condition.op == "equals":
            return value == _norm(condition.operand)
        if condition.op == "in":
            return value in {_norm(item) for item in condition.operand}
        claim = claims.get(condition.operand)
        if claim is None:
            return None
        if condition.op == "equals_claim":
            if isinstance(claim, list | tuple | dict | set | frozenset):
                return None
            return value == _norm(claim)
        if not isinstance(claim, list | tuple | set | frozenset):
            return None
        return value in {_norm(item) for item in claim}
    if isinstance(condition, Not):
        inner = evaluate_condition(condition.item, values, claims)
        return None if inner is None else not inner
    results = [evaluate_condition(item, values, claims) for item in condition.items]
    if isinstance(condition, AllOf):
        if False in results:
            return False
        return None if None in results else True
    if True in results:
        return True
    return None if None in results else False


def describe_condition(condition: Condition) -> str:
    """A one-line human reading, used by ``policy explain`` and ``policy diff``."""
    if isinstance(condition, Compare):
        path = ".".join(condition.path)
        if condition.op == "equals":
            return f"{path} = {condition.operand!r}"
        if condition.op == "in":
            return f"{path} in {list(condition.operand)!r}"
        if condition.op == "equals_claim":
            return f"{path} = claim {condition.operand}"
        return f"{path} in claim {condition.operand}"
    if isinstance(condition, Not):
        return f"not ({describe_condition(condition.item)})"
    joiner = " and " if isinstance(condition, AllOf) else " or "
    return "(" + joiner.join(describe_condition(item) for item in condition.items) + ")"
