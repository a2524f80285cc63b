"""The legacy registry stand-in speaks its own dialect: envelopes, codes, batch endpoints.

Each test sends one request to a live registry over the sample and states the envelope.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from real_estate_sample import FACTORY, FLAT, LI, PLANT, SHOP, WANG, sample_source

from subgraphs.common.datagen import Dataset
from subgraphs.real_estate.legacy_service import registry_path
from subgraphs.real_estate.legacy_service.store import units_by_certificates
from subgraphs.real_estate.seed import seed, write_registry


async def call(base: str, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.request(method, path, **kwargs)
    assert response.status_code == 200  # the registry never uses HTTP error statuses
    body: dict[str, Any] = response.json()
    return body


async def test_health_answers_up_in_the_envelope(legacy_url: str) -> None:
    assert await call(legacy_url, "GET", "/bdc/api/health") == {
        "code": 0,
        "msg": "成功",
        "data": {"status": "UP"},
    }


async def test_units_by_certificate_come_back_in_request_order_without_unknown_ones(
    legacy_url: str,
) -> None:
    body = await call(
        legacy_url,
        "POST",
        "/bdc/api/bdcdy/queryByZsh",
        json={"zshList": [PLANT, "辽(2000)铁岭市不动产权第9999999号", FLAT]},
    )
    assert body["code"] == 0
    assert [u["bdcqzh"] for u in body["data"]] == [PLANT, FLAT]
    flat = body["data"][1]
    assert flat == {
        "bdcqzh": FLAT,
        "zl": "银州区银州路12号3单元501室",
        "xzqdm": "211202",
        "ytdm": "10",
        "ytmc": "住宅",
        "jzmj": 89.5,
        "djsj": "2021-03-04 00:00:00",
        "zddm": "211202001001GB00001",
        "zdxx": {"zddm": "211202001001GB00001", "tdyt": "城镇住宅用地", "zdmj": 1200.0},
        "dyzt": "1",
        "cfzt": "0",
        "qlrxx": [
            {"qlrlb": "1", "zjzl": "1", "zjh": WANG, "qlbl": "50%"},
            {"qlrlb": "1", "zjzl": "1", "zjh": LI, "qlbl": "50%"},
        ],
        "cfxx": [],
    }


async def test_units_by_owner_cover_persons_and_enterprises(legacy_url: str) -> None:
    body = await call(
        legacy_url, "POST", "/bdc/api/bdcdy/queryByQlr", json={"zjhList": [WANG, FACTORY]}
    )
    assert sorted(u["bdcqzh"] for u in body["data"]) == sorted([FLAT, SHOP, PLANT])


async def test_list_filters_by_division_and_usage_and_pages(legacy_url: str) -> None:
    body = await call(legacy_url, "GET", "/bdc/api/bdcdy/list?xzqdm=211202&page=2&size=1")
    assert body["code"] == 0
    assert (body["data"]["total"], body["data"]["page"], body["data"]["size"]) == (2, 2, 1)
    assert [u["bdcqzh"] for u in body["data"]["list"]] == [FLAT]  # ordered by certificate
    body = await call(legacy_url, "GET", "/bdc/api/bdcdy/list?ytdm=30")
    assert [u["bdcqzh"] for u in body["data"]["list"]] == [PLANT]


async def test_bad_parameters_are_non_zero_codes_with_a_reason(legacy_url: str) -> None:
    assert await call(legacy_url, "GET", "/bdc/api/bdcdy/list?size=1000") == {
        "code": 1001,
        "msg": "参数错误: size 必须是 1 到 100 的整数",
        "data": None,
    }
    body = await call(legacy_url, "POST", "/bdc/api/bdcdy/queryByZsh", content=b"{oops")
    assert body["code"] == 1002
    body = await call(legacy_url, "POST", "/bdc/api/bdcdy/queryByZsh", json={"zshList": "x"})
    assert body["code"] == 1001
    assert (await call(legacy_url, "GET", "/bdc/api/nothing"))["code"] == 1004


async def test_a_seizure_is_stored_and_shows_on_the_unit(legacy_url: str) -> None:
    body = await call(
        legacy_url,
        "POST",
        "/bdc/api/cf/record",
        json={"bdcqzh": SHOP, "cfwh": "(2024)辽1202执123号"},
    )
    assert body["code"] == 0 and body["msg"] == "查封登记成功"
    assert body["data"]["cfzt"] == "1"
    again = await call(legacy_url, "POST", "/bdc/api/bdcdy/queryByZsh", json={"zshList": [SHOP]})
    assert [c["cfwh"] for c in again["data"][0]["cfxx"]] == ["(2024)辽1202执123号"]


async def test_a_seizure_of_an_unknown_certificate_is_code_2001(legacy_url: str) -> None:
    body = await call(
        legacy_url, "POST", "/bdc/api/cf/record", json={"bdcqzh": "nope", "cfwh": "x"}
    )
    assert body == {"code": 2001, "msg": "不动产权证号不存在: nope", "data": None}


def test_the_generated_dataset_seeds_a_registry_the_service_reads(
    tmp_path: Path, small_dataset: Dataset
) -> None:
    dataset = small_dataset
    written = asyncio.run(seed(dataset, str(tmp_path)))
    properties = list(dataset.properties())
    assert written == len(list(dataset.parcels())) + len(properties)
    first = properties[0]
    [unit] = units_by_certificates(tmp_path / "registry.db", [first.certificate_number])
    assert unit["zl"] == first.address
    assert [o["zjh"] for o in unit["qlrxx"]] == [o.owner_id for o in first.owners]


async def test_an_oversized_body_is_a_parameter_error_not_a_system_error(legacy_url: str) -> None:
    body = await call(
        legacy_url, "POST", "/bdc/api/bdcdy/queryByZsh",
        content=b'{"zshList": ["' + b"x" * 2_000_000 + b'"]}',
        headers={"content-type": "application/json"},
    )  # fmt: skip
    assert body == {"code": 1001, "msg": "参数错误: 请求体过大", "data": None}


async def test_reseeding_under_a_running_registry_serves_the_new_data(
    legacy_url: str, data_dir: Path
) -> None:
    source = sample_source()
    source.property_records.pop(0)  # FLAT is gone from the new data
    write_registry(source, registry_path(data_dir).parent)
    body = await call(
        legacy_url, "POST", "/bdc/api/bdcdy/queryByZsh", json={"zshList": [FLAT, SHOP]}
    )
    assert [u["bdcqzh"] for u in body["data"]] == [SHOP]
