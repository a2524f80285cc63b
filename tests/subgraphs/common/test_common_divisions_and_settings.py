"""Tieling divisions, environment settings and database URL mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from subgraphs.common.divisions import DIVISIONS, UnknownDivisionError, division
from subgraphs.common.settings import SubgraphSettings, async_url, parse_secret


def test_the_seven_divisions_carry_their_codes_and_chinese_names() -> None:
    assert [(d.code, d.name) for d in DIVISIONS] == [
        ("211202", "银州区"),
        ("211204", "清河区"),
        ("211221", "铁岭县"),
        ("211223", "西丰县"),
        ("211224", "昌图县"),
        ("211281", "调兵山市"),
        ("211282", "开原市"),
    ]
    assert [d.code for d in DIVISIONS if d.urban] == ["211202", "211204"]


def test_an_unknown_division_code_raises_a_clean_error() -> None:
    with pytest.raises(
        UnknownDivisionError, match="'210000' is not a Tieling county-level division"
    ):
        division("210000")


def test_settings_default_to_sqlite_files_under_the_data_dir() -> None:
    s = SubgraphSettings.from_env({"GOVGRAPH_DATA_DIR": "/srv/gg"})
    assert s.population_db_url == "sqlite+aiosqlite:////srv/gg/population.db"
    assert s.civil_affairs_db_url == "sqlite+aiosqlite:////srv/gg/civil_affairs.db"
    assert s.market_regulation_db_url == "sqlite+aiosqlite:////srv/gg/market_regulation.db"
    assert s.social_security_dir == Path("/srv/gg/social_security")
    assert s.real_estate_legacy_url == "http://127.0.0.1:4010"
    assert s.subgraph_secret is None


def test_plain_server_urls_are_mapped_to_the_async_drivers() -> None:
    s = SubgraphSettings.from_env(
        {
            "GOVGRAPH_POPULATION_DB_URL": "postgresql://u@db/pop",
            "GOVGRAPH_CIVIL_AFFAIRS_DB_URL": "mysql://root@db/civil",
            "GOVGRAPH_MARKET_REGULATION_DB_URL": "postgresql+asyncpg://u@db/mr",
        }
    )
    assert s.population_db_url == "postgresql+asyncpg://u@db/pop"
    assert s.civil_affairs_db_url == "mysql+aiomysql://root@db/civil"
    assert s.market_regulation_db_url == "postgresql+asyncpg://u@db/mr"


def test_an_unsupported_database_scheme_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unsupported database scheme 'oracle'"):
        async_url("oracle://db/x")


def test_the_subgraph_secret_is_the_text_bytes_as_the_gateway_signs_with() -> None:
    # Regression: hex-looking secrets (govgraph up makes token_hex(32)) were hex-decoded
    # here while the gateway signs with the text's bytes, so every call was refused.
    assert parse_secret("00" * 32) == b"00" * 32
    assert parse_secret("correct horse") == b"correct horse"
    assert parse_secret("") is None
