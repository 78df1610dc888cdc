"""The employer page's words in English and Spanish (data only; merged into ``web.messages``)."""

from __future__ import annotations

EMPLOYER_EN: dict[str, str] = {
    "nav.employer": "Our enrolments",
    "employer.only": "This page is for employers. You are signed in as",
    "employer.title": "Certifications we follow",
    "employer.lead": "Tell the board who you are and where to send alerts; then follow the "
    "certifications of the people you employ.",
    "employer.create": "Create the profile",
    "employer.organisation": "Organisation",
    "employer.alert_email": "Alert email",
    "employer.webhook": "Webhook",
    "employer.webhook_optional": "Webhook URL (optional, https)",
    "employer.webhook_hint": "Alerts are also sent here, signed with a secret shown once.",
    "employer.no_webhook": "none: alerts go by email only",
    "employer.since": "Profile created",
    "employer.secret": "Your webhook signing secret",
    "employer.secret_once": "Keep it now: it is shown only this once.",
    "employer.enrolments": "Certifications followed",
    "employer.no_enrolments": "You follow no certification yet.",
    "employer.enrol": "Follow a certification",
    "employer.last_name": "The holder's last name",
    "employer.unenrol": "Stop following",
    "employer.unenrol_who": "Stop following {who} ({number})",
    "employer.actions": "Actions",
    "employer.alerts": "Alerts",
    "employer.no_alerts": "No alert yet.",
    "employer.refused": "Not done: the board's system refused it.",
    "employer.done_created": "Done: your profile is created.",
    "employer.done_enrolled": "Done: you now follow this certification.",
    "employer.done_unenrolled": "Done: you no longer follow that certification.",
    "code.CERTIFICATION_NOT_MATCHED": "No certification matches this number and last name.",
}

EMPLOYER_ES: dict[str, str] = {
    "nav.employer": "Nuestras inscripciones",
    "employer.only": "Esta página es para empleadores. Usted inició sesión como",
    "employer.title": "Certificaciones que seguimos",
    "employer.lead": "Diga a la junta quién es y adónde enviar las alertas; luego siga las "
    "certificaciones de las personas que emplea.",
    "employer.create": "Crear el perfil",
    "employer.organisation": "Organización",
    "employer.alert_email": "Correo para alertas",
    "employer.webhook": "Dirección del webhook",
    "employer.webhook_optional": "URL del webhook (opcional, https)",
    "employer.webhook_hint": "Las alertas también se envían aquí, firmadas con un secreto que "
    "se muestra una sola vez.",
    "employer.no_webhook": "ninguno: las alertas van solo por correo",
    "employer.since": "Perfil creado",
    "employer.secret": "Su secreto de firma del webhook",
    "employer.secret_once": "Guárdelo ahora: se muestra solo esta vez.",
    "employer.enrolments": "Certificaciones seguidas",
    "employer.no_enrolments": "Todavía no sigue ninguna certificación.",
    "employer.enrol": "Seguir una certificación",
    "employer.last_name": "El apellido del titular",
    "employer.unenrol": "Dejar de seguir",
    "employer.unenrol_who": "Dejar de seguir a {who} ({number})",
    "employer.actions": "Acciones",
    "employer.alerts": "Alertas",
    "employer.no_alerts": "Todavía no hay alertas.",
    "employer.refused": "No se hizo: el sistema de la junta lo rechazó.",
    "employer.done_created": "Hecho: su perfil está creado.",
    "employer.done_enrolled": "Hecho: ahora sigue esta certificación.",
    "employer.done_unenrolled": "Hecho: ya no sigue esa certificación.",
    "code.CERTIFICATION_NOT_MATCHED": "Ninguna certificación coincide con este número y apellido.",
}

EMPLOYER_ENUMS: dict[str, dict[str, str]] = {
    "en": {
        "ALERT_STATUS_CHANGED": "Status changed",
        "ALERT_EXPIRING": "Expiring soon",
        "ALERT_RENEWED": "Renewed",
        "ALERT_DISCIPLINED": "Disciplinary decision",
    },
    "es": {
        "ALERT_STATUS_CHANGED": "Cambio de estado",
        "ALERT_EXPIRING": "Próxima a vencer",
        "ALERT_RENEWED": "Renovada",
        "ALERT_DISCIPLINED": "Decisión disciplinaria",
    },
}
