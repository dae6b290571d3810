"""Shared fixtures: small builders for forms and dossiers."""

import pytest

from cms.demo import TERRACE_STEPS, ensure_home_page, ensure_team
from forms_builder.models import ApplicationFormPage


@pytest.fixture
def home_page(db):
    return ensure_home_page()


@pytest.fixture
def team(db):
    return ensure_team("Lokale economie", "economie@voorbeeld.be")


def make_form_page(parent, **kwargs) -> ApplicationFormPage:
    """An ApplicationFormPage under ``parent``; defaults give the demo terrace form."""
    defaults = {
        "title": "Aanvraag terrasvergunning",
        "slug": "aanvraag-terras",
        "steps": TERRACE_STEPS,
        "reference_prefix": "TER",
        "decision_term_days": 30,
    }
    defaults.update(kwargs)
    return parent.add_child(instance=ApplicationFormPage(**defaults))


@pytest.fixture
def form_page(home_page, team):
    return make_form_page(home_page, team=team)
