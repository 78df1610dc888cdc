"""The console's words in English and Spanish: pages' messages and the gateway's enum values.

Data only; ``web.i18n`` picks the language and formats. A test checks both languages have
every key.
"""

from __future__ import annotations

from web.messages_applicant import APPLICANT_EN, APPLICANT_ENUMS, APPLICANT_ES
from web.messages_catalogue import CATALOGUE_EN, CATALOGUE_ENUMS, CATALOGUE_ES
from web.messages_decisions import DECISIONS_EN, DECISIONS_ENUMS, DECISIONS_ES
from web.messages_employer import EMPLOYER_EN, EMPLOYER_ENUMS, EMPLOYER_ES
from web.messages_enums import BASE_ENUMS
from web.messages_peer import PEER_EN, PEER_ES
from web.messages_staff import STAFF_EN, STAFF_ENUMS, STAFF_ES
from web.messages_supervisor import SUPERVISOR_EN, SUPERVISOR_ENUMS, SUPERVISOR_ES
from web.messages_work import WORK_EN, WORK_ES
from web.messages_work_enums import WORK_ENUMS

EN: dict[str, str] = {
    "site": "Peer Support Certification Board",
    "skip": "Skip to content",
    "nav.home": "Home",
    "nav.verify": "Verify a certification",
    "nav.status": "My status",
    "nav.signin": "Sign in",
    "nav.signout": "Sign out",
    "lang.switch": "Español",
    "home.title": "Welcome",
    "home.lead": "Check a peer support specialist's certification, or follow your own application.",
    "verify.title": "Verify a certification",
    "verify.lead": "Anyone can check a certification, without signing in.",
    "verify.by_number": "By certificate number",
    "verify.number": "Certificate number",
    "verify.number_hint": "As printed, for example 7KQ3-M9XD-2HTB",
    "verify.by_name": "By name",
    "verify.last_name": "Last name (whole)",
    "verify.first_name": "First name (or its first letter)",
    "verify.search": "Check",
    "verify.results": "Results",
    "verify.none": "Nobody certified has this name.",
    "verify.more": "Next page",
    "field.holder": "Holder",
    "field.number": "Number",
    "field.status": "Status",
    "field.issued": "Issued on",
    "field.valid_through": "Valid through",
    "field.discipline": "Public discipline",
    "field.credential": "Signed credential",
    "field.credential_link": "Download the credential",
    "discipline.until": "until",
    "discipline.in_force": "in force",
    "discipline.ended": "no longer in force",
    "signin.title": "Sign in (development)",
    "signin.lead": "Development only: pick a role and a subject; the development issuer signs "
    "a token for them.",
    "signin.role": "Role",
    "signin.subject": "Subject (user id)",
    "signin.submit": "Sign in",
    "signin.subject_missing": "Enter a subject of 1 to 64 letters, digits, dots, dashes or "
    "underscores.",
    "signin.unavailable": "Sign-in is turned off on this site.",
    "signin.refused_title": "Sign-in did not complete",
    "signin.again": "Sign in again",
    "signin.denied": "The board's identity provider did not sign you in.",
    "signin.stale": "This sign-in has already been used or has expired. Please start again.",
    "signin.failed": "The board's identity provider sent an answer this site cannot accept. "
    "Please start again; if it happens again, tell the board.",
    "signin.no_role": "Your account has no role on this site. Ask the board to give you one.",
    "signin.provider_down": "The board's identity provider cannot be reached. Please try again "
    "in a few minutes.",
    "signin.expired": "Your session has ended. Please sign in again.",
    "status.title": "My applications",
    "status.none": "You have no application yet.",
    "status.application": "Application",
    "status.submitted": "submitted on",
    "status.timeline": "Timeline",
    "status.today": "Today",
    "status.missing": "What is missing",
    "status.nothing_missing": "Nothing is missing.",
    "status.notices": "Notices",
    "status.no_notices": "No notice yet.",
    "status.certification": "Certification",
    "status.verify_link": "Public verification page",
    "status.only_applicants": "This page is for applicants. You are signed in as",
    "days.today": "today",
    "days.not_now": "does not apply now",
    "days.left": "{n} days left",
    "days.one_left": "1 day left",
    "days.ago": "{n} days ago",
    "days.one_ago": "1 day ago",
    "date.submitted": "Submitted",
    "date.first_notice_due": "The board's first notice is due",
    "date.first_notified": "The board's first notice was sent",
    "date.last_day_to_complete": "Last day to complete the application",
    "date.void_from": "Void from, if still incomplete",
    "date.valid_through": "Approval valid through",
    "date.exam_cutoff": "Last day to request the exam",
    "date.certification_valid": "Certification valid through",
    "error.title": "Something went wrong",
    "error.csrf": "This form has expired or did not come from this site. Go back, reload the "
    "page and send it again.",
    "error.forbidden": "Refused",
    "error.not_found": "This page does not exist.",
    "error.bad_request": "This request is not one the site's forms send (a value too long, or "
    "one missing). Go back and try again.",
    "error.gateway": "The board's system cannot be reached just now. Please try again in a minute.",
    "code.CERTIFICATE_NOT_FOUND": "No certification has this number. Check it as printed.",
    "code.VALIDATION_ERROR": "This value is not accepted",
    "code.RATE_LIMITED": "Too many checks from your address. Please wait a minute.",
    "code.UNAUTHENTICATED": "Your session has ended. Please sign in again.",
    "code.FORBIDDEN": "You are not allowed to see this.",
    "code.UPSTREAM_UNAVAILABLE": "Part of the board's system cannot be reached just now. "
    "Please try again in a minute.",
    "code.other": "The board's system refused this request",
}

