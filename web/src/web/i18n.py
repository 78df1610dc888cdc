"""English and Spanish: the words of every page, and the language a request is answered in.

A dictionary of messages rather than gettext catalogues: two languages and a few dozen
phrases need no compile step, and a test checks both have every key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

LANGUAGES = ("en", "es")
DEFAULT = "en"

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
    "signin.unavailable": "Sign-in through the board's identity provider is not available yet.",
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
    "signin.unavailable": "El inicio de sesión con el proveedor de identidad de la junta aún "
    "no está disponible.",
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

# Enum values the gateway sends, in words.
ENUMS: dict[str, dict[str, str]] = {
    "en": {
        "SUBMITTED": "Submitted",
        "UNDER_REVIEW": "Under review",
        "INCOMPLETE": "Incomplete: something is missing",
        "RESUBMITTED": "Resubmitted",
        "APPROVED": "Approved",
        "DENIED": "Denied",
        "WITHDRAWN": "Withdrawn",
        "VOID": "Void",
        "EXPIRED": "Expired",
        "CERTIFIED": "Certified",
        "ACTIVE": "Active",
        "IN_RENEWAL_WINDOW": "Active (renewal window open)",
        "LAPSED": "Lapsed (renewal late)",
        "TERMINATED": "Terminated",
        "SUSPENDED": "Suspended",
        "REVOKED": "Revoked",
        "SURRENDERED": "Surrendered",
        "DISMISSED": "Dismissed",
        "LETTER_OF_WARNING": "Letter of warning",
        "PROBATION": "Probation",
        "SUSPENSION": "Suspension",
        "REVOCATION": "Revocation",
        "VOLUNTARY_SURRENDER": "Voluntary surrender",
        "APPLICATION_FEE": "The application fee",
        "GOVERNMENT_ID": "A government-issued photo ID",
        "DIPLOMA": "A diploma or equivalent",
        "NAME_MISMATCH": "Your name as on your documents",
        "DATE_OF_BIRTH": "Your date of birth",
        "ATTESTATION": "The attestations",
        "BACKGROUND_CHECK": "The background check",
        "SUPERVISION_AGREEMENT": "A signed supervision agreement",
        "OTHER": "Something else (see the notice)",
    },
    "es": {
        "SUBMITTED": "Presentada",
        "UNDER_REVIEW": "En revisión",
        "INCOMPLETE": "Incompleta: falta algo",
        "RESUBMITTED": "Presentada de nuevo",
        "APPROVED": "Aprobada",
        "DENIED": "Denegada",
        "WITHDRAWN": "Retirada",
        "VOID": "Anulada",
        "EXPIRED": "Vencida",
        "CERTIFIED": "Certificada",
        "ACTIVE": "Vigente",
        "IN_RENEWAL_WINDOW": "Vigente (período de renovación abierto)",
        "LAPSED": "En gracia (renovación atrasada)",
        "TERMINATED": "Terminada",
        "SUSPENDED": "Suspendida",
        "REVOKED": "Revocada",
        "SURRENDERED": "Entregada",
        "DISMISSED": "Desestimada",
        "LETTER_OF_WARNING": "Carta de advertencia",
        "PROBATION": "Período de prueba",
        "SUSPENSION": "Suspensión",
        "REVOCATION": "Revocación",
        "VOLUNTARY_SURRENDER": "Entrega voluntaria",
        "APPLICATION_FEE": "La tarifa de solicitud",
        "GOVERNMENT_ID": "Una identificación oficial con foto",
        "DIPLOMA": "Un diploma o equivalente",
        "NAME_MISMATCH": "Su nombre como figura en sus documentos",
        "DATE_OF_BIRTH": "Su fecha de nacimiento",
        "ATTESTATION": "Las declaraciones",
        "BACKGROUND_CHECK": "La verificación de antecedentes",
        "SUPERVISION_AGREEMENT": "Un acuerdo de supervisión firmado",
        "OTHER": "Otra cosa (vea el aviso)",
    },
}

MESSAGES = {"en": EN, "es": ES}
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
}


def negotiate(accept_language: str | None) -> str:
    """The first of our languages the browser asks for, by quality; English otherwise."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in LANGUAGES and quality > 0:
            # Higher quality first; among equals, the browser's order.
            choices.append((-quality, index, language))
    return min(choices)[2] if choices else DEFAULT


def translator(language: str) -> Callable[..., str]:
    """``t(key, **values)`` in ``language``."""
    messages = MESSAGES.get(language, EN)

    def t(key: str, **values: object) -> str:
        text = messages.get(key) or EN.get(key) or ENUMS[language].get(key) or key
        return text.format(**values) if values else text

    return t


def enum_words(language: str, value: str) -> str:
    """A GraphQL enum value in words."""
    return ENUMS.get(language, ENUMS[DEFAULT]).get(value, value.replace("_", " ").capitalize())


def long_date(language: str, value: str | date | None) -> str:
    """``2026-05-04`` as "4 May 2026" / "4 de mayo de 2026"."""
    if value is None:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    month = MONTHS[language if language in MONTHS else DEFAULT].split()[day.month - 1]
    if language == "es":
        return f"{day.day} de {month} de {day.year}"
    return f"{day.day} {month} {day.year}"


def days_words(language: str, days: int) -> str:
    """``3`` as "3 days left", ``-1`` as "1 day ago"."""
    t = translator(language)
    if days == 0:
        return t("days.today")
    if days == 1:
        return t("days.one_left")
    if days == -1:
        return t("days.one_ago")
    return t("days.left", n=days) if days > 0 else t("days.ago", n=-days)
