"""The specifications a supergraph links (link, join, tag, inaccessible, authorization):
their URLs, purposes and the definitions printed into the supergraph."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "JOIN_DEFINITIONS",
    "LINK_DEFINITIONS",
    "SCALARS_OF_SPEC",
    "SECURITY_SPECS",
    "Spec",
    "join_version",
]

_LOCATIONS_ALL = (
    "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | "
    "ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)
_LOCATIONS_AUTH = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"


@dataclass(frozen=True, slots=True)
class Spec:
    """A linked specification: the directive it brings and the definitions it needs."""

    directive: str
    url: str
    purpose: str | None
    definitions: dict[str, str]


# In the order Apollo's composer lists them on the schema.
SECURITY_SPECS: tuple[Spec, ...] = (
    Spec(
        "tag",
        "https://specs.apollo.dev/tag/v0.3",
        None,
        {"tag": f"directive @tag(name: String!) repeatable on {_LOCATIONS_ALL} | SCHEMA"},
    ),
    Spec(
        "inaccessible",
        "https://specs.apollo.dev/inaccessible/v0.2",
        "SECURITY",
        {"inaccessible": f"directive @inaccessible on {_LOCATIONS_ALL}"},
    ),
    Spec(
        "authenticated",
        "https://specs.apollo.dev/authenticated/v0.1",
        "SECURITY",
        {"authenticated": f"directive @authenticated on {_LOCATIONS_AUTH}"},
    ),
    Spec(
        "requiresScopes",
        "https://specs.apollo.dev/requiresScopes/v0.1",
        "SECURITY",
        {
            "requiresScopes": "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) "
            f"on {_LOCATIONS_AUTH}",
        },
    ),
    Spec(
        "policy",
        "https://specs.apollo.dev/policy/v0.1",
        "SECURITY",
        {"policy": f"directive @policy(policies: [[policy__Policy!]!]!) on {_LOCATIONS_AUTH}"},
    ),
)
SCALARS_OF_SPEC = {"requiresScopes": "requiresScopes__Scope", "policy": "policy__Policy"}

LINK_DEFINITIONS = {
    "link": "directive @link(url: String, as: String, for: link__Purpose, import: "
    "[link__Import]) repeatable on SCHEMA",
}

_JOIN_FIELD = (
    "directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: "
    "join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: "
    "Boolean{label}) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION"
)


_JOIN_FIELD_EXTRA = {
    "v0.3": "",
    "v0.4": ", overrideLabel: String",
    "v0.5": ", overrideLabel: String, contextArguments: [join__ContextArgument!]",
}


def join_version(federation: tuple[int, int], uses_label: bool) -> str:
    """The join spec Apollo links for the newest federation version any subgraph links."""
    if federation >= (2, 8):
        return "v0.5"
    if federation >= (2, 7) or uses_label:
        return "v0.4"
    return "v0.3"


def JOIN_DEFINITIONS(version: str) -> dict[str, str]:
    """The join directive definitions for ``join/v0.3``, ``v0.4`` or ``v0.5``."""
    defs = {
        "join__enumValue": "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE",
        "join__field": _JOIN_FIELD.format(label=_JOIN_FIELD_EXTRA[version]),
        "join__graph": "directive @join__graph(name: String!, url: String!) on ENUM_VALUE",
        "join__implements": "directive @join__implements(graph: join__Graph!, interface: "
        "String!) repeatable on OBJECT | INTERFACE",
        "join__type": "directive @join__type(graph: join__Graph!, key: join__FieldSet, "
        "extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: "
        "Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR",
        "join__unionMember": "directive @join__unionMember(graph: join__Graph!, member: "
        "String!) repeatable on UNION",
    }
    if version != "v0.3":
        defs["join__directive"] = (
            "directive @join__directive(graphs: [join__Graph!], name: String!, args: "
            "join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION"
        )
    return defs
