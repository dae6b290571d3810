"""/assistent/: a question in a plain GET form, the answer on the same page.

Works without JavaScript; cms/js/assistant.js only keeps the visitor on the page and
announces the answer (it fetches this same page and swaps in its answer region).
"""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.models import Site

from core.ratelimit import ratelimit

from ..models import ContactPage, SiteBranding
from .forms import QuestionForm
from .services import answer_question


def appointment_url(request) -> str:
    """Where to ask for an appointment: the page the contact page points to, if live."""
    branding = SiteBranding.for_request(request)
    contact = branding.contact_page.specific if branding.contact_page else None
    if (
        isinstance(contact, ContactPage)
        and contact.appointment_page
        and contact.appointment_page.live
    ):
        return contact.appointment_page.url
    return ""


@require_safe
@ratelimit("assistant_per_client", methods=("GET", "HEAD"))
def assistant(request):
    """Answer the question in ``?vraag=`` from the Site's published pages."""
    form = QuestionForm(request.GET)
    question = form.cleaned_data["vraag"] if form.is_valid() else ""
    context = {"form": form, "question": question, "answer": None}
    if question:
        site = Site.find_for_request(request)
        context["answer"] = answer_question(
            question=question, root=site.root_page if site else None
        )
        if not context["answer"].known:
            context["appointment_url"] = appointment_url(request)
    return TemplateResponse(request, "cms/assistant.html", context)
