"""Spec: siblings start at once in the caller's task; only those that wait get a task."""

from __future__ import annotations

import asyncio
import contextvars

import pytest

from gateway.executor.eager import gather_eagerly, leave_eager

WHO: contextvars.ContextVar[str] = contextvars.ContextVar("who", default="nobody")


async def test_siblings_that_never_wait_run_in_order_in_the_callers_task() -> None:
    caller = asyncio.current_task()
    seen: list[tuple[int, bool]] = []

    async def sibling(n: int) -> None:
        seen.append((n, asyncio.current_task() is caller))

    await gather_eagerly([sibling(1), sibling(2), sibling(3)])

    assert seen == [(1, True), (2, True), (3, True)]


async def test_a_sibling_that_waits_goes_on_concurrently_in_a_task_of_its_own() -> None:
    caller = asyncio.current_task()
    order: list[str] = []
    gate = asyncio.Event()

    async def slow() -> None:
        order.append("slow starts")
        await gate.wait()
        order.append("slow ends")
        assert asyncio.current_task() is not caller

    async def fast() -> None:
        order.append("fast")
        gate.set()

    await gather_eagerly([slow(), fast()])

    assert order == ["slow starts", "fast", "slow ends"]


async def test_after_leave_eager_a_timeout_cancels_only_its_own_sibling() -> None:
    # asyncio.timeout cancels the current task: entered while still running in the
    # caller's task it would cancel the caller. leave_eager moves the sibling first.
    outcomes: list[str] = []

    async def times_out() -> None:
        await leave_eager()
        try:
            async with asyncio.timeout(0.01):
                await asyncio.sleep(1)
        except TimeoutError:
            outcomes.append("timed out")

    async def answers() -> None:
        await asyncio.sleep(0.05)
        outcomes.append("answered")

    await gather_eagerly([times_out(), answers()])

    assert outcomes == ["timed out", "answered"]
    assert not asyncio.current_task().cancelling()  # type: ignore[union-attr]


async def test_leave_eager_outside_an_eager_start_does_not_wait() -> None:
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.call_soon(ready.set_result, None)
    await leave_eager()
    assert not ready.done()  # no trip through the event loop was made


async def test_each_sibling_has_a_context_of_its_own() -> None:
    seen: list[str] = []

    async def sets(name: str) -> None:
        WHO.set(name)
        await asyncio.sleep(0)
        seen.append(WHO.get())

    async def reads() -> None:
        seen.append(WHO.get())

    await gather_eagerly([sets("a"), reads(), sets("b")])

    assert sorted(seen) == ["a", "b", "nobody"]
    assert WHO.get() == "nobody"


async def test_an_error_propagates_and_the_siblings_still_waiting_are_cancelled() -> None:
    cancelled = asyncio.Event()

    async def waits() -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    async def fails() -> None:
        await asyncio.sleep(0)
        raise ValueError("broken plan node")

    with pytest.raises(ValueError, match="broken plan node"):
        await gather_eagerly([waits(), fails()])
    await asyncio.sleep(0)
    assert cancelled.is_set()


async def test_an_error_before_any_wait_closes_the_siblings_not_started() -> None:
    started: list[str] = []

    async def fails() -> None:
        raise ValueError("at once")

    async def never() -> None:
        started.append("never")

    later = never()
    with pytest.raises(ValueError, match="at once"):
        await gather_eagerly([fails(), later])
    assert started == []
    assert later.cr_frame is None  # closed, so no "never awaited" warning
