"""The back office's views: request handling only; the work is in services and workflow.

Every action is a plain HTML form posting to its own URL and redirecting back to the
dossier with a message, so the back office works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import InvalidPage
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail_modeladmin.views import IndexView, InspectView, WMABaseView

from dossiers import export, occupancy, permissions, services, workflow
from dossiers.admin import (
    advice,
    appointment_invitations,
    college,
    decision_preview,
    filters,
    grants,
    inbox,
    information,
    payments,
    reports,
    routing,
)
from dossiers.admin import messaging as thread
from dossiers.admin.common import attachment_url, back_to, dossier_for
from dossiers.admin.display import due_text, municipality_name, officer_name, status_tag
from dossiers.applicant.downloads import download_response
from dossiers.constants import EventType
from dossiers.correspondence import history as delivery_history
from dossiers.exceptions import ActionRefused
from dossiers.models import Attachment, DecisionTemplate, Dossier
from dossiers.outbox import letters, notify
from forms_builder import maps
from forms_builder.calculations import stored_rows
from forms_builder.logic import display as show_value
from forms_builder.schema import display_answers

#: Events that tell who looked at what; shown apart from the dossier's story.
AUDIT_EVENTS = (EventType.VIEWED, EventType.ATTACHMENT_DOWNLOADED)


class DossierIndexView(IndexView):
    """The inbox. Only the declared filters apply: other query parameters are ignored,
    so nobody can filter on fields the inbox does not offer (e.g. a user's password).

    ``?export=<format>`` (any format registered in dossiers.export) downloads the
    filtered, searched and sorted list instead of showing it.
    """

    @property
    def FORMATS(self):  # noqa: N802 - modeladmin's name
        return tuple(each.format_id for each in export.all_formats())

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return export.export_response(
            queryset,
            export.get_format(spreadsheet_format),
            with_answers=self.one_form_chosen,
            reveal_sensitive=permissions.can_see_sensitive(self.request.user),
        )

    @property
    def one_form_chosen(self) -> bool:
        """Whether the list is filtered on one form (then the export has its answers)."""
        return any(
            isinstance(spec, filters.FormFilter) and (spec.value() or "").isdigit()
            for spec in self.filter_specs
        )

    def get_filters(self, request):
        specs, has_filters, _remaining, use_distinct = super().get_filters(request)
        return specs, has_filters, {}, use_distinct

    def get_queryset(self, request=None):
        # The inbox shows none of these, and the answers can be large.
        return (
            super()
            .get_queryset(request)
            .defer("answers", "calculations", "stages", "decision_text", "vouched_national_id")
        )

    @property
    def is_narrowed(self) -> bool:
        """Whether a filter or a search narrows the list."""
        return bool(self.query) or any(spec.used_parameters for spec in self.filter_specs)

    def get_context_data(self, **kwargs):
        # modeladmin's version builds the list a second time and counts it three times;
        # this counts the list once, and everything the officer may see only when a
        # filter or search narrows the list. What the template gets is the same.
        paginator = self.paginator_class(self.queryset, self.items_per_page)
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        result_count = paginator.count
        all_count = self.get_base_queryset().count() if self.is_narrowed else result_count
        context = {
            "all_count": all_count,
            "result_count": result_count,
            "paginator": paginator,
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(page_obj.number),
            "object_list": page_obj.object_list,
            "user_can_create": False,
            "show_search": self.search_handler.show_search_form,
            "export_links": [
                (each.label, self.get_query_string({self.EXPORT_VAR: each.format_id}))
                for each in export.all_formats()
            ]
            if result_count
            else [],
            "one_form_chosen": self.one_form_chosen,
            "active_filter_count": sum(bool(spec.used_parameters) for spec in self.filter_specs),
            **inbox.context(self.request, self.model_admin),
            **kwargs,
        }
        inbox.remember_list(self.request, page_obj.object_list, context["current_query"])
        return WMABaseView.get_context_data(self, **context)


class DossierInspectView(InspectView):
    """The dossier as an officer sees it: answers, files, notes, timeline and actions."""

    def get_page_title(self):
        return str(self.instance)

    def get_meta_title(self):
        # The browser tab names the dossier: officers keep several open.
        return f"{self.instance.reference} – {self.instance.form_title}"

    def get_page_subtitle(self):
        return self.instance.form_title

    def get(self, request, *args, **kwargs):
        services.record_view(self.instance, officer=request.user)
        response = super().get(request, *args, **kwargs)
        if getattr(response, "context_data", {}).get("map_media"):
            maps.allow_tiles(request, response)  # a location answer: show its map
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dossier = self.instance
        user = self.request.user
        attachments = list(dossier.attachments.all())
        for attachment in attachments:
            attachment.download_url = attachment_url(self.model_admin, attachment)
        events = list(dossier.events.select_related("actor"))
        transitions = workflow.available_transitions(dossier, actor=user)
        letter = letters.current_letter(dossier)
        if letter is not None:
            letter.download_url = attachment_url(self.model_admin, letter)
        answers = self.answers_with_files(dossier, attachments)
        context.update(
            dossier=dossier,
            status_html=status_tag(dossier),
            due_html=due_text(dossier),
            officer=officer_name(dossier.assigned_to),
            municipality=municipality_name(dossier),
            answers=answers,
            map_media=maps.media_for(answers),
            occupation_conflicts=[
                (
                    other,
                    self.url_helper.get_action_url("inspect", other.dossier.pk),
                    reason == occupancy.SAME_STREET,
                )
                for other, reason in occupancy.explained_conflicts(dossier)
            ],
            register_differences=next(
                (
                    e.data.get("register_differences", [])
                    for e in events
                    if e.type == EventType.SUBMITTED
                ),
                [],
            ),
            attachments=attachments,
            timeline=[event for event in events if event.type not in AUDIT_EVENTS],
            audit=[event for event in events if event.type in AUDIT_EVENTS],
            outbox=notify.outbox_of(dossier),
            deliveries=delivery_history.history_of(dossier),
            notes=[event for event in events if event.type == EventType.NOTE_ADDED][::-1],
            transitions=transitions,
            # Each button's form with the decision templates it offers (for this form).
            transition_forms=[
                (t, list(DecisionTemplate.for_dossier(dossier, t.decides)) if t.decides else [])
                for t in transitions
            ],
            decision_letter=letter,
            assignment=permissions.assignment_choices(user, dossier),
            action_urls={
                action: self.url_helper.get_action_url(action, dossier.pk)
                for action in self.model_admin.dossier_actions
            },
        )
        context.update(
            thread.thread_context(
                self.request, dossier, lambda file: attachment_url(self.model_admin, file)
            )
        )
        context.update(information.inspect_context(self, dossier))
        context.update(advice.inspect_context(self, dossier))
        context.update(payments.inspect_context(self, dossier))
        context.update(appointment_invitations.inspect_context(self, dossier))
        context.update(grants.inspect_context(self, dossier))
        context.update(college.inspect_context(self, dossier))
        context.update(routing.inspect_context(self, dossier))
        context.update(reports.inspect_context(self, dossier))
        context["inbox_neighbours"] = inbox.neighbours(self.request, self.model_admin, dossier)
        return context

    def answers_with_files(self, dossier: Dossier, attachments: list[Attachment]) -> list[dict]:
        """The answers per step (frozen labels, each type's display), each upload
        answer with the files that came with it."""
        files: dict[tuple[str, str], list[Attachment]] = {}
        for attachment in attachments:
            files.setdefault((attachment.step_id, attachment.field_name), []).append(attachment)
        sections = display_answers(
            dossier.schema,
            dossier.answers,
            reveal_sensitive=permissions.can_see_sensitive(self.request.user),
        )
        for section in sections:
            for row in section["rows"]:
                row["files"] = files.get((section["id"], row["name"]), [])
        if calculated := calculation_rows(dossier):
            sections.append({"id": "berekening", "title": _("Calculations"), "rows": calculated})
        return sections


def calculation_rows(dossier: Dossier) -> list[dict]:
    """The calculations computed when the dossier was submitted (e.g. a premium's
    proposed amount) and the amount due, as rows of the answers' list."""
    rows = stored_rows(dossier.schema, dossier.calculations or {})
    if dossier.amount_due is not None:
        rows.append(
            {
                "name": "amount_due",
                "label": _("Amount due"),
                "value": show_value(dossier.amount_due, money=True),
            }
        )
    return [{**row, "files": []} for row in rows]


def decision_text(request, dossier: Dossier, name: str) -> str:
    """The decision text posted with an approval or rejection.

    The officer's own text wins; when it is empty and a template was chosen (the
    ``decision_template`` select, offered for this dossier's form and this outcome),
    the template's text is the decision. Nothing is prefilled in the page: choosing a
    template and writing a text sends the written text.
    """
    text = request.POST.get("decision", "").strip()
    chosen = request.POST.get("decision_template", "")
    spec = workflow.TRANSITIONS.get(name)
    if text or not chosen.isdigit() or spec is None or not spec.decides:
        return text
    template = DecisionTemplate.for_dossier(dossier, spec.decides).filter(pk=int(chosen)).first()
    return template.body.strip() if template else ""


#: Transitions made by a screen of their own (they write more than the status).
OWN_SCREENS = ("propose_to_college", "take_off_college_list", "forward_to_party")


@require_POST
def transition_view(request, model_admin, instance_pk):
    """Apply one workflow transition (the status buttons)."""
    dossier = dossier_for(request, model_admin, instance_pk)
    name = request.POST.get("transition", "")
    if name in OWN_SCREENS:
        messages.error(request, _("Use the form of this action on the dossier's page."))
        return back_to(model_admin, dossier)
    data = {"question": request.POST.get("question", "").strip()}
    if "decision" in request.POST or "decision_template" in request.POST:
        data["decision"] = decision_text(request, dossier, name)
    data.update(college.permit_data(request.POST))
    for key in ("authority", "message"):  # forwarding to another authority
        data[key] = request.POST.get(key, "").strip()
    if decision_preview.needs_confirmation(request, name):
        # An approval or refusal: first the letter as it will be sent, then confirm.
        expected = request.POST.get("expected_status") or None
        try:
            html = decision_preview.letter_preview(
                dossier, name, actor=request.user, expected_status=expected, data=data
            )
        except ActionRefused as exc:
            messages.error(request, str(exc))
            return back_to(model_admin, dossier)
        return decision_preview.render_preview(
            request,
            dossier=dossier,
            name=name,
            html=html,
            back_url=model_admin.url_helper.get_action_url("inspect", dossier.pk),
        )
    try:
        dossier = workflow.transition(
            dossier,
            name,
            actor=request.user,
            expected_status=request.POST.get("expected_status") or None,
            data=data,
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Dossier %(reference)s is now: %(status)s.")
            % {"reference": dossier.reference, "status": dossier.get_status_display()},
        )
    return back_to(model_admin, dossier)


@require_POST
def assign_view(request, model_admin, instance_pk):
    """Give the dossier to an officer of the team ("take" gives it to oneself)."""
    dossier = dossier_for(request, model_admin, instance_pk)
    raw = request.POST.get("assignee", "")
    expected = request.POST.get("expected_assignee", "")
    assignee = None
    if raw:
        users = get_user_model().objects
        assignee = users.filter(pk=int(raw)).first() if raw.isdigit() else None
        if assignee is None:
            messages.error(request, _("Choose an officer of the team."))
            return back_to(model_admin, dossier)
    try:
        dossier = services.assign(
            dossier,
            assignee,
            actor=request.user,
            expected_assignee=int(expected) if expected.isdigit() else None,
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        if assignee is None:
            text = _("Nobody handles dossier %(reference)s now.")
        elif assignee.pk == request.user.pk:
            text = _("You handle dossier %(reference)s now.")
        else:
            text = _("%(officer)s handles dossier %(reference)s now.")
        messages.success(
            request,
            text
            % {
                "reference": dossier.reference,
                "officer": services.person_name(assignee),
            },
        )
    return back_to(model_admin, dossier)


@require_POST
def note_view(request, model_admin, instance_pk):
    """Add an internal note."""
    dossier = dossier_for(request, model_admin, instance_pk)
    try:
        services.add_note(dossier, request.POST.get("text", ""), author=request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your note was added."))
    return back_to(model_admin, dossier)


@require_GET
def attachment_view(request, model_admin, instance_pk, attachment_pk):
    """Download one file of the dossier, logged on its timeline (audit).

    Always a download that cannot run as a page of the admin (see
    :mod:`dossiers.downloads`).
    """
    dossier = dossier_for(request, model_admin, instance_pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, dossier=dossier)
    attachment.dossier = dossier
    try:
        handle = services.open_attachment(attachment, officer=request.user)
    except FileNotFoundError:
        raise Http404 from None
    return download_response(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )
