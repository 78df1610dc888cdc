"""The applications service's own failures, each with a stable code."""

from __future__ import annotations

from certboard_core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType


class DocumentTooLarge(PayloadTooLarge):
    code = "DOCUMENT_TOO_LARGE"


class DocumentTypeNotAccepted(UnsupportedMediaType):
    code = "DOCUMENT_TYPE_NOT_ACCEPTED"


class EmptyDocument(InvalidInput):
    code = "DOCUMENT_EMPTY"


class ApplicantTooYoung(InvalidInput):
    code = "APPLICANT_TOO_YOUNG"


class AttestationMissing(InvalidInput):
    code = "ATTESTATION_REQUIRED"
