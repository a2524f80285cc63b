"""Spec: cache keys partition by authorization and carry the versions; Cache-Control and
subgraph cache hints are read and written by the rules of docs/caching.md."""

from __future__ import annotations

import pytest

from gateway.caching import (
    CacheDirective,
    CacheSettings,
    CallerContext,
    KeySpace,
    entity_id,
    http_cache_headers,
    response_cache_control,
    subgraph_hint,
)

KEYS = KeySpace("govgraph")
BASE = CallerContext(
    schema_hash="a" * 64,
    policy_version="v1",
    fingerprint="fingerprint-of-officer-a",
    purpose="DB-1",
    subject="officer-a",
    client_id="portal",
)
OPERATION = "op-digest"


def fetch_key(caller: CallerContext, scope: str = "caller") -> str:
    return KEYS.fetch(caller, scope, "population", OPERATION)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "change",
    [
        {"schema_hash": "b" * 64},
        {"policy_version": "v2"},
        {"fingerprint": "f2"},
        {"purpose": "DB-2"},
        {"purpose": None},
    ],
)
def test_a_key_changes_with_the_schema_the_policy_the_fingerprint_and_the_purpose(
    change: dict[str, object],
) -> None:
    other = CallerContext(**{**_fields(BASE), **change})  # type: ignore[arg-type]
    for scope in ("authorization", "caller"):
        assert fetch_key(BASE, scope) != fetch_key(other, scope)


def test_a_caller_scoped_key_also_changes_with_the_signed_subject_and_client() -> None:
    other_subject = CallerContext(**{**_fields(BASE), "subject": "officer-b"})
    other_client = CallerContext(**{**_fields(BASE), "client_id": "province"})
    assert fetch_key(BASE) != fetch_key(other_subject) != fetch_key(other_client)
    assert fetch_key(BASE, "authorization") == fetch_key(other_subject, "authorization")


def test_a_shared_key_ignores_the_caller_but_not_the_versions() -> None:
    stranger = CallerContext(schema_hash=BASE.schema_hash, policy_version="v1")
    assert fetch_key(BASE, "shared") == fetch_key(stranger, "shared")
    newer = CallerContext(schema_hash=BASE.schema_hash, policy_version="v2")
    assert fetch_key(BASE, "shared") != fetch_key(newer, "shared")


def test_no_key_holds_the_caller_in_clear() -> None:
    key = KEYS.response(BASE, "caller", "op", "Check", {"household": "H1"})
    assert "officer-a" not in key and "DB-1" not in key and "fingerprint-of-officer-a" not in key


def test_response_keys_take_variables_in_any_order_as_equal() -> None:
    one = KEYS.response(BASE, "caller", "op", None, {"a": 1, "b": [1, 2]})
    two = KEYS.response(BASE, "caller", "op", None, {"b": [1, 2], "a": 1})
    assert one == two
    assert one != KEYS.response(BASE, "caller", "op", None, {"a": 2, "b": [1, 2]})


def test_an_entity_is_the_same_whatever_the_type_of_its_key_values() -> None:
    assert entity_id("Person", {"idNumber": 5}) == entity_id("Person", {"idNumber": "5"})
    assert entity_id("Person", {"idNumber": "5"}) != entity_id("Household", {"idNumber": "5"})
    assert KEYS.entity_generation("Person", {"idNumber": "5"}).startswith("govgraph:gen:e:Person:")


def test_the_scope_of_a_type_overrides_its_subgraphs() -> None:
    settings = CacheSettings(
        subgraph_scopes={"market_regulation": "shared"}, type_scopes={"Person": "caller"}
    )
    assert settings.scope_for("market_regulation", "Enterprise") == "shared"
    assert settings.scope_for("market_regulation", "Person") == "caller"
    assert settings.scope_for("population", "Person") == "caller"
    assert settings.scope_for("population") == "caller"  # the default


