"""The privacy requests screen (Settings → Privacy requests), for administrators.

Find what is held about an e-mail address or an enterprise number, download it as a
ZIP, or erase it; below, the audit log of earlier exports and erasures. Request
handling only: the work is in :mod:`dossiers.privacy`.

Every step is a POST to the same URL with an ``action``: the term never appears in a
URL, so it never reaches a server's access log or the browser's history.
"""

from __future__ import annotations

import tempfile

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from dossiers.applicant.downloads import download_response
from dossiers.constants import PrivacyRequestKind
from dossiers.exceptions import ActionRefused
from dossiers.models import PrivacyRequest

from .. import permissions, privacy

#: Who may use the screen: superusers, and the groups given this permission (e.g. the
#: data protection officer's).
PERMISSION = "dossiers.handle_privacy_requests"

#: The officers' view of a dossier (dossiers.admin.options.DossierAdmin).
INSPECT_URL_NAME = "dossiers_dossier_modeladmin_inspect"

#: How many audit records the screen lists.
AUDIT_ROWS = 50


def can_handle_privacy_requests(user) -> bool:
    return bool(user is not None and user.is_active and user.has_perm(PERMISSION))


class SearchForm(forms.Form):
    term = forms.CharField(
        label=_("E-mail address, enterprise number or national register number"),
        max_length=254,
        help_text=_(
            "For example an.peeters@voorbeeld.be, 0403.170.701 or 85.07.30-033.28. A national "
            "register number finds the dossiers sent by that person signed in with the "
            "government's login, and the answers that mention it."
        ),
    )

    def clean_term(self) -> privacy.SearchTerm:
        return privacy.parse_search_term(self.cleaned_data["term"])


class EraseForm(SearchForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: request by e-mail of 3 March, number 2026-014 in the register. "
            "Do not write the name or e-mail address here."
        ),
    )
    withdraw_open = forms.BooleanField(
        label=_("Withdraw the dossiers that are still being handled, then erase them"),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("I understand that the erased data cannot be brought back"),
        required=True,
    )


class PrivacyRequestsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "dossiers/admin/privacy.html"
    confirm_template_name = "dossiers/admin/privacy_confirm.html"
    page_title = _("Privacy requests")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not can_handle_privacy_requests(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", SearchForm())
        context["audit"] = PrivacyRequest.objects.select_related("requested_by")[:AUDIT_ROWS]
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "search")
        form = SearchForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        findings = privacy.find(form.cleaned_data["term"])
        if action == "export":
            return self.export(findings)
        if action == "confirm":
            erase_form = EraseForm(initial={"term": request.POST.get("term", "")})
            return self.confirm(findings, erase_form)
        if action == "erase":
            return self.erase(findings, EraseForm(request.POST))
        return self.render_to_response(self.get_context_data(form=form, **self.results(findings)))

    def results(self, findings: privacy.Findings) -> dict:
        for dossier in findings.dossiers:
            if permissions.can_view(self.request.user, dossier):
                dossier.admin_url = reverse(INSPECT_URL_NAME, args=[dossier.pk])
        return {
            "findings": findings,
            "searched": True,
            "earlier": privacy.earlier_requests(findings.term)[:AUDIT_ROWS],
        }

    def export(self, findings: privacy.Findings):
        archive = tempfile.TemporaryFile()
        privacy.write_export(findings, archive)
        archive.seek(0)
        privacy.record_request(
            PrivacyRequestKind.EXPORT,
            findings,
            actor=self.request.user,
            dossiers=len(findings.dossiers),
            drafts=len(findings.drafts),
        )
        filename = f"persoonsgegevens-{timezone.localdate():%Y-%m-%d}.zip"
        return download_response(archive, filename=filename, content_type="application/zip")

    def confirm(self, findings: privacy.Findings, erase_form: EraseForm):
        context = self.get_context_data(erase_form=erase_form, findings=findings)
        return self.response_class(
            request=self.request, template=[self.confirm_template_name], context=context
        )

    def erase(self, findings: privacy.Findings, erase_form: EraseForm):
        if not erase_form.is_valid():
            return self.confirm(findings, erase_form)
        try:
            record = privacy.erase_on_request(
                findings,
                actor=self.request.user,
                reason=erase_form.cleaned_data["reason"],
                withdraw_open=erase_form.cleaned_data["withdraw_open"],
            )
        except ActionRefused as exc:
            erase_form.add_error(None, str(exc))
            return self.confirm(findings, erase_form)
        messages.success(
            self.request,
            gettext(
                "Erased: the personal data of %(dossiers)s dossier(s) and %(drafts)s "
                "unfinished application(s)."
            )
            % {"dossiers": record.dossier_count, "drafts": record.draft_count},
        )
        return redirect("dossiers_privacy")


class PrivacyMenuItem(MenuItem):
    """ "Privacy requests" under Settings, for those who may handle them."""

    def is_shown(self, request):
        return can_handle_privacy_requests(request.user)
