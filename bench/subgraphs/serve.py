"""Run the four benchmark subgraphs in one process, one port each (uvloop, memoised).

python bench/subgraphs/serve.py [--host 127.0.0.1] [accounts=47301 products=47302 ...]
python bench/subgraphs/serve.py --print-sdl reviews
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any

from fastserver import MemoisedGraphQL, serve_forever
from federated import SCHEMAS
from strawberry.federation import Schema

__all__ = ["DEFAULT_PORTS", "main"]

DEFAULT_PORTS = {"accounts": 47301, "products": 47302, "inventory": 47303, "reviews": 47304}


def _executor(schema: Schema) -> Any:
    async def execute(
        query: str, variables: dict[str, Any] | None, operation: str | None
    ) -> dict[str, Any]:
        result = await schema.execute(query, variable_values=variables, operation_name=operation)
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [error.formatted for error in result.errors]
        return payload

    return execute


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The benchmark's four subgraphs.")
    parser.add_argument("ports", nargs="*", help="NAME=PORT (default: all four, 47301-47304)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--print-sdl", metavar="NAME", help="print one subgraph's SDL and exit")
    args = parser.parse_args(argv)
    if args.print_sdl:
        if args.print_sdl not in SCHEMAS:
            parser.error(f"unknown subgraph {args.print_sdl!r}; one of {', '.join(SCHEMAS)}")
        print(SCHEMAS[args.print_sdl].as_str())
        return 0
    ports = dict(DEFAULT_PORTS)
    if args.ports:
        ports = {}
        for item in args.ports:
            name, sep, port = item.partition("=")
            if not sep or name not in SCHEMAS or not port.isdigit():
                parser.error(f"expected NAME=PORT with NAME in {', '.join(SCHEMAS)}, got {item!r}")
            ports[name] = int(port)
    apps = {port: MemoisedGraphQL(name, _executor(SCHEMAS[name])) for name, port in ports.items()}
    try:
        import uvloop
    except ImportError:
        print("uvloop missing: subgraphs run on the default event loop (slower)", file=sys.stderr)
        runner: Any = asyncio.run
    else:
        runner = uvloop.run
    listening = ", ".join(f"{name}={port}" for name, port in ports.items())
    print(f"bench subgraphs listening on {args.host}: {listening}", flush=True)

    async def run() -> None:
        task = asyncio.ensure_future(serve_forever(apps, args.host))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    runner(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
