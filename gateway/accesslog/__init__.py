"""The tamper-evident access log: who read which fields of whose data, when and why."""

from __future__ import annotations

from .base import AccessLog, AccessLogError, GroupCommit, visible_to_citizen
from .chain import GENESIS, ChainHasher, Head, VerifyReport, verify_chain
from .factory import KEY_ENV, default_log_path, log_key_from_env, open_access_log
from .file_log import FileAccessLog
from .postgres_log import PostgresAccessLog
from .record import DECISIONS, AccessRecord, StoredRecord, utc_now_iso

__all__ = [
    "DECISIONS",
    "GENESIS",
    "KEY_ENV",
    "AccessLog",
    "AccessLogError",
    "AccessRecord",
    "ChainHasher",
    "FileAccessLog",
    "GroupCommit",
    "Head",
    "PostgresAccessLog",
    "StoredRecord",
    "VerifyReport",
    "default_log_path",
    "log_key_from_env",
    "open_access_log",
    "utc_now_iso",
    "verify_chain",
    "visible_to_citizen",
]
