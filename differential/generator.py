"""Random operations over the API schema, from ``Query``, with a seeded RNG.

Arguments take real keys from the dataset (``keys.Keys``), sometimes inline and
sometimes through variables (of every input kind the schema has: ID, String, Int,
Boolean, enums; non-null and nullable, with and without defaults). Selections mix
aliases, ``__typename``, inline fragments (typed and untyped), named fragments,
fragments on the abstract ``PropertyOwner``, ``@skip``/``@include`` (literal and
variable), the same field selected twice with different sub-selections (merging), and
explicit ``null`` for optional arguments. Mutations are never generated.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    get_named_type,
    parse,
    validate,
)
from keys import COUNTIES, Keys

__all__ = ["KEY_FIELDS", "Generator", "api_schema"]

# Key fields of the department entities (``@key(fields: ...)`` in the supergraph).
KEY_FIELDS = frozenset(
    {
        "idNumber",
        "householdNumber",
        "creditCode",
        "certificateNumber",
        "caseNumber",
        "registrationNumber",
    }
)


def api_schema(supergraph_sdl: str) -> GraphQLSchema:
    """The supergraph as graphql-core reads it; join__/link__ types are never reached
    from Query, so the API schema's operations validate against it unchanged."""
    return build_schema(supergraph_sdl)


def _type_str(t: Any) -> str:
    if isinstance(t, GraphQLNonNull):
        return f"{_type_str(t.of_type)}!"
    if isinstance(t, GraphQLList):
        return f"[{_type_str(t.of_type)}]"
    return str(t.name)


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, _Enum):
        return value.name
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class _Enum:
    name: str


@dataclass(slots=True)
class _Op:
    variables: list[tuple[str, str, str | None]] = field(
        default_factory=list
    )  # name, type, default
    values: dict[str, Any] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)
    counter: int = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


