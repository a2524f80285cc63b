"""possible_types_of spec: a schema in, the object types of each interface and union out."""

from __future__ import annotations

from graphql import build_schema

from gateway.executor import possible_types_of


def test_interfaces_and_unions_map_to_their_object_types():
    schema = build_schema(
        """
        interface Owner { id: ID! }
        type Person implements Owner { id: ID! }
        type Enterprise implements Owner { id: ID! }
        type Parcel { id: ID! }
        union PropertyOwner = Person | Enterprise
        type Query { owner: Owner parcel: Parcel any: PropertyOwner }
        """
    )

    assert possible_types_of(schema) == {
        "Owner": frozenset({"Person", "Enterprise"}),
        "PropertyOwner": frozenset({"Person", "Enterprise"}),
    }
