"""The back office of college decisions and permits.

- College meetings (a menu item for whoever may change them: the college's
  secretariat and administrators): the meeting's list, its PDF agenda, and the form
  that records the outcome of the whole list at once.
- On the dossier view: preparing a proposed decision for a meeting's list (the
  ``propose_to_college`` transition has this screen of its own) and taking it off the
  list again (``take_off_college_list``, with the reason), the permit of an
  approval with its verification page, and withdrawing it.

Like every back-office action, the forms post to their own URL and redirect back.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import InspectView

from dossiers import permissions, stages
from dossiers.admin import common
from dossiers.applicant.downloads import download_response
from dossiers.college import agenda
from dossiers.college import services as college
from dossiers.constants import Outcome
from dossiers.exceptions import ActionRefused
from dossiers.models import CollegeMeeting, CollegeOutcome, Dossier, MeetingStatus, Permit
from dossiers.permits import prefill
from dossiers.permits import services as permits

# --- the dossier view: permit details, proposing, withdrawing ------------------------


class PermitFieldsForm(forms.Form):
    """The permit's period, place and conditions (with an approval or a proposal)."""

    valid_from = forms.DateField(
        label=gettext_lazy("Permit valid from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Permit valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=permits.MAX_PLACE)
    conditions = forms.CharField(
        label=gettext_lazy("Conditions"),
        required=False,
        max_length=permits.MAX_CONDITIONS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    advice_conditions = forms.BooleanField(
        label=gettext_lazy("Add the conditions of the advice to the permit"), required=False
    )


def permit_data(post) -> dict:
    """The permit's details as posted (checked by dossiers.permits when issued)."""
    return {key: post.get(key, "").strip() for key in permits.DETAIL_KEYS if post.get(key)}


class ProposalForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=gettext_lazy("College meeting"),
        queryset=CollegeMeeting.objects.none(),
        error_messages={"required": gettext_lazy("Choose a college meeting.")},
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Proposed decision"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the decision you propose.")},
    )
    decision = forms.CharField(
        label=gettext_lazy("Decision text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Fill in the text that goes with this action.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="college", **kwargs)
        self.fields["meeting"].queryset = college.planned_meetings()


def inspect_context(view, dossier: Dossier) -> dict:
    """What the dossier view needs: ``college_form`` (when a proposal can be made now),
    ``college_may_take_off`` (when the proposal can be taken off its list now),
    ``college_proposals``, ``issues_permit``, ``permit_form`` (the permit's fields for
    an approval or proposal) and ``permit`` (with its verification address)."""
    user = view.request.user
    issues_permit = stages.uses(dossier, stages.PERMIT)
    permit = Permit.objects.filter(dossier=dossier).first()
    if permit is not None:
        permit.verification_url = permit.get_absolute_verification_url()
        permit.current_state = permit.state()
    return {
        "college_form": ProposalForm() if college.may_propose(user, dossier) else None,
        "college_may_take_off": college.may_take_off(user, dossier),
        "college_proposals": list(
            dossier.college_proposals.select_related("meeting").order_by("-prepared_at")
        ),
        "issues_permit": issues_permit,
        # Period and place suggested from the answers; the officer changes them freely.
        "permit_form": (
            PermitFieldsForm(initial=prefill.suggested_details(dossier)) if issues_permit else None
        ),
        "advice_conditions": permits.advice_conditions(dossier) if issues_permit else [],
        "permit": permit,
    }


def _report(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
def college_view(request, model_admin, instance_pk):
    """Put a proposed decision on a college meeting's list."""
    dossier = common.dossier_for(request, model_admin, instance_pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        _report(request, form)
        return common.back_to(model_admin, dossier)
    try:
        proposal = college.propose(
            dossier,
            request.user,
            meeting=form.cleaned_data["meeting"],
            outcome=form.cleaned_data["outcome"],
            decision=form.cleaned_data["decision"],
            permit=permit_data(request.POST),
            expected_status=request.POST.get("expected_status") or None,
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The proposed decision is on the list of the %(meeting)s.")
            % {"meeting": proposal.meeting},
        )
    return common.back_to(model_admin, dossier)


@require_POST
def college_off_view(request, model_admin, instance_pk):
    """Take the dossier's proposal off its meeting's list, with the reason."""
    dossier = common.dossier_for(request, model_admin, instance_pk)
    try:
        proposal = college.take_off_list(
            dossier,
            request.user,
            reason=request.POST.get("reason", ""),
            expected_status=request.POST.get("expected_status") or None,
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "The proposed decision is off the list of the %(meeting)s. You can put it "
                "on the list of a later meeting."
            )
            % {"meeting": proposal.meeting},
        )
    return common.back_to(model_admin, dossier)


@require_POST
def permit_view(request, model_admin, instance_pk):
    """Withdraw the dossier's permit, with the reason."""
    dossier = common.dossier_for(request, model_admin, instance_pk)
    try:
        permits.withdraw(dossier, request.user, reason=request.POST.get("reason", ""))
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The permit is withdrawn."))
    return common.back_to(model_admin, dossier)


# --- the meetings ------------------------------------------------------------------------


class CollegeMeetingInspectView(InspectView):
    """The meeting's list, its agenda and (while planned) the outcome form."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.instance
        planned = meeting.status == MeetingStatus.PLANNED
        # Only the proposals about dossiers the user may see (another municipality's stay
        # hidden: dossiers.permissions).
        visible = _readable(self.request.user)
        visible_ids = set(
            visible.filter(college_proposals__meeting=meeting).values_list("pk", flat=True)
        )
        context.update(
            meeting=meeting,
            proposals=list(
                meeting.proposals.filter(dossier__in=visible)
                .select_related("dossier")
                .order_by("prepared_at", "pk")
            ),
            pending=[
                proposal
                for proposal in (college.pending(meeting) if planned else [])
                if proposal.dossier_id in visible_ids
            ],
            outcomes=CollegeOutcome.choices,
            can_record=planned and college.may_record(self.request.user),
            later_meetings=college.planned_meetings().filter(date__gt=meeting.date),
            agenda_url=self.url_helper.get_action_url("agenda", meeting.pk),
            record_url=self.url_helper.get_action_url("record", meeting.pk),
        )
        return context


class CollegeMeetingAdmin(ModelAdmin):
    """College meetings and their lists. Who may change meetings (a permission in the
    group editor) may add them and record their outcome."""

    model = CollegeMeeting
    menu_label = gettext_lazy("College meetings")
    menu_icon = "date"
    menu_order = 160
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_class = CollegeMeetingInspectView
    inspect_template_name = "dossiers/admin/college_meeting.html"
    list_display = ("__str__", "status")
    list_filter = ("status",)
    ordering = ("-date",)
    form_fields_exclude = ("status", "recorded_at", "recorded_by")

    def get_admin_urls_for_registration(self):
        from django.urls import re_path

        urls = super().get_admin_urls_for_registration()
        return urls + tuple(
            re_path(
                self.url_helper.get_action_url_pattern(action),
                self._bind(view),
                name=self.url_helper.get_action_url_name(action),
            )
            for action, view in (("agenda", agenda_view), ("record", record_view))
        )

    def _bind(self, view):
        def bound(request, *args, **kwargs):
            return view(request, self, *args, **kwargs)

        return bound


def _readable(user):
    """The dossiers whose proposals ``user`` reads on a meeting's list: the college's
    secretariat (who records the outcomes) reads the proposals of its municipalities, an
    officer those of the dossiers they may see (not another municipality's)."""
    if college.may_record(user):
        return permissions.secretariat_dossiers(user) | permissions.visible_dossiers(user)
    return permissions.visible_dossiers(user)


def _meeting_for(request, model_admin, instance_pk) -> CollegeMeeting:
    if not model_admin.permission_helper.user_can_list(request.user):
        raise PermissionDenied
    return get_object_or_404(CollegeMeeting, pk=instance_pk)


@require_safe
def agenda_view(request, model_admin, instance_pk):
    """The meeting's list as a PDF agenda."""
    meeting = _meeting_for(request, model_admin, instance_pk)
    return download_response(
        # Of another municipality's dossiers, nothing.
        io.BytesIO(agenda.agenda_pdf(meeting, _readable(request.user))),
        filename=agenda.agenda_filename(meeting),
        content_type="application/pdf",
    )


@require_POST
def record_view(request, model_admin, instance_pk):
    """Record the outcome of the whole list: ``outcome-<proposal id>`` per proposal,
    ``later_meeting`` for what is postponed."""
    meeting = _meeting_for(request, model_admin, instance_pk)
    outcomes = {
        key.removeprefix("outcome-"): value
        for key, value in request.POST.items()
        if key.startswith("outcome-") and key.removeprefix("outcome-").isdigit()
    }
    later = request.POST.get("later_meeting", "")
    later_meeting = CollegeMeeting.objects.filter(pk=later).first() if later.isdigit() else None
    try:
        college.record_outcome(meeting, request.user, outcomes, later_meeting=later_meeting)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The outcome is recorded. The decision letters are being sent.")
        )
    return redirect(model_admin.url_helper.get_action_url("inspect", meeting.pk))
