"""``certboard-upload``: send a training provider's certificates from a CSV file.

Each batch carries an Idempotency-Key made from the provider, the CSV file's SHA-256, the
batch size and the batch's place in the file. Running the same command again after an
interruption therefore replays the batches that were answered and sends the rest; nothing is
received twice.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import httpx

from certboard_upload.batches import BatchFailed, Summary, print_summary, record, send_batch
from certboard_upload.csvfile import (
    CsvFile,
    UsageError,
    attachment,
    batch_key,
    read_csv,
    to_payload,
)

MAX_BATCH = 1000
BAR_WIDTH = 30


class Progress:
    """A bar redrawn in place on a terminal; one line per batch anywhere else."""

    def __init__(self, stream: TextIO, batches: int) -> None:
        self.stream, self.batches, self.rows = stream, batches, 0
        self.tty = stream.isatty()
        self.drawn = False

    def _draw(self, done: int) -> None:
        filled = BAR_WIDTH * done // max(self.batches, 1)
        bar = "#" * filled + " " * (BAR_WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done}/{self.batches} batches, {self.rows} rows")
        self.stream.flush()
        self.drawn = True

    def start(self) -> None:
        if self.tty:
            self._draw(0)

    def note(self, message: str) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.drawn = False
        self.stream.write(message + "\n")
        self.stream.flush()

    def batch_done(self, done: int, rows: int, counts: dict[str, Any], replayed: bool) -> None:
        self.rows += rows
        if self.tty:
            self._draw(done)
            return
        again = ", replayed" if replayed else ""
        self.note(
            f"batch {done}/{self.batches}: {rows} rows (accepted {counts.get('accepted')}, "
            f"duplicate {counts.get('duplicate')}, rejected {counts.get('rejected')}{again})"
        )

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="certboard-upload", description="Send training certificates from a CSV file."
    )
    parser.add_argument("csv_file", type=Path, metavar="FILE.csv")
    parser.add_argument(
        "--url",
        required=True,
        help="the applications service, e.g. https://applications.example.org",
    )
    parser.add_argument("--provider-id", required=True, type=uuid.UUID)
    parser.add_argument("--token", help="the provider's token (default: $CERTBOARD_TOKEN)")
    parser.add_argument("--batch-size", type=int, default=MAX_BATCH, help="1 to 1000 rows")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    return parser


def _check(args: argparse.Namespace, token: str | None, err: TextIO) -> CsvFile:
    """The parsed CSV file once the arguments and every attached file are in order."""
    if not token:
        raise UsageError("no token: pass --token or set CERTBOARD_TOKEN")
    if not 1 <= args.batch_size <= MAX_BATCH:
        raise UsageError(f"--batch-size must be 1 to {MAX_BATCH}")
    try:
        url = httpx.URL(args.url)
    except httpx.InvalidURL as exc:
        raise UsageError(f"--url: {exc}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise UsageError("--url must be http(s)://host[:port]")
    if url.scheme == "http" and url.host not in ("localhost", "127.0.0.1", "::1"):
        err.write("certboard-upload: warning: the token is sent unencrypted over http\n")
    parsed = read_csv(args.csv_file)
    absent = [
        f"line {row.line}: {path}"
        for row in parsed.rows
        if (path := attachment(row, args.csv_file.parent)) is not None and not path.is_file()
    ]
    if absent:
        raise UsageError("attached file(s) not found:\n  " + "\n  ".join(absent))
    return parsed


def main(
    argv: list[str] | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command; 0 when every batch was answered, 1 when one failed, 2 on bad input."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed why
        return exc.code if isinstance(exc.code, int) else 2
    try:
        token = args.token or os.environ.get("CERTBOARD_TOKEN")
        parsed = _check(args, token, err)
    except UsageError as exc:
        err.write(f"certboard-upload: {exc}\n")
        return 2
    headers = {"Authorization": f"Bearer {token}", "User-Agent": "certboard-upload"}
    with httpx.Client(
        base_url=args.url, headers=headers, timeout=args.timeout, transport=transport
    ) as client:
        return _upload(client, args, parsed, sleep=sleep, out=out, err=err)


def _upload(
    client: httpx.Client,
    args: argparse.Namespace,
    parsed: CsvFile,
    *,
    sleep: Callable[[float], None],
    out: TextIO,
    err: TextIO,
) -> int:
    size = args.batch_size
    batches = [parsed.rows[i : i + size] for i in range(0, len(parsed.rows), size)]
    progress = Progress(err, len(batches))
    if parsed.ignored:
        progress.note(f"ignoring unknown column(s): {', '.join(parsed.ignored)}")
    for problem in parsed.malformed:
        progress.note(f"not sent: {problem}")
    summary, path = Summary(), f"/v1/providers/{args.provider_id}/certificates"
    progress.start()
    for index, batch in enumerate(batches):
        key = batch_key(args.provider_id, parsed.sha256, size, index)
        try:
            payload = [to_payload(row, args.csv_file.parent) for row in batch]
            response = send_batch(
                client, path, key, payload, provider_id=args.provider_id, sleep=sleep,
                note=progress.note,
            )  # fmt: skip
            counts = record(summary, response, batch)
        except (UsageError, BatchFailed) as exc:
            progress.finish()
            print_summary(summary, parsed.malformed, out)
            err.write(
                f"certboard-upload: batch {index + 1} of {len(batches)} failed: {exc}\n"
                "The batches before it were received. Running the same command again "
                "resumes: answered batches are replayed, not received twice.\n"
            )
            return 2 if isinstance(exc, UsageError) else 1
        replayed = response.headers.get("Idempotent-Replayed") == "true"
        progress.batch_done(index + 1, len(batch), counts, replayed)
    progress.finish()
    print_summary(summary, parsed.malformed, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
