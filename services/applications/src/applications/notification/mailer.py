"""The in-process outbox subscriber that hands notices to the configured sender."""

from __future__ import annotations

from applications.config import Settings
from applications.notification.sender import (
    FileSender,
    LogSender,
    OutgoingMessage,
    Sender,
    SmtpSender,
)
from applications.notification.service import NOTIFICATION_EVENT
from certboard_core.outbox import EventEnvelope, LocalSubscriber


def build_sender(settings: Settings) -> Sender:
    """The sender the settings name: a log line, SMTP, or (the default) a folder of files."""
    if settings.notification_sender == "log":
        return LogSender()
    if settings.notification_sender == "smtp":
        return SmtpSender(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender_address=settings.notification_from,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            starttls=settings.smtp_starttls,
            timeout=settings.http_timeout_seconds,
        )
    return FileSender(settings.mail_path, settings.notification_from)


def mailer(sender: Sender) -> LocalSubscriber:
    """The outbox subscriber that mails each requested notice through ``sender``."""

    async def deliver(event: EventEnvelope) -> None:
        """Send the notice the event carries; raising leaves it for the outbox to retry."""
        await sender.send(OutgoingMessage.model_validate(event.payload))

    return LocalSubscriber(event_types=frozenset({NOTIFICATION_EVENT}), handler=deliver)
