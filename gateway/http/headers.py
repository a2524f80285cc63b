"""Header values as the client wrote them."""

from __future__ import annotations

__all__ = ["header_text"]


def header_text(value: str | None) -> str | None:
    """HTTP carries header bytes, which Starlette decodes as latin-1, while clients send a
    purpose or case number in Chinese as UTF-8: undo the one to apply the other."""
    if not value:
        return None
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value
