"""The procedures behind the demo's forms (issue #16): the police zone and the fire
brigade give advice on the event and road-works (occupation of the public domain)
forms; the terrace form checks completeness, may ask advice, goes to the college of
mayor and aldermen and issues a permit. The team "Lokale economie" keeps the college's
lists in the demo (it may change college meetings), one meeting is planned, and the
terrace form has its decision letter (legal basis, conditions, how to appeal).

Idempotent like the rest of the demo: what exists is left as it is.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from dossiers import workflow
from dossiers.college import services as college
from dossiers.models import (
    AdviceParty,
    CollegeMeeting,
    CollegeOutcome,
    DecisionLetterTemplate,
    Dossier,
    Team,
)
from forms_builder.models import ApplicationFormPage

#: The advice parties of the demo: name (as the applicant reads it) → e-mail address.
ADVICE_PARTIES = {
    "de politiezone Voorbeeld": "advies@politie.voorbeeld.be",
    "de brandweerzone Voorbeeld": "advies@brandweer.voorbeeld.be",
}

#: The stages of the demo's forms (dossiers.stages), by the demo's form key.
FORM_STAGES = {
    "terrace": ["completeness", "advice", "college", "permit"],
    "event": ["advice"],
    "occupation": ["advice"],
}

#: The terrace form's decision letter (issue #14, item 10): legal basis, standard
#: conditions and how to appeal.
TERRACE_LETTER = {
    "opening": (
        "Het college van burgemeester en schepenen van {gemeente} besliste op {datum} "
        "over uw aanvraag van {indieningsdatum} voor een terras op het openbaar domein."
    ),
    "legal_basis": (
        "Het decreet over het lokaal bestuur van 22 december 2017, artikel 56.\n"
        "Het gemeentelijk reglement over terrassen op het openbaar domein."
    ),
    "conditions": (
        "U laat altijd minstens 1,5 meter vrij voor voetgangers.\n"
        "U zet het terras buiten de openingsuren binnen, of u maakt het vast.\n"
        "U hebt deze vergunning bij u op het terras, zodat u ze kunt tonen bij een controle."
    ),
    "appeal": (
        "Bent u het niet eens met deze beslissing? Vraag het college dan om ze opnieuw "
        "te bekijken. Schrijf binnen 30 dagen nadat u deze brief kreeg naar het college "
        "van burgemeester en schepenen van {gemeente} en zeg waarom.\n\n"
        "U kunt de Raad van State ook vragen om deze beslissing te vernietigen. Dat doet "
        "u binnen 60 dagen nadat u deze brief kreeg, met een verzoekschrift. Meer uitleg "
        "vindt u op www.raadvst-consetat.be."
    ),
}

#: The terrace dossier that went through the college and got its permit.
APPROVED_TERRACE = "IJssalon Venezia"
#: The terrace dossier on the list of the next meeting.
PROPOSED_TERRACE = "Bistro Het Hoekje"


def ensure_procedures(forms: dict[str, ApplicationFormPage], college_team: Team) -> None:
    """Advice parties, the forms' stages, the college's secretariat and a meeting."""
    for name, email in ADVICE_PARTIES.items():
        AdviceParty.objects.get_or_create(name=name, defaults={"email": email})
    for key, stages in FORM_STAGES.items():
        form = forms[key]
        if not form.stages:
            form.stages = stages
            form.advice_public = True
            form.save_revision().publish()
    college_team.group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="dossiers", codename__endswith="collegemeeting"
        )
    )
    DecisionLetterTemplate.objects.get_or_create(
        form_page=forms["terrace"], language="nl", defaults=TERRACE_LETTER
    )
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    if not CollegeMeeting.objects.filter(date__gte=timezone.localdate()).exists():
        CollegeMeeting.objects.create(date=next_week)


def ensure_college_sample(officer_username: str = "behandelaar") -> None:
    """The college in the samples: one terrace dossier declared complete, put on the list
    of today's meeting and approved by the college with its permit; another on the list
    of the next meeting."""
    officer = get_user_model().objects.filter(username=officer_username).first()
    waiting = Dossier.objects.filter(company_name=PROPOSED_TERRACE, status="in_review").first()
    if officer is not None and waiting is not None:
        college.propose(
            waiting,
            officer,
            meeting=college.planned_meetings().order_by("date").first(),
            outcome="rejected",
            decision="Het terras neemt te veel plaats in op de stoep.",
        )
    dossier = Dossier.objects.filter(company_name=APPROVED_TERRACE, status="in_review").first()
    if dossier is None or officer is None or dossier.college_proposals.exists():
        return
    today = timezone.localdate()
    meeting = CollegeMeeting.objects.create(date=today)
    if dossier.complete_on is None:
        dossier = workflow.transition(dossier, "declare_complete", actor=officer)
    proposal = college.propose(
        dossier,
        officer,
        meeting=meeting,
        outcome="approved",
        decision="Vergunning verleend voor het terras van het ijssalon.",
        permit={
            "valid_from": today.isoformat(),
            "valid_until": today.replace(month=12, day=31).isoformat(),
            "place": "Markt 1, 9999 Voorbeeld: voor de gevel, 24 m²",
            "conditions": "Hou een doorgang van 1,5 meter vrij voor voetgangers.",
        },
    )
    college.record_outcome(meeting, officer, {proposal.pk: CollegeOutcome.APPROVED})
