"""Spec: the ways a client might try to reach a field it was not granted, each closed."""

from __future__ import annotations

from textwrap import dedent

from policy_support import EXCHANGE, OFFICER_TIELING, decide, errors_of, render

from gateway.policy import Principal

# A principal that may read enterprises but no personal data of persons.
TRADER = Principal(kind="user", subject="t-1", scopes=frozenset({"market:penalties"}))


def snapshot(text: str) -> str:
    return dedent(text).strip()


def test_an_alias_does_not_hide_a_field_and_the_error_path_uses_the_alias() -> None:
    decision = decide(TRADER, '{ person(idNumber: "1") { id who: idNumber } }')
    assert render(decision) == snapshot("""
        [Authorized]
        {
          person(idNumber: "1") {
            id
          }
        }
        UNAUTHORIZED_FIELD_OR_TYPE at person/who
    """)


def test_a_named_fragment_is_inlined_and_filtered() -> None:
    query = """
        query { person(idNumber: "1") { ...P } }
        fragment P on Person { id phone }
    """
    assert render(decide(TRADER, query)) == snapshot("""
        [Authorized]
        {
          person(idNumber: "1") {
            ... on Person {
              id
            }
          }
        }
        UNAUTHORIZED_FIELD_OR_TYPE at person/phone
    """)


def test_fragments_on_a_union_are_filtered_per_member_and_typename_is_added() -> None:
    query = """{ owner(id: "1") {
        ... on Person { idNumber }
        ... on Enterprise { name penalties }
    } }"""
    assert render(decide(TRADER, query)) == snapshot("""
        [Authorized]
        {
          owner(id: "1") {
            ... on Enterprise {
              name
              penalties
            }
            __typename
          }
        }
        UNAUTHORIZED_FIELD_OR_TYPE at owner/idNumber
    """)


def test_fragments_on_an_interface_are_filtered_like_direct_selections() -> None:
    query = """{ node(id: "1") { id ... on Person { phone } ...E }
                 } fragment E on Enterprise { penalties }"""
    decision = decide(EXCHANGE, query)
    assert render(decision) == snapshot("""
        [Authorized]
        {
          node(id: "1") {
            id
            ... on Person {
              phone
              __gg_subject: idNumber
            }
            __typename
          }
        }
        UNAUTHORIZED_FIELD_OR_TYPE at node/penalties
    """)


def test_a_field_with_row_rules_cannot_be_read_through_an_interface() -> None:
    # Node.id is fine; a hypothetical abstract read of a row-ruled field is refused with advice.
    decision = decide(OFFICER_TIELING, '{ node(id: "1") { id } }')
    assert decision.errors == []


def test_include_and_skip_do_not_hide_a_field_from_authorization() -> None:
    query = """query Q($show: Boolean!, $hide: Boolean!, $n: ID!) {
        person(idNumber: "1") { id phone @include(if: $show) }
        household(householdNumber: $n) @skip(if: $hide) { id }
    }"""
    decision = decide(TRADER, query)
    assert render(decision) == snapshot("""
        [Authorized]
        query Q($hide: Boolean!, $n: ID!) {
          person(idNumber: "1") {
            id
          }
          household(householdNumber: $n) @skip(if: $hide) {
            id
          }
        }
        UNAUTHORIZED_FIELD_OR_TYPE at person/phone
    """)


def test_the_same_type_reached_through_another_path_is_filtered_there_too() -> None:
    query = '{ household(householdNumber: "H") { members { id phone } } }'
    decision = decide(TRADER, query)
    assert errors_of(decision) == [
        ("UNAUTHORIZED_FIELD_OR_TYPE", ["household", "members"]),
    ]
    officer = decide(OFFICER_TIELING, query, purpose=None)
    assert errors_of(officer) == [("PURPOSE_REQUIRED", ["household", "members", "@", "phone"])]


def test_a_key_field_the_caller_may_not_read_is_not_requested_and_is_dropped_if_fetched() -> None:
    # The planner adds idNumber itself to join marriages from civil affairs; the caller may
    # not read idNumber without a purpose. The join key the planner fetched is dropped.
    decision = decide(OFFICER_TIELING, '{ person(idNumber: "1") { marriages } }', purpose=None)
    assert render(decision) == snapshot("""
        [Authorized]
        {
          person(idNumber: "1") {
            marriages
            __gg_row__registeredCounty__code: registeredCounty {
              code
            }
          }
        }
    """)
    raw = {
        "person": {
            "marriages": ["M1"],
            "idNumber": "211221199001011234",
            "__gg_row__registeredCounty__code": {"code": "211221"},
        }
    }
    result = decision.post_process(raw, [])
    assert result.data == {"person": {"marriages": ["M1"]}}


