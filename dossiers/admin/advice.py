"""The back office of advice: the parties (administrators, in Settings) and, on the
dossier view, asking advice, every request with its answer, and going on without
waiting. Like every back-office action, the forms post to their own URL and redirect
back to the dossier."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail_modeladmin.options import ModelAdmin

from dossiers import stages
from dossiers.admin import common
from dossiers.advice import services as advice
from dossiers.exceptions import ActionRefused
from dossiers.models import AdviceParty, Dossier


class AdvicePartyPermissionHelper(common.AdministratorsOnlyPermissionHelper):
    """Advice parties are set up by administrators (superusers)."""

    def in_use(self, obj) -> bool:
        return obj.requests.exists()


class AdvicePartyAdmin(ModelAdmin):
    """The services that give advice (police, fire brigade, own teams), in Settings."""

    model = AdviceParty
    menu_label = gettext_lazy("Advice parties")
    menu_icon = "mail"
    add_to_settings_menu = True
    permission_helper_class = AdvicePartyPermissionHelper
    list_display = ("name", "email", "team", "site", "active")
    list_select_related = ("team", "site")
    form_fields_exclude = ()


class AdviceRequestForm(forms.Form):
    """Which parties, until when, what they may read, and the question."""

    parties = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Ask advice from"),
        queryset=AdviceParty.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one party to ask for advice.")},
    )
    deadline = forms.DateField(
        label=gettext_lazy("Answer by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Give the date by which the party answers."),
            "invalid": gettext_lazy("Give a date, e.g. 31/12/2026."),
        },
    )
    question = forms.CharField(
        label=gettext_lazy("Your question to the party"),
        required=False,
        max_length=advice.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answers = forms.MultipleChoiceField(
        label=gettext_lazy("Answers the party may read"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    files = forms.MultipleChoiceField(
        label=gettext_lazy("Files the party may read"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, dossier: Dossier, **kwargs):
        kwargs.setdefault(
            "initial", {"deadline": timezone.localdate() + datetime.timedelta(days=14)}
        )
        super().__init__(*args, prefix="advice", **kwargs)
        self.dossier = dossier
        # Another municipality's parties are not on offer.
        self.fields["parties"].queryset = AdviceParty.for_dossier(dossier)
        self.fields["answers"].choices = advice.shareable_fields(dossier)
        self.attachments = {str(a.pk): a for a in dossier.attachments.all()}
        self.fields["files"].choices = [(pk, a.original_name) for pk, a in self.attachments.items()]

    def chosen_files(self):
        return [self.attachments[pk] for pk in self.cleaned_data["files"]]


def inspect_context(view, dossier: Dossier) -> dict:
    """What the dossier view needs of advice: ``advice_requests`` (every request with its
    answer and files, newest first), ``advice_form`` (when advice can be asked now) and
    ``advice_waiting`` (open requests)."""
    if not stages.uses(dossier, stages.ADVICE) and not dossier.advice_requests.exists():
        return {"advice_requests": [], "advice_form": None, "advice_waiting": 0}
    requests = list(
        dossier.advice_requests.select_related("party", "asked_by")
        .prefetch_related("files", "shared_files")
        .order_by("-asked_at", "-pk")
    )
    for each in requests:
        each.sent_files = list(each.files.all())
        for attachment in each.sent_files:
            attachment.download_url = common.attachment_url(view.model_admin, attachment)
    can_ask = not advice.refusal(dossier, view.request.user)
    return {
        "advice_requests": requests,
        "advice_form": AdviceRequestForm(dossier=dossier) if can_ask else None,
        "advice_waiting": sum(1 for each in requests if each.is_open),
    }


@require_POST
def advice_view(request, model_admin, instance_pk):
    """Ask advice (``ask``) or go on without the advice still awaited (``stop``)."""
    dossier = common.dossier_for(request, model_admin, instance_pk)
    if request.POST.get("advice-action") == "stop":
        try:
            count = advice.stop_waiting(dossier, request.user)
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("You go on without waiting: %(count)d request(s) for advice closed.")
                % {"count": count},
            )
        return common.back_to(model_admin, dossier)
    form = AdviceRequestForm(request.POST, dossier=dossier)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return common.back_to(model_admin, dossier)
    try:
        made = advice.ask(
            dossier,
            request.user,
            form.cleaned_data["parties"],
            deadline=form.cleaned_data["deadline"],
            question=form.cleaned_data["question"],
            fields=form.cleaned_data["answers"],
            files=form.chosen_files(),
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Advice asked from: %(parties)s.")
            % {"parties": ", ".join(each.party.name for each in made)},
        )
    return common.back_to(model_admin, dossier)
