"""Compile a client operation into a tree of plain slot objects that ``shape.py`` walks.

Phases: find the operation and the variables its ``@skip``/``@include`` read; for one
assignment of those booleans, collect the fields per runtime type (fragments and type
conditions resolved against the API schema; every possible type of an abstract position
gets its own field list); give every field a position kind (typename, scalar, enum,
object, list, pass-through) with its nullability, so projection needs no schema; turn
each object's field list into a generated function (``shape_codegen.py``).
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    is_abstract_type,
    value_from_ast,
)
from graphql.type import GraphQLBoolean

from gateway.executor.shape_codegen import ObjectFunction, object_function

__all__ = [
    "ENUM",
    "INTROSPECTION",
    "LIST",
    "OBJECT",
    "SCALAR",
    "TYPENAME",
    "FieldShape",
    "ObjectShape",
    "OperationInfo",
    "Position",
    "compile_object",
    "find_operation",
]

SCALAR, TYPENAME, ENUM, OBJECT, LIST, INTROSPECTION = range(6)
_KINDS = (SCALAR, TYPENAME, ENUM, OBJECT, LIST, INTROSPECTION)


class Position:
    """A value position: its kind, nullability and what is inside (enum values, object, item)."""

    __slots__ = ("enum_values", "item", "kind", "nonnull", "obj", "type_name")

    def __init__(self, kind: int, nonnull: bool, type_name: str) -> None:
        self.kind = kind
        self.nonnull = nonnull
        self.type_name = type_name
        self.enum_values: frozenset[str] = frozenset()
        self.obj: ObjectShape | None = None
        self.item: Position | None = None


class FieldShape(Position):
    """A selected field: a position plus its response key and where it is declared."""

    __slots__ = ("key", "name", "parent_type")

    def __init__(self, key: str, name: str, parent_type: str, position: Position) -> None:
        super().__init__(position.kind, position.nonnull, position.type_name)
        self.enum_values = position.enum_values
        self.obj = position.obj
        self.item = position.item
        if self.obj is not None:
            self.obj.owner = self
        self.key = key
        self.name = name
        self.parent_type = parent_type


class ObjectShape:
    """The fields to emit for an object, per runtime ``__typename``.

    ``static_type`` is the position's type if it is an object type (then ``__typename``
    is known without looking), else None. ``default`` applies when the runtime type is
    missing or not one of ``by_type``. ``api_types`` holds the names of the API schema's
    types: an object whose ``__typename`` is none of them (an ``@inaccessible`` type a
    subgraph returned) cannot be shown and is a null at ``owner``, the position it fills.
    """

    __slots__ = (
        "api_types",
        "by_type",
        "default",
        "fn_by_type",
        "fn_default",
        "owner",
        "static_type",
    )

    def __init__(
        self,
        by_type: dict[str, tuple[FieldShape, ...]],
        default: tuple[FieldShape, ...],
        static_type: str | None,
        api_types: Container[str] = (),
    ) -> None:
        self.by_type = by_type
        self.default = default
        self.static_type = static_type
        self.api_types = api_types
        self.owner: Position | None = None
        # Each field list as a generated function (shape_codegen.py), which projection calls.
        self.fn_default = object_function(default, _KINDS, _child_function)
        self.fn_by_type = {
            name: self.fn_default
            if fields is default
            else object_function(fields, _KINDS, _child_function)
            for name, fields in by_type.items()
        }


def _child_function(shape: ObjectShape | None) -> ObjectFunction | None:
    return shape.fn_default if shape is not None and shape.static_type is not None else None


class OperationInfo:
    """The operation, its fragments and the boolean variables its directives read."""

    __slots__ = ("condition_defaults", "condition_variables", "fragments", "operation")

    def __init__(self, document: DocumentNode, operation_name: str | None) -> None:
        self.operation = find_operation(document, operation_name)
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        names: dict[str, None] = {}
        for node in _directive_nodes(document):
            for directive in node.directives or ():
                if directive.name.value in ("skip", "include"):
                    for argument in directive.arguments:
                        if isinstance(argument.value, VariableNode):
                            names[argument.value.name.value] = None
        self.condition_variables = tuple(names)
        defaults: dict[str, bool] = {}
        for definition in self.operation.variable_definitions or ():
            name = definition.variable.name.value
            if name in names and definition.default_value is not None:
                defaults[name] = bool(value_from_ast(definition.default_value, GraphQLBoolean))
        self.condition_defaults = defaults

    def variant_key(self, variables: Mapping[str, Any]) -> tuple[bool, ...]:
        defaults = self.condition_defaults
        return tuple(
            bool(variables[name]) if variables.get(name) is not None else defaults.get(name, False)
            for name in self.condition_variables
        )


def find_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) != 1:
            raise ValueError("the document must hold exactly one operation, or name one")
        return operations[0]
    for operation in operations:
        if operation.name is not None and operation.name.value == operation_name:
            return operation
    raise ValueError(f"the document has no operation named {operation_name!r}")


def _directive_nodes(document: DocumentNode) -> list[Any]:
    found: list[Any] = []

    def walk(selection_set: SelectionSetNode | None) -> None:
        for selection in selection_set.selections if selection_set else ():
            found.append(selection)
            if isinstance(selection, FieldNode | InlineFragmentNode):
                walk(selection.selection_set)

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            walk(definition.selection_set)
    return found


class _Compiler:
    def __init__(
        self, schema: GraphQLSchema, info: OperationInfo, conditions: Mapping[str, bool]
    ) -> None:
        self.schema = schema
        self.fragments = info.fragments
        self.conditions = conditions

    def included(self, directives: tuple[DirectiveNode, ...] | None) -> bool:
        for directive in directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue
            value = next((a.value for a in directive.arguments if a.name.value == "if"), None)
            if isinstance(value, BooleanValueNode):
                flag = value.value
            elif isinstance(value, VariableNode):
                flag = self.conditions.get(value.name.value, False)
            else:
                continue
            if flag == (name == "skip"):
                return False
        return True

    def matches(self, condition: str, runtime: GraphQLNamedType) -> bool:
        wanted = self.schema.get_type(condition)
        if wanted is None:
            return False
        if wanted is runtime:
            return True
        return is_abstract_type(wanted) and self.schema.is_sub_type(wanted, runtime)  # type: ignore[arg-type]

    def collect(
        self,
        runtime: GraphQLNamedType,
        selection_set: SelectionSetNode,
        out: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not self.included(selection.directives):
                continue
            if isinstance(selection, FieldNode):
                out.setdefault((selection.alias or selection.name).value, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self.matches(condition.name.value, runtime):
                    self.collect(runtime, selection.selection_set, out, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in visited:
                    continue
                visited.add(name)
                if self.matches(fragment.type_condition.name.value, runtime):
                    self.collect(runtime, fragment.selection_set, out, visited)

    def fields(
        self, runtime: GraphQLNamedType, selection_sets: list[SelectionSetNode]
    ) -> tuple[FieldShape, ...]:
        grouped: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self.collect(runtime, selection_set, grouped, set())
        defined = getattr(runtime, "fields", {})
        shapes: list[FieldShape] = []
        for key, nodes in grouped.items():
            name = nodes[0].name.value
            if name == "__typename":
                position = Position(TYPENAME, True, "String")
            elif name in ("__schema", "__type"):
                position = Position(INTROSPECTION, False, "")
            elif name in defined:
                subsets = [n.selection_set for n in nodes if n.selection_set is not None]
                position = self.position(defined[name].type, subsets)
            else:
                # Anything the schema does not declare is passed through as it is.
                position = Position(SCALAR, False, "")
            shapes.append(FieldShape(key, name, runtime.name, position))
        return tuple(shapes)

    def position(
        self, type_: GraphQLOutputType, subsets: list[SelectionSetNode], nonnull: bool = False
    ) -> Position:
        if isinstance(type_, GraphQLNonNull):
            return self.position(type_.of_type, subsets, True)
        if isinstance(type_, GraphQLList):
            position = Position(LIST, nonnull, "")
            position.item = self.position(type_.of_type, subsets)
            return position
        if isinstance(type_, GraphQLEnumType):
            position = Position(ENUM, nonnull, type_.name)
            position.enum_values = frozenset(type_.values)
            return position
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            position = Position(OBJECT, nonnull, type_.name)
            position.obj = self.object_shape(type_, subsets)
            position.obj.owner = position
            return position
        return Position(SCALAR, nonnull, getattr(type_, "name", ""))

    def object_shape(self, type_: Any, subsets: list[SelectionSetNode]) -> ObjectShape:
        if isinstance(type_, GraphQLObjectType):
            fields = self.fields(type_, subsets)
            return ObjectShape({type_.name: fields}, fields, type_.name)
        by_type = {t.name: self.fields(t, subsets) for t in self.schema.get_possible_types(type_)}
        return ObjectShape(by_type, self.fields(type_, subsets), None, self.schema.type_map)


def compile_object(
    schema: GraphQLSchema, info: OperationInfo, variant: tuple[bool, ...]
) -> ObjectShape:
    """The root object shape for one assignment of the condition variables."""
    conditions = dict(zip(info.condition_variables, variant, strict=True))
    root_type = schema.get_root_type(info.operation.operation)
    if root_type is None:
        kind = info.operation.operation.value
        raise ValueError(f"the schema has no {kind} type")
    return _Compiler(schema, info, conditions).object_shape(
        root_type, [info.operation.selection_set]
    )
