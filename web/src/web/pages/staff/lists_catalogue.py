"""The changes staff make to the catalogue (training providers with their programs and CE
courses, exam forms), declared as the lists' decisions are; their routes are in
``catalogue_actions.py``."""

from __future__ import annotations

from web.pages.staff.worklist import DECISION_VARIABLES as V
from web.pages.staff.worklist import Decision, Input

CE_CATEGORIES = ("GENERAL", "LAW_AND_ETHICS", "SUICIDE_PREVENTION")

# On the providers page; the answer carries the webhook secret, shown this once.
CREATE_PROVIDER = Decision(
    "create-provider",
    "mutation D($name: String!, $webhookUrl: String) { done: createTrainingProvider("
    "name: $name, webhookUrl: $webhookUrl) { id name webhookSecret } }",
    (Input("name", "required"), Input("webhookUrl")),
    versioned=False,
)
# On one provider's page, ``$id`` the provider's.
PROVIDER_ACTIONS = (
    Decision(
        "update-provider",
        f"mutation D({V}, $status: ProviderStatus, $webhookUrl: String, $clearWebhook: "
        "Boolean!) { updateTrainingProvider(id: $id, expectedVersion: $v, status: $status, "
        "webhookUrl: $webhookUrl, clearWebhook: $clearWebhook) { id } }",
        (
            Input("status", "choice", ("ACTIVE", "SUSPENDED"), "PROVIDER_"),
            Input("webhookUrl"),
            Input("clearWebhook", "check"),
        ),
    ),
    Decision(
        "add-program",
        "mutation D($id: ID!, $name: String!, $hours: Int!) { addTrainingProgram("
        "providerId: $id, name: $name, hours: $hours) { id } }",
        (Input("name", "required"), Input("hours", "number")),
        versioned=False,
    ),
    Decision(
        "add-course",
        "mutation D($id: ID!, $name: String!, $hours: String!, $category: CeCategory!) { "
        "addCeCourse(providerId: $id, name: $name, hours: $hours, category: $category) { id } }",
        (
            Input("name", "required"),
            Input("hours", "required"),
            Input("category", "choice", CE_CATEGORIES, "CE_"),
        ),
        versioned=False,
    ),
)
# On a course's row, ``$course`` the course's id.
COURSE = "mutation D($id: ID!, $course: ID!, $v: Int!) { updateCeCourse(providerId: $id, "
COURSE_ACTIONS = (
    Decision(
        "withdraw-course", COURSE + "id: $course, expectedVersion: $v, active: false) { id } }"
    ),
    Decision("restore-course", COURSE + "id: $course, expectedVersion: $v, active: true) { id } }"),
)
# On the forms page: the file as ``importExamForm`` reads it (JSON, or CSV number,domain,key).
IMPORT_FORM = Decision(
    "import-form",
    "mutation D($language: ExamLanguage!, $edition: String!, $file: Upload!) { done: "
    "importExamForm(language: $language, edition: $edition, file: $file) { id } }",
    (
        Input("language", "choice", ("ENGLISH", "SPANISH"), "LANG_"),
        Input("edition", "required"),
        Input("file", "file"),
    ),
    versioned=False,
)
# On one form's page, ``$id`` the form's.
FORM_ACTIONS = (
    Decision(
        "publish-form",
        f"mutation D({V}) {{ publishExamForm(id: $id, expectedVersion: $v) {{ id }} }}",
    ),
    Decision(
        "retire-form",
        f"mutation D({V}) {{ retireExamForm(id: $id, expectedVersion: $v) {{ id }} }}",
    ),
    # Its answer (how many attempts were rescored, how many outcomes changed) is shown.
    Decision(
        "correct-key",
        f"mutation D({V}, $itemNumber: Int!, $key: String!, $reason: String!) {{ done: "
        "correctItemKey(formId: $id, itemNumber: $itemNumber, expectedVersion: $v, key: $key, "
        "reason: $reason) { itemNumber rescored changed outcomeChanged } }",
        (Input("itemNumber", "number"), Input("key", "required"), Input("reason", "required")),
    ),
)
