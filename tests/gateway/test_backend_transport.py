"""The gateway's real transport to a backend (aiohttp's connections behind httpx's interface):
answers come back whole over kept-alive connections, and each way a backend can fail is named
as the error contract names it: refused or dropped is UPSTREAM_UNAVAILABLE, silent past the
timeout is UPSTREAM_TIMEOUT."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from certboard_core.transport import internal_transport
from gateway.clients.transport import ServiceClient
from gateway.errors import CodedError

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """HTTP/1.1 with keep-alive: each request's path and headers echoed back as JSON."""
    while not reader.at_eof():
        lines = (await reader.readuntil(b"\r\n\r\n")).decode().split("\r\n")
        pairs = (line.split(": ", 1) for line in lines[1:] if line)
        headers = {name.lower(): value for name, value in pairs}
        await reader.readexactly(int(headers.get("content-length", "0")))
        body = json.dumps({"path": lines[0].split(" ")[1], "headers": headers}).encode()
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            + f"content-length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()


async def _hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.close()


async def _silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    await asyncio.Event().wait()


class Server:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.connections = 0

    async def __call__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await self.handler(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[tuple[Server, str]]]]:
    started: list[asyncio.Server] = []

    async def start(handler: Handler) -> tuple[Server, str]:
        server = Server(handler)
        listening = await asyncio.start_server(server, "127.0.0.1", 0)
        started.append(listening)
        port = listening.sockets[0].getsockname()[1]
        return server, f"http://127.0.0.1:{port}"

    yield start
    for listening in started:
        listening.close()


def _client(url: str, *, timeout: float = 5.0) -> ServiceClient:
    http = httpx.AsyncClient(base_url=url, timeout=timeout, transport=internal_transport(4))
    return ServiceClient("applications", http, slots=4, wait_seconds=timeout)


async def test_answers_whole_over_one_kept_alive_connection(serve) -> None:
    server, url = await serve(_answer)
    client = _client(url)
    try:
        for n in range(3):
            answer = await client.request(
                "POST", f"/v1/{n}", token="t", request_id=f"r{n}", json={"ids": [n]}
            )
            body = answer.json()
            assert body["path"] == f"/v1/{n}"
            assert body["headers"]["authorization"] == "Bearer t"
            assert body["headers"]["x-request-id"] == f"r{n}"
        assert server.connections == 1
    finally:
        await client.http.aclose()


async def test_a_refused_connection_is_unavailable() -> None:
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    closed = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    client = _client(f"http://127.0.0.1:{closed}")
    try:
        with pytest.raises(CodedError) as refused:
            await client.request("GET", "/v1/x", token=None, request_id=None)
        assert (refused.value.code, refused.value.status) == ("UPSTREAM_UNAVAILABLE", 503)
    finally:
        await client.http.aclose()


async def test_a_dropped_connection_is_unavailable(serve) -> None:
    _, url = await serve(_hang_up)
    client = _client(url)
    try:
        with pytest.raises(CodedError) as dropped:
            await client.request("POST", "/v1/x", token=None, request_id=None, json={})
        assert dropped.value.code == "UPSTREAM_UNAVAILABLE"
    finally:
        await client.http.aclose()


async def test_a_silent_backend_times_out(serve) -> None:
    _, url = await serve(_silent)
    client = _client(url, timeout=0.2)
    try:
        with pytest.raises(CodedError) as silent:
            await client.request("GET", "/v1/x", token=None, request_id=None)
        assert (silent.value.code, silent.value.status) == ("UPSTREAM_TIMEOUT", 504)
    finally:
        await client.http.aclose()
