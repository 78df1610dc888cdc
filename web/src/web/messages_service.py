"""The services' own reasons and rules in Spanish, keyed by the stable code each comes with.

English pages show the services' English words as they are (they carry the policy's numbers
and dates); a Spanish page shows these instead, and a text whose code has no entry here in
English, marked ``lang="en"`` (``web.i18n.said``). Keys: ``rule.<CertificationStatus>`` for a
status rule, ``renewal.<RenewalView.code>`` for why a certification cannot be renewed, and
``reason.<code>`` for an unmet condition in a refusal's ``extensions.reasons``, and
``alert.<EmployerAlertKind>`` for an employer's alert (its ``detail`` gives the values).
"""

from __future__ import annotations

SERVICE_ES: dict[str, str] = {
    # The rule that gives a certification its status (applications.renewal.rules.standing).
    "rule.ACTIVE": "vigente hasta que se abre el período de renovación, unos días antes del "
    "último día de validez",
    "rule.IN_RENEWAL_WINDOW": "período de renovación: desde que se abre hasta el último día de "
    "validez",
    "rule.LAPSED": "en gracia: los primeros días después del último día de validez",
    "rule.EXPIRED": "vencida: pasados los días de gracia después del último día de validez",
    "rule.TERMINATED": "terminada: pasados los meses que siguen al último día de validez",
    "rule.SUSPENDED": "fijado por una decisión disciplinaria",
    "rule.REVOKED": "fijado por una decisión disciplinaria",
    "rule.SURRENDERED": "fijado por una decisión disciplinaria",
    # Why a certification cannot be renewed today (applications.renewal.terms).
    "renewal.RENEWAL_NOT_OPEN": "La renovación se abre el {opens}.",
    "renewal.CERTIFICATION_TERMINATED": "Terminada: hace falta una nueva solicitud.",
    "renewal.CERTIFICATION_SUSPENDED": "Una certificación suspendida no se puede renovar.",
    "renewal.CERTIFICATION_REVOKED": "La renovación nunca deshace una revocación.",
    "renewal.CERTIFICATION_SURRENDERED": "Una certificación entregada no se puede renovar.",
    # What an employer's alert tells of (applications.employer.rules.summary).
    "alert.STATUS_CHANGED": "Pasó de {from_status} a {to_status} el {on}.",
    "alert.EXPIRING": "Vence después del {valid_through} (quedan {days} días) si no se renueva.",
    "alert.RENEWED": "Fue renovada; es válida hasta el {valid_through}.",
    "alert.DISCIPLINED": "{outcome} desde el {starts}; su estado es {status}.",
    "alert.DISCIPLINED_UNTIL": "{outcome} hasta el {through}, desde el {starts}; su estado es "
    "{status}.",
    # Unmet conditions of an exam request (EXAM_NOT_ELIGIBLE).
    "reason.APPLICATION_EXPIRED": "la aprobación de la solicitud ya terminó",
    "reason.APPLICATION_NOT_APPROVED": "la solicitud no está aprobada",
    "reason.TRAINING_CERTIFICATE_MISSING": "no hay un certificado de capacitación aceptado y "
    "vigente hoy",
    "reason.EXAM_REQUEST_TOO_LATE": "ya es tarde para solicitar el examen con esta aprobación",
    "reason.CERTIFICATION_SUSPENDED": "una certificación suya está suspendida",
    "reason.CERTIFICATION_REVOKED": "una certificación suya fue revocada",
    "reason.CERTIFICATION_SURRENDERED": "una certificación suya fue entregada",
    "reason.AUTHORIZATION_OPEN": "todavía hay una autorización para el examen abierta: úsela, o "
    "pida al personal que la anule",
    "reason.EXAM_ALREADY_PASSED": "el examen ya fue aprobado",
    "reason.ATTEMPTS_EXHAUSTED": "no queda ningún intento",
    "reason.NEW_TRAINING_REQUIRED": "tras un intento no aprobado, el siguiente necesita una "
    "capacitación terminada después",
    "reason.EXAM_FEE_MISSING": "no consta una cuota de examen sin usar para esta solicitud",
    # Unmet conditions of a renewal (RENEWAL_REFUSED).
    "reason.CE_NOT_ATTESTED": "declare las horas de educación continua",
    "reason.ETHICS_NOT_SIGNED": "firme de nuevo el Código de Ética",
    "reason.FEE_NOT_PAID": "no consta el pago de una cuota",
    "reason.CE_HOURS_MISSING": "faltan horas de educación continua",
    "reason.ACCRUED_CE_MISSING": "la reincorporación necesita la educación continua de cada ciclo",
    # Unmet conditions of a supervisor (SUPERVISOR_NOT_QUALIFIED).
    "reason.LICENSE_NOT_VERIFIED": "el personal no ha verificado la licencia",
    "reason.LICENSE_EXPIRED": "la licencia venció",
    "reason.LICENSE_TYPE_NOT_ACCEPTED": "la junta no acepta este tipo de licencia",
    "reason.SUPERVISOR_EXPERIENCE_SHORT": "falta experiencia: años con licencia u horas de "
    "educación continua en supervisión",
}
