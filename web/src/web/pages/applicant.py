"""The applicant's forms: the application in one sitting with both documents, a document a
revision asks for, sending the application back, the exam request, and the credential.

Each POST is CSRF-checked and sent to the gateway as one operation; a refusal comes back on the
same page with what was typed, the field at fault and the gateway's reason."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from web.gateway import Answer, GraphQLError, Upload
from web.pages.account import status_page
from web.pages.caller import Caller, ask, not_found, role_or_refusal
from web.pages.public import error_words
from web.render import page
from web.security import require_csrf

router = APIRouter()

POLICY = "query ApplyPolicy { applicationPolicy { requiresRecoveryAttestations } }"
SUBMIT = """
mutation Submit($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }
"""
ADD_DOCUMENT = """
mutation Add($id: ID!, $kind: DocumentKind!, $file: Upload!) {
  addApplicationDocument(id: $id, kind: $kind, file: $file) { id }
}
"""
RESUBMIT = """
mutation Resubmit($id: ID!, $v: Int!) { resubmitApplication(id: $id, expectedVersion: $v) { id } }
"""
REQUEST_EXAM = """
mutation Exam($input: RequestExamInput!, $key: String) {
  requestExam(input: $input, idempotencyKey: $key) { id }
}
"""
CREDENTIAL = """
query Credential { me { applications { certification { id number credential { credential } } } } }
"""
TEXT_FIELDS = ("firstName", "lastName", "dateOfBirth", "email", "livedExperience")
CHECKS = (
    "codeOfEthicsAgreed",
    "willingToShareExperience",
    "recoveryTwoYearsAttested",
    "diagnosisTreatmentAttested",
)
# graphql-core names a variable's bad value in its message only: "... at 'input.dateOfBirth'".
VARIABLE_PATH = re.compile(r"at '(?:input\.)?(\w+)")
Text = Annotated[str, Form(max_length=200)]
Document = Annotated[UploadFile | None, File()]


def applicant_or_refusal(request: Request) -> Caller | Response:
    return role_or_refusal(request, "applicant", "applicant.only")


def field_of(error: GraphQLError) -> str | None:
    """The form field an error is about, spelled as the form's names are, lower case."""
    name = error.field
    if name is None and error.code == "BAD_USER_INPUT":
        found = VARIABLE_PATH.search(error.message)
        name = found.group(1) if found else None
    return name.replace("_", "").lower() if name else None


def refusal(request: Request, answer: Answer, form: str, typed: dict[str, Any]) -> dict[str, Any]:
    """A refused form: which, the errors in words, each refused field's words, what was typed."""
    errors = error_words(request, answer)
    fields = {
        name: said["words"]
        for error, said in zip(answer.errors, errors, strict=True)
        if (name := field_of(error))
    }
    return {"form": form, "errors": errors, "fields": fields, "typed": typed}


async def status_form(
    request: Request,
    caller: Caller,
    operation: tuple[str, dict[str, Any]],
    form: str,
    typed: dict[str, Any],
    done: str,
    files: dict[str, Upload] | None = None,
) -> Response:
    """One of the status page's forms, sent to the gateway as one operation: back to /me
    saying what was ``done``, or the page again with the refusal and what was ``typed``."""
    query, variables = operation
    answer = await ask(request, caller, query, variables, files=files)
    if isinstance(answer, Response):
        return answer
    if answer.errors:
        refused = refusal(request, answer, form, typed)
        return await status_page(request, caller, status_code=422, refusal=refused)
    return RedirectResponse(f"/me?done={done}", status_code=303)


# A file part needs a name to stay a file: without one it is a plain field, which the gateway
# refuses as a malformed request instead of naming the document that is missing.
UNCHOSEN = "unchosen"


async def upload_of(file: UploadFile | None) -> Upload:
    """The chosen file as the gateway takes it; none chosen is sent empty, for the gateway to
    refuse with the field's name."""
    if file is None:
        return (UNCHOSEN, b"", "application/octet-stream")
    content = await file.read()
    return (file.filename or UNCHOSEN, content, file.content_type or "application/octet-stream")


async def apply_page(
    request: Request, caller: Caller, *, status_code: int = 200, **extra: Any
) -> Response:
    answer = await ask(request, caller, POLICY)
    if isinstance(answer, Response):
        return answer
    policy = (answer.data or {}).get("applicationPolicy") or {}
    return page(
        request,
        "apply.html",
        status_code=status_code,
        recovery=bool(policy.get("requiresRecoveryAttestations")),
        errors=error_words(request, answer),
        **{"refusal": None, **extra},
    )


@router.get("/apply", response_model=None)
async def apply_form(request: Request) -> Response:
    """The application form: who you are, your attestations and both documents."""
    caller = applicant_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    return await apply_page(request, caller)


