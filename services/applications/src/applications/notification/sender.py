"""Where notices go: a log line, a folder of .eml files (the default), or an SMTP server."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import structlog
from pydantic import BaseModel

log = structlog.get_logger(__name__)


class OutgoingMessage(BaseModel):
    """A notice as the mailer gets it from the outbox."""

    notification_id: str
    to: str
    subject: str
    body: str


class Sender(Protocol):
    """Where notices go."""

    async def send(self, message: OutgoingMessage) -> None:
        """Deliver ``message`` or raise; the outbox retries a failure."""
        ...


def _email(message: OutgoingMessage, sender_address: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender_address
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = f"<{message.notification_id}@certboard>"
    email.set_content(message.body)
    return email


class LogSender:
    """Logs each notice instead of mailing it (development)."""

    async def send(self, message: OutgoingMessage) -> None:
        """Log the notice's id, recipient and subject."""
        log.info(
            "notification",
            notification_id=message.notification_id,
            to=message.to,
            subject=message.subject,
        )


class FileSender:
    """Writes each notice as ``<notification id>.eml``; a redelivery overwrites, never doubles."""

    def __init__(self, folder: Path, sender_address: str) -> None:
        self.folder = folder
        self.sender_address = sender_address

    def _write(self, message: OutgoingMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{message.notification_id}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(_email(message, self.sender_address).as_bytes())
        tmp.replace(path)

    async def send(self, message: OutgoingMessage) -> None:
        """Write the notice's file, off the event loop."""
        await asyncio.to_thread(self._write, message)


class SmtpSender:
    """Mails each notice through an SMTP server, a connection per notice."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender_address: str,
        username: str | None,
        password: str | None,
        starttls: bool,
        timeout: float,
    ) -> None:
        self.host, self.port, self.sender_address = host, port, sender_address
        self.username, self.password, self.starttls, self.timeout = (
            username,
            password,
            starttls,
            timeout,
        )

    def _send(self, message: OutgoingMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(_email(message, self.sender_address))

    async def send(self, message: OutgoingMessage) -> None:
        """Mail the notice, off the event loop."""
        await asyncio.to_thread(self._send, message)
