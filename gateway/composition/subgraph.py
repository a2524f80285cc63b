"""Read one subgraph's SDL into the composition model.

Phases: parse; resolve ``@link`` imports (renames such as ``"@key" as "@primaryKey"`` and
namespaced ``@federation__key``) to canonical federation names; treat a schema without a
federation ``@link`` as Federation 1; drop the federation plumbing (``_Service``,
``_entities``, ``FieldSet`` ...); rename custom root types to ``Query``/``Mutation``/
``Subscription``; merge each type's definition and extensions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from graphql import (
    ConstDirectiveNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLError,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    ValueNode,
    parse,
    print_ast,
    value_from_ast_untyped,
)

from .graphql_rules import graphql_errors
from .model import Applied, Link, SArgument, SEnumValue, SField, SType, Subgraph, TypeKind
from .result import CompositionError, SubgraphSource

__all__ = ["FEDERATION_DIRECTIVES", "read_subgraph"]

FEDERATION_DIRECTIVES = (
    "key",
    "external",
    "requires",
    "provides",
    "extends",
    "shareable",
    "inaccessible",
    "tag",
    "override",
    "interfaceObject",
    "composeDirective",
    "authenticated",
    "requiresScopes",
    "policy",
    "context",
    "fromContext",
    "cost",
    "listSize",
)
# Arguments of each federation directive; the required ones first, marked "!".
DIRECTIVE_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "key": ("fields!", "resolvable"),
    "requires": ("fields!",),
    "provides": ("fields!",),
    "external": ("reason",),
    "tag": ("name!",),
    "override": ("from!", "label"),
    "composeDirective": ("name!",),
    "requiresScopes": ("scopes!",),
    "policy": ("policies!",),
    "context": ("name!",),
    "fromContext": ("field",),
    "cost": ("weight!",),
    "listSize": ("assumedSize", "slicingArguments", "sizedFields", "requireOneSlicingArgument"),
    "link": ("url!", "as", "for", "import"),
}
# The federation version that introduced each directive.
SINCE: dict[str, tuple[int, int]] = {
    "composeDirective": (2, 1),
    "interfaceObject": (2, 3),
    "authenticated": (2, 5),
    "requiresScopes": (2, 5),
    "policy": (2, 6),
    "context": (2, 8),
    "fromContext": (2, 8),
    "cost": (2, 9),
    "listSize": (2, 9),
}
# Where each federation directive may be applied.
_ALL = {"FIELD_DEFINITION", "OBJECT", "INTERFACE", "UNION", "ARGUMENT_DEFINITION", "SCALAR",
        "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION"}  # fmt: skip
_AUTH = {"FIELD_DEFINITION", "OBJECT", "INTERFACE", "SCALAR", "ENUM"}
LOCATIONS: dict[str, set[str]] = {
    "key": {"OBJECT", "INTERFACE"},
    "extends": {"OBJECT", "INTERFACE"},
    "shareable": {"OBJECT", "FIELD_DEFINITION"},
    "external": {"OBJECT", "FIELD_DEFINITION"},
    "requires": {"FIELD_DEFINITION"},
    "provides": {"FIELD_DEFINITION"},
    "override": {"FIELD_DEFINITION"},
    "interfaceObject": {"OBJECT"},
    "inaccessible": _ALL,
    "tag": _ALL | {"SCHEMA"},
    "authenticated": _AUTH,
    "requiresScopes": _AUTH,
    "policy": _AUTH,
}
# Linked by newer federation versions but not composed here: refused, never dropped.
UNSUPPORTED = ("context", "fromContext", "cost", "listSize")
FEDERATION_TYPES = ("FieldSet", "Scope", "Policy", "ContextFieldValue")
FEDERATION_1_DIRECTIVES = (
    "key",
    "external",
    "requires",
    "provides",
    "extends",
    "tag",
)
BUILTIN_DIRECTIVES = ("deprecated", "specifiedBy", "include", "skip", "oneOf")
BUILTIN_SCALARS = ("String", "Int", "Float", "Boolean", "ID")
# Plumbing a subgraph library adds for the router; never part of the supergraph.
PLUMBING_TYPES = ("_Service", "_Any", "_Entity", "_FieldSet", "FieldSet", "link__Import")
PLUMBING_PREFIXES = ("federation__", "link__", "join__")
ROOT_DEFAULTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
FEDERATION_URL = re.compile(r"^https://specs\.apollo\.dev/federation/v(\d+)\.(\d+)$")
LINK_URL = re.compile(r"^https://specs\.apollo\.dev/link/v\d+\.\d+$")

_KINDS: dict[type, TypeKind] = {
    ObjectTypeDefinitionNode: "object",
    ObjectTypeExtensionNode: "object",
    InterfaceTypeDefinitionNode: "interface",
    InterfaceTypeExtensionNode: "interface",
    UnionTypeDefinitionNode: "union",
    UnionTypeExtensionNode: "union",
    EnumTypeDefinitionNode: "enum",
    EnumTypeExtensionNode: "enum",
    InputObjectTypeDefinitionNode: "input",
    InputObjectTypeExtensionNode: "input",
    ScalarTypeDefinitionNode: "scalar",
    ScalarTypeExtensionNode: "scalar",
}
_LOCATION: dict[str, str] = {
    "object": "OBJECT",
    "interface": "INTERFACE",
    "union": "UNION",
    "enum": "ENUM",
    "input": "INPUT_OBJECT",
    "scalar": "SCALAR",
}
_EXTENSIONS = (
    ObjectTypeExtensionNode,
    InterfaceTypeExtensionNode,
    UnionTypeExtensionNode,
    EnumTypeExtensionNode,
    InputObjectTypeExtensionNode,
    ScalarTypeExtensionNode,
)


class SubgraphReadError(Exception):
    def __init__(self, errors: list[CompositionError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def read_subgraph(source: SubgraphSource) -> tuple[Subgraph | None, list[CompositionError]]:
    """Parse and normalise one subgraph; on failure return ``None`` and the reasons."""
    try:
        document = parse(source.sdl)
    except GraphQLError as exc:
        return None, [
            CompositionError(
                "INVALID_GRAPHQL", f"[{source.name}] the SDL does not parse: {exc.message}"
            )
        ]
    reader = _Reader(source, document)
    try:
        return reader.read(), reader.errors
    except SubgraphReadError as exc:
        return None, exc.errors


class _Reader:
    def __init__(self, source: SubgraphSource, document: DocumentNode) -> None:
        self.source = source
        self.document = document
        self.errors: list[CompositionError] = []
        self.local_to_canonical: dict[str, str] = {}
        self.renames: dict[str, str] = {}
        self.version = (1, 0)

    def error(self, code: str, message: str) -> None:
        self.errors.append(CompositionError(code, f"[{self.source.name}] {message}"))

    def read(self) -> Subgraph:
        schema_nodes = [
            d
            for d in self.document.definitions
            if isinstance(d, SchemaDefinitionNode | SchemaExtensionNode)
        ]
        schema_directives = [dir_ for n in schema_nodes for dir_ in n.directives or ()]
        fed2, links = self._resolve_links(schema_directives)
        if self.errors:
            # Without a sound @link nothing else can be read the way the subgraph meant.
            raise SubgraphReadError(self.errors)
        subgraph = Subgraph(self.source.name, self.source.url, fed2, self.version, links=links)
        self._resolve_roots(subgraph, schema_nodes)
        for definition in self.document.definitions:
            if isinstance(definition, DirectiveDefinitionNode):
                name = definition.name.value
                if name not in self.local_to_canonical and name not in BUILTIN_DIRECTIVES:
                    subgraph.directive_defs[name] = definition
        for d in schema_directives:
            if self.local_to_canonical.get(d.name.value) == "composeDirective":
                self._compose_directive(subgraph, d)
        for definition in self.document.definitions:
            kind = _KINDS.get(type(definition))
            if kind is None:
                continue
            self._add_type(subgraph, kind, definition)
        self._check_references(subgraph)
        self._check_not_empty(subgraph)
        # Every subgraph answers _entities/_service on Query, so Query always exists.
        if "Query" not in subgraph.types:
            subgraph.types["Query"] = SType("object", "Query", has_definition=True)
        subgraph.roots.setdefault("query", "Query")
        if not self.errors:
            for message in graphql_errors(self.document):
                self.error("INVALID_GRAPHQL", message)
        if self.errors:
            raise SubgraphReadError(self.errors)
        return subgraph

    def _resolve_links(self, directives: Sequence[ConstDirectiveNode]) -> tuple[bool, list[Link]]:
        fed2 = False
        links: list[Link] = []
        for d in directives:
            if d.name.value != "link":
                continue
            self._check_arguments("link", "link", {a.name.value: a for a in d.arguments or ()})
            args = {a.name.value: value_from_ast_untyped(a.value) for a in d.arguments or ()}
            url = str(args.get("url", ""))
            imports = args.get("import") or []
            version = FEDERATION_URL.match(url)
            if version and fed2:
                self.error(
                    "INVALID_LINK_DIRECTIVE_USAGE",
                    'Cannot link feature "https://specs.apollo.dev/federation" since it has '
                    "already been linked in the schema.",
                )
            elif version:
                fed2 = True
                self.version = (int(version.group(1)), int(version.group(2)))
                prefix = str(args.get("as") or "federation")
                known = [d for d in FEDERATION_DIRECTIVES if SINCE.get(d, (2, 0)) <= self.version]
                for canonical in known:
                    self.local_to_canonical[f"{prefix}__{canonical}"] = canonical
                for item in imports:
                    name, alias = _import_names(item)
                    if name.startswith("@") and name[1:] in known:
                        self.local_to_canonical[alias[1:]] = name[1:]
                    elif name not in FEDERATION_TYPES:
                        self.error(
                            "INVALID_LINK_DIRECTIVE_USAGE",
                            f'Cannot import unknown element "{name}".',
                        )
            elif not LINK_URL.match(url):
                names = [_import_names(i)[1] for i in imports]
                links.append(Link(url, [n for n in names if n]))
        if not fed2:
            # Federation 1: its own directives are known by their plain names.
            for canonical in FEDERATION_1_DIRECTIVES:
                self.local_to_canonical.setdefault(canonical, canonical)
        return fed2, links

    def _resolve_roots(self, subgraph: Subgraph, nodes: Iterable[Any]) -> None:
        declared: dict[str, str] = {}
        for node in nodes:
            for op in node.operation_types or ():
                declared[op.operation.value] = op.type.name.value
        defined = {
            d.name.value
            for d in self.document.definitions
            if isinstance(d, TypeDefinitionNode | TypeExtensionNode)
        }
        for op, default in ROOT_DEFAULTS.items():
            local = declared.get(op, default if not declared else None)
            if local is None or local not in defined:
                continue
            if local != default:
                if default in defined and declared.get(op) is not None:
                    self.error(
                        f"ROOT_{op.upper()}_USED",
                        f'the schema has a type named "{default}" but it is not the {op} root type '
                        f'("{local}" is)',
                    )
                    raise SubgraphReadError(self.errors)
                self.renames[local] = default
            subgraph.roots[op] = default

    def _check_arguments(self, local: str, canonical: str, args: dict[str, Any]) -> None:
        known = DIRECTIVE_ARGUMENTS.get(canonical, ())
        names = [k.rstrip("!") for k in known]
        for name in args:
            if name not in names:
                self.error("INVALID_GRAPHQL", f'Unknown argument "{name}" on directive "@{local}".')
        for name in (k[:-1] for k in known if k.endswith("!")):
            if name not in args:
                self.error(
                    "INVALID_GRAPHQL",
                    f'Directive "@{local}" argument "{name}" is required, but it was not provided.',
                )

    def _check_not_empty(self, subgraph: Subgraph) -> None:
        for t in subgraph.types.values():
            if t.name == "Query":
                continue  # every subgraph's Query has _entities and _service
            if t.kind in ("object", "interface", "input") and not t.fields:
                self.error("INVALID_GRAPHQL", f"Type {t.name} must define one or more fields.")
            elif t.kind == "enum" and not t.values:
                self.error("INVALID_GRAPHQL", f"Enum type {t.name} must define one or more values.")
            elif t.kind == "union" and not t.members:
                self.error(
                    "INVALID_GRAPHQL", f"Union type {t.name} must define one or more member types."
                )

    def _check_references(self, subgraph: Subgraph) -> None:
        known = set(subgraph.types) | set(BUILTIN_SCALARS)
        missing: list[str] = []

        def check(ref: str) -> None:
            name = ref.replace("[", "").replace("]", "").replace("!", "")
            if name not in known and name not in missing:
                missing.append(name)

        for t in subgraph.types.values():
            for f in t.fields.values():
                check(f.type)
                for a in f.args.values():
                    check(a.type)
            for ref in [*t.interfaces, *t.members]:
                check(ref)
        for name in missing:
            self.error("INVALID_GRAPHQL", f"Unknown type {name}")

    def _compose_directive(self, subgraph: Subgraph, node: ConstDirectiveNode) -> None:
        raw = next((a.value for a in node.arguments or () if a.name.value == "name"), None)
        name = str(value_from_ast_untyped(raw)) if raw is not None else ""
        local = name.removeprefix("@")
        if not name.startswith("@") or local not in subgraph.directive_defs:
            self.error(
                "DIRECTIVE_COMPOSITION_ERROR",
                f'@composeDirective(name: "{name}") names no directive defined in this subgraph',
            )
            return
        link = next((lk for lk in subgraph.links if f"@{local}" in lk.imports), None)
        if link is None:
            self.error(
                "DIRECTIVE_COMPOSITION_ERROR",
                f'@composeDirective(name: "{name}"): the directive must be imported by an @link',
            )
            return
        subgraph.composed[local] = link.url

    def _type_name(self, name: str) -> str:
        return self.renames.get(name, name)

    def _type_ref(self, node: TypeNode) -> str:
        if isinstance(node, NonNullTypeNode):
            return self._type_ref(node.type) + "!"
        if isinstance(node, ListTypeNode):
            return "[" + self._type_ref(node.type) + "]"
        assert isinstance(node, NamedTypeNode)
        return self._type_name(node.name.value)

    def _directives(
        self,
        nodes: Iterable[ConstDirectiveNode] | None,
        subgraph: Subgraph,
        location: str,
        on_extension: bool = False,
    ) -> list[Applied]:
        applied: list[Applied] = []
        for node in nodes or ():
            local = node.name.value
            canonical = self.local_to_canonical.get(local)
            if canonical is None and local not in BUILTIN_DIRECTIVES:
                if local not in subgraph.directive_defs:
                    self.error("INVALID_GRAPHQL", _unknown_directive(local, subgraph.fed2))
                canonical = local
            args: dict[str, ValueNode] = {a.name.value: a.value for a in node.arguments or ()}
            if canonical in UNSUPPORTED:
                self.error(
                    "UNSUPPORTED_FEATURE",
                    f"@{local} ({canonical}) is not supported by this composer yet; the "
                    "supergraph would silently lose it",
                )
            if self.local_to_canonical.get(local) is not None:
                self._check_arguments(local, canonical or local, args)
                allowed = LOCATIONS.get(canonical or local)
                if allowed is not None and location not in allowed:
                    self.error(
                        "INVALID_GRAPHQL", f'Directive "@{local}" may not be used on {location}.'
                    )
            applied.append(Applied(canonical or local, args, on_extension))
        return applied

    def _add_type(self, subgraph: Subgraph, kind: TypeKind, node: Any) -> None:
        local_name = node.name.value
        name = self._type_name(local_name)
        if name in BUILTIN_SCALARS or name in PLUMBING_TYPES or name.startswith(PLUMBING_PREFIXES):
            return
        existing = subgraph.types.get(name)
        if existing is None:
            existing = subgraph.types[name] = SType(kind, name)
        elif existing.kind != kind:
            self.error("INVALID_GRAPHQL", f'type "{name}" is declared as two different kinds')
            return
        is_extension = isinstance(node, _EXTENSIONS)
        if is_extension:
            existing.has_extension = True
        elif existing.has_definition:
            self.error("INVALID_GRAPHQL", f'There can be only one type named "{name}"')
        else:
            existing.has_definition = True
        description = getattr(node, "description", None)
        if description is not None and existing.description is None:
            existing.description = description.value
        directives = self._directives(node.directives, subgraph, _LOCATION[kind], is_extension)
        existing.directives.extend(directives)
        type_shareable = any(d.name == "shareable" for d in directives)
        type_external = any(d.name == "external" for d in directives)
        for iface in getattr(node, "interfaces", None) or ():
            if iface.name.value not in existing.interfaces:
                existing.interfaces.append(self._type_name(iface.name.value))
        for member in getattr(node, "types", None) or ():
            if member.name.value not in existing.members:
                existing.members.append(self._type_name(member.name.value))
        for value in getattr(node, "values", None) or ():
            if kind == "enum":
                existing.values[value.name.value] = SEnumValue(
                    value.name.value,
                    value.description.value if value.description else None,
                    self._directives(value.directives, subgraph, "ENUM_VALUE"),
                )
        for fnode in getattr(node, "fields", None) or ():
            fname = fnode.name.value
            if name == "Query" and fname in ("_entities", "_service"):
                continue
            sfield = SField(
                fname,
                self._type_ref(fnode.type),
                description=fnode.description.value if fnode.description else None,
                directives=self._directives(
                    fnode.directives,
                    subgraph,
                    "INPUT_FIELD_DEFINITION" if kind == "input" else "FIELD_DEFINITION",
                ),
                from_extension=is_extension,
                shareable_by_type=type_shareable,
            )
            if type_external and not sfield.has("external"):
                sfield.directives.append(Applied("external"))
            if kind == "input":
                sfield.default = print_ast(fnode.default_value) if fnode.default_value else None
            for anode in getattr(fnode, "arguments", None) or ():
                sfield.args[anode.name.value] = SArgument(
                    anode.name.value,
                    self._type_ref(anode.type),
                    print_ast(anode.default_value) if anode.default_value else None,
                    anode.description.value if anode.description else None,
                    self._directives(anode.directives, subgraph, "ARGUMENT_DEFINITION"),
                )
            if fname in existing.fields:
                self.error("INVALID_GRAPHQL", f'field "{name}.{fname}" is defined twice')
            existing.fields[fname] = sfield


def _unknown_directive(name: str, fed2: bool) -> str:
    if not fed2 and name in FEDERATION_DIRECTIVES:
        return (
            f'Unknown directive "@{name}". If you meant the "@{name}" federation 2 directive, '
            "note that this schema is a federation 1 schema. To be a federation 2 schema, it "
            "needs to @link to the federation specifcation v2."
        )
    return f'Unknown directive "@{name}".'


def _import_names(item: Any) -> tuple[str, str]:
    if isinstance(item, str):
        return item, item
    if isinstance(item, dict):
        name = str(item.get("name", ""))
        return name, str(item.get("as") or name)
    return "", ""
