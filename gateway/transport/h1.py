"""A minimal HTTP/1.1 client connection: one request at a time, keep-alive, no extras.

Subgraph calls are small JSON POSTs on a trusted network, so a connection needs only:
write one request, parse one response framed by ``Content-Length``, ``chunked`` or the
close of the connection, and say whether it can be reused. Everything a general client
adds (redirects, cookies, proxies, decompression, auth flows) is Python work per call that
this path does not need; dropping it is what makes ``PooledFetcher`` fast.

Parsing phases: status line and headers (1xx answers are skipped), then the body by its
framing; ``data_received`` advances a small state machine so no byte is scanned twice.
"""

from __future__ import annotations

import asyncio
from typing import cast

__all__ = ["H1Connection", "H1Response", "ProtocolViolation"]

_MAX_HEAD = 64 * 1024


class ProtocolViolation(Exception):
    """The peer sent something that is not an HTTP/1.1 response."""


class H1Response:
    __slots__ = ("body", "headers", "keep_alive", "status")

    def __init__(self, status: int, headers: dict[str, str], body: bytes, keep_alive: bool) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.keep_alive = keep_alive


class H1Connection(asyncio.Protocol):
    """One HTTP/1.1 connection; ``request`` sends and awaits one response at a time."""

    __slots__ = (
        "_buffer",
        "_chunk_left",
        "_chunks",
        "_framing",
        "_headers",
        "_keep_alive",
        "_length",
        "_status",
        "_transport",
        "_waiter",
        "closed",
        "idle_since",
        "received_any",
    )

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._waiter: asyncio.Future[H1Response] | None = None
        self.closed = False
        self.idle_since = 0.0
        self.received_any = False
        self._reset()

    def _reset(self) -> None:
        self._status = 0
        self._headers: dict[str, str] = {}
        self._framing = "head"  # head | length | chunked | close
        self._length = 0
        self._chunk_left = -1
        self._chunks = bytearray()
        self._keep_alive = True

    # -- asyncio.Protocol ------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, only alike: no isinstance.
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            # Bytes nobody asked for: the connection is out of step; never reuse it.
            self.close()
            return
        self.received_any = True
        self._buffer += data
        try:
            response = self._parse()
        except ProtocolViolation as exc:
            self._fail(exc)
            return
        if response is not None:
            waiter, self._waiter = self._waiter, None
            if not response.keep_alive or self._buffer:
                self.close()
            waiter.set_result(response)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            if self._framing == "close":
                body = bytes(self._buffer)
                self._buffer.clear()
                self._waiter.set_result(H1Response(self._status, self._headers, body, False))
            else:
                self._waiter.set_exception(
                    ConnectionResetError("connection closed before a complete response")
                )
        self._waiter = None

    # -- client side -----------------------------------------------------------------
    def request(self, data: bytes) -> asyncio.Future[H1Response]:
        """Write one request; the future completes with its response."""
        assert self._transport is not None and self._waiter is None
        self._reset()
        self.received_any = False
        self._waiter = asyncio.get_running_loop().create_future()
        self._transport.write(data)
        return self._waiter

    def close(self) -> None:
        self.closed = True
        if self._transport is not None:
            self._transport.close()

    @property
    def reusable(self) -> bool:
        return not self.closed and self._transport is not None and not self._transport.is_closing()

    def _fail(self, exc: Exception) -> None:
        waiter, self._waiter = self._waiter, None
        self.close()
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)

    # -- parsing ---------------------------------------------------------------------
    def _parse(self) -> H1Response | None:
        while self._framing == "head":
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > _MAX_HEAD:
                    raise ProtocolViolation("response head too large")
                return None
            head = bytes(self._buffer[:end])
            del self._buffer[: end + 4]
            self._read_head(head)
        if self._framing == "length":
            if len(self._buffer) < self._length:
                return None
            body = bytes(self._buffer[: self._length])
            del self._buffer[: self._length]
            return H1Response(self._status, self._headers, body, self._keep_alive)
        if self._framing == "chunked":
            return self._parse_chunks()
        return None  # "close": the body ends with the connection

    def _read_head(self, head: bytes) -> None:
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
            raise ProtocolViolation("not an HTTP/1.x status line")
        status = int(parts[1])
        if 100 <= status < 200:
            return  # an interim answer; the real one follows
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if not sep:
                raise ProtocolViolation("malformed header line")
            key = name.strip().decode("latin-1").lower()
            text = value.strip().decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        self._status = status
        self._headers = headers
        connection = headers.get("connection", "").lower()
        self._keep_alive = parts[0] == b"HTTP/1.1" and "close" not in connection
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self._framing = "chunked"
        elif "content-length" in headers:
            try:
                self._length = int(headers["content-length"])
            except ValueError:
                raise ProtocolViolation("bad Content-Length") from None
            if self._length < 0:
                raise ProtocolViolation("bad Content-Length")
            self._framing = "length"
        elif status in (204, 304):
            self._framing = "length"
        else:
            self._framing = "close"
            self._keep_alive = False

    def _parse_chunks(self) -> H1Response | None:
        buffer = self._buffer
        while True:
            if self._chunk_left < 0:
                end = buffer.find(b"\r\n")
                if end < 0:
                    return None
                size_text = bytes(buffer[:end]).split(b";", 1)[0].strip()
                try:
                    size = int(size_text, 16)
                except ValueError:
                    raise ProtocolViolation("bad chunk size") from None
                del buffer[: end + 2]
                if size == 0:
                    self._chunk_left = -2  # trailers follow
                else:
                    self._chunk_left = size
            if self._chunk_left == -2:
                if buffer.startswith(b"\r\n"):
                    del buffer[:2]
                else:
                    end = buffer.find(b"\r\n\r\n")
                    if end < 0:
                        return None
                    del buffer[: end + 4]
                body = bytes(self._chunks)
                return H1Response(self._status, self._headers, body, self._keep_alive)
            if len(buffer) < self._chunk_left + 2:
                return None
            self._chunks += buffer[: self._chunk_left]
            del buffer[: self._chunk_left + 2]
            self._chunk_left = -1
