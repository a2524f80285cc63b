"""Load a Federation 2 supergraph SDL into schemas and join metadata (``Supergraph``)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    OperationDefinitionNode,
    ScalarTypeDefinitionNode,
    SelectionSetNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    parse,
    print_schema,
    value_from_ast_untyped,
)

from gateway.supergraph.api_schema import derive_api_schema
from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.links import LinkedFeatures, read_links
from gateway.supergraph.model import (
    EntityKey,
    FieldJoin,
    FieldMeta,
    SubgraphInfo,
    TypeJoin,
    TypeKind,
    TypeMeta,
)

__all__ = ["Supergraph", "parse_field_set"]

_KINDS: dict[type, TypeKind] = {
    ObjectTypeDefinitionNode: "object",
    InterfaceTypeDefinitionNode: "interface",
    UnionTypeDefinitionNode: "union",
    EnumTypeDefinitionNode: "enum",
    InputObjectTypeDefinitionNode: "input",
    ScalarTypeDefinitionNode: "scalar",
}


def parse_field_set(field_set: str, where: str) -> SelectionSetNode:
    """Parse a join field set (``"id org { id }"``) into a selection set."""
    try:
        document = parse("{" + field_set + "}", no_location=True)
    except GraphQLError as exc:
        raise SupergraphError(f"bad field set {field_set!r} on {where}: {exc.message}") from exc
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


def _args(directive: DirectiveNode) -> dict[str, Any]:
    return {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments}


class Supergraph:
    """A loaded supergraph; immutable once built. Build it with ``from_sdl``."""

    sdl: str
    hash: str
    document: DocumentNode
    links: LinkedFeatures
    schema: GraphQLSchema
    api_schema: GraphQLSchema
    api_sdl: str
    subgraphs: Mapping[str, SubgraphInfo]
    types: Mapping[str, TypeMeta]
    root_types: Mapping[str, str]

    def __init__(self, sdl: str, document: DocumentNode) -> None:
        self.sdl = sdl
        self.hash = hashlib.sha256(sdl.encode()).hexdigest()
        self.document = document
        self.links = read_links(document)
        self.subgraphs, enum_to_name = self._read_graphs()
        try:
            self.schema = build_ast_schema(document, assume_valid=True, assume_valid_sdl=True)
        except Exception as exc:  # graphql-core raises TypeError on dangling references
            raise SupergraphError(f"the supergraph schema cannot be built: {exc}") from exc
        self.types = self._read_types(enum_to_name)
        self.root_types = {
            kind: t.name
            for kind, t in (
                ("query", self.schema.query_type),
                ("mutation", self.schema.mutation_type),
                ("subscription", self.schema.subscription_type),
            )
            if t is not None
        }
        if "query" not in self.root_types:
            raise SupergraphError("the supergraph has no query root type")
        self.api_schema = derive_api_schema(document, self.links)
        self.api_sdl = print_schema(self.api_schema)

    @classmethod
    def from_sdl(cls, sdl: str) -> Supergraph:
        if not isinstance(sdl, str) or not sdl.strip():
            raise SupergraphError("the supergraph SDL is empty")
        try:
            document = parse(sdl, no_location=True)
        except GraphQLError as exc:
            raise SupergraphError(f"the supergraph SDL does not parse: {exc.message}") from exc
        return cls(sdl, document)

    # -- reading the join directives -------------------------------------------------

    def _directive(self, local: str) -> str:
        return self.links.join.directive(local)

    def _read_graphs(self) -> tuple[dict[str, SubgraphInfo], dict[str, str]]:
        enum_name = f"{self.links.join.prefix}__Graph"
        graph_directive = self._directive("graph")
        for definition in self.document.definitions:
            if (
                isinstance(definition, EnumTypeDefinitionNode)
                and definition.name.value == enum_name
            ):
                break
        else:
            raise SupergraphError(f"the supergraph has no {enum_name} enum listing its subgraphs")
        subgraphs: dict[str, SubgraphInfo] = {}
        enum_to_name: dict[str, str] = {}
        for value in definition.values or ():
            found = [d for d in value.directives or () if d.name.value == graph_directive]
            if not found:
                raise SupergraphError(f"{enum_name}.{value.name.value} has no @{graph_directive}")
            args = _args(found[0])
            name, url = args.get("name"), args.get("url")
            if not isinstance(name, str) or not isinstance(url, str):
                raise SupergraphError(
                    f"@{graph_directive} on {value.name.value} needs name and url"
                )
            if name in subgraphs:
                raise SupergraphError(f"two subgraphs are named {name!r}")
            subgraphs[name] = SubgraphInfo(name, url, value.name.value)
            enum_to_name[value.name.value] = name
        return subgraphs, enum_to_name

    def _read_types(self, graphs: dict[str, str]) -> dict[str, TypeMeta]:
        type_d, field_d = self._directive("type"), self._directive("field")
        impl_d, member_d = self._directive("implements"), self._directive("unionMember")
        enum_value_d = self._directive("enumValue")
        inaccessible = self.links.directive("inaccessible", "inaccessible")
        machinery = self.links.machinery_prefixes()

        def graph_of(args: dict[str, Any], where: str) -> str:
            value = args.get("graph")
            if value not in graphs:
                raise SupergraphError(f"{where} names unknown subgraph {value!r}")
            return graphs[value]

        types: dict[str, TypeMeta] = {}
        for definition in self.document.definitions:
            if not isinstance(definition, TypeDefinitionNode):
                continue
            name = definition.name.value
            if name.startswith(machinery) or name.startswith("link__"):
                continue
            kind = _KINDS.get(type(definition))
            if kind is None:
                continue
            meta = TypeMeta(name, kind)
            meta.inaccessible = any(
                d.name.value == inaccessible for d in definition.directives or ()
            )
            for directive in definition.directives or ():
                dname = directive.name.value
                args = _args(directive)
                if dname == type_d:
                    graph = graph_of(args, f"@{type_d} on {name}")
                    join = meta.graphs.setdefault(graph, TypeJoin(graph))
                    join.extension = join.extension or bool(args.get("extension"))
                    join.interface_object = join.interface_object or bool(
                        args.get("isInterfaceObject")
                    )
                    key = args.get("key")
                    if isinstance(key, str):
                        resolvable = args.get("resolvable", True) is not False
                        selection = parse_field_set(key, f"@key of {name}")
                        join.keys.append(EntityKey(graph, key, selection, resolvable))
                elif dname == impl_d:
                    graph = graph_of(args, f"@{impl_d} on {name}")
                    meta.implements.setdefault(graph, set()).add(str(args.get("interface")))
                elif dname == member_d:
                    graph = graph_of(args, f"@{member_d} on {name}")
                    meta.union_members.setdefault(graph, set()).add(str(args.get("member")))
            if isinstance(definition, EnumTypeDefinitionNode):
                for value in definition.values or ():
                    for directive in value.directives or ():
                        if directive.name.value == enum_value_d:
                            graph = graph_of(_args(directive), f"{name}.{value.name.value}")
                            meta.enum_values.setdefault(value.name.value, set()).add(graph)
            fields = getattr(definition, "fields", None) or ()
            for field_node in fields:
                fmeta = FieldMeta(name, field_node.name.value)
                for directive in field_node.directives or ():
                    dname = directive.name.value
                    if dname == inaccessible:
                        fmeta.inaccessible = True
                    if dname != field_d:
                        continue
                    args = _args(directive)
                    where = f"{name}.{fmeta.name}"
                    fgraph = graph_of(args, f"@{field_d} on {where}") if "graph" in args else None
                    fmeta.joins.append(
                        FieldJoin(
                            graph=fgraph,
                            requires=_field_set(args.get("requires"), f"@requires of {where}"),
                            provides=_field_set(args.get("provides"), f"@provides of {where}"),
                            type=args.get("type"),
                            external=bool(args.get("external")),
                            override=args.get("override"),
                            override_label=args.get("overrideLabel"),
                            used_overridden=bool(args.get("usedOverridden")),
                        )
                    )
                meta.fields[fmeta.name] = fmeta
            types[name] = meta
        return types


def _field_set(value: Any, where: str) -> SelectionSetNode | None:
    if not isinstance(value, str):
        return None
    return parse_field_set(value, where)
