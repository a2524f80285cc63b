"""Compare two supergraph SDLs after normalising away what does not matter: definition,
field, argument and directive order, and field-set formatting.

``python -m gateway.composition.compare SUITES_DIR EXPECTED_DIR`` composes each
``SUITES_DIR/<suite>/`` (a ``manifest.json`` listing ``{"name", "url", "file"}``) and
compares it with ``EXPECTED_DIR/<suite>.graphql``, or, when the reference composer
refused, the error codes in ``EXPECTED_DIR/<suite>.errors`` (``CODE: message`` lines);
one line per suite, then the differing lines. ``tests/composition/reference/`` has the
scripts that extract the federation gateway audit's suites and run Apollo's composer
(Node) on them; nothing they produce is committed.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

from graphql import (
    ArgumentNode,
    DefinitionNode,
    DirectiveNode,
    StringValueNode,
    parse,
    print_ast,
)

from .compose import compose
from .fieldset import FieldSetError, parse_field_set
from .result import SubgraphSource

__all__ = ["compare_suites", "normalise"]

_FIELD_SET_ARGS = {("join__type", "key"), ("join__field", "requires"), ("join__field", "provides")}


def normalise(sdl: str) -> list[str]:
    """One line per element, sorted: a stable, order-free picture of a supergraph."""
    document = parse(sdl, no_location=True)
    lines: list[str] = []
    for definition in document.definitions:
        lines += _definition_lines(definition)
    return sorted(lines)


def _directives(nodes: object) -> str:
    printed = []
    for d in nodes or ():  # type: ignore[attr-defined]
        assert isinstance(d, DirectiveNode)
        args = sorted(_argument(d.name.value, a) for a in d.arguments or ())
        printed.append(f"@{d.name.value}({', '.join(args)})")
    return " ".join(sorted(printed))


def _argument(directive: str, a: ArgumentNode) -> str:
    value = a.value
    if (directive, a.name.value) in _FIELD_SET_ARGS and isinstance(value, StringValueNode):
        try:
            return f"{a.name.value}: {print_ast(parse_field_set(value.value))!r}"
        except FieldSetError:
            pass
    return f"{a.name.value}: {print_ast(value)}"


def _definition_lines(d: DefinitionNode) -> list[str]:
    kind = type(d).__name__.removesuffix("DefinitionNode").removesuffix("Node")
    name = getattr(getattr(d, "name", None), "value", "schema")
    head = f"{kind} {name}"
    lines = [f"{head} {_directives(getattr(d, 'directives', None))}"]
    description = getattr(d, "description", None)
    if description is not None:
        lines.append(f"{head} description {description.value!r}")
    for iface in getattr(d, "interfaces", None) or ():
        lines.append(f"{head} implements {iface.name.value}")
    for member in getattr(d, "types", None) or ():
        lines.append(f"{head} member {member.name.value}")
    for op in getattr(d, "operation_types", None) or ():
        lines.append(f"{head} root {op.operation.value}: {op.type.name.value}")
    if kind == "Directive":
        locations = sorted(loc.value for loc in d.locations)  # type: ignore[attr-defined]
        lines.append(f"{head} repeatable={d.repeatable} on {locations}")  # type: ignore[attr-defined]
    for v in getattr(d, "values", None) or ():
        lines.append(f"{head}.{v.name.value} {_directives(v.directives)}")
    for f in getattr(d, "fields", None) or ():
        ftype = print_ast(f.type)
        default = getattr(f, "default_value", None)
        tail = f" = {print_ast(default)}" if default is not None else ""
        lines.append(f"{head}.{f.name.value}: {ftype}{tail} {_directives(f.directives)}")
        if f.description is not None:
            lines.append(f"{head}.{f.name.value} description {f.description.value!r}")
        for a in getattr(f, "arguments", None) or ():
            adefault = f" = {print_ast(a.default_value)}" if a.default_value else ""
            lines.append(
                f"{head}.{f.name.value}({a.name.value}: {print_ast(a.type)}{adefault}) "
                f"{_directives(a.directives)}"
            )
    for a in getattr(d, "arguments", None) or ():
        lines.append(f"{head}({a.name.value}: {print_ast(a.type)})")
    return lines


def compare_suites(suites_dir: Path, expected_dir: Path, verbose: bool = True) -> tuple[int, int]:
    """Compose every suite and compare; return (agreeing, total)."""
    agree = total = 0
    for suite in sorted(p for p in suites_dir.iterdir() if p.is_dir()):
        total += 1
        manifest = json.loads((suite / "manifest.json").read_text())
        sources = [
            SubgraphSource(m["name"], m["url"], (suite / m["file"]).read_text()) for m in manifest
        ]
        result = compose(sources)
        expected = expected_dir / f"{suite.name}.graphql"
        refused = expected_dir / f"{suite.name}.errors"
        if not expected.exists() and refused.exists():
            theirs_codes = sorted(
                {
                    line.split(":", 1)[0]
                    for line in refused.read_text().splitlines()
                    if ":" in line and line.split(":", 1)[0].isupper()
                }
            )
            ours_codes = sorted({e.code for e in result.errors})
            ok = result.supergraph_sdl is None and ours_codes == theirs_codes
            agree += ok
            print(
                f"{suite.name}: {'same errors' if ok else 'DIFF'}: reference {theirs_codes}, ours {ours_codes}"
            )
            if not ok and verbose:
                for e in result.errors:
                    print(f"    {e}")
            continue
        if not expected.exists():
            print(f"{suite.name}: DIFF: no reference output")
            continue
        if result.supergraph_sdl is None:
            print(f"{suite.name}: DIFF: we refused")
            for e in result.errors:
                print(f"    {e}")
            continue
        exact = result.supergraph_sdl == expected.read_text()
        ours, theirs = normalise(result.supergraph_sdl), normalise(expected.read_text())
        if ours == theirs:
            agree += 1
            print(f"{suite.name}: same{' (byte-identical)' if exact else ' (normalised)'}")
            continue
        print(f"{suite.name}: DIFF")
        if verbose:
            for line in difflib.unified_diff(theirs, ours, "reference", "ours", n=0, lineterm=""):
                if not line.startswith(("---", "+++", "@@")):
                    print(f"    {line}")
    return agree, total


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    agree, total = compare_suites(Path(argv[0]), Path(argv[1]), verbose=True)
    print(f"{agree}/{total} suites agree")
    return 0 if agree == total else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
