"""Turn one object's compiled field list into a straight-line Python function, once per shape.

Why: projection visits every object of every response, and a generic loop over field
descriptors pays for tuple unpacking and a chain of kind tests per field. The generated
function reads each field once with a constant key, handles the common case inline (a
present scalar, a known enum value, a nested object) and calls back into the projection
only for the rare cases (nulls at non-null positions, bad values, lists, abstract types).

What it generates for ``{ name gender household { number } }`` on ``Person``::

    def project(value, path, proj, typename):
        get = value.get
        v0 = get('name')
        if v0 is None:
            proj.null_error(F0, (path, 'name'))
            return INVALID
        v1 = get('gender')
        if v1 is not None and (v1.__class__ is not str or v1 not in E1):
            v1 = proj.complete(v1, F1, (path, 'gender'))
            if v1 is INVALID:
                v1 = None
        ...
        return {'name': v0, 'gender': v1, 'household': v2}

Keys enter the source only through ``repr`` of a string (always a plain literal); every
other value is passed in the namespace, never written into the source.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["INVALID", "Invalid", "ObjectFunction", "object_function"]


class Invalid:
    """Returned by a position whose null must propagate to the nearest nullable parent."""


INVALID = Invalid()

# (value, linked path, projection, runtime typename) -> projected dict or INVALID
ObjectFunction = Callable[[dict[str, Any], Any, Any, Any], Any]


def object_function(
    fields: tuple[Any, ...],
    kinds: tuple[int, int, int, int, int, int],
    child_function: Callable[[Any], ObjectFunction | None],
) -> ObjectFunction:
    """Generate the projection of one object from its ``FieldShape``s.

    ``kinds`` is (SCALAR, TYPENAME, ENUM, OBJECT, LIST, INTROSPECTION). ``child_function``
    gives the generated function of a concrete child object shape, or None when the child
    is abstract (then the projection dispatches on ``__typename``).
    """
    scalar, typename_kind, enum, obj, lst, introspection = kinds
    namespace: dict[str, Any] = {"INVALID": INVALID}
    lines = ["def project(value, path, proj, typename):", "    get = value.get"]
    incremental = any(f.kind == introspection for f in fields)
    if incremental:
        lines.append("    out = {}")
    outputs: list[str] = []

    def fail(var: str, nonnull: bool) -> list[str]:
        # After a child returned INVALID: propagate or become null.
        return ["            return INVALID"] if nonnull else [f"            {var} = None"]

    for i, f in enumerate(fields):
        key = repr(f.key)
        var = f"v{i}"
        namespace[f"F{i}"] = f
        kind = f.kind
        if kind == typename_kind:
            namespace[f"P{i}"] = f.parent_type
            lines.append(f"    {var} = typename if typename is not None else P{i}")
        elif kind == introspection:
            lines.append(f"    if {key} in value:")
            lines.append(f"        out[{key}] = get({key})")
            continue
        else:
            lines.append(f"    {var} = get({key})")
            if f.nonnull:
                lines.append(f"    if {var} is None:")
                lines.append(f"        proj.null_error(F{i}, (path, {key}))")
                lines.append("        return INVALID")
            if kind == enum:
                namespace[f"E{i}"] = f.enum_values
                lines.append(
                    f"    if {var} is not None and ({var}.__class__ is not str or {var} not in E{i}):"
                )
                lines.append(f"        {var} = proj.complete({var}, F{i}, (path, {key}))")
                lines.append(f"        if {var} is INVALID:")
                lines.extend(fail(var, f.nonnull))
            elif kind in (obj, lst):
                lines.append(f"    if {var} is not None:")
                child = child_function(f.obj) if kind == obj else None
                if child is not None:
                    namespace[f"C{i}"] = child
                    namespace[f"T{i}"] = f.obj.static_type
                    lines.append(f"        if {var}.__class__ is dict:")
                    lines.append(f"            {var} = C{i}({var}, (path, {key}), proj, T{i})")
                    lines.append("        else:")
                    lines.append(f"            {var} = proj.complete({var}, F{i}, (path, {key}))")
                elif kind == obj:
                    lines.append(f"        if {var}.__class__ is dict:")
                    lines.append(f"            {var} = proj.object({var}, F{i}.obj, (path, {key}))")
                    lines.append("        else:")
                    lines.append(f"            {var} = proj.complete({var}, F{i}, (path, {key}))")
                else:
                    lines.append(f"        if {var}.__class__ is list:")
                    lines.append(f"            {var} = proj.items({var}, F{i}, (path, {key}))")
                    lines.append("        else:")
                    lines.append(f"            {var} = proj.complete({var}, F{i}, (path, {key}))")
                lines.append(f"        if {var} is INVALID:")
                lines.extend(fail(var, f.nonnull))
            elif kind != scalar:
                raise ValueError(f"unknown field kind {kind}")
        if incremental:
            lines.append(f"    out[{key}] = {var}")
        else:
            outputs.append(f"{key}: {var}")
    if incremental:
        lines.append("    return out")
    else:
        lines.append("    return {" + ", ".join(outputs) + "}")
    code = compile("\n".join(lines), "<govgraph projection>", "exec")
    exec(code, namespace)
    function: ObjectFunction = namespace["project"]
    return function
