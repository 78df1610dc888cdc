"""The renewal floor's statements, written once for SQLite, and how PostgreSQL's words are
derived from them (``UUID(x)``/``TEXT(x)`` mark casts)."""

from __future__ import annotations

import re

CASE = """CASE WHEN valid_through >= :active THEN 'active'
 WHEN valid_through >= :window THEN 'in_renewal_window'
 WHEN valid_through >= :lapsed THEN 'lapsed' WHEN valid_through >= :expired THEN 'expired'
 ELSE 'terminated' END"""
STATUS = {
    "select": """SELECT TEXT(id), status FROM certification
 WHERE status NOT IN ('suspended', 'revoked') AND status <> {CASE} LIMIT :chunk""",
    "update": """UPDATE certification SET status = {CASE}, version = version + 1
 WHERE id IN (SELECT UUID(r.value ->> 0) FROM json_each(:rows) r)
 RETURNING TEXT(id), number, TEXT(application_id), status, version""",
    "audit": """INSERT INTO audit_record
 (occurred_at, actor, action, entity_type, entity_id, "before", "after")
SELECT :now, :actor, 'certification.status_changed', 'certification', r.value ->> 7,
       json_object('status', r.value ->> 2, 'version', CAST(r.value ->> 4 AS int) - 1),
       json_object('status', r.value ->> 3, 'version', CAST(r.value ->> 4 AS int))
  FROM json_each(:rows) r""",
    "event": """INSERT INTO outbox_event
 (id, type, aggregate_type, aggregate_id, occurred_at, payload)
SELECT UUID(r.value ->> 1), 'certification.status_changed', 'certification', r.value ->> 7, :now,
       json_object('certification_id', r.value ->> 7, 'number', r.value ->> 5,
                   'application_id', r.value ->> 6, 'from', r.value ->> 2,
                   'to', r.value ->> 3, 'on', TEXT(:day))
  FROM json_each(:rows) r""",
    "deliveries": """INSERT INTO outbox_delivery
 (event_id, subscriber, status, attempts, next_attempt_at)
SELECT UUID(r.value ->> 1), s.value, 'pending', 0, :now
  FROM json_each(:rows) r CROSS JOIN json_each(:subscribers) s""",
}
REMIND = {
    "select": """SELECT TEXT(c.application_id), a.email, TEXT(c.valid_through)
  FROM certification c JOIN application a ON a.id = c.application_id
 WHERE c.status NOT IN ('suspended', 'revoked')
   AND c.valid_through <= :latest AND c.valid_through >= :earliest
   AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.application_id = c.application_id
                   AND n.dedupe_key = TEXT(:prefix) || TEXT(c.valid_through) || TEXT(:suffix))
 LIMIT :chunk""",
    "notice": """INSERT INTO notification (id, application_id, reason, dedupe_key, recipient,
 subject, body, created_at, created_on, created_by)
SELECT UUID(r.value ->> 0), UUID(r.value ->> 1), TEXT(:reason), r.value ->> 2, r.value ->> 3,
       r.value ->> 4, r.value ->> 5, :now, :today, :actor
  FROM json_each(:rows) r WHERE true
ON CONFLICT DO NOTHING""",
    "event": """INSERT INTO outbox_event
 (id, type, aggregate_type, aggregate_id, occurred_at, payload)
SELECT UUID(r.value ->> 6), 'notification.requested', 'notification', r.value ->> 0, :now,
       json_object('notification_id', r.value ->> 0, 'to', n.recipient, 'subject', n.subject,
                   'body', n.body)
  FROM json_each(:rows) r JOIN notification n ON n.id = UUID(r.value ->> 0)""",
    "delivery": """INSERT INTO outbox_delivery
 (event_id, subscriber, status, attempts, next_attempt_at)
SELECT UUID(r.value ->> 6), 'mailer', 'pending', 0, :now FROM json_each(:rows) r""",
}


def dashed(text: str) -> str:
    h = text.replace("-", "")
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def in_dialect(sql: str, dialect: str) -> tuple[str, list[str]]:
    """``sql`` in ``dialect``'s words, and its parameters in order (PostgreSQL: ``$n``)."""
    sql = sql.replace("{CASE}", CASE)
    if dialect == "sqlite":
        sql = re.sub(r"(UUID|TEXT)\(([^()]*)\)", r"\2", sql)
        return sql, []
    sql = (
        sql.replace("json_each(:rows) r", "json_array_elements(CAST(:rows AS json)) r")
        .replace("json_each(:subscribers) s", "unnest(CAST(:subscribers AS text[])) s(value)")
        .replace("json_object(", "json_build_object(")
    )
    sql = re.sub(r"UUID\(([^()]*)\)", r"CAST(\1 AS uuid)", sql)
    sql = re.sub(r"TEXT\(([^()]*)\)", r"CAST(\1 AS text)", sql)
    names: list[str] = []
    for name in re.findall(r"(?<!:):([a-z]+)", sql):
        if name not in names:
            names.append(name)
    for position, name in enumerate(names, 1):
        sql = re.sub(rf"(?<!:):{name}\b", f"${position}", sql)
    return sql, names
