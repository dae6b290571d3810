"""Request handling around the wizard: availability, rate limits, save and resume, and
the confirmation page after submitting.

Every post counts against the limits of ``LOKET_RATE_LIMITS`` (:mod:`core.ratelimit`):
per client address for every page (``cms/urls.py``), per draft here, and per client and
e-mail address where an e-mail is sent (the resume link here, the confirmation in
:meth:`forms_builder.wizard.ApplicationWizard.post_check`). A refused post changes
nothing: the draft keeps what was saved before, and the 429 page links back to the step.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.rich_text import expand_db_html

from core import ratelimit
from core.background import queue
from core.sanitize import sanitize_html
from core.translation import translated

from . import drafts
from .schema import mapped_values
from .stages import REPORT
from .submission import get_submit_handler
from .tasks import send_resume_link
from .wizard import ApplicationWizard, confirmation_session_key, step_key


def unavailable_response(request, page, reason: str):
    return TemplateResponse(
        request,
        "forms_builder/form_unavailable.html",
        {"page": page, "self": page, "reason": reason},
    )


def over_draft_limit(request, page):
    """The 429 response when this post goes over the limit of posts of one draft
    (``form_post_per_draft``), else None. Before the first step is saved there is no
    draft yet; the limit per client address still holds then."""
    if request.method != "POST":
        return None
    draft_id = drafts.session_draft_id(request, page)
    if draft_id is None:
        return None
    return ratelimit.check(request, "form_post_per_draft", draft_id, back_url=request.path)


def wizard_view(request, page, step=None):
    """Serve a step (or the start, or the check page) of ``page``'s wizard."""
    refused = over_draft_limit(request, page)
    if refused is not None:
        return refused
    reason = page.get_unavailable_reason()
    if reason is None and not page.steps:
        reason = "empty"
    if reason is not None:
        return unavailable_response(request, page, reason)
    draft = drafts.held_draft(request, page)
    if draft is not None and draft.submitted_dossier_id is not None:
        # Submitted, but the answer never reached the browser (a crash after the
        # commit, a lost connection): show the confirmation, never a new empty form.
        return show_confirmation(request, page, draft)
    view = ApplicationWizard.for_request(request, page, draft=draft)
    if view is None:
        return unavailable_response(request, page, "empty")
    return view(request, step=step)


def request_resume_link(draft, email: str) -> None:
    """Store the applicant's address on the draft and e-mail the resume link after commit.

    Nothing sends a lost resume link later, so with the broker down it is sent from
    this process. (Here rather than in :mod:`.drafts`: the tasks import drafts.)
    Every request sends a new link: the one sent before stops working.
    """
    draft.email = email
    drafts.renew_resume_link(draft)
    draft.save(update_fields=["email", "resume_key", "updated_at"])
    transaction.on_commit(lambda: queue(send_resume_link, str(draft.pk), run_here_if_down=True))


class ResumeEmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        help_text=gettext_lazy("We send you a link to continue later, on any device."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def save_draft_view(request, page):
    """After "Save and continue later": ask for an e-mail address for the resume link."""
    draft = drafts.current_draft(request, page)
    if draft is None:
        return redirect(page.url)
    if request.method == "POST":
        refused = over_draft_limit(request, page) or ratelimit.check(
            request, "resume_link_per_client", ratelimit.client_ip(request), back_url=request.path
        )
        if refused is not None:
            return refused
        form = ResumeEmailForm(request.POST)
        if form.is_valid():
            refused = ratelimit.check(
                request,
                "resume_link_per_address",
                form.cleaned_data["email"].strip().lower(),
                back_url=request.path,
            )
            if refused is not None:
                return refused
            with transaction.atomic():
                request_resume_link(draft, form.cleaned_data["email"])
            return TemplateResponse(
                request,
                "forms_builder/draft_saved.html",
                {"page": page, "self": page, "draft": draft, "email": draft.email},
            )
    else:
        answers = {
            step["id"]: draft.data.get("extra_data", {}).get("answers", {}).get(step_key(i), {})
            for i, step in enumerate(draft.snapshot.schema["steps"])
        }
        known_email = draft.email or mapped_values(draft.snapshot.schema, answers).get(
            "applicant_email", ""
        )
        form = ResumeEmailForm(initial={"email": known_email})
    return TemplateResponse(
        request,
        "forms_builder/save_draft.html",
        {
            "page": page,
            "self": page,
            "form": form,
            "draft": draft,
            "continue_url": page.url,
            "expires_at": draft.expires_at,
        },
    )


def resume_view(request, page, draft_id, key):
    """The secret resume link: it works once. It moves the draft to this browser (the
    session that held it loses it) and continues; a used link shows a page that says
    so, never the draft."""
    outcome, draft = drafts.open_resume_link(page, draft_id, key)
    if outcome == drafts.SUBMITTED:
        return show_confirmation(request, page, draft)
    if outcome != drafts.RESUMED:
        template = (
            "forms_builder/resume_used.html"
            if outcome == drafts.USED
            else "forms_builder/resume_invalid.html"
        )
        response = TemplateResponse(
            request,
            template,
            {"page": page, "self": page},
            status=410 if outcome == drafts.USED else 404,
        )
        response["Cache-Control"] = "private, no-store"
        return response
    drafts.remember_draft(request, page, draft)
    messages.success(request, _("Welcome back. You can continue where you left off."))
    return redirect(page.url)


def show_confirmation(request, page, draft):
    """Send this browser to the confirmation of the submitted ``draft``."""
    request.session[confirmation_session_key(page)] = draft.submitted_dossier_id
    drafts.remember_draft(request, page, None)
    return redirect(page.url + page.reverse_subpage("confirmation"))


def confirmation_view(request, page):
    """The page after submitting: reference number and the link to the status page."""
    dossier_pk = request.session.get(confirmation_session_key(page))
    dossier = get_submit_handler().submitted(dossier_pk) if dossier_pk else None
    if dossier is None:
        return redirect(page.url)
    if getattr(dossier, "awaiting_payment", False):
        # Not sent yet: the fee is paid first, on the page behind the status link.
        return redirect(dossier.get_status_url())
    return TemplateResponse(
        request,
        "forms_builder/confirmation.html",
        {
            "page": page,
            "self": page,
            "dossier": dossier,
            "confirmation_text": confirmation_text(page, dossier.reference),
            # A report (melding) from a resident: other words, and no decision term.
            "is_report": REPORT in (getattr(dossier, "stages", None) or []),
        },
    )


#: Where editors want the reference number in their confirmation text.
REFERENCE_PLACEHOLDER = "{referentienummer}"


def confirmation_text(page, reference: str) -> str:
    """The editor's confirmation text as (sanitised) HTML, with the reference number
    filled in."""
    text = translated(page, "confirmation_text")
    html = sanitize_html(
        expand_db_html(str(text)).replace(REFERENCE_PLACEHOLDER, escape(reference))
    )
    if text.lang:
        # A Dutch text on an English page (core.translation).
        return format_html('<div lang="{}">{}</div>', text.lang, mark_safe(html))
    return html
