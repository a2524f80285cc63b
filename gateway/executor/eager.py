"""Run sibling coroutines concurrently, making a task only of those that must wait.

A warm cache answers most fetches without waiting on anything, and a task per sibling
then costs more than the fetch itself (each task takes its own trip through the event
loop). So each sibling runs at once, in a context of its own as a task would, until it
first waits; only then is the rest of it handed to a task. Python 3.12's eager task
factory does the same; 3.11 has none.

Until its first wait a sibling runs inside the caller's task, so it must not enter
anything bound to the current task (``asyncio.timeout``, task groups, clients built on
them) before waiting: :func:`leave_eager` waits once when running eagerly, so what
follows runs in a task of its own. The executor calls it before a fetch unless the
fetcher is marked ``eager_safe`` (it answers from memory, and leaves itself before any
I/O).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Coroutine, Generator
from typing import Any

__all__ = ["gather_eagerly", "leave_eager"]

_EAGER: contextvars.ContextVar[bool] = contextvars.ContextVar("govgraph_eager", default=False)


async def leave_eager() -> None:
    """When running eagerly, yield once: the caller then continues in a task of its own."""
    if _EAGER.get():
        await asyncio.sleep(0)


async def gather_eagerly(coroutines: list[Coroutine[Any, Any, None]]) -> None:
    """Run every coroutine to its end, concurrently; the first exception propagates once
    all have been started (those not yet finished are then cancelled)."""
    loop = asyncio.get_running_loop()
    waiting: list[asyncio.Task[None]] = []
    try:
        for index, coroutine in enumerate(coroutines):
            context = contextvars.copy_context()
            context.run(_EAGER.set, True)
            try:
                awaited = context.run(coroutine.send, None)
            except StopIteration:
                continue
            except BaseException:
                for rest in coroutines[index + 1 :]:
                    rest.close()
                raise
            context.run(_EAGER.set, False)
            waiting.append(loop.create_task(_finish(coroutine, awaited), context=context))
        if waiting:
            await asyncio.gather(*waiting)
    finally:
        for task in waiting:
            if not task.done():
                task.cancel()


async def _finish(coroutine: Coroutine[Any, Any, None], awaited: Any) -> None:
    await _Resume(coroutine, awaited)


class _Resume:
    """Awaitable that hands what a started coroutine waits on to the running task, and
    passes back what the task resumes it with, until the coroutine returns."""

    __slots__ = ("_awaited", "_coroutine")

    def __init__(self, coroutine: Coroutine[Any, Any, None], awaited: Any) -> None:
        self._coroutine = coroutine
        self._awaited = awaited

    def __await__(self) -> Generator[Any, Any, None]:
        coroutine, awaited = self._coroutine, self._awaited
        while True:
            try:
                value = yield awaited
            except BaseException as exc:  # thrown in by the task: cancellation
                try:
                    awaited = coroutine.throw(exc)
                except StopIteration:
                    return
            else:
                try:
                    awaited = coroutine.send(value)
                except StopIteration:
                    return
