"""open_access_log: a file path or a ``postgresql://`` URL in, the matching backend out."""

from __future__ import annotations

import os
from pathlib import Path

from .base import AccessLog
from .file_log import FileAccessLog
from .postgres_log import PostgresAccessLog

__all__ = ["KEY_ENV", "default_log_path", "log_key_from_env", "open_access_log"]

KEY_ENV = "GOVGRAPH_ACCESS_LOG_KEY"


def default_log_path() -> Path:
    """``<data>/access-log.jsonl``, with ``<data>`` from ``GOVGRAPH_DATA_DIR`` (default ``data``)."""
    return Path(os.environ.get("GOVGRAPH_DATA_DIR", "data")) / "access-log.jsonl"


def log_key_from_env() -> bytes | None:
    value = os.environ.get(KEY_ENV)
    return value.encode() if value else None


def open_access_log(url_or_path: str | None = None, *, key: bytes | None = None) -> AccessLog:
    """The log at ``url_or_path`` (default ``default_log_path()``), keyed from the environment
    (``GOVGRAPH_ACCESS_LOG_KEY``) unless ``key`` is given."""
    key = key if key is not None else log_key_from_env()
    target = url_or_path or str(default_log_path())
    if target.startswith(("postgresql://", "postgres://", "postgresql+asyncpg://")):
        return PostgresAccessLog(target, key=key)
    if "://" in target and not target.startswith("file://"):
        raise ValueError(
            f"unsupported access log location {target.split('://')[0]}://…: "
            "use a file path or a postgresql:// URL"
        )
    return FileAccessLog(Path(target.removeprefix("file://")), key=key)
