"""Per-subgraph rules checked before merging, and the facts merging needs from them.

Phases: keys (fields exist, no arguments, no abstract or list-of-abstract fields;
remember key fields, which are shareable, and the "fake" ``@external`` on key fields of
type extensions); ``@requires`` and ``@provides`` (parse, fields exist, Federation 2
wants them ``@external``); unused ``@external`` (an error in Federation 2; Federation 1
subgraphs drop such fields as Apollo's upgrade does); ``@override`` and
``@interfaceObject`` usage.
"""

from __future__ import annotations

from collections.abc import Callable

from .fieldset import FieldSetError, SelectedField, resolve_field_set
from .model import SField, SType, Subgraph, named_type
from .result import CompositionError

__all__ = ["validate_subgraph"]

Callback = Callable[[str, str], None]


def validate_subgraph(subgraph: Subgraph) -> list[CompositionError]:
    """Check one subgraph and fill in the facts composition needs; return the errors."""
    errors: list[CompositionError] = []

    def error(code: str, message: str) -> None:
        errors.append(CompositionError(code, f"[{subgraph.name}] {message}"))

    for t in list(subgraph.types.values()):
        if not subgraph.fed2 and t.kind == "interface" and t.has("key"):
            t.directives = [d for d in t.directives if d.name != "key"]
        _check_keys(subgraph, t, error)
        if t.is_interface_object and not t.has("key"):
            error(
                "INTERFACE_OBJECT_USAGE_ERROR",
                f'the @interfaceObject type "{t.name}" must have a @key',
            )
    # Keys first: they decide which @external are only nominal ("fake").
    for t in list(subgraph.types.values()):
        for f in t.fields.values():
            _check_field_directives(subgraph, t, f, error)
            if not subgraph.fed2:
                _drop_inactive_field_sets(subgraph, t, f)
            _check_requires(subgraph, t, f, error)
            _check_provides(subgraph, t, f, error)
            _check_override(subgraph, t, f, error)
    _check_unused_externals(subgraph, error)
    return errors


def _check_keys(subgraph: Subgraph, t: SType, error: Callback) -> None:
    for key in t.keys:
        if t.kind not in ("object", "interface"):
            error("KEY_UNSUPPORTED_ON_TYPE", f'@key is not allowed on {t.kind} "{t.name}"')
            continue
        try:
            selected = resolve_field_set(subgraph, t.name, key.fields)
        except FieldSetError as exc:
            error("KEY_INVALID_FIELDS", f'on type "{t.name}", the @key(fields: ...) {exc}')
            continue
        for sel in selected:
            coord = f"{sel.parent}.{sel.field.name}"
            if sel.field.args:
                error(
                    "KEY_FIELDS_HAS_ARGS",
                    f'on type "{t.name}", the @key field "{coord}" has arguments',
                )
            target = subgraph.types.get(named_type(sel.field.type))
            if target is not None and target.kind in ("interface", "union"):
                error(
                    "KEY_FIELDS_SELECT_INVALID_TYPE",
                    f'on type "{t.name}", the @key field "{coord}" is of {target.kind} type '
                    f'"{target.name}", which a key may not select',
                )
            subgraph.key_fields.add(coord)
            subgraph.used_by_own_field_sets.add(coord)
            if t.is_extension and sel.field.has("external"):
                subgraph.fake_external.add(coord)


def _check_requires(subgraph: Subgraph, t: SType, f: SField, error: Callback) -> None:
    requires = f.first("requires")
    if requires is None:
        return
    coord = f"{t.name}.{f.name}"
    try:
        selected = resolve_field_set(subgraph, t.name, str(requires.value("fields", "")))
    except FieldSetError as exc:
        error("REQUIRES_INVALID_FIELDS", f'on field "{coord}", the @requires(fields: ...) {exc}')
        return
    for sel in selected:
        sel_coord = f"{sel.parent}.{sel.field.name}"
        subgraph.used_by_own_field_sets.add(sel_coord)
        if _must_be_external(subgraph, sel):
            error(
                "REQUIRES_FIELDS_MISSING_EXTERNAL",
                f'on field "{coord}", the @requires field "{sel_coord}" should be @external',
            )


def _check_provides(subgraph: Subgraph, t: SType, f: SField, error: Callback) -> None:
    provides = f.first("provides")
    if provides is None:
        return
    coord = f"{t.name}.{f.name}"
    target = subgraph.types.get(named_type(f.type))
    if target is None or target.kind not in ("object", "interface", "union"):
        error(
            "PROVIDES_ON_NON_OBJECT_FIELD",
            f'field "{coord}" has @provides but its type "{f.type}" is not an object type',
        )
        return
    try:
        selected = resolve_field_set(subgraph, target.name, str(provides.value("fields", "")))
    except FieldSetError as exc:
        error("PROVIDES_INVALID_FIELDS", f'on field "{coord}", the @provides(fields: ...) {exc}')
        return
    for sel in selected:
        sel_coord = f"{sel.parent}.{sel.field.name}"
        subgraph.used_by_own_field_sets.add(sel_coord)
        _mark_provided(subgraph, sel.parent, sel.field)
        if _must_be_external(subgraph, sel):
            error(
                "PROVIDES_FIELDS_MISSING_EXTERNAL",
                f'on field "{coord}", the @provides field "{sel_coord}" should be @external',
            )


