"""``govgraph legacy serve``: the registry as its own process, and a clear refusal without data."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from gateway.cli.legacy import legacy


def test_serving_without_a_seeded_registry_is_refused_with_the_remedy(tmp_path: Path) -> None:
    result = CliRunner().invoke(legacy, ["serve", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "no registry database at" in result.output
    assert "run `govgraph data generate` first" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_registry_runs_as_its_own_process_on_loopback(data_dir: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", "legacy", "serve", "--port", str(port),
         "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        body = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/bdc/api/health", timeout=1).json()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert body == {"code": 0, "msg": "成功", "data": {"status": "UP"}}
    finally:
        process.terminate()
        process.wait(10)
