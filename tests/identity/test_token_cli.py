"""Spec: `govgraph token` mints, fetches and decodes development tokens."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from gateway.cli import main
from gateway.identity import verify_secret

CLIENTS = str(Path(__file__).parents[2] / "config" / "clients.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["token", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_minted_user_token_decodes_to_that_user(tmp_path: Path) -> None:
    code, token, _ = run(
        "user",
        "--sub",
        "211202198001011239",
        "--scope",
        "population:read civil_affairs:read",
        "--department",
        "civil_affairs",
        "--county",
        "211202",
        "--data-dir",
        str(tmp_path),
    )
    assert code == 0
    code, shown, _ = run("decode", token.strip(), "--data-dir", str(tmp_path))
    assert code == 0
    principal = orjson.loads(shown)
    assert {k: principal[k] for k in ("kind", "subject", "scopes", "department", "county")} == {
        "kind": "user",
        "subject": "211202198001011239",
        "scopes": ["civil_affairs:read", "population:read"],
        "department": "civil_affairs",
        "county": "211202",
    }


def test_a_resident_id_with_a_wrong_check_character_is_refused(tmp_path: Path) -> None:
    code, _, error = run("user", "--sub", "211202198001011236", "--data-dir", str(tmp_path))
    assert code == 2
    assert "check character should be 9" in error


def test_the_client_grant_runs_in_process_against_the_demo_registry(tmp_path: Path) -> None:
    code, output, _ = run(
        "client",
        "--client-id",
        "liaoning-exchange",
        "--client-secret",
        "dev-liaoning-exchange-secret",
        "--scope",
        "exchange:read",
        "--json",
        "--clients-file",
        CLIENTS,
        "--data-dir",
        str(tmp_path),
    )
    assert code == 0
    assert orjson.loads(output)["scope"] == "exchange:read"
    code, shown, _ = run(
        "decode", orjson.loads(output)["access_token"], "--data-dir", str(tmp_path)
    )
    principal = orjson.loads(shown)
    assert (principal["kind"], principal["client_id"], principal["department"]) == (
        "client",
        "liaoning-exchange",
        "provincial_exchange",
    )


def test_a_wrong_client_secret_is_a_clear_error(tmp_path: Path) -> None:
    code, _, error = run(
        "client",
        "--client-id",
        "tieling-portal",
        "--client-secret",
        "guess",
        "--clients-file",
        CLIENTS,
        "--data-dir",
        str(tmp_path),
    )
    assert code == 1
    assert error.strip() == "Error: invalid_client: client authentication failed"


def test_decoding_a_tampered_token_exits_1(tmp_path: Path) -> None:
    _, token, _ = run("user", "--sub", "officer-7", "--data-dir", str(tmp_path))
    header, payload, signature = token.strip().split(".")
    code, _, error = run("decode", f"{header}.{payload}x.{signature}", "--data-dir", str(tmp_path))
    assert code == 1
    assert error.startswith("invalid token: ")


def test_hash_secret_prints_a_hash_that_verifies() -> None:
    code, output, _ = run("hash-secret", "a-long-enough-secret")
    assert code == 0
    assert verify_secret("a-long-enough-secret", output.strip())
    assert run("hash-secret", "short")[0] == 2


async def test_the_client_grant_can_ask_a_running_gateway(tmp_path: Path) -> None:
    import asyncio

    from fastapi import FastAPI
    from identity_helpers import serve

    from gateway.identity import Issuer, issuer_router

    app = FastAPI()
    app.include_router(issuer_router(Issuer.open(data_dir=tmp_path, clients_file=Path(CLIENTS))))
    async with serve(app) as url:
        # The command blocks on HTTP, so it runs in a thread while this loop serves.
        good = await asyncio.to_thread(
            run,
            "client",
            "--client-id",
            "liaoning-exchange",
            "--client-secret",
            "dev-liaoning-exchange-secret",
            "--scope",
            "exchange:read",
            "--url",
            url,
        )
        bad = await asyncio.to_thread(
            run,
            "client",
            "--client-id",
            "liaoning-exchange",
            "--client-secret",
            "nope",
            "--url",
            url,
        )
    assert good[0] == 0 and good[1].count(".") == 2
    assert (bad[0], bad[2].strip()) == (1, "Error: invalid_client: client authentication failed")
