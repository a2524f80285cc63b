"""Spec: subgraph fetches and entities are cached per authorization context, through the
real pipeline, planner, executor and policy, over counting subgraphs on loopback."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import pytest
from cache_graph import BROKEN, CACHE_CONTROL, CALLS, FAULTS
from cache_instance import OFFICER_A, OFFICER_A2, OFFICER_B, Instance
from support.servers import free_port

from gateway.caching import CacheSettings

Make = Callable[[CacheSettings], Awaitable[Instance]]

PERSON_A = "211221199003074518"
PERSON = '{ person(idNumber: "%s") { name phone } }'
ENTERPRISES = "{ enterprises { name representative { name } } }"


@pytest.fixture(params=["memory", "redis"])
def settings(request: pytest.FixtureRequest) -> CacheSettings:
    """Entity caching on, in memory or in the real Redis, under a key prefix of its own."""
    if request.param == "memory":
        prefix = request.getfixturevalue("memory_prefix")
        return CacheSettings(entities=True, prefix=prefix)
    redis_url = request.getfixturevalue("redis_url")
    prefix = request.getfixturevalue("prefix")
    return CacheSettings(entities=True, url=redis_url, prefix=prefix)


async def test_a_repeated_query_is_answered_without_calling_the_subgraphs_again(
    make: Make, settings: CacheSettings
) -> None:
    gateway = await make(settings)
    first = await gateway.run(ENTERPRISES)
    calls = dict(CALLS)
    second = await gateway.run(ENTERPRISES)
    assert second.to_dict() == first.to_dict()
    assert CALLS["population"] == calls["population"] == 1
    assert CALLS["market"] == calls["market"] == 1
    assert gateway.layer.stats.fetches.subgraph_calls_saved == 2


async def test_callers_with_different_grants_never_share_an_entry(
    make: Make, settings: CacheSettings
) -> None:
    # "authorization" is the loosest partition that is not "shared": even there, officers
    # of two counties (the policy reads their county) have different fingerprints.
    gateway = await make(settings.model_copy(update={"default_scope": "authorization"}))
    await gateway.run(PERSON % PERSON_A, OFFICER_A)
    await gateway.run(PERSON % PERSON_A, OFFICER_B)
    assert CALLS["population.person"] == 2
    assert gateway.layer.stats.fetches.hits == 0


async def test_by_default_each_caller_has_entries_of_their_own(make: Make) -> None:
    # The gateway signs the subject into every subgraph call, so a subgraph may answer by
    # it: by default even two officers with identical grants do not share.
    gateway = await make(CacheSettings(entities=True))
    await gateway.run(PERSON % PERSON_A, OFFICER_A)
    await gateway.run(PERSON % PERSON_A, OFFICER_A2)
    assert CALLS["population.person"] == 2


async def test_callers_with_the_same_authorization_share_where_configured(make: Make) -> None:
    gateway = await make(CacheSettings(entities=True, default_scope="authorization"))
    await gateway.run(PERSON % PERSON_A, OFFICER_A)
    await gateway.run(PERSON % PERSON_A, OFFICER_A2)
    assert CALLS["population.person"] == 1


async def test_a_registry_declared_shared_is_fetched_once_for_every_caller(make: Make) -> None:
    gateway = await make(CacheSettings(entities=True, subgraph_scopes={"market": "shared"}))
    await gateway.run(ENTERPRISES, OFFICER_A)
    await gateway.run(ENTERPRISES, OFFICER_B)
    assert CALLS["market"] == 1
    assert CALLS["population"] == 2  # Person stays per caller


async def test_a_policy_edit_makes_every_earlier_entry_unreachable(
    make: Make, policies: Path
) -> None:
    gateway = await make(CacheSettings(entities=True))
    await gateway.run(PERSON % PERSON_A)
    scopes = policies / "scopes.yaml"
    scopes.write_text(scopes.read_text() + "  census:reader: added by the security officer\n")
    await gateway.run(PERSON % PERSON_A)
    assert CALLS["population.person"] == 2


async def test_only_the_representations_missing_from_the_cache_are_sent_in_order(
    make: Make,
) -> None:
    gateway = await make(CacheSettings(entities=True))
    first = await gateway.run(ENTERPRISES)
    assert CALLS["population.entity"] == 2  # two persons, de-duplicated by the executor
    await gateway.layer.invalidate_entity("Person", {"idNumber": "211202198512121236"})
    again = await gateway.run(ENTERPRISES)
    assert CALLS["population.entity"] == 3  # only the invalidated one was sent
    assert again.to_dict() == first.to_dict()


async def test_a_repeated_entity_fetch_is_read_back_whole_and_rebuilt_after_an_invalidation(
    make: Make, settings: CacheSettings
) -> None:
    # Each entity has its entry, and the fetch's whole answer one more: a repeated fetch
    # reads that one entry instead of one per representation.
    gateway = await make(settings)
    read: list[str] = []
    get_many = gateway.layer.store.get_many

    async def spy(keys: Sequence[str]) -> list[bytes | None]:
        read.extend(keys)
        return await get_many(keys)

    gateway.layer.store.get_many = spy  # type: ignore[method-assign]

    def entries(keys: list[str]) -> set[str]:
        return {k for k in keys if ":e:" in k and ":gen:" not in k}

    first = await gateway.run(ENTERPRISES)
    entity_keys = entries(read)
    assert len(entity_keys) == 2
    read.clear()
    assert (await gateway.run(ENTERPRISES)).to_dict() == first.to_dict()
    assert not entries(read)
    assert gateway.layer.stats.entities.hits == 2

    # One entity invalidated: the whole answer is stale, the other entity is not.
    await gateway.layer.invalidate_entity("Person", {"idNumber": "211202198512121236"})
    read.clear()
    assert (await gateway.run(ENTERPRISES)).to_dict() == first.to_dict()
    assert entries(read) == entity_keys
    assert CALLS["population.entity"] == 3
    read.clear()
    assert (await gateway.run(ENTERPRISES)).to_dict() == first.to_dict()
    assert not entries(read)
    assert CALLS["population.entity"] == 3


async def test_an_entity_whose_fetch_failed_is_never_cached(make: Make) -> None:
    FAULTS.add("enterprise")
    gateway = await make(CacheSettings(entities=True))
    await gateway.run(ENTERPRISES)
    await gateway.run(ENTERPRISES)
    # The two good persons came from the cache; the broken one was asked for twice.
    assert CALLS["population.entity"] == 3 + 1
    assert gateway.layer.stats.entities.uncacheable == 2


async def test_a_root_fetch_answered_with_errors_is_never_cached(make: Make) -> None:
    gateway = await make(CacheSettings(entities=True))
    first = await gateway.run(PERSON % BROKEN)
    await gateway.run(PERSON % BROKEN)
    assert first.errors
    assert CALLS["population.person"] == 2
    assert gateway.layer.stats.fetches.stores == 0


async def test_an_answer_the_subgraph_marks_no_store_is_not_cached(make: Make) -> None:
    CACHE_CONTROL["population"] = "no-store"
    gateway = await make(CacheSettings(entities=True))
    await gateway.run(PERSON % PERSON_A)
    await gateway.run(PERSON % PERSON_A)
    assert CALLS["population.person"] == 2


async def test_a_private_answer_is_cached_only_where_entries_are_per_caller(make: Make) -> None:
    CACHE_CONTROL["population"] = "private, max-age=30"
    shared = await make(CacheSettings(entities=True, default_scope="authorization"))
    await shared.run(PERSON % PERSON_A)
    await shared.run(PERSON % PERSON_A)
    assert CALLS["population.person"] == 2
    per_caller = await make(CacheSettings(entities=True, default_scope="caller"))
    await per_caller.run(PERSON % PERSON_A)
    await per_caller.run(PERSON % PERSON_A)
    assert CALLS["population.person"] == 3


async def test_a_mutation_is_never_cached_and_invalidates_the_entities_it_returns(
    make: Make, settings: CacheSettings
) -> None:
    gateway = await make(settings)
    before = await gateway.run(PERSON % PERSON_A)
    await gateway.run(PERSON % PERSON_A)
    assert CALLS["population.person"] == 1
    mutation = 'mutation { updatePhone(idNumber: "%s", phone: "13800000000") { idNumber } }'
    await gateway.run(mutation % PERSON_A)
    await gateway.run(mutation % PERSON_A)
    assert CALLS["population.updatePhone"] == 2
    after = await gateway.run(PERSON % PERSON_A)
    assert CALLS["population.person"] == 2
    assert before.data == {"person": {"name": "李**", "phone": "138****5678"}}
    assert after.data == {"person": {"name": "李**", "phone": "138****0000"}}


async def test_invalidating_a_type_reaches_every_entry_that_touches_it(
    make: Make, settings: CacheSettings
) -> None:
    gateway = await make(settings)
    await gateway.run(ENTERPRISES)
    await gateway.layer.invalidate_type("Enterprise")
    await gateway.run(ENTERPRISES)
    assert CALLS["market"] == 2
    assert CALLS["population"] == 1  # Person entries do not touch Enterprise


async def test_identical_fetches_in_flight_make_one_subgraph_call(make: Make) -> None:
    gateway = await make(CacheSettings(entities=True, dedup=True))
    responses = await asyncio.gather(*(gateway.run(PERSON % PERSON_A) for _ in range(8)))
    assert CALLS["population.person"] == 1
    assert all(r.to_dict() == responses[0].to_dict() for r in responses)
    assert gateway.layer.stats.fetches.deduplicated == 7


async def test_in_flight_sharing_never_hands_one_request_another_requests_objects(
    make: Make,
) -> None:
    # Post-processing masks in place: shared objects would be masked twice.
    gateway = await make(CacheSettings(entities=False, dedup=True))
    responses = await asyncio.gather(*(gateway.run(PERSON % PERSON_A) for _ in range(4)))
    assert [r.data for r in responses] == [{"person": {"name": "李**", "phone": "138****5678"}}] * 4


async def test_with_redis_down_requests_are_served_and_the_failure_is_counted_and_logged_once(
    make: Make, memory_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"
    gateway = await make(CacheSettings(entities=True, url=closed, prefix=memory_prefix))
    with caplog.at_level(logging.WARNING, logger="govgraph.cache"):
        first = await gateway.run(PERSON % PERSON_A)
        second = await gateway.run(PERSON % PERSON_A)
    assert first.data == second.data == {"person": {"name": "李**", "phone": "138****5678"}}
    assert CALLS["population.person"] == 2
    stats = gateway.layer.stats
    assert stats.errors >= 1
    assert stats.skipped >= 1
    assert len([r for r in caplog.records if "failed" in r.getMessage()]) == 1


async def test_two_instances_share_one_redis_fill_through_one_hit_through_the_other(
    make: Make, redis_url: str, prefix: str
) -> None:
    settings = CacheSettings(entities=True, url=redis_url, prefix=prefix)
    first, second = await make(settings), await make(settings)
    filled = await first.run(ENTERPRISES)
    calls = dict(CALLS)
    served = await second.run(ENTERPRISES)
    assert served.to_dict() == filled.to_dict()
    assert CALLS["market"] == calls["market"] == 1
    assert second.layer.stats.fetches.hits == 1
    assert second.layer.stats.entities.hits == 2


async def test_an_entity_invalidated_through_one_instance_is_refetched_by_the_other(
    make: Make, redis_url: str, prefix: str
) -> None:
    settings = CacheSettings(entities=True, url=redis_url, prefix=prefix)
    first, second = await make(settings), await make(settings)
    await first.run(ENTERPRISES)
    await first.layer.invalidate_entity("Person", {"idNumber": PERSON_A})
    resolved = CALLS["population.entity"]
    await second.run(ENTERPRISES)
    assert CALLS["population.entity"] == resolved + 1  # the invalidated one alone


async def test_an_invalidation_in_redis_is_kept_a_day_not_forever(
    make: Make, redis_url: str, prefix: str
) -> None:
    import redis.asyncio as aioredis

    gateway = await make(CacheSettings(entities=True, url=redis_url, prefix=prefix))
    await gateway.layer.invalidate_entity("Person", {"idNumber": PERSON_A})
    client = aioredis.Redis.from_url(redis_url)
    try:
        keys = [k async for k in client.scan_iter(f"{prefix}:gen:*")]
        ttls = [await client.ttl(k) for k in keys]
    finally:
        await client.aclose()
    assert len(keys) == 2  # the entity's generation and its type's aggregates
    assert all(86_000 < ttl <= 86_400 for ttl in ttls)
