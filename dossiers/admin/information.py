"""The officer's side of questions to the applicant: the "ask for information" form,
its action, and what the dossier view shows of every question asked.

Like every back-office action, the form posts to its own URL and redirects back to
the dossier. A form with mistakes is kept in the session for that one redirect, so
the dossier shows it again with its messages and nothing typed is lost.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dossiers.admin import common
from dossiers.exceptions import ActionRefused
from dossiers.information import services as information
from dossiers.models import AttachmentKind, Dossier, InformationRequest

#: Empty document rows the form offers (enough without JavaScript; more can be asked
#: in the question itself).
DOCUMENT_ROWS = 3

#: Where a form with mistakes waits for the redirect back to the dossier.
SESSION_KEY = "loket-information-form"


class InformationRequestForm(forms.Form):
    """The question, the documents asked for and the answers to correct."""

    question = forms.CharField(
        label=gettext_lazy("Your question to the applicant"),
        help_text=gettext_lazy(
            "The applicant reads this in the e-mail and on the status page. Write plainly."
        ),
        max_length=information.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Write your question to the applicant.")},
    )
    fields = forms.MultipleChoiceField(
        label=gettext_lazy("Answers the applicant must correct"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expected_status = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, dossier: Dossier, prefix: str = "information", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.dossier = dossier
        self.correctable = information.correctable_fields(dossier)
        self.fields["fields"].choices = [(each.value, each.label) for each in self.correctable]
        for number in range(1, DOCUMENT_ROWS + 1):
            self.fields[f"document_{number}"] = forms.CharField(
                label=gettext_lazy("Document %(number)d") % {"number": number},
                required=False,
                max_length=255,
            )
            self.fields[f"document_{number}_required"] = forms.BooleanField(
                label=gettext_lazy("Required"), required=False, initial=True
            )

    def document_rows(self):
        """(label field, required field) per row, for the template."""
        return [
            (self[f"document_{number}"], self[f"document_{number}_required"])
            for number in range(1, DOCUMENT_ROWS + 1)
        ]

    def field_groups(self):
        """The checkboxes of the answers to correct, grouped by step of the form."""
        chosen = set(self["fields"].value() or [])
        groups: list[dict] = []
        for index, each in enumerate(self.correctable):
            if not groups or groups[-1]["step_id"] != each.step_id:
                groups.append({"step_id": each.step_id, "title": each.step_title, "options": []})
            groups[-1]["options"].append(
                {
                    "id": f"{self['fields'].auto_id}_{index}",
                    "value": each.value,
                    "label": each.label,
                    "checked": each.value in chosen,
                }
            )
        return groups

    def documents(self) -> list[dict]:
        """The documents asked for, as :func:`dossiers.information.ask` takes them."""
        return [
            {
                "label": self.cleaned_data[f"document_{number}"],
                "required": self.cleaned_data[f"document_{number}_required"],
            }
            for number in range(1, DOCUMENT_ROWS + 1)
            if self.cleaned_data.get(f"document_{number}", "").strip()
        ]


#: The transitions that ask the applicant a question through this form, with the form's
#: prefix on the dossier view (two of them can be on one page: their ids must differ).
QUESTION_FORMS = {"request_information": "information", "declare_incomplete": "incomplete"}


def form_for(request, dossier: Dossier, kept=None, name="request_information"):
    """The form of the question transition ``name`` for the dossier view: the one with
    mistakes from the last POST on this dossier (``kept``), else an empty one."""
    prefix = QUESTION_FORMS[name]
    if kept and kept.get("dossier") == dossier.pk and kept.get("prefix", "information") == prefix:
        form = InformationRequestForm(QueryDict(kept["data"]), dossier=dossier, prefix=prefix)
        form.is_valid()
        return form
    return InformationRequestForm(dossier=dossier, prefix=prefix)


def requests_for_view(model_admin, dossier: Dossier) -> list[InformationRequest]:
    """Every question of the dossier, newest first, with what the view shows of it:
    the documents asked for, the answers to correct, the files sent (with their
    download URLs) and the changed answers as before and after."""
    requests = list(
        dossier.information_requests.select_related("asked_by").order_by("-asked_at", "-pk")
    )
    files: dict[int, list] = {}
    for attachment in dossier.attachments.filter(kind=AttachmentKind.INFORMATION):
        attachment.download_url = common.attachment_url(model_admin, attachment)
        files.setdefault(attachment.information_request_id, []).append(attachment)
    for each in requests:
        each.dossier = dossier
        each.sent_files = files.get(each.pk, [])
        each.asked_fields = information.requested_fields(each)
        each.display_changes = information.display_changes(each)
        for document in each.documents:
            document["files"] = [f for f in each.sent_files if f.field_name == document["key"]]
    return requests


def inspect_context(view, dossier: Dossier) -> dict:
    """What the dossier view needs of questions: ``information_requests`` (see
    :func:`requests_for_view`), ``information_form`` and ``incomplete_form`` (what is
    missing, for the completeness check)."""
    kept = view.request.session.pop(SESSION_KEY, None)
    return {
        "information_requests": requests_for_view(view.model_admin, dossier),
        "information_form": form_for(view.request, dossier, kept),
        "incomplete_form": form_for(view.request, dossier, kept, "declare_incomplete"),
    }


@require_POST
def information_view(request, model_admin, instance_pk):
    """Ask the applicant a question (``ask``), or close the open question without an
    answer because the information came another way (``close``)."""
    dossier = common.dossier_for(request, model_admin, instance_pk)
    if request.POST.get("information-action") == "close":
        try:
            dossier = information.close_without_answer(
                dossier,
                request.user,
                expected_status=request.POST.get("expected_status") or None,
            )
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The question is closed. Dossier %(reference)s is now: %(status)s.")
                % {"reference": dossier.reference, "status": dossier.get_status_display()},
            )
        return common.back_to(model_admin, dossier)

    name = request.POST.get("transition", "")
    if name not in QUESTION_FORMS:
        name = "request_information"
    form = InformationRequestForm(request.POST, dossier=dossier, prefix=QUESTION_FORMS[name])
    if not form.is_valid():
        keep_for_redirect(request, dossier, form)
        messages.error(request, _("The question was not sent. Look at the form below."))
        return common.back_to(model_admin, dossier)
    try:
        information.ask(
            dossier,
            request.user,
            form.cleaned_data["question"],
            documents=form.documents(),
            fields=form.cleaned_data["fields"],
            expected_status=form.cleaned_data["expected_status"] or None,
            transition_name=name,
        )
    except ActionRefused as exc:
        keep_for_redirect(request, dossier, form)
        messages.error(request, str(exc))
        return common.back_to(model_admin, dossier)
    dossier.refresh_from_db(fields=["status"])
    messages.success(
        request,
        _("Your question was sent. Dossier %(reference)s is now: %(status)s.")
        % {"reference": dossier.reference, "status": dossier.get_status_display()},
    )
    return common.back_to(model_admin, dossier)


def keep_for_redirect(request, dossier: Dossier, form: InformationRequestForm) -> None:
    data = form.data.copy()
    data.pop("csrfmiddlewaretoken", None)
    request.session[SESSION_KEY] = {
        "dossier": dossier.pk,
        "prefix": form.prefix,
        "data": data.urlencode(),
    }
