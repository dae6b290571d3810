"""Sample dossiers of the demo, in every status.

They are submitted with :func:`dossiers.services.submit_application` and moved on with
:func:`dossiers.workflow.transition`, exactly as applicants and officers do, so every
dossier has its events, notifications and attachments.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from core.storage import private_storage
from dossiers import services as dossier_services
from dossiers import workflow
from forms_builder.models import ApplicationFormPage, Draft
from forms_builder.schema import freeze_schema, mapped_values
from forms_builder.statistics import counts

from . import content, payments

#: The applicant to sign in to "Mijn loket" with (printed by load_demo): (company, name,
#: e-mail). They have a terrace dossier waiting for their answer, a facade premium they
#: withdrew, a report that was handled, and an unfinished event form.
DEMO_APPLICANT = ("Bakkerij Van Damme", "Pieter Van Damme", "pieter@bakkerijvandamme.be")

#: The terrace dossiers: (company, name, e-mail, transitions).
TERRACE_DOSSIERS = [
    ("Café De Markt", "An Peeters", "an@cafedemarkt.be", []),
    ("Bistro Het Hoekje", "Jan Janssens", "jan@hethoekje.be", [("start_review", {})]),
    (
        "IJssalon Venezia",
        "Marco Rossi",
        "marco@venezia.be",
        # Approved by the college with a permit: cms.demo.procedures.ensure_college_sample.
        [("start_review", {})],
    ),
    (
        *DEMO_APPLICANT,
        [
            ("start_review", {}),
            (
                "request_information",
                {"question": "Kunt u een schets bezorgen met de plaats van de tafels?"},
            ),
        ],
    ),
]

SAMPLE_DOSSIERS = content.SAMPLE_DOSSIERS

#: Transitions that applicants make, not officers.
APPLICANT_TRANSITIONS = {"withdraw", "receive_information"}

#: A one-page PDF, enough for an officer to open a sample attachment.
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _terrace_answers(company: str, name: str, email: str) -> dict:
    return {
        "bedrijfsnaam": company,
        "naam": name,
        "email": email,
        "adres": "Markt 1, 9999 Voorbeeld",
        "oppervlakte": 24,
        "startdatum": "2026-04-01",
        "soort": "Open terras",
        "opmerkingen": "",
        "dagen": 180,
    }


def submit_sample(form: ApplicationFormPage, answers_by_name: dict, transitions: list):
    """Submit ``answers_by_name`` to ``form`` and make ``transitions`` on the dossier.

    An answer ``"file:<name>.pdf"`` becomes an uploaded PDF attachment.
    """
    schema = form.get_schema()
    answers: dict[str, dict] = {}
    files = []
    storage = private_storage()
    for step in schema["steps"]:
        for field in step["fields"]:
            name = field.get("name")
            if name not in answers_by_name:
                continue
            value = answers_by_name[name]
            if isinstance(value, str) and value.startswith("file:"):
                filename = value.removeprefix("file:")
                stored = storage.save(f"demo/{filename}", ContentFile(SAMPLE_PDF))
                files.append(
                    dossier_services.SubmittedFile(
                        step_id=step["id"],
                        field_name=name,
                        storage_name=stored,
                        name=filename,
                        size=len(SAMPLE_PDF),
                        content_type="application/pdf",
                    )
                )
                value = [
                    {"name": filename, "size": len(SAMPLE_PDF), "content_type": "application/pdf"}
                ]
            answers.setdefault(step["id"], {})[name] = value
    # The demo applicants sent their applications signed in to Mijn loket, so their
    # addresses count as proven and Mijn loket shows these dossiers.
    dossier = dossier_services.submit_application(
        form_page=form,
        schema=schema,
        answers=answers,
        files=files,
        proven_email=str(mapped_values(schema, answers).get("applicant_email", "")),
    )
    for submitted in files:
        storage.delete(submitted.storage_name)
    for transition_name, data in transitions:
        actor_kind = (
            workflow.APPLICANT if transition_name in APPLICANT_TRANSITIONS else workflow.OFFICER
        )
        dossier = workflow.transition(dossier, transition_name, actor_kind=actor_kind, data=data)
    return dossier


def ensure_sample_dossiers(forms: dict[str, ApplicationFormPage]) -> None:
    """Dossiers for every form that has none yet; together they cover every status."""
    terrace = forms["terrace"]
    payments.ensure_payment_stage(terrace)
    if not terrace.dossiers.exists():
        for company, name, email, transitions in TERRACE_DOSSIERS:
            submit_sample(terrace, _terrace_answers(company, name, email), transitions)
    for form_key, answers, transitions in SAMPLE_DOSSIERS:
        form = forms[form_key]
        if not form.dossiers.exists():
            submit_sample(form, answers, transitions)


def ensure_sample_draft(form: ApplicationFormPage) -> None:
    """An unfinished application of the demo applicant: the first step of ``form`` (the
    event form) filled in, saved with their e-mail address, as after "Save and continue
    later"."""
    company, name, email = DEMO_APPLICANT
    if Draft.objects.filter(page=form, email=email).exists():
        return
    answers = {"bedrijfsnaam": company, "naam": name, "email": email, "telefoon": "+32470556677"}
    posted = {f"1-{field}": [value] for field, value in answers.items()}
    draft = Draft.objects.create(
        page=form,
        snapshot=freeze_schema(form.get_schema(), page=form),
        email=email,
        furthest_step=1,
        data={
            "step": "2",
            "step_data": {"1": {f"loket-form-{form.pk}-current_step": ["1"], **posted}},
            "step_files": {"1": {}},
            "extra_data": {"answers": {"1": answers}},
        },
    )
    counts.count_existing(draft)
