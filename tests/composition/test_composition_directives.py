"""Directives the supergraph keeps: @inaccessible, @tag, @authenticated, @requiresScopes
(requirements of all subgraphs AND-ed), @policy, @deprecated and @composeDirective'd
custom directives, each with the @link of its specification."""

from __future__ import annotations

from composition_support import block, compose_inline, expect, sdl_of

HEAD = """
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7",
        import: ["@key", "@shareable", "@inaccessible", "@tag", "@authenticated",
                 "@requiresScopes", "@policy", "@composeDirective"])
"""
CUSTOM = """
  @link(url: "https://gov.example/audit/v1.0", import: ["@audited"])
  @composeDirective(name: "@audited")
directive @audited(reason: String) on FIELD_DEFINITION
"""
POPULATION = (
    HEAD
    + CUSTOM
    + """
type Query { person(id: ID!): Person @authenticated @tag(name: "public") }
type Person @key(fields: "id") {
  id: ID!
  idNumber: String @shareable @requiresScopes(scopes: [["person:read"], ["admin"]])
    @audited(reason: "pii")
  phone: String @policy(policies: [["own_department"]]) @inaccessible
}
"""
)
CIVIL_AFFAIRS = (
    HEAD
    + """
type Person @key(fields: "id") {
  id: ID!
  idNumber: String @shareable @requiresScopes(scopes: [["dibao:review"]]) @tag(name: "pii")
}
"""
)


def test_each_used_specification_is_linked_in_apollos_order() -> None:
    sdl = sdl_of(compose_inline(a=POPULATION, b=CIVIL_AFFAIRS))
    assert sdl.split("\n\n")[0] == expect("""
        schema
          @link(url: "https://specs.apollo.dev/link/v1.0")
          @link(url: "https://specs.apollo.dev/join/v0.4", for: EXECUTION)
          @link(url: "https://specs.apollo.dev/tag/v0.3")
          @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)
          @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
          @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)
          @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)
          @link(url: "https://gov.example/audit/v1.0", import: ["@audited"])
        {
          query: Query
        }""")
    assert "\n\ndirective @audited(reason: String) on FIELD_DEFINITION\n\n" in sdl
    assert "\n\nscalar requiresScopes__Scope" in sdl and "\n\nscalar policy__Policy" in sdl


def test_scopes_required_by_several_subgraphs_must_all_be_held() -> None:
    # (person:read OR admin) AND dibao:review, in disjunctive normal form.
    result = compose_inline(a=POPULATION, b=CIVIL_AFFAIRS)
    assert block(result, "type Person") == expect("""
        type Person
          @join__type(graph: A, key: "id")
          @join__type(graph: B, key: "id")
        {
          id: ID!
          idNumber: String @audited(reason: "pii") @requiresScopes(scopes: [["admin", "dibao:review"], ["dibao:review", "person:read"]]) @tag(name: "pii")
          phone: String @inaccessible @join__field(graph: A) @policy(policies: [["own_department"]])
        }""")


def test_authorization_and_tags_follow_the_join_directives_in_name_order() -> None:
    result = compose_inline(a=POPULATION, b=CIVIL_AFFAIRS)
    assert (
        '  person(id: ID!): Person @join__field(graph: A) @authenticated @tag(name: "public")'
        in (block(result, "type Query"))
    )


def test_an_inaccessible_type_carries_the_mark_after_its_join_directives() -> None:
    sdl = (
        HEAD
        + "type Query { a: Int  s: Secret @inaccessible }\ntype Secret @inaccessible { x: Int }"
    )
    assert block(compose_inline(a=sdl), "type Secret") == expect("""
        type Secret
          @join__type(graph: A)
          @inaccessible
        {
          x: Int
        }""")


def test_deprecation_and_descriptions_are_kept() -> None:
    sdl = (
        HEAD
        + '''
    "The root"
    type Query {
      """
      A very long description of this query field that goes on and on beyond seventy characters.
      """
      old(
        "the id"
        id: ID!
      ): Int @deprecated(reason: "use new")
    }'''
    )
    assert block(compose_inline(a=sdl), "type Query") == expect('''
        """The root"""
        type Query
          @join__type(graph: A)
        {
          """
          A very long description of this query field that goes on and on beyond seventy characters.
          """
          old(
            """the id"""
            id: ID!
          ): Int @deprecated(reason: "use new")
        }''')


def test_compose_directive_naming_an_undefined_directive_is_refused() -> None:
    bad = HEAD + CUSTOM.replace('name: "@audited"', 'name: "@nothere"') + "type Query { a: Int }"
    result = compose_inline(a=bad)
    assert [str(e) for e in result.errors] == [
        '[DIRECTIVE_COMPOSITION_ERROR] [a] @composeDirective(name: "@nothere") names no '
        "directive defined in this subgraph"
    ]


def test_the_description_most_subgraphs_give_wins() -> None:
    sdl = HEAD + 'type Query {{ a{n}: Int }}\n"{text}"\ntype T @shareable {{ x: Int }}'
    result = compose_inline(
        a=sdl.format(n=1, text="A person"),
        b=sdl.format(n=2, text="A resident"),
        c=sdl.format(n=3, text="A resident"),
    )
    assert block(result, "type T").splitlines()[0] == '"""A resident"""'


def test_security_specs_are_linked_subgraph_by_subgraph_in_a_fixed_order_within_each() -> None:
    first = HEAD + 'type Query { a: Int @authenticated  c: Int @policy(policies: [["p"]]) }'
    second = HEAD + 'type Query { b: Int @inaccessible  d: Int @tag(name: "x") }'
    links = sdl_of(compose_inline(a=first, b=second)).split("\n{")[0].splitlines()[3:]
    assert links == [
        '  @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)',
        '  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
        '  @link(url: "https://specs.apollo.dev/tag/v0.3")',
        '  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)',
    ]
