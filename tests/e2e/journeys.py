"""The steps the journeys share, each a GraphQL operation through the gateway, as its user."""

from __future__ import annotations

from typing import Any

from .conftest import System
from .helpers import application_input, data_of, uploads

STATUS = """
query S($id: ID!) {
  application(id: $id) {
    id status version missing
    deadlines { lastDayToComplete voidFrom validThrough examRequestCutoff }
    trainingCertificates { id status version }
    payments { kind reference }
    exams { attemptsUsed attemptsLeft attemptsLimit
            authorizations { id status kind validThrough countsAsAttempt
                             result { correct total passed } } }
    certification { number status issuedOn validThrough }
    notifications { reason }
  }
}
"""
SUBMIT = """
mutation S($input: SubmitApplicationInput!) { submitApplication(input: $input) { id version } }
"""
PAY = """
mutation P($id: ID!, $kind: FeeKind!, $ref: String!, $at: DateTime!) {
  recordPayment(id: $id, kind: $kind, amountCents: 15000, reference: $ref, paidAt: $at) {
    version
  }
}
"""
APPROVE = """
mutation A($id: ID!, $v: Int!) { approveApplication(id: $id, expectedVersion: $v) { status } }
"""
PROVIDER = """
mutation P($name: String!) { createTrainingProvider(name: $name) { id } }
"""
PROGRAM = """
mutation G($providerId: ID!) {
  addTrainingProgram(providerId: $providerId, name: "Peer Support Core", hours: 80) { id }
}
"""
UPLOAD = """
mutation U($providerId: ID!, $rows: [CertificateInput!]!) {
  uploadCertificates(providerId: $providerId, certificates: $rows) {
    batch { accepted duplicate rejected }
  }
}
"""
ACCEPT = """
mutation Y($id: ID!, $v: Int!) { acceptCertificate(id: $id, expectedVersion: $v) { status } }
"""
FORM = """
mutation F($items: [ExamItemInput!]!) {
  createExamForm(language: ENGLISH, edition: "2026-J", items: $items) { id version }
}
"""
PUBLISH = """
mutation P($id: ID!, $v: Int!) { publishExamForm(id: $id, expectedVersion: $v) { status } }
"""
REQUEST_EXAM = """
mutation R($id: ID!) {
  requestExam(input: {applicationId: $id, language: ENGLISH, deliveryMode: TEST_CENTRE}) {
    id kind status
  }
}
"""
RECORD = """
mutation($a: ExamAttemptInput!) { recordExamAttempt(attempt: $a) { correct total passed } }
"""
VERIFY = """
query V($number: String!) {
  verifyCertification(number: $number) { holderName status issuedOn validThrough }
}
"""

# A 120-item form whose key is "A" throughout: a candidate's right answers are "A", wrong "B".
ITEMS = [{"number": n, "domain": ("ethics", "recovery")[n % 2], "key": "A"} for n in range(1, 121)]


async def deliver(system: System) -> None:
    """Hand every published event over, as the services' dispatchers do on their own timers."""
    while sum([await app.state.dispatcher.dispatch_once() for app in system.services.values()]):
        pass


async def status(system: System, token: str, application_id: str) -> dict[str, Any]:
    view: dict[str, Any] = (await data_of(system, STATUS, {"id": application_id}, token=token))[
        "application"
    ]
    return view


async def submit(system: System, token: str, **overrides: object) -> str:
    data = await data_of(
        system, SUBMIT, {"input": application_input(**overrides)}, token=token, files=uploads()
    )
    application_id: str = data["submitApplication"]["id"]
    return application_id


async def pay(system: System, staff: str, application_id: str, kind: str, at: str) -> None:
    reference = f"{kind.lower()}-{at[:10]}"
    variables = {"id": application_id, "kind": kind, "ref": reference, "at": at}
    await data_of(system, PAY, variables, token=staff)


async def approve(system: System, staff: str, application_id: str) -> None:
    version = (await status(system, staff, application_id))["version"]
    approved = await data_of(system, APPROVE, {"id": application_id, "v": version}, token=staff)
    assert approved["approveApplication"]["status"] == "APPROVED"


async def provider_with_program(system: System, staff: str, name: str) -> tuple[str, str]:
    provider = (await data_of(system, PROVIDER, {"name": name}, token=staff))[
        "createTrainingProvider"
    ]["id"]
    program = (await data_of(system, PROGRAM, {"providerId": provider}, token=staff))[
        "addTrainingProgram"
    ]["id"]
    return provider, program


def certificate_row(
    certificate_id: str, program: str, completed: str, **person: str
) -> dict[str, object]:
    """A provider's row for the person ``application_input`` describes, unless overridden."""
    values: dict[str, object] = {
        "certificateId": certificate_id,
        "legalName": "Maria Lopez",
        "dateOfBirth": "1990-05-17",
        "email": "maria.lopez@example.org",
        "programId": program,
        "completionDate": completed,
        "hours": 80,
    }
    return values | person


async def upload(system: System, provider_token: str, provider: str, rows: list[Any]) -> None:
    variables = {"providerId": provider, "rows": rows}
    result = (await data_of(system, UPLOAD, variables, token=provider_token))["uploadCertificates"]
    assert result["batch"] == {"accepted": len(rows), "duplicate": 0, "rejected": 0}


async def accept_pending_certificates(system: System, staff: str, application_id: str) -> None:
    for certificate in (await status(system, staff, application_id))["trainingCertificates"]:
        if certificate["status"] == "PENDING_REVIEW":
            variables = {"id": certificate["id"], "v": certificate["version"]}
            accepted = await data_of(system, ACCEPT, variables, token=staff)
            assert accepted["acceptCertificate"]["status"] == "ACCEPTED"