def test_introspection_is_allowed_and_shows_the_whole_api_schema() -> None:
    decision = decide(TRADER, '{ __schema { types { name } } __type(name: "Person") { name } }')
    assert decision.errors == [] and not decision.rejected
    data = {"__schema": {"types": [{"name": "Person"}]}, "__type": {"name": "Person"}}
    assert decision.post_process(data, []).data == data


def test_entities_sent_to_the_gateway_are_refused() -> None:
    query = '{ _entities(representations: [{__typename: "Person", idNumber: "1"}]) { __typename } }'
    decision = decide(OFFICER_TIELING, query)
    assert decision.rejected
    assert errors_of(decision) == [("UNKNOWN_FIELD", ["_entities"])]


def test_service_sent_to_the_gateway_is_refused() -> None:
    decision = decide(OFFICER_TIELING, "{ _service { sdl } }")
    assert decision.rejected and errors_of(decision) == [("UNKNOWN_FIELD", ["_service"])]


def test_an_alias_in_the_gateways_hidden_namespace_is_refused() -> None:
    decision = decide(OFFICER_TIELING, '{ person(idNumber: "1") { __gg_subject: name } }')
    assert decision.rejected
    assert errors_of(decision) == [("RESERVED_ALIAS", ["person", "__gg_subject"])]


def test_each_operation_of_a_batch_is_authorized_on_its_own() -> None:
    first = decide(TRADER, '{ enterprise(creditCode: "C") { penalties } }')
    second = decide(TRADER, '{ person(idNumber: "1") { phone } }')
    assert first.errors == [] and not first.rejected
    assert errors_of(second) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["person", "phone"])]


def test_only_the_named_operation_is_authorized_and_planned() -> None:
    query = "query A { secret } query B { divisions { code } }"
    decision = decide(TRADER, query, operation_name="B")
    assert decision.errors == [] and "secret" not in decision.printed
    assert decide(TRADER, query).rejected  # two operations, none named
    assert errors_of(decide(TRADER, query, operation_name="C")) == [
        ("OPERATION_RESOLUTION_FAILURE", None)
    ]


def test_an_alias_named_typename_is_refused() -> None:
    decision = decide(
        TRADER,
        '{ owner(id: "1") { __typename: __typename ... on Enterprise { __typename: name } } }',
    )
    assert decision.rejected
    assert errors_of(decision) == [("RESERVED_ALIAS", ["owner", "__typename"])]


def test_typename_in_the_response_is_computed_not_copied_from_the_raw_data() -> None:
    decision = decide(TRADER, '{ enterprise(creditCode: "C") { kind: __typename name } }')
    raw = {"enterprise": {"kind": "211221199001011234", "name": "n", "__typename": "x"}}
    assert decision.post_process(raw, []).data == {
        "enterprise": {"__typename": "Enterprise", "kind": "Enterprise", "name": "n"}
    }


def test_a_row_ruled_field_read_through_an_interface_is_refused_with_advice() -> None:
    decision = decide(OFFICER_TIELING, '{ contact(id: "1") { phone } }')
    assert errors_of(decision) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["contact", "phone"])]
    assert "in a fragment on Person" in decision.errors[0]["message"]
    in_fragment = decide(OFFICER_TIELING, '{ contact(id: "1") { ... on Person { phone } } }')
    assert in_fragment.errors == []
    assert "__gg_row__registeredCounty__code" in in_fragment.printed


def test_an_interface_field_is_allowed_when_every_implementation_allows_it() -> None:
    assert decide(TRADER, '{ node(id: "1") { id } }').errors == []
    nobody = Principal(kind="user", subject="n", scopes=frozenset())
    decision = decide(nobody, '{ contact(id: "1") { phone } }')
    assert errors_of(decision) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["contact", "phone"])]


def test_a_denied_field_skipped_by_its_variables_is_removed_without_an_error() -> None:
    query = 'query Q($show: Boolean!) { person(idNumber: "1") { id phone @include(if: $show) } }'
    hidden = decide(TRADER, query, variables={"show": False})
    shown = decide(TRADER, query, variables={"show": True})
    assert hidden.printed == shown.printed  # the phone is removed from the plan either way
    assert "phone" not in hidden.printed
    assert hidden.errors == []
    assert errors_of(shown) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["person", "phone"])]
    assert hidden.fingerprint != shown.fingerprint


def test_skip_on_an_enclosing_fragment_also_counts() -> None:
    query = 'query Q($s: Boolean!) { person(idNumber: "1") { id ... @skip(if: $s) { phone } } }'
    assert decide(TRADER, query, variables={"s": True}).errors == []
    assert errors_of(decide(TRADER, query, variables={"s": False})) == [
        ("UNAUTHORIZED_FIELD_OR_TYPE", ["person", "phone"])
    ]
