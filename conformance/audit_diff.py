"""Say in one line where the data a gateway returned first differs from the expected data."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["first_difference", "normalise"]

_VALUE_LIMIT = 80


def normalise(value: Any) -> Any:
    """Turn node's TAP rendering of arrays (maps keyed 0..n-1) back into lists."""
    if isinstance(value, dict):
        items = {key: normalise(item) for key, item in value.items()}
        keys = list(items)
        if (
            keys
            and all(isinstance(key, int) for key in keys)
            and sorted(keys) == list(range(len(keys)))
        ):
            return [items[index] for index in range(len(keys))]
        return items
    if isinstance(value, list):
        return [normalise(item) for item in value]
    return value


def first_difference(expected: Any, actual: Any) -> str:
    """``"<path>: expected X, got Y"`` for the first difference, or ``"no difference"``.

    ``expected``/``actual`` are the audit's ``{data, errors}`` pairs; ``errors`` is
    ``true``/``false`` when the test cares whether errors came back, else null.
    """
    expected, actual = normalise(expected), normalise(actual)
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = _walk(expected.get("data"), actual.get("data"), "data")
        if found:
            return found
        wanted, got = expected.get("errors"), actual.get("errors")
        if wanted != got:
            if wanted is True:
                return "errors: expected errors, got none"
            if wanted is False:
                return "errors: expected no errors, got errors"
            return f"errors: expected {_show(wanted)}, got {_show(got)}"
        return "no difference"
    return _walk(expected, actual, "") or "no difference"


def _walk(expected: Any, actual: Any, path: str) -> str:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            if key not in actual:
                return f"{path}.{key}: missing, expected {_show(value)}"
            found = _walk(value, actual[key], f"{path}.{key}")
            if found:
                return found
        extra = [key for key in actual if key not in expected]
        if extra:
            return f"{path}: unexpected field(s) {', '.join(map(str, extra))}"
        return ""
    if isinstance(expected, list) and isinstance(actual, list):
        for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
            found = _walk(want, got, f"{path}[{index}]")
            if found:
                return found
        if len(expected) != len(actual):
            return f"{path}: expected {len(expected)} item(s), got {len(actual)}"
        return ""
    if expected != actual or type(expected) is not type(actual):
        return f"{path or '(root)'}: expected {_show(expected)}, got {_show(actual)}"
    return ""


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 1] + "…"
