"""The legacy registry's wire conventions: the JSON envelope, result codes and code tables.

Every answer is HTTP 200 with ``{"code": <int>, "msg": <str>, "data": <any>}``; ``code`` 0
means success and anything else is a failure whose ``msg`` says why (in Chinese, as the
real system does). Callers must look at ``code``, never at the HTTP status.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

__all__ = [
    "ID_CARD",
    "MAX_BATCH",
    "MAX_PAGE_SIZE",
    "OWNER_KIND_CODES",
    "OWNER_KIND_NAMES",
    "USAGE_CODES",
    "USAGE_NAMES",
    "USCC",
    "LegacyCode",
    "LegacyFault",
    "envelope",
]


MAX_BATCH = 500  # keys per batch request
MAX_PAGE_SIZE = 100  # rows per list page


class LegacyCode(IntEnum):
    """Result codes of the registry (``code`` in the envelope)."""

    OK = 0
    BAD_PARAMETER = 1001  # 参数错误
    BAD_JSON = 1002  # 请求体不是合法的JSON
    NO_SUCH_ENDPOINT = 1004  # 接口不存在
    NOT_FOUND = 2001  # 不动产权证号不存在
    SYSTEM_ERROR = 9999  # 系统内部错误


class LegacyFault(Exception):
    """A request the registry refuses; becomes an envelope with a non-zero code."""

    def __init__(self, code: LegacyCode, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


def envelope(
    data: Any = None, *, code: LegacyCode = LegacyCode.OK, msg: str = "成功"
) -> dict[str, Any]:
    return {"code": int(code), "msg": msg, "data": data}


# 用途 (usage) code table: graph enum value <-> registry code; the registry also returns
# the Chinese name next to the code (ytmc), as the real system does.
USAGE_CODES: dict[str, str] = {
    "RESIDENTIAL": "10",
    "COMMERCIAL": "20",
    "INDUSTRIAL": "30",
    "AGRICULTURAL": "40",
}
USAGE_NAMES: dict[str, str] = {"10": "住宅", "20": "商业服务", "30": "工业", "40": "农业"}

# 权利人类别 (owner kind): 1 个人 (natural person), 2 企业 (enterprise).
OWNER_KIND_CODES: dict[str, str] = {"PERSON": "1", "ENTERPRISE": "2"}
OWNER_KIND_NAMES: dict[str, str] = {code: kind for kind, code in OWNER_KIND_CODES.items()}

# 证件种类 (document kind) of the owner's identifier.
ID_CARD = "1"  # 居民身份证
USCC = "8"  # 统一社会信用代码
