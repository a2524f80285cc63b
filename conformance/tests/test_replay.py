"""Re-asking a failed query: the gateway's own error messages join the failure's reason."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import replay

__all__: list[str] = []


def _serve(answer: dict[str, Any], status: int = 200) -> HTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            body = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_error_messages_come_back_with_their_codes():
    server = _serve(
        {
            "data": None,
            "errors": [
                {"message": "Fields conflict", "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}},
                {"message": "Cannot return null"},
            ],
        }
    )
    try:
        said = replay._ask(server.server_address[1], "{ a }")
    finally:
        server.shutdown()
    assert said == "Fields conflict [GRAPHQL_VALIDATION_FAILED]; Cannot return null"


def test_an_answer_without_errors_adds_nothing():
    server = _serve({"data": {"a": 1}})
    try:
        assert replay._ask(server.server_address[1], "{ a }") == ""
    finally:
        server.shutdown()


def test_an_error_status_still_reports_the_errors_in_its_body():
    server = _serve({"errors": [{"message": "bad request"}]}, status=400)
    try:
        assert replay._ask(server.server_address[1], "{ a }") == "bad request"
    finally:
        server.shutdown()


def test_more_than_two_errors_are_counted_not_listed():
    server = _serve({"errors": [{"message": f"e{i}"} for i in range(5)]})
    try:
        assert replay._ask(server.server_address[1], "{ a }") == "e0; e1 (+3 more)"
    finally:
        server.shutdown()
