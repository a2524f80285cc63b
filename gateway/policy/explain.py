"""Human readings of the rules: who can see a field, through which rule, and how it is shown.

Used by ``govgraph policy explain`` and ``govgraph policy diff`` (which compares the
access routes of two sets field by field).
"""

from __future__ import annotations

from gateway.policy.conditions import describe_condition
from gateway.policy.directives import SecurityDirectives
from gateway.policy.maskers import MASKERS
from gateway.policy.policyset import CompiledGrant, FieldRule, PolicySet

__all__ = ["access_routes", "describe_sets", "explain_field"]

_MASK_EXAMPLES = {
    "id_number": "211202199001011234",
    "phone": "13812345678",
    "name": "张三丰",
    "address": "辽宁省铁岭市银州区红旗街12号",
    "redact": "anything",
}


def describe_sets(sets: tuple[frozenset[str], ...]) -> str:
    return " or ".join("[" + " and ".join(sorted(group)) + "]" for group in sets)


def _who(grant: CompiledGrant) -> str:
    parts = []
    if grant.scopes:
        parts.append(f"scopes {describe_sets(grant.scopes)}")
    if grant.clients is not None:
        parts.append("clients " + ", ".join(sorted(grant.clients)))
    if grant.principals is not None:
        parts.append("callers of kind " + ", ".join(sorted(grant.principals)))
    return "; ".join(parts)


def _how(rule: FieldRule, grant: CompiledGrant | None) -> str:
    parts = []
    if grant is not None and grant.arguments is not None:
        parts.append(f"only calls with arguments where {describe_condition(grant.arguments)}")
    if grant is not None and grant.where is not None:
        parts.append(f"only rows where {describe_condition(grant.where)}")
    if rule.mask:
        if grant is not None and grant.unmasked:
            parts.append("full value")
        elif rule.masked_unless or (grant is not None and grant.unmasked_scopes):
            unless = [*rule.masked_unless, *(grant.unmasked_scopes if grant else ())]
            parts.append(f"masked ({rule.mask}) unless scopes {describe_sets(tuple(unless))}")
        else:
            parts.append(f"masked ({rule.mask})")
    needs_purpose = (grant is not None and grant.purpose == "required") or (
        rule.personal and (grant is None or grant.purpose != "optional")
    )
    if grant is not None and grant.purpose_pattern:
        parts.append(f"purpose required, matching /{grant.purpose_pattern}/")
    elif needs_purpose:
        parts.append("purpose required")
    return "; ".join(parts) or "full value"


def access_routes(rule: FieldRule) -> dict[str, str]:
    """Who may read the field (key) and how (value): the unit ``policy diff`` compares."""
    if rule.sharing == "not_shared":
        return {}
    if rule.sharing == "public":
        return {"anyone (anonymous callers where the deployment allows them)": _how(rule, None)}
    if rule.sharing == "unconditional":
        return {"any authenticated caller": _how(rule, None)}
    routes: dict[str, str] = {}
    for grant in rule.grants:
        routes[_who(grant)] = _how(rule, grant)
    return routes


def explain_field(
    policy: PolicySet, coordinate: str, directives: SecurityDirectives | None = None
) -> list[str]:
    type_name, _, field_name = coordinate.partition(".")
    rule = policy.field_rule(type_name, field_name)
    lines = [f"{coordinate}", f"  rule: {rule.source}", f"  class: {rule.sharing}"]
    if rule.personal:
        kind = "sensitive personal information" if rule.sensitive else "personal information"
        lines.append(f"  {kind}: every read needs a stated purpose (X-Purpose) and is logged")
    if rule.mask:
        example = _MASK_EXAMPLES.get(rule.mask, "")
        shown = MASKERS[rule.mask](example) if example else ""
        lines.append(f"  masked with {rule.mask} ({example} -> {shown})")
        if rule.masked_unless:
            lines.append(f"  shown in full to scopes {describe_sets(rule.masked_unless)}")
    routes = access_routes(rule)
    if not routes:
        lines.append("  who can see it: nobody")
    else:
        lines.append("  who can see it:")
        if rule.sharing == "conditional":
            for grant in rule.grants:
                lines.append(f"    - {grant.name} ({grant.source}): {_who(grant)}")
                lines.append(f"        {_how(rule, grant)}")
        else:
            for who, how in routes.items():
                lines.append(f"    - {who}: {how}")
    if directives is not None:
        requirement = directives.for_field(type_name, field_name)
        if not requirement.empty:
            lines.append(f"  and the supergraph requires: {requirement.describe()}")
    subjects = policy.data_subjects(type_name)
    if subjects:
        named = ", ".join(f"{type_name}.{s}" for s in subjects)
        lines.append(f"  reads are logged against the data subject {named}")
    return lines
