"""/assistent/: a question in a plain GET form, the answer on the same page.

Works without JavaScript; cms/js/assistant.js turns the form on the home page, on service
pages and on /assistent/ into a chat: it fetches this same page, adds its answer to the
conversation in an aria-live region and keeps the earlier questions in the form (the
hidden ``eerder`` fields), so that the link to the desk carries the whole conversation.
"""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.models import Site

from core.ratelimit import ratelimit

from .desk import MAX_EARLIER_QUESTIONS, desk_page, desk_question_url
from .forms import MAX_QUESTION_LENGTH, QuestionForm
from .services import answer_question


def appointment_url(request) -> str:
    """Where to ask for an appointment: the page the contact page points to, if live."""
    page = desk_page(request)
    return page.url if page is not None else ""


def earlier_questions(query) -> list[str]:
    """The visitor's earlier questions in this conversation (``?eerder=``), the latest
    :data:`~cms.assistant.desk.MAX_EARLIER_QUESTIONS`, each cut to a question's length."""
    questions = [" ".join(value.split())[:MAX_QUESTION_LENGTH] for value in query.getlist("eerder")]
    return [question for question in questions if question][-MAX_EARLIER_QUESTIONS:]


@require_safe
@ratelimit("assistant_per_client", methods=("GET", "HEAD"))
def assistant(request):
    """Answer the question in ``?vraag=`` from the Site's published pages."""
    form = QuestionForm(request.GET)
    question = form.cleaned_data["vraag"] if form.is_valid() else ""
    conversation = earlier_questions(request.GET)
    context = {"form": form, "question": question, "answer": None}
    if question:
        site = Site.find_for_request(request)
        answer = answer_question(question=question, root=site.root_page if site else None)
        conversation = (conversation + [question])[-MAX_EARLIER_QUESTIONS:]
        context["answer"] = answer
        context["desk_url"] = desk_question_url(
            request, conversation, [found.page.title for found in answer.pages]
        )
        context["appointment_url"] = appointment_url(request)
    context["conversation"] = conversation
    return TemplateResponse(request, "cms/assistant.html", context)