class Generator:
    def __init__(
        self,
        schema: GraphQLSchema,
        keys: Keys,
        rng: random.Random,
        max_depth: int = 5,
        max_fields: int = 4,
        error_rate: float = 0.04,
        alias_collisions: float = 0.06,
        stress: float = 1.0,
    ) -> None:
        self.stress = stress  # multiplies the rates of merges, directives and fragments
        self.alias_collisions = alias_collisions
        self.schema = schema
        self.keys = keys
        self.rng = rng
        self.max_depth = max_depth
        self.max_fields = max_fields
        self.error_rate = error_rate

    # ------------------------------------------------------------------ public
    def operation(self) -> tuple[str, dict[str, Any]]:
        """One valid query and its variables (retries until graphql-core validates it)."""
        for _ in range(50):
            self._in_repeat = False
            text, values = self._operation()
            errors = validate(self.schema, parse(text))
            if not errors:
                return text, values
        raise RuntimeError(f"generator keeps producing invalid operations: {errors[0].message}")

    # ------------------------------------------------------------------ building
    def _operation(self) -> tuple[str, dict[str, Any]]:
        op = _Op()
        query = self.schema.query_type
        assert query is not None
        roots = self.rng.sample(sorted(query.fields), k=self.rng.choice([1, 1, 1, 2, 2, 3]))
        body = self._selection_set(query, roots, op, depth=0, root=True)
        header = ""
        if op.variables:
            defs = []
            for name, type_str, default in op.variables:
                defs.append(f"${name}: {type_str}" + (f" = {default}" if default else ""))
            header = "(" + ", ".join(defs) + ")"
        name = self.rng.choice(["", "", "Q", "Generated"])
        text = f"query {name}{header} {body}" if (name or header) else body
        for fbody in op.fragments.values():
            text += f"\n{fbody}"
        return text, op.values

    def _selection_set(
        self,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        names: list[str] | None,
        op: _Op,
        depth: int,
        root: bool = False,
    ) -> str:
        fields = parent.fields
        if names is None:
            names = self._choose_fields(fields, depth)
        parts: list[str] = []
        heads: dict[str, str] = {}  # field name -> "alias: name(args)" of its first use
        for name in names:
            parts.append(self._field(parent, name, fields[name], op, depth, root, heads=heads))
        if not root and self.rng.random() < 0.25:
            parts.insert(self.rng.randrange(len(parts) + 1), "__typename")
        # The same field again with another sub-selection: the gateways must merge them.
        if self.rng.random() < 0.12 * self.stress:
            objs = [n for n in names if not self._is_leaf(fields[n].type)]
            if objs:
                again = self.rng.choice(objs)
                # No aliases named like other fields inside the copy: they would
                # conflict with the first copy's fields of that name.
                saved, self._in_repeat = self._in_repeat, True
                parts.append(
                    self._field(
                        parent, again, fields[again], op, depth, root, heads=heads, repeat=True
                    )
                )
                self._in_repeat = saved
        # A fragment on a union this type belongs to, holding fragments on its members
        # (the other member's can never match here).
        if (
            not root
            and isinstance(parent, GraphQLObjectType)
            and self.rng.random() < 0.1 * self.stress
        ):
            unions = [
                t
                for t in self.schema.type_map.values()
                if isinstance(t, GraphQLUnionType) and parent in t.types
            ]
            if unions:
                parts.append(self._abstract(self.rng.choice(unions), op, depth + 1, spread=True))
        # Wrap some of the selections in fragments.
        if len(parts) >= 2 and self.rng.random() < 0.25 * self.stress:
            k = self.rng.randrange(1, len(parts))
            inner, outer = parts[:k], parts[k:]
            parts = [*outer, self._wrap(parent, inner, op)]
        return "{ " + " ".join(parts) + " }"

    def _wrap(
        self, parent: GraphQLObjectType | GraphQLInterfaceType, inner: list[str], op: _Op
    ) -> str:
        body = "{ " + " ".join(inner) + " }"
        style = self.rng.random()
        directive = self._directive(op) if self.rng.random() < 0.3 else ""
        if style < 0.4:
            return f"... on {parent.name}{directive} {body}"
        if style < 0.55:
            return f"...{directive} {body}"
        fname = op.fresh(f"{parent.name}Fields")
        op.fragments[fname] = f"fragment {fname} on {parent.name} {body}"
        return f"...{fname}{directive}"

    def _directive(self, op: _Op) -> str:
        which = self.rng.choice(["include", "skip"])
        if self.rng.random() < 0.5:
            value = self.rng.random() < 0.5
            return f" @{which}(if: {_literal(value)})"
        var = op.fresh("flag")
        if self.rng.random() < 0.3:
            op.variables.append((var, "Boolean", _literal(self.rng.random() < 0.5)))
            if self.rng.random() < 0.5:
                op.values[var] = self.rng.random() < 0.5
        else:
            op.variables.append((var, "Boolean!", None))
            op.values[var] = self.rng.random() < 0.5
        return f" @{which}(if: ${var})"

    def _choose_fields(self, fields: dict[str, GraphQLField], depth: int) -> list[str]:
        names = sorted(fields)
        leaves = [n for n in names if self._is_leaf(fields[n].type)]
        objects = [n for n in names if n not in leaves]
        if depth >= self.max_depth or not objects:
            pool = leaves or names
            return self.rng.sample(pool, k=min(len(pool), self.rng.randint(1, self.max_fields)))
        k = self.rng.randint(1, self.max_fields)
        chosen: list[str] = []
        # Lean towards descending (entity hops are where gateways differ).
        n_obj = min(len(objects), max(1, round(k * (0.6 if depth < 3 else 0.3))))
        chosen += self.rng.sample(objects, k=n_obj)
        if leaves and k - n_obj > 0:
            chosen += self.rng.sample(leaves, k=min(len(leaves), k - n_obj))
        self.rng.shuffle(chosen)
        return chosen

    @staticmethod
    def _is_leaf(t: Any) -> bool:
        return isinstance(get_named_type(t), GraphQLScalarType | GraphQLEnumType)

    def _field(
        self,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        name: str,
        definition: GraphQLField,
        op: _Op,
        depth: int,
        root: bool,
        heads: dict[str, str],
        repeat: bool = False,
    ) -> str:
        if root:
            self._current_root = name
        if repeat and name in heads:
            head = heads[name]  # same response key, same arguments: a valid merge
        else:
            args = self._arguments(definition, op)
            alias = ""
            roll = self.rng.random()
            if roll < 0.15:
                alias = f"{op.fresh(name[:3])}: "
            elif not self._in_repeat and roll < 0.15 + self.alias_collisions:
                # An alias named like another field of this type (never a key field:
                # Apollo Gateway is known to answer those wrongly, federation#3036).
                others = [
                    f
                    for f in sorted(parent.fields)
                    if f != name and f not in KEY_FIELDS and f not in heads
                ]
                if others:
                    alias = f"{self.rng.choice(others)}: "
            head = heads[name] = f"{alias}{name}{args}"
        directive = self._directive(op) if self.rng.random() < 0.07 * self.stress else ""
        named = get_named_type(definition.type)
        text = f"{head}{directive}"
        if self._is_leaf(definition.type):
            return text
        next_depth = depth + 1
        if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
            return f"{text} {self._abstract(named, op, next_depth)}"
        assert isinstance(named, GraphQLObjectType)
        return f"{text} {self._selection_set(named, None, op, next_depth)}"

    def _abstract(
        self,
        t: GraphQLUnionType | GraphQLInterfaceType,
        op: _Op,
        depth: int,
        spread: bool = False,
    ) -> str:
        members = list(self.schema.get_possible_types(t))
        parts: list[str] = []
        if self.rng.random() < 0.7:
            parts.append("__typename")
        chosen = self.rng.sample(members, k=self.rng.randint(1, len(members)))
        for member in chosen:
            body = self._selection_set(member, None, op, depth)
            if self.rng.random() < 0.3:
                fname = op.fresh(f"{member.name}Owner")
                op.fragments[fname] = f"fragment {fname} on {member.name} {body}"
                parts.append(f"...{fname}")
            else:
                parts.append(f"... on {member.name} {body}")
        if self.rng.random() < 0.2 and isinstance(t, GraphQLUnionType):
            # A fragment on the union itself (only __typename is selectable there).
            parts.append(f"... on {t.name} {{ __typename }}")
        body = "{ " + " ".join(parts) + " }"
        if spread:
            return f"... on {t.name} {body}"
        return body

    # ------------------------------------------------------------------ arguments
    def _arguments(self, definition: GraphQLField, op: _Op) -> str:
        rendered: list[str] = []
        for arg_name, arg in definition.args.items():
            required = isinstance(arg.type, GraphQLNonNull) and arg.default_value is None
            if not required and self.rng.random() > 0.45:
                continue
            value = self._value(arg_name, arg, required)
            if value is _SKIP:
                continue
            if self.rng.random() < 0.4:
                var = op.fresh(arg_name)
                var_type = _type_str(arg.type)
                default = None
                if not required and self.rng.random() < 0.2:
                    # A variable with a default, sometimes not sent.
                    default = _literal(value)
                    if self.rng.random() < 0.5:
                        op.variables.append((var, var_type, default))
                        rendered.append(f"{arg_name}: ${var}")
                        continue
                op.variables.append((var, var_type, default))
                op.values[var] = value.name if isinstance(value, _Enum) else value
                rendered.append(f"{arg_name}: ${var}")
            else:
                rendered.append(f"{arg_name}: {_literal(value)}")
        return f"({', '.join(rendered)})" if rendered else ""

    def _value(self, name: str, arg: GraphQLArgument, required: bool) -> Any:
        named = get_named_type(arg.type)
        bad = self.rng.random() < self.error_rate
        if not required and self.rng.random() < 0.05:
            return None  # explicit null
        pool = self.keys.pool(name)
        if pool:
            if bad:
                return self.rng.choice(["211202199001011234", "not-a-key", "91211202MA0000000X"])
            head = pool[: max(3, len(pool) // 10)]
            return self.rng.choice(head if self.rng.random() < 0.7 else pool)
        if name == "county":
            return (
                self.rng.choice(["210000", "999999", "2112"]) if bad else self.rng.choice(COUNTIES)
            )
        if name == "first":
            return self.rng.choice([-1, 101]) if bad else self.rng.choice([0, 1, 2, 2, 3, 5])
        if name == "after":
            cursor = self.keys.cursors.get(self._current_root, "")
            return "bm90LWEtY3Vyc29y" if bad else (cursor or _SKIP)
        if name == "nameContains":
            names = self.keys.enterprise_names
            return self.rng.choice(names)[1:3] if names else "铁岭"
        if name in ("fromPeriod", "toPeriod"):
            if bad:
                return "2025/01"
            year = self.rng.choice([2025, 2026])
            return f"{year}-{self.rng.randint(1, 12):02d}"
        if isinstance(named, GraphQLEnumType):
            return _Enum(self.rng.choice(sorted(named.values)))
        if named.name == "Boolean":
            return self.rng.random() < 0.5
        if named.name == "Int":
            return self.rng.randint(0, 5)
        return _SKIP

    _current_root = ""
    _in_repeat = False


_SKIP: Any = object()
