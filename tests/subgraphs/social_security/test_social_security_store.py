"""The export store re-reads changed files without a restart and survives broken ones.

Template: seed a folder, take ``await store.snapshot()``, change a file, snapshot again.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import pytest
from social_security_sample import LI, SUN, WANG, ZHAO, sample_source

from subgraphs.social_security.seed import write_exports
from subgraphs.social_security.store import ExportStore, ExportsUnavailableError


def bump_mtime(path: Path) -> None:
    # Filesystems with coarse timestamps could hide a quick rewrite; size may not change.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


async def test_an_unchanged_folder_is_parsed_once(exports: Path) -> None:
    store = ExportStore(exports)
    first = await store.snapshot()
    second = await store.snapshot()
    assert first is second
    assert (store.loads, store.reads) == (1, 2)


async def test_a_rewritten_export_is_served_without_restart(exports: Path) -> None:
    store = ExportStore(exports)
    assert (await store.snapshot()).insured[ZHAO].status == "RETIRED"
    source = sample_source()
    source.pension_records.clear()  # ZHAO's pension stops; he drops out of the register
    write_exports(source, exports)
    bump_mtime(exports / "cbry.csv")
    index = await store.snapshot()
    assert ZHAO not in index.insured
    assert sorted(index.insured) == sorted([WANG, LI, SUN])


async def test_a_half_written_export_keeps_the_previous_index_and_says_why(
    exports: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = ExportStore(exports)
    before = await store.snapshot()
    path = exports / "jfmx.csv"
    content = path.read_bytes()
    path.write_bytes(content[: len(content) - 7])  # cut inside the last line
    bump_mtime(path)
    with caplog.at_level(logging.WARNING, logger="govgraph.social_security"):
        assert await store.snapshot() is before
        assert await store.snapshot() is before
    assert store.loads == 2  # the broken file is tried once, not on every request
    assert "jfmx.csv: does not end with a newline (incomplete file)" in caplog.text
    path.write_bytes(content)  # the export job finishes the file
    bump_mtime(path)
    after = await store.snapshot()
    assert after is not before and after.contribution_lines == before.contribution_lines


async def test_a_malformed_row_is_refused_with_file_and_line(
    exports: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = ExportStore(exports)
    before = await store.snapshot()
    path = exports / "ylj.csv"
    path.write_text(f"SFZHM,YFJE,QFRQ,FFZT\n{ZHAO},3200.00,2015-02-01,1\n", encoding="utf-8")
    bump_mtime(path)
    with caplog.at_level(logging.WARNING, logger="govgraph.social_security"):
        assert await store.snapshot() is before
    assert "ylj.csv line 2: '2015-02-01' is not a YYYYMMDD date" in caplog.text


async def test_without_any_readable_export_the_store_is_unavailable(tmp_path: Path) -> None:
    store = ExportStore(tmp_path / "nowhere")
    with pytest.raises(ExportsUnavailableError) as raised:
        await store.snapshot()
    assert raised.value.message == "social security exports unavailable"


async def test_concurrent_batches_after_a_change_share_one_rebuild(exports: Path) -> None:
    store = ExportStore(exports)
    await store.snapshot()
    bump_mtime(exports / "cbry.csv")
    indexes = await asyncio.gather(*(store.snapshot() for _ in range(5)))
    assert store.loads == 2
    assert all(index is indexes[0] for index in indexes)