def _must_be_external(subgraph: Subgraph, sel: SelectedField) -> bool:
    """Federation 2 wants the leaves a field set selects to be @external, unless an
    enclosing selected field already is (or the leaf sits on an interface)."""
    parent = subgraph.types.get(sel.parent)
    return (
        subgraph.fed2
        and not sel.has_selection
        and not sel.under_external
        and not subgraph.is_external(sel.parent, sel.field)
        and parent is not None
        and parent.kind == "object"
    )


def _drop_inactive_field_sets(subgraph: Subgraph, t: SType, f: SField) -> None:
    """Federation 1 tolerated @provides/@requires naming only fields the subgraph resolves
    itself; they do nothing, so (as Apollo's upgrade does) they are dropped."""
    for name in ("provides", "requires"):
        applied = f.first(name)
        if applied is None:
            continue
        target = named_type(f.type) if name == "provides" else t.name
        try:
            selected = resolve_field_set(subgraph, target, str(applied.value("fields", "")))
        except FieldSetError:
            continue  # reported by the checks below
        if not any(subgraph.is_external(sel.parent, sel.field) for sel in selected):
            f.directives.remove(applied)


def _mark_provided(subgraph: Subgraph, parent: str, f: SField) -> None:
    if f.has("external"):
        subgraph.provided.add(f"{parent}.{f.name}")
    for t in subgraph.types.values():
        if parent in t.interfaces:
            impl = t.fields.get(f.name)
            if impl is not None and impl.has("external"):
                subgraph.provided.add(f"{t.name}.{f.name}")


_MERGED = ("inaccessible", "tag", "authenticated", "requiresScopes", "policy")


def _check_field_directives(subgraph: Subgraph, t: SType, f: SField, error: Callback) -> None:
    coord = f"{t.name}.{f.name}"
    if sum(d.name == "shareable" for d in f.directives) > 1:
        error(
            "INVALID_SHAREABLE_USAGE",
            f'Invalid duplicate application of @shareable on field "{coord}": @shareable is '
            "only repeatable on types so it can be used simultaneously on a type definition "
            "and its extensions, but it should not be duplicated on the same "
            "definition/extension declaration",
        )
    if t.kind == "interface" and f.has("shareable"):
        error(
            "INVALID_SHAREABLE_USAGE",
            f'Invalid use of @shareable on field "{coord}": only object type fields can be '
            "marked with @shareable",
        )
    if subgraph.fed2 and subgraph.is_external(t.name, f):
        for d in f.directives:
            if d.name in _MERGED:
                printed = d.name + (
                    "(" + ", ".join(f"{k}: {v}" for k, v in d.printed_args()) + ")"
                    if d.args
                    else ""
                )
                error(
                    "MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL",
                    f'Cannot apply merged directive @{printed} to external field "{coord}"',
                )


def _check_override(subgraph: Subgraph, t: SType, f: SField, error: Callback) -> None:
    override = f.first("override")
    if override is None:
        return
    source = str(override.value("from", ""))
    if source == subgraph.name:
        error(
            "OVERRIDE_FROM_SELF_ERROR",
            f'field "{t.name}.{f.name}" uses @override(from: "{source}") naming its own subgraph',
        )
    coord = f"{t.name}.{f.name}"
    if t.kind == "interface":
        error(
            "OVERRIDE_ON_INTERFACE",
            f'@override cannot be used on field "{coord}" on subgraph "{subgraph.name}": '
            "@override is not supported on interface type fields.",
        )
    elif t.is_interface_object:
        error(
            "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
            f"@override is not yet supported on fields of @interfaceObject types: cannot be "
            f'used on field "{coord}" on subgraph "{subgraph.name}".',
        )


def _check_unused_externals(subgraph: Subgraph, error: Callback) -> None:
    for t in subgraph.types.values():
        interface_fields = {
            fname
            for iname in t.interfaces
            for fname in (subgraph.types[iname].fields if iname in subgraph.types else {})
        }
        for f in list(t.fields.values()):
            coord = f"{t.name}.{f.name}"
            if not f.has("external") or coord in subgraph.used_by_own_field_sets:
                continue
            if f.name in interface_fields:
                continue
            if subgraph.fed2:
                error(
                    "EXTERNAL_UNUSED",
                    f'field "{coord}" is marked @external but is not used by any '
                    "@key, @requires or @provides",
                )
            else:
                del t.fields[f.name]
