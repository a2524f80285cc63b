"""The registry's HTTP endpoints (aiohttp): decode, validate, call the store, wrap in the envelope.

Endpoints (all answer HTTP 200 with the envelope of ``protocol.py``)::

    GET  /bdc/api/health                                      {"status": "UP"}
    POST /bdc/api/bdcdy/queryByZsh  {"zshList": [bdcqzh…]}    [unit…]  (unknown ones absent)
    POST /bdc/api/bdcdy/queryByQlr  {"zjhList": [zjh…]}       [unit…]  (any listed owner)
    GET  /bdc/api/bdcdy/list?xzqdm=&ytdm=&page=1&size=20      {"total", "page", "size", "list"}
    POST /bdc/api/cf/record         {"bdcqzh", "cfwh"}        unit, after the seizure

Batch lists hold at most ``MAX_BATCH`` entries and ``size`` at most ``MAX_PAGE_SIZE``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from . import store
from .protocol import MAX_BATCH, MAX_PAGE_SIZE, USAGE_NAMES, LegacyCode, LegacyFault, envelope

__all__ = ["MAX_BATCH", "MAX_PAGE_SIZE", "create_legacy_app", "registry_path"]

log = logging.getLogger("govgraph.real_estate.legacy")

_DB_KEY = web.AppKey("db_path", Path)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def registry_path(data_dir: Path) -> Path:
    """Where the registry keeps its database under a data directory."""
    return data_dir / "real_estate" / "registry.db"


def _reply(payload: dict[str, Any]) -> web.Response:
    return web.json_response(payload, dumps=lambda obj: json.dumps(obj, ensure_ascii=False))


@web.middleware
async def _envelope_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    # The legacy system never answers with an HTTP error status: faults are envelope codes.
    try:
        return await handler(request)
    except LegacyFault as fault:
        return _reply(envelope(code=fault.code, msg=fault.msg))
    except web.HTTPNotFound:
        return _reply(envelope(code=LegacyCode.NO_SUCH_ENDPOINT, msg="接口不存在"))
    except web.HTTPMethodNotAllowed:
        return _reply(envelope(code=LegacyCode.NO_SUCH_ENDPOINT, msg="请求方法不支持"))
    except Exception:
        log.exception("registry request failed: %s %s", request.method, request.path)
        return _reply(envelope(code=LegacyCode.SYSTEM_ERROR, msg="系统内部错误"))


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError) as exc:
        raise LegacyFault(LegacyCode.BAD_JSON, "请求体不是合法的JSON") from exc
    except web.HTTPRequestEntityTooLarge as exc:
        raise LegacyFault(LegacyCode.BAD_PARAMETER, "参数错误: 请求体过大") from exc
    if not isinstance(body, dict):
        raise LegacyFault(LegacyCode.BAD_JSON, "请求体必须是JSON对象")
    return body


def _string_list(body: dict[str, Any], name: str) -> list[str]:
    values = body.get(name)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise LegacyFault(LegacyCode.BAD_PARAMETER, f"参数错误: {name} 必须是字符串数组")
    if len(values) > MAX_BATCH:
        raise LegacyFault(LegacyCode.BAD_PARAMETER, f"参数错误: {name} 最多 {MAX_BATCH} 个")
    return values


def _int_param(request: web.Request, name: str, default: int, high: int) -> int:
    raw = request.query.get(name, str(default))
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        raise LegacyFault(LegacyCode.BAD_PARAMETER, f"参数错误: {name} 必须是 1 到 {high} 的整数")
    return int(raw)


async def _health(request: web.Request) -> web.Response:
    return _reply(envelope({"status": "UP"}))


async def _by_certificates(request: web.Request) -> web.Response:
    certificates = _string_list(await _json_body(request), "zshList")
    rows = await asyncio.to_thread(store.units_by_certificates, request.app[_DB_KEY], certificates)
    return _reply(envelope(rows))


async def _by_owners(request: web.Request) -> web.Response:
    owner_ids = _string_list(await _json_body(request), "zjhList")
    rows = await asyncio.to_thread(store.units_by_owners, request.app[_DB_KEY], owner_ids)
    return _reply(envelope(rows))


async def _list(request: web.Request) -> web.Response:
    county = request.query.get("xzqdm") or None
    usage = request.query.get("ytdm") or None
    if county is not None and not (len(county) == 6 and county.isdigit()):
        raise LegacyFault(LegacyCode.BAD_PARAMETER, "参数错误: xzqdm 必须是6位行政区划代码")
    if usage is not None and usage not in USAGE_NAMES:
        raise LegacyFault(LegacyCode.BAD_PARAMETER, "参数错误: ytdm 不在用途代码表中")
    page = _int_param(request, "page", 1, 1_000_000)
    size = _int_param(request, "size", 20, MAX_PAGE_SIZE)
    data = await asyncio.to_thread(
        store.list_units, request.app[_DB_KEY], county=county, usage=usage, page=page, size=size
    )
    return _reply(envelope(data))


async def _record_seizure(request: web.Request) -> web.Response:
    body = await _json_body(request)
    certificate, decision = body.get("bdcqzh"), body.get("cfwh")
    if not isinstance(certificate, str) or not certificate.strip():
        raise LegacyFault(LegacyCode.BAD_PARAMETER, "参数错误: bdcqzh 不能为空")
    if not isinstance(decision, str) or not decision.strip():
        raise LegacyFault(LegacyCode.BAD_PARAMETER, "参数错误: cfwh 不能为空")
    row = await asyncio.to_thread(
        store.record_seizure, request.app[_DB_KEY], certificate.strip(), decision.strip()
    )
    log.info("seizure recorded on %s by %s", certificate, decision)
    return _reply(envelope(row, msg="查封登记成功"))


def create_legacy_app(db_path: Path) -> web.Application:
    """The registry service over the SQLite database at ``db_path``."""
    app = web.Application(middlewares=[_envelope_faults])
    app[_DB_KEY] = db_path
    app.router.add_get("/bdc/api/health", _health)
    app.router.add_post("/bdc/api/bdcdy/queryByZsh", _by_certificates)
    app.router.add_post("/bdc/api/bdcdy/queryByQlr", _by_owners)
    app.router.add_get("/bdc/api/bdcdy/list", _list)
    app.router.add_post("/bdc/api/cf/record", _record_seizure)
    return app