async def live_form(system: System, staff: str) -> str:
    form = (await data_of(system, FORM, {"items": ITEMS}, token=staff))["createExamForm"]
    version = {"id": form["id"], "v": form["version"]}
    published = await data_of(system, PUBLISH, version, token=staff)
    assert published["publishExamForm"]["status"] == "LIVE"
    form_id: str = form["id"]
    return form_id


async def request_exam(system: System, token: str, application_id: str) -> dict[str, Any]:
    granted: dict[str, Any] = (
        await data_of(system, REQUEST_EXAM, {"id": application_id}, token=token)
    )["requestExam"]
    return granted


async def sit(
    system: System, vendor: str, authorization: str, form: str, right: int, at: str
) -> dict[str, Any]:
    """The test vendor reports the candidate's responses: the first ``right`` items right."""
    responses = [{"item": n, "option": "A" if n <= right else "B"} for n in range(1, 121)]
    attempt = {"authorizationId": authorization, "formId": form, "takenAt": at}
    recorded: dict[str, Any] = (
        await data_of(system, RECORD, {"a": attempt | {"responses": responses}}, token=vendor)
    )["recordExamAttempt"]
    await deliver(system)
    return recorded


REGISTER_SUPERVISOR = """
mutation R($input: SupervisorInput!) { registerSupervisor(input: $input) { id version } }
"""
VERIFY_SUPERVISOR = """
mutation V($id: ID!, $v: Int!) {
  verifySupervisor(id: $id, expectedVersion: $v, decision: VERIFIED, note: "board lookup") {
    qualification { qualified }
  }
}
"""
DRAFT_AGREEMENT = """
mutation D($input: AgreementInput!) { draftSupervisionAgreement(input: $input) { id version } }
"""
SIGN_AGREEMENT = """
mutation S($id: ID!, $v: Int!) {
  signSupervisionAgreement(id: $id, expectedVersion: $v) { status version }
}
"""
LOG_SESSION = """
mutation L($input: SessionLogInput!) { logSupervisionSession(input: $input) { id version } }
"""
SIGN_OFF = """
mutation O($id: ID!, $v: Int!) {
  signOffSupervisionSession(id: $id, expectedVersion: $v, supervisorName: "Sam Reed",
                            supervisorLicenseNumber: "LSW-1234") { locked }
}
"""
REPORT_HOURS = """
mutation H($a: ID!, $from: Date!, $hours: Decimal!) {
  reportHoursWorked(agreementId: $a, period: WEEK, startsOn: $from, hours: $hours) { hours }
}
"""
COMPLIANCE = """
query C($from: Date!, $to: Date!) {
  supervisionCompliance(from: $from, to: $to) {
    peers { peerApplicantId compliant
            weeks { weekStartsOn supervisedMinutes requiredMinutes shortfallMinutes compliant } }
  }
}
"""


async def qualified_supervisor(system: System, supervisor: str, staff: str) -> str:
    registration = {
        "name": "Sam Reed",
        "licenseType": "licensed_social_worker",
        "licenseNumber": "LSW-1234",
        "licenseState": "MT",
        "licenseExpiresOn": "2028-06-30",
        "firstLicensedOn": "2015-06-01",
        "supervisionCeHours": "0",
        "contactEmail": "sam.reed@example.org",
    }
    registered = (
        await data_of(system, REGISTER_SUPERVISOR, {"input": registration}, token=supervisor)
    )["registerSupervisor"]
    variables = {"id": registered["id"], "v": registered["version"]}
    verified = await data_of(system, VERIFY_SUPERVISOR, variables, token=staff)
    assert verified["verifySupervisor"]["qualification"] == {"qualified": True}
    supervisor_id: str = registered["id"]
    return supervisor_id


async def signed_agreement(
    system: System, peer: str, supervisor: str, supervisor_id: str, starts_on: str
) -> str:
    terms = {
        "supervisorId": supervisor_id,
        "employer": "Helena Peer Center",
        "startsOn": starts_on,
        "relationshipAttested": True,
        "notFamilyAttested": True,
    }
    drafted = (await data_of(system, DRAFT_AGREEMENT, {"input": terms}, token=peer))[
        "draftSupervisionAgreement"
    ]
    version = drafted["version"]
    for signer in (peer, supervisor):
        signed = await data_of(
            system, SIGN_AGREEMENT, {"id": drafted["id"], "v": version}, token=signer
        )
        version = signed["signSupervisionAgreement"]["version"]
    assert signed["signSupervisionAgreement"]["status"] == "ACTIVE"
    agreement_id: str = drafted["id"]
    return agreement_id


async def log_session(system: System, peer: str, agreement: str, held_on: str) -> dict[str, Any]:
    """The peer logs an hour of individual supervision, 10:00 to 11:00 on ``held_on``."""
    session = {
        "agreementId": agreement,
        "peerName": "Maria Lopez",
        "heldOn": held_on,
        "startTime": "10:00",
        "stopTime": "11:00",
        "format": "INDIVIDUAL",
        "topics": ["ASSESSMENTS", "SUPPORT_INTERVENTIONS"],
    }
    logged: dict[str, Any] = (await data_of(system, LOG_SESSION, {"input": session}, token=peer))[
        "logSupervisionSession"
    ]
    return logged


async def signed_off_session(
    system: System, peer: str, supervisor: str, agreement: str, held_on: str
) -> None:
    logged = await log_session(system, peer, agreement, held_on)
    variables = {"id": logged["id"], "v": logged["version"]}
    signed = await data_of(system, SIGN_OFF, variables, token=supervisor)
    assert signed["signOffSupervisionSession"]["locked"] is True
