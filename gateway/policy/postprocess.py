"""Post-processing: row-level checks, masking and data-subject collection on the raw data.

Runs on the merged response tree (response keys of the filtered operation, before
shaping) and is driven only by the decision's :class:`SelectionPlan`. Every object is
rebuilt from the released keys alone: hidden row fields, join keys the planner added and
fields authorize() removed are dropped here, so a value can only reach the client if it
was released. An entity failing its row conditions becomes null with an error at its path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gateway.policy.conditions import MISSING, Condition, evaluate_condition
from gateway.policy.maskers import mask_value
from gateway.policy.release import FieldEntry, FragmentEntry, Release, SelectionPlan

__all__ = ["DataSubject", "PostProcessResult", "post_process_tree"]

ROW_DENIED = "UNAUTHORIZED_ROW"


@dataclass(frozen=True, slots=True)
class DataSubject:
    """A person (or other subject) whose personal data the response carries."""

    type_name: str
    field: str
    value: str


@dataclass(frozen=True, slots=True)
class PostProcessResult:
    data: dict[str, Any] | None
    errors: list[dict[str, Any]]
    data_subjects: frozenset[str] = frozenset()  # the subjects' identifiers, for the log
    subjects: tuple[DataSubject, ...] = ()  # the same, with type and field
    masked_fields: frozenset[str] = frozenset()
    denied_rows: int = 0


class _Denied:
    pass


_Collected = tuple[
    dict[str, list[FieldEntry]],
    dict[str, tuple[str, ...]],
    set[tuple[str, str]],
    tuple[Condition, ...] | None,
]


_DENIED = _Denied()
_VALUES = "values"  # the key under which _Walk._results remembers whose values it holds


@dataclass
class _Walk:
    claims: Mapping[str, object]
    errors: list[dict[str, Any]] = field(default_factory=list)
    subjects: dict[tuple[str, str, str], None] = field(default_factory=dict)
    masked: set[str] = field(default_factory=set)
    denied_rows: int = 0
    memo: dict[tuple[tuple[int, ...], str], _Collected] = field(default_factory=dict)
    _results: dict[object, Any] = field(default_factory=dict)

    def collect(self, plans: list[SelectionPlan], type_name: str) -> _Collected:
        # Lists repeat the same selection for every element: collect once per shape.
        key = (tuple(id(plan) for plan in plans), type_name)
        collected = self.memo.get(key)
        if collected is None:
            collected = self.memo[key] = self._collect(plans, type_name)
        return collected

    def _collect(self, plans: list[SelectionPlan], type_name: str) -> _Collected:
        fields: dict[str, list[FieldEntry]] = {}
        rows: dict[str, tuple[str, ...]] = {}
        subjects: set[tuple[str, str]] = set()
        gate: tuple[Condition, ...] | None = None
        pending = list(plans)
        while pending:
            plan = pending.pop(0)
            rows.update(plan.row_paths)
            subjects.update(plan.subjects)
            if plan.row_gate is not None and plan.type_name == type_name:
                gate = plan.row_gate if gate is None else (*gate, *plan.row_gate)
            for entry in plan.entries:
                if isinstance(entry, FragmentEntry):
                    if entry.possible_types is None or type_name in entry.possible_types:
                        pending.append(entry.plan)
                else:
                    fields.setdefault(entry.response_key, []).append(entry)
        return fields, rows, subjects, gate

    def value(self, value: Any, entries: list[FieldEntry], path: list[str | int]) -> Any:
        if value is None:
            return None
        if isinstance(value, list):
            items = []
            for index, item in enumerate(value):
                walked = self.value(item, entries, [*path, index])
                items.append(None if walked is _DENIED else walked)
            return items
        if not isinstance(value, dict):
            return None  # an object field whose data is not an object: drop, never pass
        plans = [entry.child for entry in entries if entry.child is not None]
        abstract = any(entry.child_abstract for entry in entries)
        result = self.walk_object(value, plans, abstract, path)
        return None if result is _DENIED else result

    def walk_object(
        self,
        obj: dict[str, Any],
        plans: list[SelectionPlan],
        abstract: bool,
        path: list[str | int],
    ) -> dict[str, Any] | _Denied:
        type_name = obj.get("__typename") if abstract else plans[0].type_name
        if not isinstance(type_name, str):
            self.errors.append(
                _error("Cannot authorize an object without __typename", path, ROW_DENIED)
            )
            self.denied_rows += 1
            return _DENIED
        fields, rows, subjects, gate = self.collect(plans, type_name)
        values = {row_path: _read(obj, alias, row_path) for alias, row_path in rows.items()}
        for key, entries in fields.items():
            if key not in obj:
                continue  # skipped or not fetched: nothing of it is released, no row to check
            for entry in entries:
                release = entry.release
                if release is None or release.row_any is None:
                    continue
                if not self.any_holds(release.row_any, values):
                    self.denied_rows += 1
                    self.errors.append(
                        _error(
                            f"Not authorized to read this {type_name} "
                            f"(row-level policy on {release.coordinate})",
                            path,
                            ROW_DENIED,
                        )
                    )
                    return _DENIED
        if gate is not None and not self.any_holds(gate, values):
            # Row-protected type: no grant of the caller shows this row, whatever is selected.
            self.denied_rows += 1
            self.errors.append(
                _error(
                    f"Not authorized to read this {type_name} (row-level policy on {type_name})",
                    path,
                    ROW_DENIED,
                )
            )
            return _DENIED
        out: dict[str, Any] = {}
        if "__typename" in obj:
            out["__typename"] = type_name
        personal = False
        for key, entries in fields.items():
            if key not in obj:
                continue
            first = entries[0]
            if first.field_name == "__typename":
                out[key] = type_name  # computed, never copied: the raw key may hold a join key
                continue
            if first.release is None and first.child is None:
                out[key] = obj[key]  # introspection
                continue
            if first.release is not None and first.release.personal:
                personal = True
            if first.child is not None:
                out[key] = self.value(obj[key], entries, [*path, key])
            else:
                out[key] = self.leaf(obj[key], first.release, values)
        if personal:
            for alias, subject_field in subjects:
                value = obj.get(alias)
                # A subject reached through a path (``applicant.idNumber``) arrives nested.
                for step in subject_field.split(".")[1:]:
                    value = value.get(step) if isinstance(value, dict) else None
                if isinstance(value, str | int):
                    self.subjects[(type_name, subject_field, str(value))] = None
        return out

    def any_holds(
        self, conditions: tuple[Condition, ...], values: Mapping[tuple[str, ...], object]
    ) -> bool:
        # Fields released by the same grants share conditions: evaluate each once per object.
        results = self._results
        if results.get(_VALUES) is not values:
            results.clear()
            results[_VALUES] = values
        outcome = []
        for condition in conditions:
            held = results.get(id(condition))
            if held is None:
                held = results[id(condition)] = (
                    evaluate_condition(condition, values, self.claims) is True
                )
            outcome.append(held)
        return any(outcome)

    def leaf(
        self, value: Any, release: Release | None, values: Mapping[tuple[str, ...], object]
    ) -> Any:
        if release is None or release.mask is None or value is None:
            return value
        if self.any_holds(release.unmask_any, values):
            return value
        self.masked.add(release.coordinate)
        return mask_value(release.mask, value)


def _read(obj: Mapping[str, Any], alias: str, path: tuple[str, ...]) -> object:
    value: object = obj.get(alias, MISSING)
    for part in path[1:]:
        value = value.get(part, MISSING) if isinstance(value, dict) else MISSING
    return value


def _error(message: str, path: list[str | int], code: str) -> dict[str, Any]:
    return {"message": message, "path": list(path), "extensions": {"code": code}}


def post_process_tree(
    plan: SelectionPlan,
    claims: Mapping[str, object],
    data: dict[str, Any] | None,
    errors: list[dict[str, Any]],
) -> PostProcessResult:
    """Apply the released plan to ``data``; never raises for odd data, it drops it."""
    if data is None:
        return PostProcessResult(None, list(errors))
    walk = _Walk(claims)
    result = walk.walk_object(data, [plan], False, [])
    out = None if isinstance(result, _Denied) else result
    return PostProcessResult(
        out,
        [*errors, *walk.errors],
        frozenset(value for _, _, value in walk.subjects),
        tuple(DataSubject(*key) for key in walk.subjects),
        frozenset(walk.masked),
        walk.denied_rows,
    )
