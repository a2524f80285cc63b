"""Print a supergraph the way Apollo's composer does (layout, order, descriptions), so
that loaders and diffs see byte-identical output for identical input."""

from __future__ import annotations

from graphql.language.block_string import print_block_string

from .supergraph import GArgument, GDirective, GField, GType, Supergraph

__all__ = ["print_supergraph", "sort_key"]

_KEYWORDS = {
    "object": "type",
    "interface": "interface",
    "union": "union",
    "enum": "enum",
    "input": "input",
    "scalar": "scalar",
}


def sort_key(name: str) -> tuple[str, str]:
    """Order names like a locale-aware compare: case-insensitive, ``_`` before letters,
    lower case first on ties."""
    primary = name.lower().replace("_", "\x01")
    return primary, name.swapcase()


def print_supergraph(supergraph: Supergraph) -> str:
    blocks = [_print_schema(supergraph)]
    for name in sorted(supergraph.directive_definitions, key=sort_key):
        blocks.append(supergraph.directive_definitions[name])
    for name in sorted(supergraph.types, key=sort_key):
        blocks.append(_print_type(supergraph.types[name]))
    return "\n\n".join(blocks)


def _print_schema(supergraph: Supergraph) -> str:
    lines = ["schema"]
    lines += [f"  {link.print()}" for link in supergraph.links]
    lines.append("{")
    lines += [f"  {op}: {name}" for op, name in supergraph.roots.items()]
    lines.append("}")
    return "\n".join(lines)


def _description(text: str | None, indent: str, first: bool) -> str:
    if text is None:
        return ""
    block = print_block_string(text)
    if len(text) > 70 and "\n" not in block:
        # Apollo prefers the multi-line form for long descriptions.
        block = '"""\n' + block[3:-3] + '\n"""'
    lines = block.split("\n")
    printed = "\n".join(indent + line if line else line for line in lines) + "\n"
    return printed if first or not indent else "\n" + printed


def _directives_inline(directives: list[GDirective]) -> str:
    return "".join(" " + d.print() for d in directives)


def _print_type(t: GType) -> str:
    head = _description(t.description, "", True) + f"{_KEYWORDS[t.kind]} {t.name}"
    if t.interfaces:
        head += " implements " + " & ".join(t.interfaces)
    directive_lines = "".join(f"\n  {d.print()}" for d in t.directives)
    if t.kind == "scalar":
        return head + directive_lines
    if t.kind == "union":
        members = " = " + " | ".join(t.members) if t.members else ""
        if not directive_lines:
            return head + members
        return head + directive_lines + "\n" + members
    body: list[str] = []
    if t.kind == "enum":
        for i, value in enumerate(t.values):
            body.append(
                _description(value.description, "  ", i == 0)
                + f"  {value.name}{_directives_inline(value.directives)}"
            )
    else:
        for i, f in enumerate(t.fields):
            body.append(_print_field(f, i == 0, t.kind == "input"))
    opener = "\n{" if directive_lines else " {"
    return head + directive_lines + opener + "\n" + "\n".join(body) + "\n}"


def _print_field(f: GField, first: bool, is_input: bool) -> str:
    out = _description(f.description, "  ", first) + f"  {f.name}{_print_args(f.args)}: {f.type}"
    if is_input and f.default is not None:
        out += f" = {f.default}"
    return out + _directives_inline(f.directives)


def _print_args(args: list[GArgument]) -> str:
    if not args:
        return ""
    if all(a.description is None for a in args):
        return "(" + ", ".join(_print_arg(a) for a in args) + ")"
    lines = [
        _description(a.description, "    ", i == 0) + "    " + _print_arg(a)
        for i, a in enumerate(args)
    ]
    return "(\n" + "\n".join(lines) + "\n  )"


def _print_arg(a: GArgument) -> str:
    out = f"{a.name}: {a.type}"
    if a.default is not None:
        out += f" = {a.default}"
    return out + _directives_inline(a.directives)
