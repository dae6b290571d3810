"""The demo's proactive services: a rule that proposes the start-up premium to the
companies in the centre's postcode (the café and the hair salon of the demo extract:
two invitations waiting for an officer), and a renewal rule for terrace permits. Both
run once when loaded; nothing is sent until an officer approves (Proactive
invitations in the admin)."""

from __future__ import annotations

from wagtail.models import Site

from dossiers.models import ProactiveRule, RuleKind
from dossiers.proactive.running import run_rule
from forms_builder.models import ApplicationFormPage

from .companies import DEMO_POSTCODES

STARTER_RULE = "Startpremie voorstellen aan zaken in het centrum"
RENEWAL_RULE = "Terrasvergunning verlengen"


def ensure_proactive_rules(forms: dict[str, ApplicationFormPage]) -> None:
    """The two rules of the default municipality (once), run once."""
    site = Site.objects.get(is_default_site=True)
    starter, created = ProactiveRule.objects.get_or_create(
        site=site,
        name=STARTER_RULE,
        defaults={
            "kind": RuleKind.COMPANIES,
            "postcodes": ", ".join(sorted(DEMO_POSTCODES)),
            "form_page": forms["starter"],
            "subject": "Startpremie voor uw zaak in het centrum",
            "message": (
                "Beste {bedrijfsnaam},\n\n"
                "Uw zaak ligt in het centrum van Voorbeeld: {reden} "
                "Misschien komt u in aanmerking voor de startpremie van de gemeente, tot "
                "€ 7.500. Vraag ze hier aan:\n{link}\n\n"
                "Met vriendelijke groeten,\nDienst Lokale economie"
            ),
            "subject_en": "A start-up premium for your business in the centre",
            "message_en": (
                "Dear {bedrijfsnaam},\n\n"
                "Your business is in the centre of Voorbeeld: {reden} "
                "You may be entitled to the municipality's start-up premium, up to "
                "€ 7,500. Apply here:\n{link}\n\n"
                "Kind regards,\nLocal economy department"
            ),
        },
    )
    renewal, _created = ProactiveRule.objects.get_or_create(
        site=site,
        name=RENEWAL_RULE,
        defaults={
            "kind": RuleKind.RENEWAL,
            "permit_form": forms["terrace"],
            "days_before_end": 60,
            "subject": "Uw terrasvergunning eindigt op {einddatum}",
            "message": (
                "Beste {bedrijfsnaam},\n\n{reden} Wilt u ook volgend seizoen een terras? "
                "Vraag een nieuwe vergunning aan; wij vulden het formulier al in met uw "
                "vorige aanvraag:\n{link}\n\nMet vriendelijke groeten,\nDienst Lokale economie"
            ),
            "subject_en": "Your terrace permit ends on {einddatum}",
            "message_en": (
                "Dear {bedrijfsnaam},\n\n{reden} Would you like a terrace next season too? "
                "Apply for a new permit; the form is filled in with your last application:"
                "\n{link}\n\nKind regards,\nLocal economy department"
            ),
        },
    )
    if created:
        run_rule(starter)
        run_rule(renewal)
