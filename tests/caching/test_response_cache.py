"""Spec: whole responses are cached per authorization context; a hit is logged like a miss,
errors are never cached, and every response leaves with a correct Cache-Control."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from cache_graph import BROKEN, CACHE_CONTROL, CALLS
from cache_instance import OFFICER_A, OFFICER_A2, OFFICER_B, Instance

from gateway.caching import CacheSettings

Make = Callable[[CacheSettings], Awaitable[Instance]]

PERSON_A = "211221199003074518"  # registered in 211221, officer A's county
PERSON = '{ person(idNumber: "%s") { name phone } }'
MASKED_A = {"person": {"name": "李**", "phone": "138****5678"}}
NAMES = "{ enterprises { name } }"
UPDATE_PHONE = 'mutation { updatePhone(idNumber: "%s", phone: "13800000000") { phone } }'


@pytest.fixture(params=["memory", "redis"])
def settings(request: pytest.FixtureRequest) -> CacheSettings:
    if request.param == "memory":
        prefix = request.getfixturevalue("memory_prefix")
        return CacheSettings(responses=True, prefix=prefix)
    redis_url = request.getfixturevalue("redis_url")
    prefix = request.getfixturevalue("prefix")
    return CacheSettings(responses=True, url=redis_url, prefix=prefix)


async def test_a_cached_response_never_reaches_a_caller_with_other_grants(
    make: Make, settings: CacheSettings
) -> None:
    gateway = await make(settings)
    first = await gateway.run(PERSON % PERSON_A, OFFICER_A)
    other = await gateway.run(PERSON % PERSON_A, OFFICER_B)
    again = await gateway.run(PERSON % PERSON_A, OFFICER_A)
    assert first.data == again.data == MASKED_A
    assert other.data == {"person": None}
    assert [e["extensions"]["code"] for e in other.errors] == ["UNAUTHORIZED_ROW"]
    assert CALLS["population.person"] == 2
    assert gateway.layer.stats.responses.hits == 1
    assert gateway.layer.stats.responses.subgraph_calls_saved == 1


async def test_across_two_instances_on_one_redis_responses_partition_by_authorization(
    make: Make, redis_url: str, prefix: str
) -> None:
    settings = CacheSettings(responses=True, url=redis_url, prefix=prefix)
    first, second = await make(settings), await make(settings)
    await first.run(PERSON % PERSON_A, OFFICER_A)
    other = await second.run(PERSON % PERSON_A, OFFICER_B)
    same = await second.run(PERSON % PERSON_A, OFFICER_A)
    assert other.data == {"person": None}
    assert same.data == MASKED_A
    assert second.layer.stats.responses.hits == 1
    assert CALLS["population.person"] == 2


async def test_the_same_grants_share_a_response_only_where_subgraphs_answer_by_authorization(
    make: Make,
) -> None:
    per_caller = await make(CacheSettings(responses=True))
    await per_caller.run(PERSON % PERSON_A, OFFICER_A)
    await per_caller.run(PERSON % PERSON_A, OFFICER_A2)
    assert per_caller.layer.stats.responses.hits == 0
    by_grants = await make(CacheSettings(responses=True, default_scope="authorization"))
    await by_grants.run(PERSON % PERSON_A, OFFICER_A)
    await by_grants.run(PERSON % PERSON_A, OFFICER_A2)
    assert by_grants.layer.stats.responses.hits == 1


async def test_the_purpose_is_part_of_the_key(make: Make) -> None:
    gateway = await make(CacheSettings(responses=True))
    await gateway.run(PERSON % PERSON_A, purpose="DB-2026-1")
    await gateway.run(PERSON % PERSON_A, purpose="DB-2026-2")
    assert gateway.layer.stats.responses.hits == 0


async def test_a_hit_that_releases_personal_fields_is_logged_exactly_like_the_miss(
    make: Make,
) -> None:
    gateway = await make(CacheSettings(responses=True))
    await gateway.run(PERSON % PERSON_A)
    await gateway.run(PERSON % PERSON_A)
    assert gateway.layer.stats.responses.hits == 1
    miss, hit = [stored.record for stored in await gateway.records()]
    assert hit.fields == miss.fields == ("Person.name", "Person.phone")
    assert hit.data_subjects == miss.data_subjects == (PERSON_A,)
    assert (hit.subject, hit.purpose, hit.operation_hash, hit.policy_version) == (
        miss.subject,
        miss.purpose,
        miss.operation_hash,
        miss.policy_version,
    )


async def test_a_response_with_errors_is_never_cached(make: Make, settings: CacheSettings) -> None:
    gateway = await make(settings)
    first = await gateway.run(PERSON % BROKEN)
    await gateway.run(PERSON % BROKEN)
    assert first.errors
    assert CALLS["population.person"] == 2
    assert gateway.layer.stats.responses.stores == 0


async def test_a_policy_edit_makes_cached_responses_unreachable(make: Make, policies: Path) -> None:
    gateway = await make(CacheSettings(responses=True))
    await gateway.run(PERSON % PERSON_A)
    scopes = policies / "scopes.yaml"
    scopes.write_text(scopes.read_text() + "  census:reader: added by the security officer\n")
    await gateway.run(PERSON % PERSON_A)
    assert gateway.layer.stats.responses.hits == 0
    assert CALLS["population.person"] == 2


async def test_a_mutation_makes_the_cached_responses_of_what_it_returned_stale(
    make: Make, settings: CacheSettings
) -> None:
    gateway = await make(settings)
    await gateway.run(PERSON % PERSON_A)
    changed = await gateway.run(UPDATE_PHONE % PERSON_A)
    after = await gateway.run(PERSON % PERSON_A)
    assert changed.cache_control == "no-store"
    assert after.data == {"person": {"name": "李**", "phone": "138****0000"}}
    assert CALLS["population.person"] == 2


async def test_personal_data_is_never_stored_by_browsers_or_proxies(make: Make) -> None:
    gateway = await make(CacheSettings(responses=True))
    miss = await gateway.run(PERSON % PERSON_A)
    hit = await gateway.run(PERSON % PERSON_A)
    assert miss.cache_control == hit.cache_control == "no-store"


async def test_data_that_depends_on_the_caller_is_private_for_the_shortest_lifetime(
    make: Make,
) -> None:
    CACHE_CONTROL["market"] = "max-age=7"
    gateway = await make(CacheSettings(responses=True, entities=True, default_ttl=60))
    miss = await gateway.run(NAMES)
    hit = await gateway.run(NAMES)
    assert miss.cache_control == "private, max-age=7"
    assert hit.cache_control is not None and hit.cache_control.startswith("private, max-age=")
    assert int(hit.cache_control.rsplit("=", 1)[1]) <= 7
    assert gateway.layer.stats.responses.hits == 1


async def test_without_hints_the_configured_lifetime_applies(make: Make) -> None:
    gateway = await make(CacheSettings(entities=True, default_ttl=45))
    response = await gateway.run(NAMES)
    assert response.cache_control == "private, max-age=45"


async def test_a_response_with_errors_is_no_store(make: Make) -> None:
    gateway = await make(CacheSettings())
    response = await gateway.run(PERSON % BROKEN)
    assert response.cache_control == "no-store"


async def test_a_part_marked_no_store_makes_the_whole_response_no_store(make: Make) -> None:
    CACHE_CONTROL["market"] = "no-store"
    gateway = await make(CacheSettings(responses=True))
    response = await gateway.run(NAMES)
    await gateway.run(NAMES)
    assert response.cache_control == "no-store"
    assert gateway.layer.stats.responses.stores == 0


async def test_an_instance_in_dry_run_mode_never_fills_entries_a_filtering_one_reads(
    make: Callable[..., Awaitable[Instance]], redis_url: str, prefix: str
) -> None:
    settings = CacheSettings(responses=True, url=redis_url, prefix=prefix)
    dry_run = await make(settings, "dry-run")
    filtering = await make(settings, "filter")
    unfiltered = await dry_run.run(PERSON % PERSON_A)
    filtered = await filtering.run(PERSON % PERSON_A)
    assert unfiltered.data == {"person": {"name": "李建国", "phone": "13812345678"}}
    assert filtered.data == MASKED_A
    assert filtering.layer.stats.responses.hits == 0


async def test_a_type_configured_to_live_shorter_shortens_the_response(make: Make) -> None:
    gateway = await make(CacheSettings(entities=True, type_ttls={"Enterprise": 20}))
    response = await gateway.run(NAMES)
    assert response.cache_control == "private, max-age=20"
