"""Ask both gateways the same operation and decide whether they agree.

Agreement means: the same ``data`` (deep equality; a missing ``data`` counts as
``null``) and errors present in both answers or in neither. Field order inside ``data``
is compared separately (kind ``order``), because GraphQL orders a response by the
selection set and clients may rely on it.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    parse,
)

__all__ = ["Answer", "Client", "Verdict", "compare", "first_difference", "volatile_paths"]

# Page cursors are sealed with a fresh nonce each time (subgraphs/common/pagination.py):
# two correct answers carry different endCursor strings. Where the operation selects
# ``<connection root>.pageInfo.endCursor``, both strings are compared as "a cursor".
CURSOR = "<cursor>"


@dataclass(slots=True)
class Answer:
    status: int
    body: dict[str, Any] | None  # parsed JSON object, None when the body was not one
    text: str  # raw body (for the report when it is not JSON)
    seconds: float = 0.0

    @property
    def data(self) -> Any:
        return None if self.body is None else self.body.get("data")

    @property
    def errors(self) -> list[dict[str, Any]]:
        if self.body is None:
            return []
        errs = self.body.get("errors")
        return errs if isinstance(errs, list) else []

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def error_summary(self, limit: int = 3) -> list[str]:
        out = []
        for e in self.errors[:limit]:
            code = (e.get("extensions") or {}).get("code")
            path = e.get("path")
            out.append(
                f"{e.get('message', '?')}"
                + (f" [code {code}]" if code else "")
                + (f" at {'.'.join(map(str, path))}" if path else "")
            )
        if len(self.errors) > limit:
            out.append(f"... {len(self.errors) - limit} more")
        return out


class Client:
    """One keep-alive HTTP client per gateway, bounded per request."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self._http = httpx.Client(timeout=timeout, trust_env=False)

    def ask(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
    ) -> Answer:
        payload: dict[str, Any] = {"query": query}
        if variables:
            payload["variables"] = variables
        if operation_name:
            payload["operationName"] = operation_name
        try:
            response = self._http.post(
                self.url,
                json=payload,
                headers={"accept": "application/json", "content-type": "application/json"},
            )
        except httpx.HTTPError as exc:
            return Answer(0, None, f"transport error: {type(exc).__name__}: {exc}")
        text = response.text
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = None
        return Answer(response.status_code, body, text, response.elapsed.total_seconds())

    def close(self) -> None:
        self._http.close()


@dataclass(slots=True)
class Verdict:
    kind: str  # agree | data | errors | order | transport
    detail: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return self.kind == "agree"


