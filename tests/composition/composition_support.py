"""Helpers for the composition specs: compose inline SDLs, cut one definition out of a
supergraph, list error codes.

Template for a new spec::

    def test_<what_happens_as_a_sentence>() -> None:
        result = compose_inline(a=FED2 + "type Query { ... }", b=FED2 + "...")
        assert block(result, "type Thing") == dedent('''
            type Thing
              @join__type(graph: A, key: "id")
            {
              id: ID!
            }''').strip()
"""

from __future__ import annotations

from textwrap import dedent

from gateway.composition import CompositionResult, SubgraphSource, compose

__all__ = ["FED2", "block", "codes", "compose_inline", "expect", "sdl_of"]

FED2 = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: '
    '["@key", "@shareable", "@external", "@requires", "@provides", "@override", '
    '"@inaccessible", "@tag", "@interfaceObject", "@extends"])\n'
)


_KEYWORDS = ("schema", "directive ", "type ", "interface ", "union ", "enum ", "input ", "scalar ")


def compose_inline(**sdls: str) -> CompositionResult:
    """Compose subgraphs named by keyword (``-`` for ``_``), served at http://<name>/graphql."""
    return compose(
        [
            SubgraphSource(name.replace("_", "-"), f"http://{name}.test/graphql", sdl)
            for name, sdl in sdls.items()
        ]
    )


def sdl_of(result: CompositionResult) -> str:
    assert result.supergraph_sdl is not None, [str(e) for e in result.errors]
    return result.supergraph_sdl


def block(result: CompositionResult, head: str) -> str:
    """The printed definition that starts with ``head`` (``"type Thing"``, ``"enum E"``)."""
    for chunk in sdl_of(result).split("\n\n"):
        lines = chunk.split("\n")
        heads = [line for line in lines if line.startswith(_KEYWORDS)]
        if heads and (heads[0] == head or heads[0].startswith(head + " ")):
            return chunk
    raise AssertionError(f"no definition starting {head!r} in:\n{sdl_of(result)}")


def expect(text: str) -> str:
    return dedent(text).strip("\n")


def codes(result: CompositionResult) -> list[str]:
    assert result.supergraph_sdl is None
    return sorted(e.code for e in result.errors)
