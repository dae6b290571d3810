"""``{% company_suggestions page %}``: proactive services on pages the applicant sees.

Shows "Dit kan ook voor u interessant zijn" for the enterprise the signed-in applicant's
sign-in vouched for (:mod:`dossiers.companies.suggestions`), leaving out the form of
``page``. Shows nothing for an applicant who is not signed in or acts for no enterprise:
the number typed in a form never chooses suggestions.
"""

from django import template
from wagtail.models import Site

from dossiers.companies.suggestions import suggested_services
from dossiers.portal.identity import current_identity

register = template.Library()


@register.inclusion_tag("dossiers/portal/suggestions.html", takes_context=True)
def company_suggestions(context, page=None):
    request = context.get("request")
    identity = current_identity(request) if request is not None else None
    if identity is None or not identity.enterprise_number:
        return {"suggestions": []}
    return {
        "suggestions": suggested_services(
            identity.enterprise_number,
            site=Site.find_for_request(request),
            leave_out_form_id=getattr(page, "pk", None),
        )
    }
