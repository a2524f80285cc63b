"""Spec: every backend keeps a linear hash chain whose verification names the first record
that can no longer be trusted, whatever was done to the stored log."""

from __future__ import annotations

import asyncio

import pytest
from accesslog_backends import LI, ZHANG, FileBackend, PostgresBackend, record

from gateway.accesslog import GENESIS, AccessLog, StoredRecord, VerifyReport

Backend = FileBackend | PostgresBackend


async def filled(backend: Backend, count: int = 5, key: bytes | None = None) -> AccessLog:
    log = backend.open(key)
    for n in range(1, count + 1):
        await log.append(record(n))
    return log


async def verified(backend: Backend, key: bytes | None = None) -> VerifyReport:
    log = backend.open(key)
    try:
        return await log.verify()
    finally:
        await log.close()


async def test_appended_records_are_numbered_and_linked(backend: Backend) -> None:
    log = backend.open()
    first = await log.append(record(1))
    second = await log.append(record(2))
    await log.close()
    assert (first.seq, first.prev_hash, first.mac) == (1, GENESIS, "sha256")
    assert (second.seq, second.prev_hash) == (2, first.hash)
    report = await verified(backend)
    assert (report.ok, report.records, report.head) == (True, 2, report.head)
    assert report.head is not None and report.head.hash == second.hash
    assert report.summary().startswith("OK: 2 records verified")


async def test_an_empty_log_verifies(backend: Backend) -> None:
    report = await verified(backend)
    assert (report.ok, report.records, report.head) == (True, 0, None)


@pytest.mark.parametrize(
    ("field", "value"),
    [("subject", "someone-else"), ("fields", ["Person.name"]), ("data_subjects", [])],
)
async def test_editing_a_field_of_a_record_is_caught_at_that_record(
    backend: Backend, field: str, value: object
) -> None:
    await (await filled(backend)).close()
    await backend.edit(3, field, value)
    report = await verified(backend)
    assert (report.ok, report.first_bad_seq) == (False, 3)
    assert report.problem == "record 3 was altered (its hash does not match)"


async def test_deleting_a_record_is_caught_at_the_gap(backend: Backend) -> None:
    await (await filled(backend)).close()
    await backend.delete(3)
    report = await verified(backend)
    assert (report.ok, report.first_bad_seq) == (False, 3)
    assert report.problem is not None and "removed, inserted or reordered" in report.problem


async def test_swapping_two_records_is_caught_at_the_first(backend: Backend) -> None:
    await (await filled(backend)).close()
    await backend.swap(3, 4)
    report = await verified(backend)
    assert (report.ok, report.first_bad_seq) == (False, 3)


async def test_inserting_a_forged_record_is_caught(backend: Backend) -> None:
    """A forger who recomputes a record's hash still breaks the link of the next one."""
    log = await filled(backend)
    await log.close()
    body = await backend.body(3)
    body["subject"] = "forged"
    from gateway.accesslog import ChainHasher

    body["hash"] = ChainHasher().digest({k: v for k, v in body.items() if k != "hash"})
    await backend.replace_body(3, body)
    report = await verified(backend)
    assert (report.ok, report.first_bad_seq) == (False, 4)
    assert report.problem == "record 4 does not link to record 3"


async def test_cutting_records_off_the_end_is_caught_by_the_head_anchor(backend: Backend) -> None:
    await (await filled(backend)).close()
    await backend.truncate_after(3)
    report = await verified(backend)
    assert (report.ok, report.first_bad_seq) == (False, 4)
    assert report.problem is not None and "cut off the end" in report.problem


async def test_a_keyed_chain_cannot_be_recomputed_without_the_key(backend: Backend) -> None:
    key = b"gateway-secret-key"
    await (await filled(backend, key=key)).close()
    assert (await verified(backend, key)).ok
    wrong = await verified(backend, b"another-key")
    assert (wrong.ok, wrong.first_bad_seq) == (False, 1)
    unkeyed = await verified(backend)
    assert unkeyed.problem is not None and "GOVGRAPH_ACCESS_LOG_KEY" in unkeyed.problem
    # An editor without the key re-seals record 2 as plain SHA-256: refused.
    from gateway.accesslog import ChainHasher

    body = await backend.body(2)
    body.update(subject="forged", mac="sha256")
    body["hash"] = ChainHasher().digest({k: v for k, v in body.items() if k != "hash"})
    await backend.replace_body(2, body)
    report = await verified(backend, key)
    assert (report.ok, report.first_bad_seq) == (False, 2)


async def test_a_citizen_sees_reads_of_their_data_but_not_suppressed_ones(backend: Backend) -> None:
    log = backend.open()
    await log.append(record(1, subjects=(ZHANG, LI)))
    await log.append(record(2, subjects=(LI,)))
    await log.append(record(3, subjects=(ZHANG,), suppressed_until="2999-01-01", purpose="case"))
    await log.append(record(4, subjects=(ZHANG,), suppressed_until="2020-01-01"))
    citizen_view = await log.query(ZHANG)
    auditor_view = await log.query(ZHANG, include_suppressed=True)
    other = await log.query(LI)
    nobody = await log.query("211224200001010000")
    await log.close()

    def seqs(found: list[StoredRecord]) -> list[int]:
        return [stored.seq for stored in found]

    assert seqs(citizen_view) == [1, 4]
    assert seqs(auditor_view) == [1, 3, 4]
    assert seqs(other) == [1, 2]
    assert nobody == []
    assert citizen_view[0].record.fields == ("Person.name", "Person.idNumber", "Household.members")


async def test_tail_returns_the_latest_records_in_order(backend: Backend) -> None:
    log = await filled(backend, 6)
    latest = await log.tail(3)
    await log.close()
    assert [stored.seq for stored in latest] == [4, 5, 6]


async def test_concurrent_appends_keep_one_linear_chain(backend: Backend) -> None:
    first, second = backend.open(), backend.open()  # two writers, as two gateway processes
    stored = await asyncio.gather(
        *(log.append(record(n)) for n in range(1, 61) for log in (first, second))
    )
    await first.close()
    await second.close()
    assert sorted(item.seq for item in stored) == list(range(1, 121))
    by_seq = {item.seq: item for item in stored}
    assert all(by_seq[seq].prev_hash == by_seq[seq - 1].hash for seq in range(2, 121))
    report = await verified(backend)
    assert (report.ok, report.records) == (True, 120)


async def test_postgres_index_columns_edited_apart_from_the_record_are_caught(
    backend: Backend,
) -> None:
    """Hiding a read from a citizen by editing only the indexed column is tampering too."""
    if not isinstance(backend, PostgresBackend):
        pytest.skip("the file backend has no separate index")
    await (await filled(backend)).close()
    await backend._execute(f"UPDATE {backend.table} SET data_subjects = '{{}}' WHERE seq = 2")
    report = await verified(backend)
    assert (report.ok, report.first_bad_seq) == (False, 2)
    assert report.problem == "record 2: columns disagree with its sealed body"


async def test_a_non_ascii_hash_is_reported_as_altered_not_a_crash(backend: Backend) -> None:
    """Regression: comparing a non-ASCII str with compare_digest raised TypeError."""
    await (await filled(backend)).close()
    await backend.edit(2, "hash", "篡改")
    report = await verified(backend)
    assert (report.ok, report.first_bad_seq) == (False, 2)
    assert report.problem == "record 2 was altered (its hash does not match)"