@router.post("/apply", dependencies=[Depends(require_csrf)], response_model=None)
async def apply(
    request: Request,
    first_name: Annotated[str, Form(alias="firstName", max_length=200)] = "",
    last_name: Annotated[str, Form(alias="lastName", max_length=200)] = "",
    date_of_birth: Annotated[str, Form(alias="dateOfBirth", max_length=20)] = "",
    email: Text = "",
    lived_experience: Annotated[str, Form(alias="livedExperience", max_length=20)] = "",
    code_of_ethics: Annotated[str, Form(alias="codeOfEthicsAgreed", max_length=10)] = "",
    willing: Annotated[str, Form(alias="willingToShareExperience", max_length=10)] = "",
    recovery: Annotated[str, Form(alias="recoveryTwoYearsAttested", max_length=10)] = "",
    diagnosis: Annotated[str, Form(alias="diagnosisTreatmentAttested", max_length=10)] = "",
    recovery_asked: Annotated[str, Form(alias="recoveryAsked", max_length=10)] = "",
    government_id: Annotated[UploadFile | None, File(alias="governmentId")] = None,
    diploma: Document = None,
) -> Response:
    """Submit the application with both documents; refused, the form comes back as typed."""
    caller = applicant_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    typed = {
        "firstName": first_name,
        "lastName": last_name,
        "dateOfBirth": date_of_birth,
        "email": email,
        "livedExperience": lived_experience,
        "codeOfEthicsAgreed": code_of_ethics,
        "willingToShareExperience": willing,
        "recoveryTwoYearsAttested": recovery,
        "diagnosisTreatmentAttested": diagnosis,
    }
    values: dict[str, Any] = {name: typed[name].strip() or None for name in TEXT_FIELDS}
    # The recovery attestations are sent only when the form asked (the board requires them).
    asked = CHECKS if recovery_asked else CHECKS[:2]
    values.update({name: bool(typed[name]) for name in asked})
    values.update(governmentId=None, diploma=None)
    files = {
        "variables.input.governmentId": await upload_of(government_id),
        "variables.input.diploma": await upload_of(diploma),
    }
    answer = await ask(request, caller, SUBMIT, {"input": values}, files=files)
    if isinstance(answer, Response):
        return answer
    if answer.errors:
        refused = refusal(request, answer, "apply", typed)
        return await apply_page(request, caller, status_code=422, refusal=refused)
    return RedirectResponse("/me?done=submitted", status_code=303)


@router.post(
    "/me/applications/{application_id}/documents",
    dependencies=[Depends(require_csrf)],
    response_model=None,
)
async def add_document(
    request: Request,
    application_id: uuid.UUID,
    kind: Annotated[str, Form(max_length=20)] = "",
    file: Document = None,
) -> Response:
    """Send a document the revision request asks for (earlier versions are kept)."""
    caller = applicant_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    variables = {"id": str(application_id), "kind": kind, "file": None}
    files = {"variables.file": await upload_of(file)}
    typed = {"application": str(application_id)}
    return await status_form(
        request, caller, (ADD_DOCUMENT, variables), f"upload-{kind}", typed, "uploaded", files
    )


@router.post(
    "/me/applications/{application_id}/resubmit",
    dependencies=[Depends(require_csrf)],
    response_model=None,
)
async def resubmit(
    request: Request,
    application_id: uuid.UUID,
    expected_version: Annotated[int, Form(alias="expectedVersion")],
) -> Response:
    """Send the application back to the board once the revision is answered."""
    caller = applicant_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    variables = {"id": str(application_id), "v": expected_version}
    typed = {"application": str(application_id)}
    return await status_form(
        request, caller, (RESUBMIT, variables), "resubmit", typed, "resubmitted"
    )


@router.post(
    "/me/applications/{application_id}/exam",
    dependencies=[Depends(require_csrf)],
    response_model=None,
)
async def request_exam(
    request: Request,
    application_id: uuid.UUID,
    language: Annotated[str, Form(max_length=20)] = "",
    delivery_mode: Annotated[str, Form(alias="deliveryMode", max_length=20)] = "",
    key: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Ask to take the exam, in English or Spanish, online or at a test centre."""
    caller = applicant_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    # The form's own key: sent twice (a double click, a retry), it is one request.
    request_input = {
        "applicationId": str(application_id),
        "language": language,
        "deliveryMode": delivery_mode,
    }
    variables = {"input": request_input, "key": key or None}
    typed = {"application": str(application_id), **request_input}
    return await status_form(
        request, caller, (REQUEST_EXAM, variables), "exam", typed, "exam_requested"
    )


@router.get("/me/certifications/{certification_id}/credential", response_model=None)
async def credential(request: Request, certification_id: uuid.UUID) -> Response:
    """The holder's signed credential (a VC-JWT) as a file to keep or present."""
    caller = applicant_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    answer = await ask(request, caller, CREDENTIAL)
    if isinstance(answer, Response):
        return answer
    for application in ((answer.data or {}).get("me") or {}).get("applications") or []:
        certification = application.get("certification") or {}
        if certification.get("id") == str(certification_id):
            return Response(
                certification["credential"]["credential"],
                media_type="application/vc+jwt",
                headers={
                    "Content-Disposition": (
                        f'attachment; filename="certification-{certification["number"]}.jwt"'
                    )
                },
            )
    if answer.errors:
        # Suspended, revoked or expired: the gateway refuses the credential and says why.
        refused = refusal(request, answer, "credential", {})
        return await status_page(request, caller, status_code=409, refusal=refused)
    return not_found(request)
