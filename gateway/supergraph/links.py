"""``@link`` handling: which features a supergraph uses, under which names, and refusal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphql import DocumentNode, SchemaDefinitionNode, SchemaExtensionNode, value_from_ast_untyped

from gateway.supergraph.errors import SupergraphError

__all__ = ["IMPLEMENTED_FEATURES", "Feature", "LinkedFeatures", "read_links"]

# Features whose semantics the gateway honours: the planner (link, join), the API schema
# (tag, inaccessible) and the policy engine (authenticated, requiresScopes, policy).
IMPLEMENTED_FEATURES = frozenset(
    {"link", "join", "tag", "inaccessible", "authenticated", "requiresScopes", "policy"}
)
SUPPORTED_JOIN = ("v0.3", "v0.4", "v0.5")
_URL = re.compile(r"^(?P<base>.*?)/(?P<name>[A-Za-z_][A-Za-z0-9_-]*)/(?P<version>v\d+\.\d+)/?$")


@dataclass(frozen=True, slots=True)
class Feature:
    """One ``@link``: ``prefix`` is the name its directives and types are namespaced by."""

    url: str
    name: str
    version: str
    prefix: str
    purpose: str | None
    imports: dict[str, str] = field(default_factory=dict)

    def directive(self, local: str) -> str:
        """The name a directive of this feature has in the document (``@join__type``...)."""
        if local == self.name:
            return self.imports.get(f"@{local}", self.prefix).lstrip("@")
        imported = self.imports.get(f"@{local}")
        if imported is not None:
            return imported.lstrip("@")
        return f"{self.prefix}__{local}"


@dataclass(frozen=True, slots=True)
class LinkedFeatures:
    features: dict[str, Feature]

    @property
    def join(self) -> Feature:
        return self.features["join"]

    def directive(self, feature: str, local: str) -> str | None:
        found = self.features.get(feature)
        return None if found is None else found.directive(local)

    def machinery_directives(self) -> set[str]:
        """Directive names that belong to linked features, plus ``link`` itself."""
        names = {"link"}
        for feature in self.features.values():
            names.add(feature.prefix)
            names.update(v.lstrip("@") for k, v in feature.imports.items() if k.startswith("@"))
        return names

    def machinery_prefixes(self) -> tuple[str, ...]:
        return tuple(f"{f.prefix}__" for f in self.features.values())


def read_links(document: DocumentNode) -> LinkedFeatures:
    """Read every ``@link`` on the schema definition; refuse what we cannot honour."""
    features: dict[str, Feature] = {}
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value != "link":
                continue
            args = {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments}
            feature = _feature(args)
            features[feature.name] = feature
    if "link" not in features:
        raise SupergraphError(
            "not a Federation 2 supergraph: the schema has no "
            '@link(url: "https://specs.apollo.dev/link/v1.0")'
        )
    if "join" not in features:
        raise SupergraphError(
            'the supergraph does not @link the join spec ("https://specs.apollo.dev/join/v0.3")'
        )
    if features["join"].version not in SUPPORTED_JOIN:
        raise SupergraphError(
            f"join {features['join'].version} is not supported "
            f"(supported: {', '.join(SUPPORTED_JOIN)}); recompose with Federation 2"
        )
    if features["link"].version != "v1.0":
        raise SupergraphError(f"link {features['link'].version} is not supported (only v1.0)")
    return LinkedFeatures(features)


def _feature(args: dict[str, object]) -> Feature:
    url = args.get("url")
    if not isinstance(url, str):
        raise SupergraphError("@link without a url string")
    match = _URL.match(url)
    if match is None:
        raise SupergraphError(f"@link url {url!r} does not end in /<name>/v<major>.<minor>")
    name = match["name"]
    purpose = args.get("for")
    purpose = purpose if isinstance(purpose, str) else None
    if purpose in ("SECURITY", "EXECUTION") and name not in IMPLEMENTED_FEATURES:
        raise SupergraphError(
            f"the supergraph links {url} for {purpose}, a feature this gateway does not "
            "implement; serving it would ignore rules the schema relies on"
        )
    alias = args.get("as")
    prefix = alias if isinstance(alias, str) else name
    imports: dict[str, str] = {}
    for item in args.get("import") or []:  # type: ignore[attr-defined]
        if isinstance(item, str):
            imports[item] = item
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            local = item["name"]
            imports[local] = str(item.get("as", local))
    return Feature(url, name, match["version"], prefix, purpose, imports)
