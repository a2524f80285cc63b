"""``govgraph data generate`` and ``govgraph subgraph serve|sdl`` from the command line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx
import orjson
from click.testing import CliRunner

from gateway.cli.data import data, ensure_data
from gateway.cli.subgraph import subgraph
from gateway.policy.signing import sign_subgraph_request
from subgraphs.common.settings import SubgraphSettings


def test_data_generate_seeds_the_chosen_departments_and_reports_counts(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        data,
        ["generate", "--persons", "300", "--seed", "9", "--data-dir", str(tmp_path),
         "--only", "population", "--only", "market_regulation"],
        env={"GOVGRAPH_POPULATION_DB_URL": "", "GOVGRAPH_MARKET_REGULATION_DB_URL": ""},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Generating Tieling dataset: 300 persons, seed 9"
    assert lines[1].split()[0] == "population" and "records" in lines[1]
    assert lines[2].split()[0] == "market_regulation"
    assert lines[-1].startswith("Done: ")
    assert (tmp_path / "population.db").is_file()
    assert not (tmp_path / "civil_affairs.db").exists()
    assert not (tmp_path / "dataset.json").exists()  # partial runs are not a complete dataset


def test_data_generate_refuses_a_bad_database_url(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        data, ["generate", "--data-dir", str(tmp_path), "--population-url", "oracle://x/y"]
    )
    assert result.exit_code == 2
    assert "unsupported database scheme 'oracle'" in result.output


def test_ensure_data_generates_once_and_records_the_dataset(tmp_path: Path) -> None:
    settings = replace(
        SubgraphSettings.from_env({"GOVGRAPH_DATA_DIR": str(tmp_path)}), subgraph_secret=None
    )
    assert ensure_data(settings, persons=200) is True
    summary = json.loads((tmp_path / "dataset.json").read_text())
    assert summary["persons"] == 200
    assert summary["departments"]["population"] > 200
    assert ensure_data(settings, persons=200) is False


def test_subgraph_sdl_names_the_unknown_department_choices() -> None:
    result = CliRunner().invoke(subgraph, ["sdl", "taxation"])
    assert result.exit_code == 2
    assert "'taxation' is not one of" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_subgraph_serve_runs_a_department_on_loopback_and_logs_the_caller(
    tmp_path: Path,
) -> None:
    secret = "serve-test-secret"
    env = {
        **os.environ,
        "GOVGRAPH_DATA_DIR": str(tmp_path),
        "GOVGRAPH_SUBGRAPH_SECRET": secret,
        "GOVGRAPH_CIVIL_AFFAIRS_DB_URL": "",
    }
    generate = [sys.executable, "-m", "gateway", "data", "generate", "--persons", "100",
                "--data-dir", str(tmp_path), "--only", "civil_affairs"]  # fmt: skip
    subprocess.run(generate, env=env, check=True, capture_output=True, timeout=60)
    port = _free_port()
    serve = [sys.executable, "-m", "gateway", "subgraph", "serve", "civil_affairs",
             "--port", str(port), "--log-level", "info"]  # fmt: skip
    process = subprocess.Popen(serve, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "subgraph did not start"
                time.sleep(0.1)
        body = orjson.dumps({"query": "{ dibaoCases(first: 1) { totalCount } }"})
        headers = sign_subgraph_request(
            body, secret=secret.encode(), subject="officer-9", client_id="hall", purpose="DB-1"
        )
        answer = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            content=body,
            headers={**headers, "content-type": "application/json"},
        )
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert health.json() == {"status": "ok", "subgraph": "civil_affairs"}
    assert answer.json()["data"]["dibaoCases"]["totalCount"] >= 0
    assert b"civil_affairs request subject=officer-9 client=hall purpose=DB-1" in stderr


def test_an_unreachable_database_is_reported_without_a_traceback_or_password(
    tmp_path: Path,
) -> None:
    result = CliRunner().invoke(
        data,
        ["generate", "--persons", "10", "--data-dir", str(tmp_path), "--only", "population",
         "--population-url", "postgresql://officer:s3cret@127.0.0.1:1/nowhere"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert (
        "Error: seeding population into postgresql+asyncpg://officer:***@127.0.0.1:1/nowhere failed"
        in result.output
    )
    assert "s3cret" not in result.output
    assert "Traceback" not in result.output


def test_parallel_seeding_writes_the_same_records_as_sequential_seeding(tmp_path: Path) -> None:
    def counts(jobs: int, folder: Path) -> dict[str, str]:
        result = CliRunner().invoke(
            data,
            ["generate", "--persons", "150", "--data-dir", str(folder), "--jobs", str(jobs),
             "--only", "population", "--only", "civil_affairs"],
            env={"GOVGRAPH_POPULATION_DB_URL": "", "GOVGRAPH_CIVIL_AFFAIRS_DB_URL": ""},
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        return {line.split()[0]: line.split()[1] for line in result.output.splitlines()[1:-1]}

    sequential = counts(1, tmp_path / "one")
    assert counts(2, tmp_path / "two") == sequential
    assert set(sequential) == {"population", "civil_affairs"}
