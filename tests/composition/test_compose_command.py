"""``govgraph compose``: sources from files, a config or live subgraphs over HTTP; the
supergraph to stdout or a file; ``--check`` fails with a diff when the file is stale."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from composition_support import FED2

from gateway.cli import main

PEOPLE = (
    FED2
    + 'type Query { person(id: ID!): Person }\ntype Person @key(fields: "id") { id: ID!  name: String }'
)
HOMES = FED2 + 'type Person @key(fields: "id") { id: ID!  homes: [String!]! }'


@pytest.fixture
def sdl_files(tmp_path: Path) -> Path:
    (tmp_path / "people.graphql").write_text(PEOPLE)
    (tmp_path / "homes.graphql").write_text(HOMES)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["compose", *args])
    return result.exit_code, result.stdout, result.stderr


def test_files_with_routing_urls_compose_to_stdout(sdl_files: Path) -> None:
    code, out, _ = run(
        "--subgraph", f"people={sdl_files / 'people.graphql'}@http://127.0.0.1:4101/graphql",
        "--subgraph", f"homes={sdl_files / 'homes.graphql'}@http://127.0.0.1:4102/graphql",
    )  # fmt: skip
    assert code == 0
    assert out.startswith('schema\n  @link(url: "https://specs.apollo.dev/link/v1.0")')
    assert '  PEOPLE @join__graph(name: "people", url: "http://127.0.0.1:4101/graphql")' in out
    assert "  homes: [String!]! @join__field(graph: HOMES)" in out


def test_a_rover_style_config_names_files_relative_to_itself(sdl_files: Path) -> None:
    config = sdl_files / "supergraph.yaml"
    config.write_text(
        "subgraphs:\n"
        "  people: {routing_url: 'http://p/graphql', schema: {file: people.graphql}}\n"
        "  homes: {routing_url: 'http://h/graphql', schema: {file: homes.graphql}}\n"
    )
    output = sdl_files / "schema.graphql"
    code, _, err = run("--config", str(config), "--output", str(output))
    assert code == 0, err
    assert output.read_text().endswith("}\n")
    assert "2 subgraphs" in err


def test_check_passes_on_a_fresh_file_and_fails_with_a_diff_on_a_stale_one(sdl_files: Path) -> None:
    people = f"people={sdl_files / 'people.graphql'}@http://p/graphql"
    homes = f"homes={sdl_files / 'homes.graphql'}@http://h/graphql"
    output = sdl_files / "schema.graphql"
    assert run("--subgraph", people, "--subgraph", homes, "-o", str(output))[0] == 0
    assert run("--subgraph", people, "--subgraph", homes, "-o", str(output), "--check")[0] == 0
    (sdl_files / "homes.graphql").write_text(HOMES.replace("homes:", "dwellings:"))
    code, out, err = run("--subgraph", people, "--subgraph", homes, "-o", str(output), "--check")
    assert code == 1
    assert "-  homes: [String!]! @join__field(graph: HOMES)" in out
    assert "+  dwellings: [String!]! @join__field(graph: HOMES)" in out
    assert "is stale" in err


def test_composition_errors_are_listed_and_exit_non_zero(sdl_files: Path) -> None:
    (sdl_files / "homes.graphql").write_text(HOMES.replace("homes:", "name: String\n homes:"))
    code, out, err = run(
        "--subgraph", f"people={sdl_files / 'people.graphql'}@http://p/graphql",
        "--subgraph", f"homes={sdl_files / 'homes.graphql'}@http://h/graphql",
    )  # fmt: skip
    assert code == 1 and out == ""
    assert "composition failed with 1 error(s)" in err
    assert '[INVALID_FIELD_SHARING] Non-shareable field "Person.name"' in err


def test_bad_sources_are_explained_without_a_traceback(tmp_path: Path) -> None:
    code, _, err = run("--subgraph", "people")
    assert code == 2 and "expected NAME=URL, NAME=FILE or NAME=FILE@URL" in err
    code, _, err = run("--subgraph", f"people={tmp_path / 'missing.graphql'}@http://p/graphql")
    assert code == 2 and "cannot read" in err and "Traceback" not in err
    code, _, err = run("--subgraph", f"other={tmp_path / 'x.graphql'}")
    assert code == 2 and "NAME=FILE@URL" in err


class _ServiceSdl(BaseHTTPRequestHandler):
    sdl_by_path: ClassVar[dict[str, str]] = {}

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert "_service" in body["query"]
        sdl = self.sdl_by_path.get(self.path)
        payload = json.dumps({"data": {"_service": {"sdl": sdl}}} if sdl else {"errors": []})
        self.send_response(200 if sdl else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload.encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def live_subgraphs() -> Iterator[str]:
    _ServiceSdl.sdl_by_path = {"/people": PEOPLE, "/homes": HOMES}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ServiceSdl)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_subgraphs_given_by_url_are_asked_for_their_sdl_over_http(live_subgraphs: str) -> None:
    code, out, err = run(
        "--subgraph", f"people={live_subgraphs}/people",
        "--subgraph", f"homes={live_subgraphs}/homes",
    )  # fmt: skip
    assert code == 0, err
    assert f'  HOMES @join__graph(name: "homes", url: "{live_subgraphs}/homes")' in out


def test_an_unreachable_or_failing_subgraph_is_named(live_subgraphs: str) -> None:
    code, _, err = run("--subgraph", f"gone={live_subgraphs}/gone")
    assert code == 2 and "subgraph gone:" in err and "HTTP 404" in err
    code, _, err = run("--subgraph", "down=http://127.0.0.1:9/graphql")
    assert code == 2 and "cannot reach http://127.0.0.1:9/graphql" in err