def test_caches_are_configured_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVGRAPH_CACHE_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("GOVGRAPH_CACHE_ENTITIES", "true")
    monkeypatch.setenv("GOVGRAPH_CACHE_SUBGRAPH_SCOPES", '{"market_regulation": "shared"}')
    monkeypatch.setenv("GOVGRAPH_CACHE_TYPE_TTLS", '{"Division": 3600}')
    settings = CacheSettings()
    assert settings.url == "redis://127.0.0.1:6379/3"
    assert settings.entities and not settings.responses
    assert settings.scope_for("market_regulation") == "shared"
    assert settings.ttl_for("Division") == 3600 and settings.ttl_for("Person") == 60


# -- Cache-Control ------------------------------------------------------------------------


def directive(**overrides: object) -> str:
    settings: dict[str, object] = {
        "personal": False,
        "caller_dependent": True,
        "max_age": 30,
        "default_ttl": 60,
    }
    settings.update(overrides)
    return response_cache_control(**settings).cache_control  # type: ignore[arg-type]


def test_personal_data_is_no_store_even_when_nothing_else_depends_on_the_caller() -> None:
    assert directive(personal=True) == "no-store"
    assert directive(personal=True, caller_dependent=False) == "no-store"


def test_errors_mutations_and_no_store_parts_are_no_store() -> None:
    assert directive(errors=True) == "no-store"
    assert directive(mutation=True) == "no-store"
    assert directive(no_store=True) == "no-store"
    assert directive(max_age=0) == "no-store"


def test_caller_dependent_data_is_private_and_varies_by_token_and_purpose() -> None:
    result = response_cache_control(
        personal=False, caller_dependent=True, max_age=30, default_ttl=60
    )
    assert result.headers() == {
        "Cache-Control": "private, max-age=30",
        "Vary": "Authorization, X-Purpose",
    }


def test_only_data_every_caller_sees_alike_is_public_for_the_shortest_lifetime() -> None:
    assert directive(caller_dependent=False) == "public, max-age=30"
    assert directive(caller_dependent=False, max_age=None) == "public, max-age=60"
    assert directive(caller_dependent=False, max_age=600) == "public, max-age=60"
    assert directive(caller_dependent=False, private=True) == "private, max-age=30"


def test_a_batch_gets_the_strictest_of_its_operations() -> None:
    assert http_cache_headers(["public, max-age=60", "private, max-age=10"]) == {
        "Cache-Control": "private, max-age=10",
        "Vary": "Authorization, X-Purpose",
    }
    assert http_cache_headers(["public, max-age=60", None]) == {"Cache-Control": "no-store"}
    assert http_cache_headers(["public, max-age=60"]) == {"Cache-Control": "public, max-age=60"}
    assert CacheDirective("private, max-age=9").max_age == 9


@pytest.mark.parametrize(
    ("header", "extensions", "expected"),
    [
        ("max-age=30", None, (30, False, False)),
        ("public, max-age=30, s-maxage=10", None, (10, False, False)),
        ("private, max-age=30", None, (30, True, False)),
        ("no-store", None, (None, False, True)),
        ("no-cache", None, (None, False, True)),
        ("max-age=0", None, (0, False, True)),
        ("max-age=soon", None, (None, False, True)),
        (
            None,
            {"cacheControl": {"version": 1, "hints": [{"path": ["a"], "maxAge": 20}]}},
            (20, False, False),
        ),
        (
            None,
            {"cacheControl": {"hints": [{"maxAge": 90, "scope": "PRIVATE"}]}},
            (90, True, False),
        ),
        ("max-age=30", {"cacheControl": {"hints": [{"maxAge": 5}]}}, (5, False, False)),
        (None, None, (None, False, False)),
    ],
)
def test_subgraph_cache_hints_are_read_from_the_header_and_the_extensions(
    header: str | None, extensions: dict[str, object] | None, expected: tuple[object, ...]
) -> None:
    headers = {"cache-control": header} if header else {}
    payload = {"data": {}, "extensions": extensions} if extensions else {"data": {}}
    hint = subgraph_hint(headers, payload)
    assert (hint.max_age, hint.private, hint.no_store) == expected


def _fields(caller: CallerContext) -> dict[str, object]:
    return {name: getattr(caller, name) for name in caller.__slots__}  # type: ignore[attr-defined]
