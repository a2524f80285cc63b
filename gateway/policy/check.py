"""The policy check: a loaded set against the API schema and the scope catalogue.

Errors make ``govgraph policy check`` exit non-zero and make :class:`PolicyStore` keep the
previous set in force. What is checked: the loader's problems (unknown keys, conflicting
rules, bad conditions); types, fields and data subjects that the schema does not have;
scopes missing from ``scopes.yaml``; row-condition paths that are not single-valued paths
to a scalar; masks on fields that are not text; schema fields without a class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from graphql import (
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
)

from gateway.policy.conditions import condition_paths
from gateway.policy.directives import SecurityDirectives
from gateway.policy.policyset import CompiledGrant, FieldRule, PolicySet

__all__ = ["Finding", "check_policy", "schema_coordinates"]

_TEXT_SCALARS = {"String", "ID"}


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Literal["error", "warning"]
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"


def _single_scalar_path(named: GraphQLObjectType, path: str) -> bool:
    current: Any = named
    parts = path.split(".")
    for index, part in enumerate(parts):
        field_def = current.fields.get(part) if hasattr(current, "fields") else None
        if field_def is None or _is_list(field_def.type):
            return False
        current = get_named_type(field_def.type)
        if (index == len(parts) - 1) != is_leaf_type(current):
            return False
    return True


def _is_list(type_: object) -> bool:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        if isinstance(type_, GraphQLList):
            return True
        type_ = type_.of_type
    return False


def _composites(schema: GraphQLSchema) -> list[GraphQLObjectType | GraphQLInterfaceType]:
    return [
        t
        for name, t in sorted(schema.type_map.items())
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType)
        and not name.startswith("__")
        and not name.startswith("_")
        and "__" not in name  # join__/link__ machinery of a supergraph
    ]


def schema_coordinates(schema: GraphQLSchema) -> list[str]:
    """Every ``Type.field`` of the API schema that a policy must classify.

    Interface fields are not among them: reading one is allowed only when every
    implementation allows it, so the implementations' rules are the ones that count.
    """
    return [
        f"{t.name}.{name}"
        for t in _composites(schema)
        if isinstance(t, GraphQLObjectType)
        for name in t.fields
    ]


class _Checker:
    def __init__(self, policy: PolicySet, schema: GraphQLSchema | None) -> None:
        self.policy = policy
        self.schema = schema
        self.findings: list[Finding] = [Finding("error", p) for p in policy.problems]

    def error(self, message: str) -> None:
        self.findings.append(Finding("error", message))

    def scopes(self, sets: tuple[frozenset[str], ...], where: str) -> None:
        for group in sets:
            for scope in sorted(group - self.policy.scope_catalogue):
                self.error(f"{where}: scope {scope!r} is not declared in scopes.yaml")

    def grant(self, grant: CompiledGrant, type_name: str, field_name: str | None = None) -> None:
        self.scopes(grant.scopes, grant.source)
        self.scopes(grant.unmasked_scopes, grant.source)
        if grant.arguments is not None:
            self._arguments(grant, type_name, field_name)
        if grant.where is None or self.schema is None:
            return
        parent = self.schema.get_type(type_name)
        if not isinstance(parent, GraphQLObjectType):
            self.error(
                f"{grant.source}.where: row conditions need an object type, {type_name} is not one"
            )
            return
        for path in sorted(condition_paths(grant.where)):
            problem = self._path_problem(parent, path)
            if problem:
                self.error(f"{grant.source}.where: {'.'.join(path)} {problem}")

    def _arguments(self, grant: CompiledGrant, type_name: str, field_name: str | None) -> None:
        assert grant.arguments is not None
        where = f"{grant.source}.arguments"
        if field_name is None:
            self.error(f"{where}: argument conditions belong on a field's own grants")
            return
        if self.schema is None:
            return
        parent = self.schema.get_type(type_name)
        field_def = parent.fields.get(field_name) if isinstance(parent, GraphQLObjectType) else None
        if field_def is None:
            return  # reported as an unknown field
        for path in sorted(condition_paths(grant.arguments)):
            arg_def = field_def.args.get(path[0])
            if arg_def is None:
                self.error(f"{where}: {type_name}.{field_name} has no argument {path[0]!r}")
                continue
            current: Any = get_named_type(arg_def.type)
            problem = None
            if _is_list(arg_def.type):
                problem = f"{path[0]!r} is a list (single values only)"
            for part in path[1:]:
                fields = getattr(current, "fields", None)
                if problem or not isinstance(current, GraphQLInputObjectType) or not fields:
                    problem = problem or f"{part!r}: {current.name} has no input fields"
                    break
                if part not in fields:
                    problem = f"names no field {part!r} of {current.name}"
                    break
                if _is_list(fields[part].type):
                    problem = f"goes through the list field {part!r} (single values only)"
                    break
                current = get_named_type(fields[part].type)
            if problem is None and not is_leaf_type(current):
                problem = "must end in a scalar or enum argument"
            if problem:
                self.error(f"{where}: {'.'.join(path)} {problem}")

    @staticmethod
    def _path_problem(parent: GraphQLObjectType, path: tuple[str, ...]) -> str | None:
        current: object = parent
        for index, part in enumerate(path):
            fields = getattr(current, "fields", None)
            if fields is None or part not in fields:
                return f"names no field {part!r} of {getattr(current, 'name', '?')}"
            if _is_list(fields[part].type):
                return f"goes through the list field {part!r} (single values only)"
            current = get_named_type(fields[part].type)
            if (index == len(path) - 1) != is_leaf_type(current):
                return "must end in a scalar or enum field"
        return None

    def rule(self, rule: FieldRule) -> None:
        self.scopes(rule.masked_unless, rule.source)
        type_name, field_name = rule.coordinate.split(".", 1)
        own = {grant.source for grant in rule.grants if grant.source.startswith(rule.source)}
        for grant in rule.grants:
            # A grant written on the type applies to many fields: not its arguments rule.
            self.grant(grant, type_name, field_name if grant.source in own else None)
        if self.schema is None:
            return
        parent = self.schema.get_type(type_name)
        if isinstance(parent, GraphQLInterfaceType):
            self.error(
                f"{rule.source}: {type_name} is an interface; its fields follow the "
                "rules of each implementing type, so rule those instead"
            )
            return
        if not isinstance(parent, GraphQLObjectType):
            self.error(f"{rule.source}: unknown type {type_name}")
            return
        field_def = parent.fields.get(field_name)
        if field_def is None:
            self.error(f"{rule.source}: unknown field {rule.coordinate}")
            return
        named = get_named_type(field_def.type)
        if rule.mask and not (isinstance(named, GraphQLScalarType) and named.name in _TEXT_SCALARS):
            self.error(
                f"{rule.source}: mask {rule.mask} needs a String or ID field, "
                f"{rule.coordinate} is {named.name}"
            )

    def run(self, directives: SecurityDirectives | None) -> list[Finding]:
        for rule in self.policy.fields.values():
            self.rule(rule)
        for type_rule in self.policy.types.values():
            for grant in type_rule.default_grants:
                self.grant(grant, type_rule.name)
            if self.schema is not None:
                self._type(type_rule.name, type_rule.data_subject)
        self._subjectless_personal_types(self.policy)
        if self.schema is not None:
            self._cursors(self.schema)
        for named in self.policy.named_policies.values():
            self.scopes(named.scopes, f"scopes.yaml: policies.{named.name}")
        if directives is not None:
            self._directives(directives)
        if self.schema is not None:
            for coordinate in schema_coordinates(self.schema):
                type_name, field_name = coordinate.split(".", 1)
                rule = self.policy.field_rule(type_name, field_name)
                if rule.source.startswith("global default"):
                    self.error(
                        f"{coordinate}: no class (not shared by default; classify it, "
                        f"or give {type_name} a default)"
                    )
        return self.findings

    def _type(self, type_name: str, data_subject: tuple[str, ...]) -> None:
        assert self.schema is not None
        named = self.schema.get_type(type_name)
        if isinstance(named, GraphQLInterfaceType):
            self.error(
                f"types.{type_name}: {type_name} is an interface; its fields follow the "
                "rules of each implementing type, so rule those instead"
            )
            return
        if not isinstance(named, GraphQLObjectType):
            self.error(f"types.{type_name}: unknown type {type_name}")
            return
        for path in data_subject:
            if not _single_scalar_path(named, path):
                self.error(
                    f"types.{type_name}.data_subject: {path} is not a path of single "
                    f"fields of {type_name} ending in a scalar"
                )

    def _subjectless_personal_types(self, policy: PolicySet) -> None:
        # A personal read that names no data subject cannot be found by the citizen it is
        # about ("who read my data?"), so every type with personal fields must name one.
        for coordinate in sorted(policy.fields):
            type_name, _, field_name = coordinate.partition(".")
            if type_name in ("Query", "Mutation"):
                continue
            rule = policy.field_rule(type_name, field_name)
            if rule.personal and not policy.data_subjects(type_name):
                self.error(
                    f"types.{type_name}: {coordinate} is personal but {type_name} names no "
                    "data_subject, so the access log could not say whose data was read"
                )

    def _cursors(self, schema: GraphQLSchema) -> None:
        # A keyset cursor may encode the last node's key (an identity number): released
        # unconditionally next to personal nodes, it undoes masking and row rules unless
        # the subgraph seals it. Warn unless the connection's officer declared it sealed.
        for connection in _composites(schema):
            if not isinstance(connection, GraphQLObjectType):
                continue
            node_type = _node_type(connection)
            if node_type is None or not self._personal(node_type):
                continue
            type_rule = self.policy.types.get(connection.name)
            if type_rule is not None and type_rule.opaque_cursors:
                continue
            for coordinate in self._open_cursors(connection):
                self.findings.append(
                    Finding(
                        "warning",
                        f"{coordinate} is released unconditionally while "
                        f"{connection.name} holds personal {node_type.name} nodes: a cursor "
                        "may encode a node's key. Make sure the subgraph's cursors are "
                        f"opaque (sealed) and say so with types.{connection.name}.cursors: "
                        "opaque, or classify the cursor like the nodes",
                    )
                )

    def _personal(self, named: GraphQLObjectType) -> bool:
        """Row-protected, or personal with a data subject that is not itself published."""
        if self.policy.row_protected(named.name, tuple(named.fields)):
            return True
        if not any(self.policy.field_rule(named.name, name).personal for name in named.fields):
            return False
        subjects = self.policy.data_subjects(named.name)
        return not subjects or not all(self._open(named.name, s.split(".")[0]) for s in subjects)

    def _open_cursors(self, connection: GraphQLObjectType) -> list[str]:
        found: list[str] = []
        for via in ("pageInfo", "edges"):
            field_def = connection.fields.get(via)
            if field_def is None or not self._open(connection.name, via):
                continue
            holder = get_named_type(field_def.type)
            if not isinstance(holder, GraphQLObjectType):
                continue
            for name in holder.fields:
                if "cursor" in name.lower() and self._open(holder.name, name):
                    found.append(f"{connection.name}.{via} ({holder.name}.{name})")
        return found

    def _open(self, type_name: str, field_name: str) -> bool:
        return self.policy.field_rule(type_name, field_name).sharing in ("public", "unconditional")

    def _directives(self, directives: SecurityDirectives) -> None:
        requirements = [*directives.types.values(), *directives.fields.values()]
        for requirement in requirements:
            for alternatives in requirement.scopes:
                self.scopes(alternatives, "supergraph @requiresScopes")
            for alternatives in requirement.policies:
                for group in alternatives:
                    for name in sorted(group - set(self.policy.named_policies)):
                        self.error(
                            f"supergraph @policy: {name!r} is not defined under "
                            "policies: in scopes.yaml"
                        )


def check_policy(
    policy: PolicySet,
    api_schema: GraphQLSchema | None,
    directives: SecurityDirectives | None = None,
) -> list[Finding]:
    """All findings; a set with any ``error`` finding must not be put in force."""
    return _Checker(policy, api_schema).run(directives)


def _node_type(connection: GraphQLObjectType) -> GraphQLObjectType | None:
    """The node type of a connection (``nodes: [X]`` or ``edges: [{node: X}]``), if any."""
    if "pageInfo" not in connection.fields and "edges" not in connection.fields:
        return None
    nodes = connection.fields.get("nodes")
    if nodes is None and "edges" in connection.fields:
        edge = get_named_type(connection.fields["edges"].type)
        nodes = edge.fields.get("node") if isinstance(edge, GraphQLObjectType) else None
    named = get_named_type(nodes.type) if nodes is not None else None
    return named if isinstance(named, GraphQLObjectType) else None
