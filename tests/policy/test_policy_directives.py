"""Spec: Apollo's @authenticated, @requiresScopes and @policy from the supergraph, ANDed in."""

from __future__ import annotations

import pytest
from policy_support import EXCHANGE, OFFICER_TIELING, decide, errors_of

from gateway.policy import Principal, parse_security_directives

SUPERGRAPH = """
schema @link(url: "https://specs.apollo.dev/link/v1.0")
       @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", import: [{name: "@requiresScopes", as: "@scopes"}])
{ query: Query }
type Query { divisions: [Division!]! @authenticated  secret: String }
type Division @policy(policies: [["officers-only"]]) { code: String!  name: String! }
type Enterprise { penalties: [String!]! @scopes(scopes: [["audit:secret"], ["market:penalties", "exchange:read"]]) }
"""
DIRECTIVES = parse_security_directives(SUPERGRAPH)


def test_directives_are_read_per_type_and_field_following_link_renames() -> None:
    assert DIRECTIVES.for_field("Query", "divisions").authenticated
    assert DIRECTIVES.for_type("Division").policies == ((frozenset({"officers-only"}),),)
    assert DIRECTIVES.for_field("Enterprise", "penalties").scopes == (
        (frozenset({"audit:secret"}), frozenset({"market:penalties", "exchange:read"})),
    )


def test_a_type_level_policy_guards_every_field_returning_the_type() -> None:
    assert decide(OFFICER_TIELING, "{ divisions { code } }", directives=DIRECTIVES).errors == []
    decision = decide(EXCHANGE, "{ divisions { code } }", directives=DIRECTIVES)
    assert errors_of(decision) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["divisions"])]


def test_requires_scopes_is_an_or_of_and_sets_combined_with_the_policy_files() -> None:
    query = '{ enterprise(creditCode: "C") { penalties } }'
    only_policy = Principal(kind="user", subject="p", scopes=frozenset({"market:penalties"}))
    assert errors_of(decide(only_policy, query, directives=DIRECTIVES)) == [
        ("UNAUTHORIZED_FIELD_OR_TYPE", ["enterprise", "penalties"])
    ]
    both = Principal(
        kind="user", subject="p", scopes=frozenset({"market:penalties", "exchange:read"})
    )
    assert decide(both, query, directives=DIRECTIVES).errors == []
    # The directive alone is not enough: the policy file grants penalties to market:penalties.
    directive_only = Principal(kind="user", subject="p", scopes=frozenset({"audit:secret"}))
    assert decide(directive_only, query, directives=DIRECTIVES).errors != []


def test_a_fragment_on_a_type_the_caller_may_not_read_is_removed() -> None:
    decision = decide(
        EXCHANGE,
        '{ owner(id: "1") { ... on Enterprise { name } } }',
        directives=parse_security_directives(
            'type Enterprise @requiresScopes(scopes: [["audit:secret"]]) { name: String }'
        ),
    )
    assert errors_of(decision) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["owner"])]


def test_an_unknown_policy_name_denies() -> None:
    directives = parse_security_directives(
        'type Query { divisions: [Division] @policy(policies: [["nobody-defined-this"]]) }'
    )
    assert decide(OFFICER_TIELING, "{ divisions { code } }", directives=directives).rejected


def test_a_malformed_directive_argument_is_an_error() -> None:
    with pytest.raises(ValueError, match="scopes must be"):
        parse_security_directives('type Q { f: Int @requiresScopes(scopes: ["flat"]) }')


def test_the_directive_version_is_stable_across_runs() -> None:
    assert parse_security_directives(SUPERGRAPH).version == DIRECTIVES.version


def test_a_scalar_or_enum_with_requirements_guards_every_field_of_that_type() -> None:
    directives = parse_security_directives(
        'scalar ID @requiresScopes(scopes: [["population:identity"]])'
    )
    decision = decide(
        EXCHANGE, '{ person(idNumber: "1") { idNumber name } }', directives=directives
    )
    assert errors_of(decision) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["person", "idNumber"])]
    identity = Principal(
        kind="client",
        client_id="liaoning-exchange",
        scopes=frozenset({"exchange:read", "population:identity"}),
    )
    assert (
        decide(identity, '{ person(idNumber: "1") { idNumber } }', directives=directives).errors
        == []
    )


def test_authenticated_keeps_anonymous_callers_out_even_of_public_fields() -> None:
    from gateway.policy import ANONYMOUS

    directives = parse_security_directives("type Query { divisions: [Division] @authenticated }")
    decision = decide(
        ANONYMOUS, "{ divisions { code } }", directives=directives, allow_anonymous=True
    )
    assert decision.rejected
    assert decide(ANONYMOUS, "{ divisions { code } }", allow_anonymous=True).errors == []
