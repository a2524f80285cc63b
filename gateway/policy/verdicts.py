"""Field verdicts: may this principal read ``Type.field``, and how is the value released?

Policy files and supergraph directives are ANDed. The verdict for a field on an
interface is the AND of the verdicts on every implementation; row conditions or masking
on an implementation cannot be enforced on an abstract selection, so such fields must be
selected in a fragment on the concrete type (the error says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    Undefined,
    ValueNode,
    VariableNode,
    get_named_type,
    value_from_ast,
)

from gateway.policy.conditions import (
    MISSING,
    Condition,
    condition_claims,
    condition_paths,
    describe_condition,
    evaluate_condition,
)
from gateway.policy.context import EvalContext
from gateway.policy.directives import Requirement, SecurityDirectives
from gateway.policy.policyset import CompiledGrant, PolicySet
from gateway.policy.release import Release

__all__ = ["PURPOSE_REQUIRED", "UNAUTHORIZED", "UNAUTHORIZED_ARGUMENTS", "Verdict", "VerdictBook"]

UNAUTHORIZED = "UNAUTHORIZED_FIELD_OR_TYPE"
PURPOSE_REQUIRED = "PURPOSE_REQUIRED"
UNAUTHORIZED_ARGUMENTS = "UNAUTHORIZED_ARGUMENTS"


@dataclass(frozen=True, slots=True)
class Verdict:
    release: Release | None  # None: denied
    code: str = UNAUTHORIZED
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.release is not None


class VerdictBook:
    """Verdicts for one authorize() call, memoised per coordinate."""

    def __init__(
        self,
        schema: GraphQLSchema,
        policy: PolicySet,
        directives: SecurityDirectives | None,
        ctx: EvalContext,
    ) -> None:
        self.schema = schema
        self.policy = policy
        self.directives = directives
        self.ctx = ctx
        self.claims: dict[str, object] = {}
        self._memo: dict[str, Verdict] = {}
        self._gates: dict[str, tuple[Condition, ...] | None] = {}

    def requirement_met(self, requirement: Requirement) -> bool:
        ctx = self.ctx
        results = []
        if requirement.authenticated:
            results.append(ctx.authenticated())
        results += [ctx.satisfies(alternatives) for alternatives in requirement.scopes]
        for alternatives in requirement.policies:
            results.append(
                any(
                    all(
                        [
                            ctx.named_policy(self.policy.named_policies.get(name))
                            for name in sorted(group)
                        ]
                    )
                    for group in alternatives
                )
            )
        return all(results)

    def type_allowed(self, type_name: str) -> bool:
        if self.directives is None:
            return True
        return self.requirement_met(self.directives.for_type(type_name))

    def field(
        self,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        name: str,
        node: FieldNode | None = None,
    ) -> Verdict:
        """The verdict for ``parent.name``; ``node`` is the selection (its arguments).

        Grants with ``arguments`` conditions hold only for a node whose arguments meet
        them; without a node (an interface read, the row gate) they never hold.
        """
        coordinate = f"{parent.name}.{name}"
        if isinstance(parent, GraphQLObjectType) and any(
            grant.arguments is not None
            for grant in self.policy.field_rule(parent.name, name).grants
        ):
            return self._object_field(parent, name, node)  # per call: arguments differ
        verdict = self._memo.get(coordinate)
        if verdict is None:
            if isinstance(parent, GraphQLInterfaceType):
                verdict = self._interface_field(parent, name)
            else:
                verdict = self._object_field(parent, name)
            self._memo[coordinate] = verdict
        return verdict

    def row_gate(self, parent: GraphQLObjectType) -> tuple[Condition, ...] | None:
        """The row gate of ``parent`` for this caller: which of its objects may be released.

        A type is *row-protected* when a grant of one of its conditional fields has a row
        condition. An object of such a type is released only if a grant the caller holds
        on one of its conditional fields lets them see that row, whatever is selected
        (``__typename``, key or unconditional fields included): otherwise whether a row
        exists would show where its fields do not. Returns ``None`` when the type is not
        row-protected or a grant without a row condition applies (every row), else the
        conditions of which one must hold (``()``: no row at all).
        """
        if parent.name in self._gates:
            return self._gates[parent.name]
        gate: tuple[Condition, ...] | None = None
        roots = (self.schema.query_type, self.schema.mutation_type, self.schema.subscription_type)
        if parent not in roots and self.policy.row_protected(parent.name, tuple(parent.fields)):
            conditions: list[Condition] = []
            for name in parent.fields:
                if self.policy.field_rule(parent.name, name).sharing != "conditional":
                    continue
                release = self.field(parent, name).release
                if release is None:
                    continue
                if release.row_any is None:
                    conditions = []
                    break
                conditions += [c for c in release.row_any if not any(c is k for k in conditions)]
            else:
                gate = tuple(conditions)
        self._gates[parent.name] = gate
        return gate

    def _directives_allow(
        self, parent: GraphQLNamedType, name: str, return_type: GraphQLNamedType
    ) -> bool:
        if self.directives is None:
            return True
        requirement = self.directives.for_field(parent.name, name) & self.directives.for_type(
            return_type.name
        )
        return self.requirement_met(requirement)

    def _interface_field(self, parent: GraphQLInterfaceType, name: str) -> Verdict:
        coordinate = f"{parent.name}.{name}"
        return_type = get_named_type(parent.fields[name].type)
        if not self._directives_allow(parent, name, return_type):
            return Verdict(None, reason=f"{coordinate} requires other authorization")
        personal = False
        for implementation in self.schema.get_possible_types(parent):
            verdict = self.field(implementation, name)
            if verdict.release is None:
                return Verdict(None, verdict.code, verdict.reason)
            if verdict.release.row_any is not None or verdict.release.mask is not None:
                return Verdict(
                    None,
                    reason=(
                        f"{verdict.release.coordinate} has row-level or masking rules: select it "
                        f"in a fragment on {implementation.name}"
                    ),
                )
            personal = personal or verdict.release.personal
        return Verdict(Release(coordinate, personal=personal))

    def _object_field(
        self, parent: GraphQLObjectType, name: str, node: FieldNode | None = None
    ) -> Verdict:
        coordinate = f"{parent.name}.{name}"
        return_type = get_named_type(parent.fields[name].type)
        if not self._directives_allow(parent, name, return_type):
            return Verdict(None, reason=f"{coordinate} requires other authorization")
        rule = self.policy.field_rule(parent.name, name)
        ctx = self.ctx
        if rule.sharing == "not_shared":
            return Verdict(None, reason=f"{coordinate} is not shared")
        if rule.sharing == "public":
            if ctx.authenticated() or ctx.anonymous_allowed():
                return Verdict(Release(coordinate))
            return Verdict(None, reason=f"{coordinate} requires authentication")
        if not ctx.authenticated():
            return Verdict(None, reason=f"{coordinate} requires authentication")
        grants: list[CompiledGrant] = []
        if rule.sharing == "conditional":
            matching = [grant for grant in rule.grants if ctx.grant_matches(grant)]
            if not matching:
                return Verdict(None, reason=f"{coordinate} is not shared with this caller")
            refused = [
                g
                for g in matching
                if g.arguments is not None and not self._arguments_hold(g.arguments, parent, node)
            ]
            if refused:
                matching = [g for g in matching if g not in refused]
                if not matching:
                    rules = " or ".join(
                        describe_condition(g.arguments) for g in refused if g.arguments
                    )
                    return Verdict(
                        None,
                        UNAUTHORIZED_ARGUMENTS,
                        f"{coordinate} may be called by this caller only with arguments "
                        f"where {rules}",
                    )
            grants = [g for g in matching if self._purpose_ok(g, rule.personal)]
            if not grants:
                patterns = [g.purpose_pattern for g in matching if g.purpose_pattern]
                return self._purpose_denied(coordinate, patterns)
        elif rule.personal and not ctx.has_purpose():
            return self._purpose_denied(coordinate)
        row_any: tuple[Condition, ...] | None = None
        if rule.sharing == "conditional" and all(g.where is not None for g in grants):
            row_any = tuple(g.where for g in grants if g.where is not None)
        mask, unmask_any = self._masking(rule.mask, rule.masked_unless, grants)
        if (
            mask is not None
            and row_any is not None
            and all(any(c is u for u in unmask_any) for c in row_any)
        ):
            # Every row that passes meets an unmasking condition: never masked.
            mask, unmask_any = None, ()
        for condition in (*(row_any or ()), *unmask_any):
            for claim in sorted(condition_claims(condition)):
                self.claims[claim] = ctx.claim(claim)
        return Verdict(Release(coordinate, rule.personal, row_any, mask, unmask_any))

    def _arguments_hold(
        self, condition: Condition, parent: GraphQLObjectType, node: FieldNode | None
    ) -> bool:
        if node is None:
            return False
        field_def = parent.fields[node.name.value]
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        values: dict[tuple[str, ...], object] = {}
        for path in condition_paths(condition):
            arg_def = field_def.args.get(path[0])
            value: object = MISSING
            if arg_def is not None and path[0] in given:
                value_node = given[path[0]]
                variables = {
                    n: self.ctx.variable_value(n) for n in sorted(_variables_in(value_node))
                }
                value = value_from_ast(value_node, arg_def.type, variables)
            elif arg_def is not None and arg_def.default_value is not Undefined:
                value = arg_def.default_value
            for step in path[1:]:
                value = value.get(step, MISSING) if isinstance(value, dict) else MISSING
            values[path] = MISSING if value is Undefined else value
        claims = {name: self.ctx.claim(name) for name in sorted(condition_claims(condition))}
        return evaluate_condition(condition, values, claims) is True

    def _purpose_ok(self, grant: CompiledGrant, personal: bool) -> bool:
        if grant.purpose_pattern is not None:
            return self.ctx.purpose_matches(grant.purpose_pattern)
        if grant.purpose == "required" or (grant.purpose is None and personal):
            return self.ctx.has_purpose()
        return True

    @staticmethod
    def _purpose_denied(coordinate: str, patterns: list[str] | None = None) -> Verdict:
        reason = (
            f"{coordinate} is personal information: state the purpose or case number "
            "of this request (X-Purpose header)"
        )
        if patterns:
            reason += " in the form " + " or ".join(f"/{p}/" for p in patterns)
        return Verdict(None, PURPOSE_REQUIRED, reason)

    def _masking(
        self,
        mask: str | None,
        masked_unless: tuple[frozenset[str], ...],
        grants: list[CompiledGrant],
    ) -> tuple[str | None, tuple[Condition, ...]]:
        if mask is None:
            return None, ()
        if masked_unless and self.ctx.satisfies(masked_unless):
            return None, ()
        unmasking = [
            grant
            for grant in grants
            if grant.unmasked
            or (grant.unmasked_scopes and self.ctx.satisfies(grant.unmasked_scopes))
        ]
        if any(grant.where is None for grant in unmasking):
            return None, ()
        return mask, tuple(grant.where for grant in unmasking if grant.where is not None)


def _variables_in(node: ValueNode) -> set[str]:
    if isinstance(node, VariableNode):
        return {node.name.value}
    found: set[str] = set()
    if isinstance(node, ListValueNode):
        for item in node.values:
            found |= _variables_in(item)
    elif isinstance(node, ObjectValueNode):
        for field_node in node.fields:
            found |= _variables_in(field_node.value)
    return found
