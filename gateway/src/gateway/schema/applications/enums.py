"""The applications service's vocabularies as GraphQL enums (values are the REST values)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="Where an application stands as of today, deadlines applied.")
class ApplicationStatus(Enum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    INCOMPLETE = "incomplete"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"
    VOID = "void"
    EXPIRED = "expired"
    CERTIFIED = "certified"


@strawberry.enum
class LivedExperience(Enum):
    CONSUMER = "consumer"
    FAMILY_MEMBER = "family_member"


@strawberry.enum
class DocumentKind(Enum):
    GOVERNMENT_ID = "government_id"
    DIPLOMA = "diploma"
    OTHER = "other"


@strawberry.enum(description="What staff can ask an applicant to fix.")
class RevisionItem(Enum):
    APPLICATION_FEE = "application_fee"
    GOVERNMENT_ID = "government_id"
    DIPLOMA = "diploma"
    NAME_MISMATCH = "name_mismatch"
    DATE_OF_BIRTH = "date_of_birth"
    ATTESTATION = "attestation"
    BACKGROUND_CHECK = "background_check"
    SUPERVISION_AGREEMENT = "supervision_agreement"
    OTHER = "other"


@strawberry.enum(description="Why a notice was sent to the applicant.")
class NotificationReason(Enum):
    STATUS_MESSAGE = "status_message"
    REVISION_REQUESTED = "revision_requested"
    APPROVED = "approved"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"
    VOIDED = "voided"
    EXPIRED = "expired"
    VOID_REMINDER = "void_reminder"
    EXPIRY_REMINDER = "expiry_reminder"
    EXAM_RESULT = "exam_result"
    EXAM_RESULT_CHANGED = "exam_result_changed"
    CERTIFIED = "certified"
    RENEWED = "renewed"
    CE_AUDIT = "ce_audit"
    DISCIPLINE_DECISION = "discipline_decision"
    SUPERVISION_REMINDER = "supervision_reminder"
    RENEWAL_REMINDER = "renewal_reminder"
    CERTIFICATION_LAPSED = "certification_lapsed"
    CERTIFICATION_EXPIRED = "certification_expired"


@strawberry.enum
class FeeKind(Enum):
    APPLICATION = "application"
    EXAM = "exam"
    RETAKE = "retake"
    RENEWAL = "renewal"
    LATE = "late"
    REINSTATEMENT = "reinstatement"


@strawberry.enum(description="The fingerprint background check, as staff recorded it.")
class BackgroundCheck(Enum):
    NOT_VERIFIED = "not_verified"
    PASSED = "passed"
    FAILED = "failed"


@strawberry.enum(description="The staff work queues, each ordered by its deadline.")
class WorkQueue(Enum):
    FIRST_NOTIFICATION = "first-notification"
    BREACHES = "breaches"
    INCOMPLETE = "incomplete"
    EXPIRING = "expiring"


@strawberry.enum(description="Where a certification stands as of today.")
class CertificationStatus(Enum):
    ACTIVE = "active"
    IN_RENEWAL_WINDOW = "in_renewal_window"
    LAPSED = "lapsed"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SURRENDERED = "surrendered"
