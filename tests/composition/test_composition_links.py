"""Federation directives are recognised under whatever name a subgraph imports them, and
custom root type names become Query/Mutation/Subscription."""

from __future__ import annotations

from composition_support import FED2, block, codes, compose_inline, expect

RENAMED_IMPORT = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
                    import: [{name: "@key", as: "@primaryKey"}, "@shareable"])
schema { query: RootQuery }
type RootQuery { thing(id: ID!): Thing  self: RootQuery }
type Thing @primaryKey(fields: "id") { id: ID!  label: String @shareable }
"""

NAMESPACED_AS_FED = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", as: "fed")
type Query { things: [Thing!]! }
type Thing @fed__key(fields: "id") { id: ID!  label: String @fed__shareable  size: Int }
"""

DEFAULT_NAMESPACE = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3")
type Thing @federation__key(fields: "id", resolvable: false) { id: ID! }
"""


def test_renamed_and_namespaced_federation_directives_mean_the_same_thing() -> None:
    result = compose_inline(one=RENAMED_IMPORT, two=NAMESPACED_AS_FED, three=DEFAULT_NAMESPACE)
    assert block(result, "type Thing") == expect("""
        type Thing
          @join__type(graph: ONE, key: "id")
          @join__type(graph: THREE, key: "id", resolvable: false)
          @join__type(graph: TWO, key: "id")
        {
          id: ID!
          label: String @join__field(graph: ONE) @join__field(graph: TWO)
          size: Int @join__field(graph: TWO)
        }""")


def test_a_renamed_query_root_becomes_query_with_every_reference_renamed() -> None:
    result = compose_inline(one=RENAMED_IMPORT, two=NAMESPACED_AS_FED)
    assert block(result, "type Query") == expect("""
        type Query
          @join__type(graph: ONE)
          @join__type(graph: TWO)
        {
          thing(id: ID!): Thing @join__field(graph: ONE)
          self: Query @join__field(graph: ONE)
          things: [Thing!]! @join__field(graph: TWO)
        }""")
    assert "RootQuery" not in (result.supergraph_sdl or "")


def test_a_type_named_query_that_is_not_the_query_root_is_refused() -> None:
    sdl = """
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    schema { query: Root }
    type Root { a: Int }
    type Query { b: Int }
    """
    result = compose_inline(a=sdl)
    assert codes(result) == ["ROOT_QUERY_USED"]
    assert '"Query"' in result.errors[0].message and "[a]" in result.errors[0].message


def test_a_federation_directive_used_without_import_is_an_unknown_directive() -> None:
    sdl = """
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { a: Int @shareable }
    """
    result = compose_inline(a=sdl)
    assert codes(result) == ["INVALID_GRAPHQL"]
    assert "@shareable" in result.errors[0].message


def test_sdl_that_does_not_parse_names_the_subgraph() -> None:
    result = compose_inline(broken="type Query { a: Int")
    assert codes(result) == ["INVALID_GRAPHQL"]
    assert result.errors[0].message.startswith("[broken] the SDL does not parse")


def test_subgraph_library_plumbing_is_left_out_of_the_supergraph() -> None:
    # What a subgraph's _service { sdl } (e.g. strawberry's) prints besides the schema.
    sdl = """
    schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key"]) {
      query: Query
    }
    type Person @key(fields: "idNumber") { idNumber: ID! }
    type Query {
      _entities(representations: [_Any!]!): [_Entity]!
      _service: _Service!
      person(idNumber: ID!): Person
    }
    scalar _Any
    union _Entity = Person
    type _Service { sdl: String! }
    """
    result = compose_inline(population=sdl)
    assert block(result, "type Query") == expect("""
        type Query
          @join__type(graph: POPULATION)
        {
          person(idNumber: ID!): Person
        }""")
    assert "_Service" not in (result.supergraph_sdl or "")
    assert "_Entity" not in (result.supergraph_sdl or "")
    assert '@link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)' in (
        result.supergraph_sdl or ""
    )


def test_a_directive_newer_than_the_linked_federation_version_cannot_be_imported() -> None:
    sdl = """
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.1",
                        import: ["@key", "@interfaceObject"])
    type Query { a: Int }
    """
    assert [str(e) for e in compose_inline(a=sdl).errors] == [
        '[INVALID_LINK_DIRECTIVE_USAGE] [a] Cannot import unknown element "@interfaceObject".'
    ]


def test_a_federation_directive_in_the_wrong_place_is_refused() -> None:
    sdl = FED2 + "type Query { q(f: F): Int }\ninput F { a: Int @shareable }"
    assert [str(e) for e in compose_inline(a=sdl).errors] == [
        '[INVALID_GRAPHQL] [a] Directive "@shareable" may not be used on INPUT_FIELD_DEFINITION.'
    ]


def test_federation_features_this_composer_lacks_are_refused_not_dropped() -> None:
    sdl = """
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost"])
    type Query { a: Int @cost(weight: 5) }
    """
    result = compose_inline(a=sdl)
    assert codes(result) == ["UNSUPPORTED_FEATURE"]
    assert "@cost" in result.errors[0].message
