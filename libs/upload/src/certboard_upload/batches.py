"""Sending batches to the applications service and adding up its answers.

Each batch carries an Idempotency-Key (see ``csvfile.batch_key``), so a batch may be sent
again whenever its answer is in doubt: the service replays what it answered before.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

import httpx

from certboard_upload.csvfile import CsvRow

MAX_TRIES = 5
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 30.0


class BatchFailed(Exception):
    """A batch the service refused or never answered (exit 1)."""


@dataclass
class Summary:
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    rejections: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def _error(response: httpx.Response) -> dict[str, Any]:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def _retryable(response: httpx.Response, code: str | None) -> bool:
    status = response.status_code
    return status >= 500 or status in (408, 429) or code == "IDEMPOTENCY_IN_PROGRESS"


def _explain(response: httpx.Response, error: dict[str, Any], provider_id: uuid.UUID) -> str:
    status, code = response.status_code, error.get("code")
    detail = f"HTTP {status} {code or response.reason_phrase}: {error.get('message', '')}"
    if error.get("field"):
        detail += f" (field {error['field']})"
    if error.get("request_id"):
        detail += f" [request {error['request_id']}]"
    hint = {
        401: "the token was refused; check --token or $CERTBOARD_TOKEN (it may have expired)",
        403: "the token may not upload certificates",
        404: f"no provider {provider_id} for this token; check --provider-id and --url",
    }.get(status)
    if code == "IDEMPOTENCY_KEY_REUSED":
        hint = "this batch was sent before with other content (an attached file changed?)"
    return f"{detail}\n{hint}" if hint else detail


def send_batch(
    client: httpx.Client,
    path: str,
    key: str,
    rows: list[dict[str, Any]],
    *,
    provider_id: uuid.UUID,
    sleep: Callable[[float], None],
    note: Callable[[str], None],
) -> httpx.Response:
    """POST one batch, retrying what may pass on a later try with exponential backoff."""
    for attempt in range(1, MAX_TRIES + 1):
        retry_after: str | None = None
        try:
            response = client.post(
                path, json={"certificates": rows}, headers={"Idempotency-Key": key}
            )
        except httpx.TransportError as exc:
            problem = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code == 200:
                return response
            error = _error(response)
            if not _retryable(response, error.get("code")):
                raise BatchFailed(_explain(response, error, provider_id))
            problem = _explain(response, error, provider_id)
            retry_after = response.headers.get("Retry-After")
        if attempt == MAX_TRIES:
            raise BatchFailed(f"no answer after {MAX_TRIES} tries; last: {problem}")
        delay = BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)
        if retry_after is not None and retry_after.isdigit():
            delay = float(retry_after)
        delay = min(delay, BACKOFF_CAP_SECONDS)
        note(f"{problem.splitlines()[0]}; trying again in {delay:g}s ({attempt}/{MAX_TRIES})")
        sleep(delay)
    raise AssertionError("unreachable")


def record(summary: Summary, response: httpx.Response, batch: list[CsvRow]) -> dict[str, Any]:
    """Add one batch's answer to the summary; its counts are returned for the progress line."""
    try:
        body = response.json()
        counts, results = body["batch"], body["results"]
        for name in ("accepted", "duplicate", "rejected"):
            setattr(summary, name, getattr(summary, name) + int(counts[name]))
        for result in results:
            index = int(result["index"])
            row = batch[index] if 0 <= index < len(batch) else None
            certificate_id = result.get("certificate_id") or (
                row.values["certificate_id"] if row else "?"
            )
            if result["outcome"] == "rejected":
                where = f"line {row.line}" if row else f"row {index}"
                summary.rejections.append(
                    f"{where}: {certificate_id}: {result.get('field') or '-'}: "
                    f"{result.get('reason') or 'rejected'}"
                )
            elif result["outcome"] == "duplicate":
                summary.duplicates.append(str(certificate_id))
    except (KeyError, TypeError, ValueError) as exc:
        raise BatchFailed(f"the service's answer is not an upload result ({exc!r})") from exc
    return dict(counts)


def print_summary(summary: Summary, malformed: list[str], out: TextIO) -> None:
    """Totals, then each row that was not received and why."""
    out.write(
        f"accepted: {summary.accepted}\nduplicate: {summary.duplicate}\n"
        f"rejected: {summary.rejected}\n"
    )
    sections = (
        ("not sent (malformed CSV rows)", malformed),
        ("rejected (line: certificate_id: field: reason)", summary.rejections),
        ("duplicates (received before)", summary.duplicates),
    )
    for title, lines in sections:
        if lines:
            out.write(f"\n{title}:\n" + "".join(f"  {line}\n" for line in lines))
