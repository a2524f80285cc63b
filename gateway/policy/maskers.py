"""Maskers: how a personal value is shown to a caller who lacks the grant for the full value."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["MASKERS", "mask_value"]


def _id_number(text: str) -> str:
    # GB 11643: keep the division code (6) and the last 4, as printed on service counters.
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def _phone(text: str) -> str:
    if len(text) < 8:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def _name(text: str) -> str:
    if len(text) <= 1:
        return "*"
    return text[0] + "*" * (len(text) - 1)


def _address(text: str) -> str:
    # Keep the administrative part (province, city, district or county) and hide the rest;
    # search only the head, so a street named 红旗街 or 县前路 never widens what is shown.
    head = text[:12]
    county = min((i for i in (head.find("区"), head.find("县")) if i >= 0), default=-1)
    cut = county if county >= 0 else max(head.rfind("市"), head.rfind("省"))
    if cut < 0:
        return text[:2] + "****" if len(text) > 4 else "****"
    return text[: cut + 1] + "****"


def _redact(text: str) -> str:
    return "****"


MASKERS: dict[str, Callable[[str], str]] = {
    "id_number": _id_number,
    "phone": _phone,
    "name": _name,
    "address": _address,
    "redact": _redact,
}


def mask_value(masker: str, value: object) -> object:
    """Mask ``value``; a value that is not text becomes null rather than leak unmasked."""
    if value is None:
        return None
    if isinstance(value, list):
        return [mask_value(masker, item) for item in value]
    if not isinstance(value, str):
        return None
    return MASKERS[masker](value)
