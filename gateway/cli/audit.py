"""``govgraph audit``: verify the access log's chain and read it (who read whose data)."""

from __future__ import annotations

import asyncio
import sys
import time
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import click
import orjson

if TYPE_CHECKING:
    from gateway.accesslog import AccessLog, StoredRecord

__all__ = ["audit", "format_table"]

T = TypeVar("T")

_LOG_OPTION = click.option(
    "--log",
    "location",
    envvar="GOVGRAPH_ACCESS_LOG",
    help="Log file path or postgresql:// URL [default: <data>/access-log.jsonl].",
)

_COLUMNS = ("seq", "when (UTC)", "who", "client", "purpose / case", "fields", "decision")


def _run(location: str | None, action: Callable[[AccessLog], Awaitable[T]]) -> T:
    from gateway.accesslog import AccessLogError, open_access_log

    async def go() -> T:
        log = open_access_log(location)
        try:
            return await action(log)
        finally:
            await log.close()

    try:
        return asyncio.run(go())
    except (AccessLogError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc


def _row(stored: StoredRecord) -> tuple[str, ...]:
    r = stored.record
    purpose = " / ".join(part for part in (r.purpose, r.case) if part) or "-"
    decision = r.decision + (f" (hidden until {r.suppressed_until})" if r.suppressed_until else "")
    return (
        str(stored.seq),
        r.time.replace("T", " ")[:19],
        r.subject or "-",
        r.client_id or "-",
        purpose,
        ", ".join(r.fields) or "-",
        decision,
    )


def _display_width(text: str) -> int:
    # Chinese purposes and names take two terminal columns per character.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    while _display_width(text) > width:
        text = text[:-1]
    return text + " " * (width - _display_width(text))


def format_table(records: Sequence[StoredRecord]) -> str:
    """A plain-text table of records, one line each (what a citizen or auditor reads)."""
    rows = [_COLUMNS, *(_row(stored) for stored in records)]
    widths = [min(max(_display_width(row[i]) for row in rows), 60) for i in range(len(_COLUMNS))]
    lines = ["  ".join(_fit(cell, widths[i]) for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def _json_lines(records: Sequence[StoredRecord]) -> str:
    return "\n".join(
        orjson.dumps(
            {**s.record.to_dict(), "seq": s.seq, "prev_hash": s.prev_hash, "hash": s.hash}
        ).decode()
        for s in records
    )


@click.group()
def audit() -> None:
    """Verify and query the tamper-evident access log."""


@audit.command()
@_LOG_OPTION
def verify(location: str | None) -> None:
    """Check the whole chain; exit 1 naming the first record that cannot be trusted."""
    report = _run(location, lambda log: log.verify())
    click.echo(report.summary())
    if not report.ok:
        click.echo(
            f"Records before seq {report.first_bad_seq} are intact; from it on, treat the log "
            "as evidence of tampering and compare with the last published head.",
            err=True,
        )
        sys.exit(1)
    if not report.keyed:
        click.echo("note: the log is not keyed (GOVGRAPH_ACCESS_LOG_KEY unset)", err=True)


@audit.command()
@click.option("--subject", required=True, help="Data subject, e.g. a resident identity number.")
@click.option(
    "--include-suppressed",
    is_flag=True,
    help="Also show law-enforcement reads still hidden from the citizen (auditors only).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@_LOG_OPTION
def query(subject: str, include_suppressed: bool, as_json: bool, location: str | None) -> None:
    """Who read this person's (or enterprise's) data, when, and why."""
    records = _run(location, lambda log: log.query(subject, include_suppressed=include_suppressed))
    if as_json:
        if records:
            click.echo(_json_lines(records))
        return
    if not records:
        click.echo(f"No recorded reads of data about {subject}.")
        return
    click.echo(format_table(records))


@audit.command()
@click.option("-n", "limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--follow", "-f", is_flag=True, help="Keep printing new records (Ctrl-C stops).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@_LOG_OPTION
def tail(limit: int, follow: bool, as_json: bool, location: str | None) -> None:
    """The latest records of the log."""
    records = _run(location, lambda log: log.tail(limit))
    click.echo(_json_lines(records) if as_json else format_table(records))
    last = records[-1].seq if records else 0
    try:
        while follow:
            time.sleep(1.0)
            newer = [s for s in _run(location, lambda log: log.tail(limit)) if s.seq > last]
            if newer:
                shown = _json_lines(newer) if as_json else format_table(newer).split("\n", 2)[2]
                click.echo(shown)
                last = newer[-1].seq
    except KeyboardInterrupt:
        return