ES: dict[str, str] = {
    "site": "Junta de Certificación de Apoyo entre Pares",
    "skip": "Ir al contenido",
    "nav.home": "Inicio",
    "nav.verify": "Verificar una certificación",
    "nav.status": "Mi estado",
    "nav.signin": "Iniciar sesión",
    "nav.signout": "Cerrar sesión",
    "lang.switch": "English",
    "home.title": "Bienvenida",
    "home.lead": "Verifique la certificación de un especialista de apoyo entre pares, o siga "
    "su propia solicitud.",
    "verify.title": "Verificar una certificación",
    "verify.lead": "Cualquier persona puede verificar una certificación, sin iniciar sesión.",
    "verify.by_number": "Por número de certificado",
    "verify.number": "Número de certificado",
    "verify.number_hint": "Tal como está impreso, por ejemplo 7KQ3-M9XD-2HTB",
    "verify.by_name": "Por nombre",
    "verify.last_name": "Apellido (completo)",
    "verify.first_name": "Nombre (o su primera letra)",
    "verify.search": "Verificar",
    "verify.results": "Resultados",
    "verify.none": "Nadie certificado tiene este nombre.",
    "verify.more": "Página siguiente",
    "field.holder": "Titular",
    "field.number": "Número",
    "field.status": "Estado",
    "field.issued": "Emitida el",
    "field.valid_through": "Válida hasta",
    "field.discipline": "Sanciones públicas",
    "field.credential": "Credencial firmada",
    "field.credential_link": "Descargar la credencial",
    "discipline.until": "hasta",
    "discipline.in_force": "vigente",
    "discipline.ended": "ya no vigente",
    "signin.title": "Iniciar sesión (desarrollo)",
    "signin.lead": "Solo en desarrollo: elija un rol y un sujeto; el emisor de desarrollo firma "
    "un token para ellos.",
    "signin.role": "Rol",
    "signin.subject": "Sujeto (id de usuario)",
    "signin.submit": "Iniciar sesión",
    "signin.subject_missing": "Escriba un sujeto de 1 a 64 letras, cifras, puntos, guiones o "
    "guiones bajos.",
    "signin.unavailable": "El inicio de sesión está desactivado en este sitio.",
    "signin.refused_title": "No se completó el inicio de sesión",
    "signin.again": "Iniciar sesión de nuevo",
    "signin.denied": "El proveedor de identidad de la junta no inició su sesión.",
    "signin.stale": "Este inicio de sesión ya se usó o caducó. Empiece de nuevo.",
    "signin.failed": "El proveedor de identidad de la junta envió una respuesta que este sitio "
    "no puede aceptar. Empiece de nuevo; si vuelve a ocurrir, avise a la junta.",
    "signin.no_role": "Su cuenta no tiene un rol en este sitio. Pida a la junta que le asigne uno.",
    "signin.provider_down": "No se puede contactar al proveedor de identidad de la junta. "
    "Inténtelo de nuevo en unos minutos.",
    "signin.expired": "Su sesión terminó. Inicie sesión de nuevo.",
    "status.title": "Mis solicitudes",
    "status.none": "Todavía no tiene ninguna solicitud.",
    "status.application": "Solicitud",
    "status.submitted": "presentada el",
    "status.timeline": "Calendario",
    "status.today": "Hoy",
    "status.missing": "Lo que falta",
    "status.nothing_missing": "No falta nada.",
    "status.notices": "Avisos",
    "status.no_notices": "Todavía no hay avisos.",
    "status.certification": "Certificación",
    "status.verify_link": "Página pública de verificación",
    "status.only_applicants": "Esta página es para solicitantes. Usted inició sesión como",
    "days.today": "hoy",
    "days.not_now": "no se aplica ahora",
    "days.left": "quedan {n} días",
    "days.one_left": "queda 1 día",
    "days.ago": "hace {n} días",
    "days.one_ago": "hace 1 día",
    "date.submitted": "Presentada",
    "date.first_notice_due": "Vence el primer aviso de la junta",
    "date.first_notified": "La junta envió el primer aviso",
    "date.last_day_to_complete": "Último día para completar la solicitud",
    "date.void_from": "Anulada desde, si sigue incompleta",
    "date.valid_through": "Aprobación válida hasta",
    "date.exam_cutoff": "Último día para solicitar el examen",
    "date.certification_valid": "Certificación válida hasta",
    "error.title": "Algo salió mal",
    "error.csrf": "Este formulario caducó o no vino de este sitio. Vuelva atrás, recargue la "
    "página y envíelo de nuevo.",
    "error.forbidden": "Rechazado",
    "error.not_found": "Esta página no existe.",
    "error.bad_request": "Esta solicitud no es una que envíen los formularios del sitio (un "
    "valor demasiado largo, o uno que falta). Vuelva atrás e inténtelo de nuevo.",
    "error.gateway": "El sistema de la junta no responde en este momento. Inténtelo de nuevo "
    "en un minuto.",
    "code.CERTIFICATE_NOT_FOUND": "Ninguna certificación tiene este número. Revíselo tal como "
    "está impreso.",
    "code.VALIDATION_ERROR": "Este valor no se acepta",
    "code.RATE_LIMITED": "Demasiadas consultas desde su dirección. Espere un minuto.",
    "code.UNAUTHENTICATED": "Su sesión terminó. Inicie sesión de nuevo.",
    "code.FORBIDDEN": "No tiene permiso para ver esto.",
    "code.UPSTREAM_UNAVAILABLE": "Parte del sistema de la junta no responde en este momento. "
    "Inténtelo de nuevo en un minuto.",
    "code.other": "El sistema de la junta rechazó esta solicitud",
}

# Enum values the gateway sends, in words (web.messages_enums), with the pages' own below.
ENUMS: dict[str, dict[str, str]] = {language: dict(words) for language, words in BASE_ENUMS.items()}

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
}

# The staff console's and the employer page's words live in their own modules (this one would
# pass 300 lines); merged here so that every page, and the test that both languages have every
# key, sees one table.
for _en, _es, _enums in (
    (STAFF_EN, STAFF_ES, STAFF_ENUMS),
    (EMPLOYER_EN, EMPLOYER_ES, EMPLOYER_ENUMS),
    (SUPERVISOR_EN, SUPERVISOR_ES, SUPERVISOR_ENUMS),
    (APPLICANT_EN, APPLICANT_ES, APPLICANT_ENUMS),
    (WORK_EN, WORK_ES, WORK_ENUMS),
    (CATALOGUE_EN, CATALOGUE_ES, CATALOGUE_ENUMS),
    (DECISIONS_EN, DECISIONS_ES, DECISIONS_ENUMS),
    (PEER_EN, PEER_ES, {}),
):
    EN.update(_en)
    ES.update(_es)
    for _language, _words in _enums.items():
        ENUMS[_language].update(_words)
