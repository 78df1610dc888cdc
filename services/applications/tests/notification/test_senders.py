"""Each sender delivers the notice it is given; SMTP against a minimal local SMTP server."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest

from applications.notification.sender import FileSender, OutgoingMessage, SmtpSender

MESSAGE = OutgoingMessage(
    notification_id="0f0e0d0c",
    to="maria@example.org",
    subject="Your application needs more information",
    body="Please send your diploma by June 8, 2026.",
)


async def test_file_sender_writes_one_eml_per_notice(tmp_path: Path) -> None:
    sender = FileSender(tmp_path / "mail", "board@example.org")
    await sender.send(MESSAGE)
    await sender.send(MESSAGE)  # a redelivery overwrites rather than doubles
    [path] = list((tmp_path / "mail").iterdir())
    parsed = message_from_bytes(path.read_bytes())
    assert path.name == "0f0e0d0c.eml"
    assert parsed["To"] == "maria@example.org"
    assert parsed["From"] == "board@example.org"
    assert parsed.get_payload().strip() == MESSAGE.body


class _SMTPHandler(socketserver.StreamRequestHandler):
    received: list[bytes]

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self._reply("220 test ESMTP")
        while line := self.rfile.readline():
            verb = line.decode().strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 test")
            elif verb == "DATA":
                self._reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.received.append(data)
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("250 ok")


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[bytes]]]:
    received: list[bytes] = []
    handler = type("Handler", (_SMTPHandler,), {"received": received})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], received
    server.shutdown()
    server.server_close()


async def test_smtp_sender_hands_the_message_to_the_server(smtp_server) -> None:
    port, received = smtp_server
    sender = SmtpSender(
        host="127.0.0.1",
        port=port,
        sender_address="board@example.org",
        username=None,
        password=None,
        starttls=False,
        timeout=5,
    )
    await sender.send(MESSAGE)
    [data] = received
    parsed = message_from_bytes(data)
    assert parsed["Subject"] == MESSAGE.subject
    assert parsed["Message-ID"] == "<0f0e0d0c@certboard>"


async def test_smtp_failure_raises_so_the_outbox_retries() -> None:
    sender = SmtpSender(
        host="127.0.0.1",
        port=9,
        sender_address="b@example.org",
        username=None,
        password=None,
        starttls=False,
        timeout=2,
    )
    with pytest.raises(ConnectionRefusedError):
        await sender.send(MESSAGE)
