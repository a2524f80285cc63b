"""Response shaping: project the merged tree onto exactly what the client selected.

``compile_shape`` runs once per (document, operation) and is cached by the caller;
``ResponseShape.project`` then walks the tree of slot objects, running each object's
generated function (``shape_codegen.py``): one dict lookup per selected field,
``__typename`` from the runtime type, planner-added fields left out, missing values as
null, enum values the API schema does not know turned into null with an error, objects
of a type the API schema does not have (``@inaccessible``) turned into null, and null
propagation as the spec says: a null at a non-null position nulls the nearest nullable
parent, with an error unless an existing error covers that path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import DocumentNode, GraphQLSchema

from gateway.executor.shape_codegen import INVALID
from gateway.executor.shape_compile import (
    ENUM,
    LIST,
    OBJECT,
    SCALAR,
    ObjectShape,
    OperationInfo,
    Position,
    compile_object,
)

__all__ = ["ResponseShape", "compile_shape"]

# A linked path: (parent, key) pairs, built only for object and list children.
_Path = tuple[Any, str | int] | None


_INVALID = INVALID


def compile_shape(
    api_schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> ResponseShape:
    """Compile the client's operation (raises ValueError if it cannot be found)."""
    return ResponseShape(api_schema, OperationInfo(document, operation_name))


class ResponseShape:
    """The compiled selection of one operation; one variant per ``@skip``/``@include`` case."""

    __slots__ = ("_info", "_schema", "_variants")

    def __init__(self, schema: GraphQLSchema, info: OperationInfo) -> None:
        self._schema = schema
        self._info = info
        self._variants: dict[tuple[bool, ...], ObjectShape] = {}
        # Compile the common case now, so the shape is ready (and errors surface) at once.
        defaults = tuple(info.condition_defaults.get(v, False) for v in info.condition_variables)
        self._variants[defaults] = compile_object(schema, info, defaults)

    @property
    def operation_type(self) -> str:
        return self._info.operation.operation.value

    def project(
        self, raw: dict[str, Any] | None, variables: Mapping[str, Any], errors: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        """Shape ``raw`` for the client; appends the errors it finds to ``errors``."""
        if raw is None:
            return None
        key = self._info.variant_key(variables) if self._info.condition_variables else ()
        root = self._variants.get(key)
        if root is None:
            root = self._variants[key] = compile_object(self._schema, self._info, key)
        result = _Projection(errors).object(raw, root, None)
        return None if result is _INVALID else result


class _Projection:
    __slots__ = ("_covered", "_errors", "_prefixes")

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self._errors = errors
        self._covered: set[tuple[Any, ...]] | None = None
        self._prefixes: set[tuple[Any, ...]] = set()

    def object(self, value: dict[str, Any], shape: ObjectShape, path: _Path) -> Any:
        static = shape.static_type
        if static is not None:
            return shape.fn_default(value, path, self, static)
        typename = value.get("__typename")
        function = shape.fn_by_type.get(typename) if typename is not None else None
        if function is None:
            if typename is not None and typename not in shape.api_types:
                return self.hidden_type(shape, path)
            function = shape.fn_default
        return function(value, path, self, typename)

    def hidden_type(self, shape: ObjectShape, path: _Path) -> Any:
        """An object of a type the API schema does not have: a null where it stands."""
        owner = shape.owner
        if owner is None or not owner.nonnull:
            return None
        self.null_error(owner, path)
        return _INVALID

    def complete(self, value: Any, position: Position, path: _Path) -> Any:
        """A non-null ``value`` at ``position``; ``_INVALID`` if it cannot stand there."""
        kind = position.kind
        if kind == OBJECT:
            if type(value) is dict:
                assert position.obj is not None
                return self.object(value, position.obj, path)
            return self.bad_value(position, path, f"Expected an object for {position.type_name}.")
        if kind == LIST:
            if type(value) is not list:
                return self.bad_value(position, path, "Expected a list.")
            return self.items(value, position, path)
        if kind == ENUM:
            # Only strings can be enum values; anything else (a list, an object) is not.
            if type(value) is str and value in position.enum_values:
                return value
            return self.bad_value(
                position, path, f"Enum {position.type_name} has no value {value!r} in this API."
            )
        return value

    def items(self, value: list[Any], position: Position, path: _Path) -> Any:
        item = position.item
        assert item is not None
        kind = item.kind
        nonnull = item.nonnull
        if kind == SCALAR:
            if nonnull and None in value:
                self.null_error(item, (path, value.index(None)), in_list=True)
                return _INVALID
            return value
        if (
            kind == ENUM
            and all(type(v) is str for v in value)
            and item.enum_values.issuperset(value)
        ):
            return value
        obj = item.obj if kind == OBJECT else None
        if obj is not None and obj.static_type is not None:
            return self._object_items(value, obj, nonnull, item, path)
        out: list[Any] = []
        append = out.append
        for index, v in enumerate(value):
            if v is None:
                if nonnull:
                    self.null_error(item, (path, index), in_list=True)
                    return _INVALID
                append(None)
                continue
            if obj is not None and type(v) is dict:
                v = self.object(v, obj, (path, index))
            else:
                v = self.complete(v, item, (path, index))
            if v is _INVALID:
                if nonnull:
                    return _INVALID
                v = None
            append(v)
        return out

    def _object_items(
        self, value: list[Any], obj: ObjectShape, nonnull: bool, item: Position, path: _Path
    ) -> Any:
        """A list of one concrete object type: the common case, with no dispatch per item."""
        function = obj.fn_default
        static = obj.static_type
        out: list[Any] = []
        append = out.append
        for index, v in enumerate(value):
            if v.__class__ is dict:
                v = function(v, (path, index), self, static)
            elif v is None:
                if nonnull:
                    self.null_error(item, (path, index), in_list=True)
                    return _INVALID
            else:
                v = self.complete(v, item, (path, index))
            if v is _INVALID:
                if nonnull:
                    return _INVALID
                v = None
            append(v)
        return out

    def bad_value(self, position: Position, path: _Path, message: str) -> Any:
        self.add_error(message, _unlink(path))
        return _INVALID if position.nonnull else None

    def null_error(self, position: Position, path: _Path, *, in_list: bool = False) -> None:
        flat = _unlink(path)
        if self.is_covered(flat):
            return
        if in_list or not hasattr(position, "parent_type"):
            message = "Cannot return null for a non-null list item."
        else:
            message = (
                f"Cannot return null for non-nullable field {position.parent_type}.{position.name}."  # type: ignore[attr-defined]
            )
        self.add_error(message, flat)

    def is_covered(self, path: list[str | int]) -> bool:
        if self._covered is None:
            self._covered = set()
            for error in self._errors:
                self._remember(error.get("path"))
        key = tuple(path)
        if key in self._prefixes:
            return True
        return any(key[:i] in self._covered for i in range(len(key) + 1))

    def add_error(self, message: str, path: list[str | int]) -> None:
        if self._covered is None:
            self.is_covered(path)
        self._errors.append({"message": message, "path": path})
        self._remember(path)

    def _remember(self, path: Any) -> None:
        if not isinstance(path, list):
            return
        key = tuple(path)
        assert self._covered is not None
        self._covered.add(key)
        for i in range(len(key) + 1):
            self._prefixes.add(key[:i])


def _unlink(path: _Path) -> list[str | int]:
    out: list[str | int] = []
    while path is not None:
        path, key = path
        out.append(key)
    out.reverse()
    return out
