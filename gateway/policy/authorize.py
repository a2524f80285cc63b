"""The authorize stage: remove what the caller may not read, before planning.

Phases: select the operation and inline its fragments; walk it with the API schema,
asking :class:`VerdictBook` about every field and fragment type; rebuild the operation
from what is allowed, adding hidden fields that row checks and the access log need
(``__gg_row__…``, ``__gg_subject``) and ``__typename`` on abstract selections; record a
:class:`SelectionPlan` mirroring it for post-processing. Anything unexpected denies the
request.

Error paths: the response path as the client sees it, through aliases, with ``"@"``
standing for "every element" below a list field, like Apollo Router's authorization
errors. Two deliberate differences from Apollo Router, which records field names and a
trailing ``"@"`` after a removed list field: we use response keys (the client finds the
null where it looked) and end at the removed field itself (the whole list is null).
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    NamedTypeNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_leaf_type,
)

from gateway.policy.conditions import Condition, condition_paths
from gateway.policy.context import EvalContext
from gateway.policy.decision import (
    AUTHORIZATION_FAILED,
    EMPTY_DOCUMENT,
    AuthorizationDecision,
    AuthorizationRequest,
)
from gateway.policy.operation import (
    Refused,
    error_dict,
    field_node,
    list_steps,
    name_node,
    rebuild_operation,
    select_operation,
)
from gateway.policy.release import (
    SUBJECT_ALIAS,
    FieldEntry,
    FragmentEntry,
    SelectionPlan,
    row_alias,
)
from gateway.policy.verdicts import UNAUTHORIZED, VerdictBook

__all__ = ["authorize", "effective_version"]

log = logging.getLogger("govgraph.policy")
# The engine's own rules enter every fingerprint: a decision (and the plans and responses
# cached under its fingerprint, also by other gateway instances) is never shared with an
# engine that decides differently. Bump it when what a decision releases changes.
ENGINE_RULES = "engine:row-gate/1"
Composite = GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
_MAX_DEPTH = 64


class _Filter:
    def __init__(
        self, schema: GraphQLSchema, book: VerdictBook, fragments: dict[str, FragmentDefinitionNode]
    ) -> None:
        self.schema = schema
        self.book = book
        self.fragments = fragments
        self.errors: list[dict[str, Any]] = []
        self.guards: list[tuple[DirectiveNode, ...]] = []  # @skip/@include above the walk
        self.released: set[str] = set()
        self.personal: set[str] = set()
        self.masked: set[str] = set()

    def report(self, error: dict[str, Any]) -> None:
        """Record an error for a removed field, unless @skip/@include leave it unasked.

        The field is removed either way (what is planned never depends on variables); only
        the error depends on them, and the variables read enter the fingerprint.
        """
        if self._asked():
            self.errors.append(error)

    def _asked(self) -> bool:
        for guard in self.guards:
            for directive in guard:
                name = directive.name.value
                if name not in ("skip", "include"):
                    continue
                condition = next(
                    (a.value for a in directive.arguments if a.name.value == "if"), None
                )
                if isinstance(condition, BooleanValueNode):
                    value: Any = condition.value
                elif isinstance(condition, VariableNode):
                    value = self.book.ctx.variable(condition.name.value)
                else:
                    value = None
                if (name == "skip" and value is True) or (name == "include" and value is False):
                    return False
        return True

    def selection_set(
        self,
        node: SelectionSetNode,
        parent: Composite,
        path: list[str],
        depth: int = 0,
        *,
        top: bool = False,
    ) -> tuple[list[SelectionNode], SelectionPlan]:
        """Filter one selection set; ``top`` when it is a field's own (not a fragment's).

        On a field's own selection the row gate of the object type is added (its condition
        paths become hidden fields, fetched whatever the fragments' directives say); on an
        abstract one, one gate fragment per row-protected possible type.
        """
        if depth > _MAX_DEPTH:
            raise Refused("The operation is nested too deeply to authorize", UNAUTHORIZED, path)
        selections: list[SelectionNode] = []
        entries: list[FieldEntry | FragmentEntry] = []
        row_paths: dict[str, tuple[str, ...]] = {}
        wants_subject = False
        for selection in node.selections:
            if isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is None:
                    raise Refused(f"Unknown fragment {selection.name.value}", UNAUTHORIZED, path)
                selection = InlineFragmentNode(
                    type_condition=fragment.type_condition,
                    directives=tuple(selection.directives or ()) + tuple(fragment.directives or ()),
                    selection_set=fragment.selection_set,
                )
            self.guards.append(tuple(selection.directives or ()))
            try:
                if isinstance(selection, InlineFragmentNode):
                    self._fragment(selection, parent, path, depth, selections, entries)
                    continue
                assert isinstance(selection, FieldNode)
                result = self._visit_field(selection, parent, path, depth)
            finally:
                self.guards.pop()
            if result is None:
                continue
            new_node, entry = result
            selections.append(new_node)
            entries.append(entry)
            release = entry.release
            if release is not None:
                wants_subject = wants_subject or release.personal
                for condition in (*(release.row_any or ()), *release.unmask_any):
                    for row_path in condition_paths(condition):
                        row_paths[row_alias(row_path)] = row_path
        gate: tuple[Condition, ...] | None = None
        if top and isinstance(parent, GraphQLObjectType):
            gate = self.book.row_gate(parent)
            for row_path in _gate_paths(gate):
                row_paths[row_alias(row_path)] = row_path
        elif top and not isinstance(parent, GraphQLObjectType):
            self._gate_fragments(parent, path, selections, entries)
        subjects: tuple[tuple[str, str], ...] = ()
        if isinstance(parent, GraphQLObjectType):
            for alias, row_path in sorted(row_paths.items()):
                selections.append(self._hidden(parent, alias, row_path, path))
            if wants_subject:
                for index, subject_field in enumerate(self.book.policy.data_subjects(parent.name)):
                    alias = SUBJECT_ALIAS if index == 0 else f"{SUBJECT_ALIAS}{index}"
                    subject_path = tuple(subject_field.split("."))
                    selections.append(self._hidden(parent, alias, subject_path, path))
                    subjects += ((alias, subject_field),)
        elif selections and not any(
            isinstance(s, FieldNode) and s.alias is None and s.name.value == "__typename"
            for s in selections
        ):
            selections.append(field_node("__typename"))
        plan = SelectionPlan(parent.name, tuple(entries), row_paths, subjects, gate)
        return selections, plan

    def _gate_fragments(
        self,
        parent: GraphQLInterfaceType | GraphQLUnionType,
        path: list[str],
        selections: list[SelectionNode],
        entries: list[FieldEntry | FragmentEntry],
    ) -> None:
        # An abstract position may hold objects of a row-protected type whatever fragments
        # the client wrote: fetch each such type's gate values in a fragment of its own.
        for possible in sorted(self.schema.get_possible_types(parent), key=lambda t: t.name):
            gate = self.book.row_gate(possible)
            if gate is None:
                continue
            paths = {row_alias(p): p for p in _gate_paths(gate)}
            hidden = [self._hidden(possible, alias, p, path) for alias, p in sorted(paths.items())]
            if hidden:
                selections.append(
                    InlineFragmentNode(
                        type_condition=NamedTypeNode(name=name_node(possible.name)),
                        directives=(),
                        selection_set=SelectionSetNode(selections=tuple(hidden)),
                    )
                )
            plan = SelectionPlan(possible.name, (), paths, (), gate)
            entries.append(FragmentEntry(possible.name, frozenset({possible.name}), plan))

    def _hidden(
        self, parent: GraphQLObjectType, alias: str, row_path: tuple[str, ...], path: list[str]
    ) -> FieldNode:
        # The gateway reads these itself; they bypass the policy and never reach the client.
        current: Any = parent
        for index, part in enumerate(row_path):
            field_def = current.fields.get(part) if hasattr(current, "fields") else None
            if field_def is None or list_steps(field_def.type):
                raise Refused(
                    f"The policy for {parent.name} reads {'.'.join(row_path)}, which is not a "
                    "single-valued field path of the schema",
                    AUTHORIZATION_FAILED,
                    path,
                )
            current = get_named_type(field_def.type)
            last = index == len(row_path) - 1
            if last != is_leaf_type(current):
                raise Refused(
                    f"The policy for {parent.name} reads {'.'.join(row_path)}, which does not "
                    "end in a scalar",
                    AUTHORIZATION_FAILED,
                    path,
                )
        node: FieldNode | None = None
        for part in reversed(row_path[1:]):
            node = field_node(part, None, (node,) if node else ())
        return field_node(row_path[0], alias, (node,) if node else ())

    def _fragment(
        self,
        selection: InlineFragmentNode,
        parent: Composite,
        path: list[str],
        depth: int,
        selections: list[SelectionNode],
        entries: list[FieldEntry | FragmentEntry],
    ) -> None:
        condition = selection.type_condition
        target: Composite = parent
        if condition is not None:
            named = self.schema.get_type(condition.name.value)
            if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
                raise Refused(f"Unknown type {condition.name.value}", UNAUTHORIZED, path)
            target = named
            if not self.book.type_allowed(named.name):
                self.report(
                    error_dict(
                        f"Not authorized to read type {named.name}", path, UNAUTHORIZED, named.name
                    )
                )
                return
        inner, plan = self.selection_set(selection.selection_set, target, path, depth + 1)
        if not inner:
            return
        selections.append(
            InlineFragmentNode(
                type_condition=NamedTypeNode(name=name_node(target.name)) if condition else None,
                directives=selection.directives,
                selection_set=SelectionSetNode(selections=tuple(inner)),
            )
        )
        possible = None
        if condition is not None:
            possible = (
                frozenset(t.name for t in self.schema.get_possible_types(target))
                if not isinstance(target, GraphQLObjectType)
                else frozenset({target.name})
            )
        entries.append(FragmentEntry(target.name if condition else None, possible, plan))

    def _visit_field(
        self, selection: FieldNode, parent: Composite, path: list[str], depth: int
    ) -> tuple[FieldNode, FieldEntry] | None:
        name = selection.name.value
        key = selection.alias.value if selection.alias else name
        here = [*path, key]
        if selection.alias is not None and key.startswith("__"):
            # __gg_… names hidden fields and __typename drives fragment matching downstream.
            raise Refused(f"The alias {key} is reserved by the gateway", "RESERVED_ALIAS", here)
        if name == "__typename":
            return selection, FieldEntry(key, name, None)
        if name in ("__schema", "__type") and parent is self.schema.query_type:
            # Introspection shows the whole API schema: it is the published catalogue.
            return selection, FieldEntry(key, name, None)
        fields = getattr(parent, "fields", None) or {}
        field_def = fields.get(name)
        if field_def is None:
            raise Refused(
                f"Cannot query field {name} on type {parent.name}: it is not part of the API",
                "UNKNOWN_FIELD",
                here,
            )
        assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
        verdict = self.book.field(parent, name, selection)
        coordinate = f"{parent.name}.{name}"
        if verdict.release is None:
            self.report(error_dict(verdict.reason, here, verdict.code, coordinate))
            return None
        return_type = get_named_type(field_def.type)
        if (
            isinstance(return_type, GraphQLObjectType)
            and parent is not self.schema.mutation_type  # a mutation acts even so
            and self.book.row_gate(return_type) == ()
        ):
            # Row-protected and no grant of this caller shows any of its rows: the field
            # could only ever be null, and fetching it would tell which rows exist. The
            # selection is still walked so that each field's own error is reported.
            kept = (set(self.released), set(self.personal), set(self.masked))
            if selection.selection_set is not None:
                inner_path = [*here, *list_steps(field_def.type)]
                self.selection_set(selection.selection_set, return_type, inner_path, depth + 1)
            self.released, self.personal, self.masked = kept
            reason = f"No grant of this caller shows any {return_type.name} ({coordinate})"
            self.report(error_dict(reason, here, UNAUTHORIZED, coordinate))
            return None
        self.released.add(coordinate)
        if verdict.release.personal:
            self.personal.add(coordinate)
        if verdict.release.mask is not None:
            self.masked.add(coordinate)
        if selection.selection_set is None or is_leaf_type(return_type):
            return selection, FieldEntry(key, name, verdict.release)
        assert isinstance(return_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)
        inner, plan = self.selection_set(
            selection.selection_set,
            return_type,
            [*here, *list_steps(field_def.type)],
            depth + 1,
            top=True,
        )
        if not inner:
            inner = [field_node("__typename")]
        new_node = FieldNode(
            alias=selection.alias,
            name=selection.name,
            arguments=selection.arguments,
            directives=selection.directives,
            selection_set=SelectionSetNode(selections=tuple(inner)),
        )
        abstract = not isinstance(return_type, GraphQLObjectType)
        return new_node, FieldEntry(key, name, verdict.release, plan, abstract)


def _gate_paths(gate: tuple[Condition, ...] | None) -> list[tuple[str, ...]]:
    paths: set[tuple[str, ...]] = set()
    for condition in gate or ():
        paths |= condition_paths(condition)
    return sorted(paths)


def effective_version(request: AuthorizationRequest) -> str:
    """The policy version the access log records: the files' hash, plus the directives'."""
    if request.directives is None:
        return request.policy.version
    return f"{request.policy.version}+{request.directives.version}"


def _refusal(request: AuthorizationRequest, error: dict[str, Any]) -> AuthorizationDecision:
    return AuthorizationDecision(
        document=EMPTY_DOCUMENT,
        errors=[error],
        rejected=True,
        fingerprint=f"refused:{request.policy.version}",
        policy_version=effective_version(request),
        mode=request.mode,
    )


def authorize(request: AuthorizationRequest) -> AuthorizationDecision:
    """Decide what of ``request.document`` the principal may read. Pure; never raises."""
    try:
        return _authorize(request)
    except Refused as refused:
        return _refusal(request, refused.error)
    except Exception:
        log.exception("authorization failed; the request is denied")
        return _refusal(
            request,
            error_dict(
                "The request could not be authorized and was denied", [], AUTHORIZATION_FAILED
            ),
        )


def _authorize(request: AuthorizationRequest) -> AuthorizationDecision:
    schema = request.api_schema
    operation, fragments = select_operation(request.document, request.operation_name)
    root = schema.get_root_type(operation.operation)
    if root is None:
        raise Refused(f"This API has no {operation.operation.value} operations", UNAUTHORIZED, [])
    ctx = EvalContext(
        request.principal, request.purpose, request.allow_anonymous, request.variables
    )
    book = VerdictBook(schema, request.policy, request.directives, ctx)
    walker = _Filter(schema, book, fragments)
    selections, plan = walker.selection_set(operation.selection_set, root, [], top=True)
    versions = [request.policy.version]
    if request.directives is not None:
        versions.append(request.directives.version)
    fingerprint = ctx.fingerprint(*versions, ENGINE_RULES)
    errors = list(walker.errors)
    nothing_left = not selections
    if nothing_left and not errors:
        errors.append(
            error_dict(
                "Nothing this operation asks for may be read by this caller", [], UNAUTHORIZED
            )
        )
    common: dict[str, Any] = {
        "fingerprint": fingerprint,
        "policy_version": effective_version(request),
        "released_fields": frozenset(walker.released),
        "personal_fields": frozenset(walker.personal),
        "masked_fields": frozenset(walker.masked),
        "matched_grants": frozenset(ctx.matched_grants),
        "mode": request.mode,
        "claims": dict(book.claims),
        "context": ctx.record(),
    }
    if request.mode == "dry-run":
        original = DocumentNode(definitions=(operation, *fragments.values()))
        return AuthorizationDecision(original, [], False, dry_run_errors=errors, **common)
    rejected = nothing_left or (request.mode == "reject" and bool(errors))
    document = EMPTY_DOCUMENT if nothing_left else rebuild_operation(operation, selections)
    return AuthorizationDecision(document, errors, rejected, plan=plan, **common)
