"""The ratings report: how applicants rate the service, per form (Reports menu).

Administrators see every form; team leads see the ratings of their teams' dossiers
(they answer for their team's service). Other officers and editors do not see it: a
rating is about the whole team, not a tool for one officer's daily work. The figures
come from :func:`dossiers.feedback.ratings_per_form`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from dossiers.feedback import forms as feedback_forms
from dossiers.feedback import services as feedback


class RatingsReportView(WagtailAdminTemplateMixin, TemplateView):
    """Per form: how many ratings, the average, how the scores spread, the latest
    comments."""

    template_name = "dossiers/admin/ratings_report.html"
    page_title = _("Ratings of the service")
    header_icon = "pick"

    def dispatch(self, request, *args, **kwargs):
        if not feedback.can_see_ratings(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forms"] = feedback.ratings_per_form(feedback.visible_ratings(self.request.user))
        context["scores"] = feedback_forms.SCORE_CHOICES
        return context


class RatingsMenuItem(MenuItem):
    """ "Ratings" under Reports, for administrators and team leads."""

    def is_shown(self, request):
        return feedback.can_see_ratings(request.user)