def _ordered(value: Any) -> Any:
    """A structure whose equality also checks object key order."""
    if isinstance(value, dict):
        return [(k, _ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


def first_difference(a: Any, b: Any, path: str = "data") -> str:
    """Where ``a`` (Apollo) and ``b`` (govgraph) first differ, in one line."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            if k not in b:
                return f"{path}.{k}: missing in govgraph (apollo has {_short(a[k])})"
        for k in b:
            if k not in a:
                return f"{path}.{k}: extra in govgraph ({_short(b[k])})"
        for k in a:
            if a[k] != b[k]:
                return first_difference(a[k], b[k], f"{path}.{k}")
        return f"{path}: equal"
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: apollo has {len(a)} item(s), govgraph {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
        return f"{path}: equal"
    return f"{path}: apollo {_short(a)}, govgraph {_short(b)}"


def _first_order_difference(a: Any, b: Any, path: str = "data") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return f"{path}: apollo keys {list(a)}, govgraph keys {list(b)}"
        for k in a:
            if _ordered(a[k]) != _ordered(b[k]):
                return _first_order_difference(a[k], b[k], f"{path}.{k}")
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if _ordered(x) != _ordered(y):
                return _first_order_difference(x, y, f"{path}[{i}]")
    return f"{path}: key order differs"


def _short(value: Any, limit: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def volatile_paths(
    query: str, schema: GraphQLSchema, operation_name: str | None = None
) -> list[tuple[str, str, str]]:
    """Response paths of ``endCursor`` under root connection fields, aliases resolved."""
    try:
        doc = parse(query)
    except Exception:
        return []
    ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
    op = next(
        (o for o in ops if operation_name is None or (o.name and o.name.value == operation_name)),
        None,
    )
    if op is None:
        return []
    root = schema.mutation_type if op.operation.value == "mutation" else schema.query_type
    if root is None:
        return []

    def collect(
        sel: SelectionSetNode | None, seen: frozenset[str] = frozenset()
    ) -> list[tuple[str, FieldNode]]:
        out: list[tuple[str, FieldNode]] = []
        for node in sel.selections if sel else ():
            if isinstance(node, FieldNode):
                out.append(((node.alias or node.name).value, node))
            elif isinstance(node, InlineFragmentNode):
                out += collect(node.selection_set, seen)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                if name in fragments and name not in seen:
                    out += collect(fragments[name].selection_set, seen | {name})
        return out

    paths = []
    for key, node in collect(op.selection_set):
        definition = root.fields.get(node.name.value)
        if definition is None or not get_named_type(definition.type).name.endswith("Connection"):
            continue
        for key2, node2 in collect(node.selection_set):
            if node2.name.value != "pageInfo":
                continue
            for key3, node3 in collect(node2.selection_set):
                if node3.name.value == "endCursor":
                    paths.append((key, key2, key3))
    return paths


def _mask(a: Any, b: Any, paths: list[tuple[str, str, str]]) -> tuple[Any, Any]:
    if not paths or not isinstance(a, dict) or not isinstance(b, dict):
        return a, b
    a, b = copy.deepcopy(a), copy.deepcopy(b)
    for k1, k2, k3 in paths:
        try:
            pa, pb = a[k1][k2], b[k1][k2]
        except (KeyError, TypeError):
            continue
        if (
            isinstance(pa, dict)
            and isinstance(pb, dict)
            and isinstance(pa.get(k3), str)
            and isinstance(pb.get(k3), str)
        ):
            pa[k3] = pb[k3] = CURSOR
    return a, b


def compare(
    apollo: Answer, ours: Answer, volatile: list[tuple[str, str, str]] | None = None
) -> Verdict:
    if apollo.body is None or ours.body is None:
        # A gateway that did not answer with a GraphQL response at all.
        if apollo.body is None and ours.body is None and apollo.status == ours.status:
            return Verdict("agree", notes=["neither answered with JSON"])
        return Verdict(
            "transport",
            f"apollo HTTP {apollo.status} {_short(apollo.text)}; "
            f"govgraph HTTP {ours.status} {_short(ours.text)}",
        )
    notes = []
    completion = (apollo.body.get("extensions") or {}).get("valueCompletion")
    if completion and not apollo.has_errors:
        notes.append(
            "Apollo reports extensions.valueCompletion without errors ("
            + "; ".join(str(c.get("message")) for c in completion[:2])
            + "): a sign of Apollo Gateway's own post-processing, check the spec before govgraph"
        )
    if ("data" in apollo.body) != ("data" in ours.body):
        notes.append(
            "data key: apollo "
            + ("present" if "data" in apollo.body else "absent")
            + ", govgraph "
            + ("present" if "data" in ours.body else "absent")
        )
    data_a, data_o = _mask(apollo.data, ours.data, volatile or [])
    if data_a != data_o:
        return Verdict("data", first_difference(data_a, data_o), notes)
    if apollo.has_errors != ours.has_errors:
        which = "apollo only" if apollo.has_errors else "govgraph only"
        return Verdict("errors", f"errors from {which}", notes)
    if _ordered(data_a) != _ordered(data_o):
        return Verdict("order", _first_order_difference(data_a, data_o), notes)
    if apollo.has_errors:
        pa, po = _error_paths(apollo), _error_paths(ours)
        if pa != po:
            notes.append(f"error paths differ: apollo {pa}, govgraph {po}")
    return Verdict("agree", notes=notes)


def _error_paths(answer: Answer) -> list[str]:
    return sorted({".".join(map(str, e.get("path") or ["-"])) for e in answer.errors})


def spec_order_mismatch(
    query: str,
    schema: GraphQLSchema,
    variables: dict[str, Any] | None,
    data: Any,
    operation_name: str | None = None,
) -> str | None:
    """The first path where ``data``'s keys are not in the selection-set order
    (GraphQL spec, CollectFields), or None. Subtrees whose runtime type is unknown (an
    abstract field without ``__typename`` in the answer) are not checked."""
    from graphql import GraphQLObjectType, is_abstract_type, value_from_ast_untyped

    try:
        doc = parse(query)
    except Exception:
        return None
    ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
    op = next(
        (o for o in ops if operation_name is None or (o.name and o.name.value == operation_name)),
        None,
    )
    if op is None or not isinstance(data, dict):
        return None
    fragments = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
    values = dict(variables or {})
    for vd in op.variable_definitions or ():
        name = vd.variable.name.value
        if name not in values and vd.default_value is not None:
            values[name] = value_from_ast_untyped(vd.default_value)

    def included(node: Any) -> bool:
        for d in node.directives or ():
            if d.name.value not in ("skip", "include") or not d.arguments:
                continue
            arg = d.arguments[0].value
            v = values.get(arg.name.value) if arg.kind == "variable" else arg.value
            if (d.name.value == "skip" and v is True) or (d.name.value == "include" and v is False):
                return False
        return True

    def applies(type_name: str, condition: Any) -> bool:
        if condition is None:
            return True
        c = schema.get_type(condition.name.value)
        if c is None:
            return False
        if is_abstract_type(c):
            return any(t.name == type_name for t in schema.get_possible_types(c))
        return bool(c.name == type_name)

    def collect(
        type_name: str, sels: list[Any], out: dict[str, list[FieldNode]], seen: set[str]
    ) -> None:
        for node in sels:
            if not included(node):
                continue
            if isinstance(node, FieldNode):
                out.setdefault((node.alias or node.name).value, []).append(node)
            elif isinstance(node, InlineFragmentNode):
                if applies(type_name, node.type_condition):
                    collect(type_name, list(node.selection_set.selections), out, seen)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                frag = fragments.get(name)
                if frag is None or name in seen:
                    continue
                seen.add(name)
                if applies(type_name, frag.type_condition):
                    collect(type_name, list(frag.selection_set.selections), out, seen)

    def walk(value: Any, type_: Any, sels: list[Any], path: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, list):
            for i, item in enumerate(value):
                found = walk(item, type_, sels, f"{path}[{i}]")
                if found:
                    return found
            return None
        if not isinstance(value, dict):
            return None
        named = get_named_type(type_)
        if is_abstract_type(named):
            tn = value.get("__typename")
            named = schema.get_type(tn) if isinstance(tn, str) else None
            if named is None:
                return None
        if not isinstance(named, GraphQLObjectType):
            return None
        fields: dict[str, list[FieldNode]] = {}
        collect(named.name, sels, fields, set())
        expected = [k for k in fields if k in value]
        if list(value) != expected:
            return f"{path}: spec order {expected}, answer {list(value)}"
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name.startswith("__") or key not in value:
                continue
            definition = named.fields.get(name)
            if definition is None:
                continue
            sub = [s for n in nodes if n.selection_set for s in n.selection_set.selections]
            found = walk(value[key], definition.type, sub, f"{path}.{key}")
            if found:
                return found
        return None

    root = schema.mutation_type if op.operation.value == "mutation" else schema.query_type
    return walk(data, root, list(op.selection_set.selections), "data")
