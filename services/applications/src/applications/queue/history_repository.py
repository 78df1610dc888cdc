"""The SQL of the queues' last days: per queue, the items whose stay overlaps them (still
waiting, or left since their first day), each through an index that holds only those rows
(application.models, certificate.models, ce.models)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import case, func, null, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.lifecycle import WAITING_ON_STAFF, ApplicationStatus
from applications.application.models import Application, RevisionRequest
from applications.ce.models import CeRecord, CeRecordStatus
from applications.ce_audit.models import CeAudit
from applications.ce_audit.rules import OPEN, AuditStatus
from applications.certificate.models import CertificateStatus, TrainingCertificate
from applications.certification.models import Certification
from applications.certification.rules import DISCIPLINE
from certboard_core.queue_history import Span

A, C, R, U, V = Application, TrainingCertificate, CeRecord, CeAudit, RevisionRequest
# A certificate linked by hand: on arrival it matched no application. Also the condition of
# the partial index that holds them (certificate.models).
MATCHED_LATER = col(C.matched_at) > col(C.received_at)
DECIDED = (AuditStatus.ACCEPTED, AuditStatus.REFERRED)
# Closed by a decision while it may wait on the applicant (a void ends on its last day).
CLOSED = (ApplicationStatus.DENIED, ApplicationStatus.WITHDRAWN)
APPROVED = (ApplicationStatus.APPROVED, ApplicationStatus.EXPIRED, ApplicationStatus.CERTIFIED)

# When an item joined, and when it left (None: still waits).
Stay = tuple[datetime, datetime | None]


class HistoryRepository:
    """Each queue's stays since a day, for ``applications.queue.history``."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_notices(self, since: date) -> list[Span]:
        """Every application in the first-notice queue on a day from ``since``: still waiting
        on staff unnotified, or notified since. One that left unnotified (withdrawn) is not
        counted on the days it waited. Grouped by their days: 15,000 waiting applications
        are a few dozen rows, each half read from its own covering partial index alone."""
        joined, due = col(A.submitted_on), col(A.first_notification_due_on)
        # The status is grouped and picked here rather than filtered in SQL: given
        # ``status IN (...)``, SQLite takes the status index and visits every row waiting on
        # staff (45 ms over 30,000) instead of this index alone (under 2 ms).
        unnotified = await self.session.exec(
            select(joined, due, col(A.status), func.count())
            .where(col(A.first_notified_on).is_(None))
            .group_by(joined, due, col(A.status))
        )
        notified_on = col(A.first_notified_on)
        notified = await self.session.exec(
            select(joined, notified_on, due, func.count())
            .where(notified_on >= since)
            .group_by(joined, notified_on, due)
        )
        return [
            Span(day, None, due_on, n)
            for day, due_on, status, n in unnotified.all()
            if status in WAITING_ON_STAFF
        ] + [Span(day, left, due_on, n) for day, left, due_on, n in notified.all()]

    async def certificate_reviews(
        self, since: datetime
    ) -> Sequence[tuple[datetime, datetime | None, date]]:
        """Each certificate waiting for review, or reviewed since ``since``: when it came, when
        it was reviewed, its review day."""
        rows = await self.session.exec(
            select(col(C.received_at), col(C.reviewed_at), col(C.review_due_on)).where(
                or_(col(C.status) == CertificateStatus.PENDING_REVIEW, col(C.reviewed_at) >= since)
            )
        )
        return rows.all()

    async def unmatched_certificates(self, since: datetime) -> Sequence[Stay]:
        """Each certificate linked to no application, or linked by hand since ``since`` (one
        matched on arrival never waited)."""
        rows = await self.session.exec(
            select(col(C.received_at), col(C.matched_at)).where(
                or_(col(C.application_id).is_(None), MATCHED_LATER & (col(C.matched_at) >= since))
            )
        )
        return rows.all()

    async def ce_verifications(self, since: datetime) -> Sequence[Stay]:
        """Each self-reported CE record waiting for staff, or verified since ``since``."""
        rows = await self.session.exec(
            select(col(R.received_at), col(R.reviewed_at)).where(
                or_(
                    col(R.status) == CeRecordStatus.PENDING_VERIFICATION,
                    col(R.reviewed_at) >= since,
                )
            )
        )
        return rows.all()

    async def ce_audits(self, since: datetime) -> Sequence[Stay]:
        """Each CE audit open, or decided since ``since``. An open audit may carry an earlier
        review (deficient, in its cure period): it has not left."""
        left = case((col(U.status).in_(OPEN), null()), else_=col(U.reviewed_at))
        rows = await self.session.exec(
            select(col(U.created_at), left).where(
                or_(
                    col(U.status).in_(OPEN),
                    col(U.status).in_(DECIDED) & (col(U.reviewed_at) >= since),
                )
            )
        )
        return rows.all()

    async def revisions(
        self, since: datetime, first_day: date
    ) -> Sequence[tuple[datetime, datetime | None, date]]:
        """Each revision request open on a day from ``first_day`` (``since``, its first
        instant): when it was asked, when it ended (answered, or replaced by another, or the
        application denied or withdrawn; None: none of those) and the application's last day
        to complete (it is void after it)."""
        ended = func.coalesce(
            col(V.resolved_at), case((col(A.status).in_(CLOSED), col(A.closed_at)), else_=null())
        )
        rows = await self.session.exec(
            select(col(V.requested_at), ended, col(A.last_day_to_complete))
            .join(A, col(A.id) == col(V.application_id))
            .where(
                or_(
                    col(V.resolved_at) >= since,
                    col(V.resolved_at).is_(None)
                    & or_(col(A.closed_at) >= since, col(A.last_day_to_complete) >= first_day),
                )
            )
        )
        return rows.all()

    async def approvals(
        self, first_day: date, last_valid: date
    ) -> list[tuple[date, date | None, int]]:
        """How many approvals ended their window on each day from ``first_day`` to
        ``last_valid``, by the day each was certified (None: not certified)."""
        certified = col(Certification.issued_on)
        rows = await self.session.exec(
            select(col(A.valid_through), certified, func.count())
            .outerjoin(Certification, col(Certification.application_id) == col(A.id))
            .where(
                col(A.status).in_(APPROVED),
                col(A.valid_through) >= first_day,
                col(A.valid_through) <= last_valid,
            )
            .group_by(col(A.valid_through), certified)
        )
        return [(valid, on, n) for valid, on, n in rows.all() if valid is not None]

    async def certifications_ending(self, first: date, last: date) -> Sequence[tuple[date, int]]:
        """How many certifications (neither suspended nor revoked) end on each day from
        ``first`` to ``last``."""
        valid = col(Certification.valid_through)
        rows = await self.session.exec(
            select(valid, func.count())
            .where(valid >= first, valid <= last, col(Certification.status).not_in(DISCIPLINE))
            .group_by(valid)
        )
        return rows.all()
