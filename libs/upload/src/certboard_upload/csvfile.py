"""Reading a provider's certificate CSV into API rows (the ``certboard-upload`` command's input)."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REQUIRED = (
    "certificate_id",
    "legal_name",
    "date_of_birth",
    "email",
    "program_id",
    "completion_date",
    "hours",
)
OPTIONAL = ("applicant_id", "file")


class UsageError(Exception):
    """A bad argument or CSV file: nothing was sent (exit 2)."""


@dataclass(frozen=True)
class CsvRow:
    line: int  # where the record starts in the file, as people count lines
    values: dict[str, str]


@dataclass
class CsvFile:
    rows: list[CsvRow]
    malformed: list[str]
    sha256: str
    ignored: list[str]  # columns the command does not know, most likely misspelt


def read_csv(path: Path) -> CsvFile:
    """The file's rows with their line numbers; rows with the wrong column count set aside."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise UsageError(f"{path}: missing column(s): {', '.join(missing)}")
        if len(set(header)) != len(header):
            raise UsageError(f"{path}: a column name appears twice in the header")
        rows: list[CsvRow] = []
        malformed: list[str] = []
        start = reader.line_num + 1
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                malformed.append(
                    f"line {line}: {len(record)} columns where the header has {len(header)}"
                )
                continue
            values = dict(zip(header, (cell.strip() for cell in record), strict=True))
            rows.append(CsvRow(line, values))
    except csv.Error as exc:
        raise UsageError(f"{path}, line {reader.line_num}: {exc}") from exc
    ignored = [name for name in header if name not in (*REQUIRED, *OPTIONAL)]
    return CsvFile(rows, malformed, hashlib.sha256(raw).hexdigest(), ignored)


def batch_key(provider_id: uuid.UUID, file_sha256: str, batch_size: int, index: int) -> str:
    """The Idempotency-Key of one batch: the same file, provider and batch size give the same."""
    seed = f"certboard-upload/1\n{provider_id}\n{file_sha256}\n{batch_size}\n{index}"
    return f"upload-{hashlib.sha256(seed.encode()).hexdigest()[:40]}-{index}"


def attachment(row: CsvRow, folder: Path) -> Path | None:
    name = row.values.get("file", "")
    return folder / name if name else None


def to_payload(row: CsvRow, folder: Path) -> dict[str, Any]:
    """One CSV row as the API reads it; values are checked by the service, row by row."""
    values = row.values
    hours: int | str
    try:
        hours = int(values["hours"])
    except ValueError:
        hours = values["hours"]  # sent as is: the service rejects the row naming the field
    attached = attachment(row, folder)
    try:
        content = attached.read_bytes() if attached else None
    except OSError as exc:
        raise UsageError(f"line {row.line}: cannot read {attached}: {exc}") from exc
    return {
        **{name: values[name] for name in REQUIRED if name != "hours"},
        "hours": hours,
        "applicant_id": values.get("applicant_id") or None,
        "file_base64": None if content is None else base64.b64encode(content).decode("ascii"),
    }
