"""The statistics page of one form, and the list of forms under Reports.

An editor who may edit a form page (Wagtail page permissions) sees that form's
statistics; for anyone else the page does not exist (404: it does not tell which
forms there are). The list under Reports shows only the forms the
user may edit.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from ..models import ApplicationFormPage
from ..models.step_counts import StepCount
from . import charts
from .figures import Period, form_statistics

#: The longest period one page shows (its weekly table has a row per week).
LONGEST_PERIOD = datetime.timedelta(days=3 * 366)


def can_see_statistics(user, page: Page) -> bool:
    """Editors of the form page see its statistics."""
    return page.permissions_for_user(user).can_edit()


def editable_forms(user):
    """The form pages ``user`` may edit, by title."""
    pages = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    return ApplicationFormPage.objects.filter(
        pk__in=pages.type(ApplicationFormPage).values("pk")
    ).order_by("title")


class PeriodForm(forms.Form):
    """The period the editor chooses; both days included."""

    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Up to and including"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise ValidationError(_("The start date must be on or before the end date."))
            if end - start > LONGEST_PERIOD:
                raise ValidationError(_("Choose a period of at most three years."))
        return cleaned


def chosen_period(data) -> tuple[PeriodForm, Period]:
    """The period form bound to the query string, and the period to show: the chosen
    one when valid, otherwise the default (the form then shows why)."""
    default = Period.default()
    if "start" not in data and "end" not in data:
        form = PeriodForm(initial={"start": default.start, "end": default.end})
        return form, default
    form = PeriodForm(data)
    if form.is_valid():
        return form, Period(form.cleaned_data["start"], form.cleaned_data["end"])
    return form, default


def _duration_minutes(minutes: float | None) -> str:
    if minutes is None:
        return "–"
    if minutes < 60:
        return gettext("%(minutes)d min") % {"minutes": round(minutes)}
    return gettext("%(hours)s hours") % {"hours": number_format(minutes / 60, 1)}


def drop_off_rows(figures) -> list[tuple[str, int]]:
    """``[(where they stopped, how many)]`` for the chart and the table."""
    rows = []
    for step in figures.drop_off:
        if step.completed == 0:
            label = gettext("Before completing step 1")
        elif step.last:
            label = gettext("After the last step, on the check page")
        else:
            label = gettext("After step %(number)s: %(title)s") % {
                "number": step.completed,
                "title": step.title,
            }
        rows.append((label, step.left))
    return rows


class FormStatisticsView(WagtailAdminTemplateMixin, TemplateView):
    """Started, sent, where applicants stop, what became of the dossiers, ratings."""

    template_name = "forms_builder/admin/statistics.html"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(ApplicationFormPage, pk=kwargs["page_id"])
        if not can_see_statistics(request.user, self.page):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Statistics")

    def get_page_subtitle(self):
        return self.page.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, period = chosen_period(self.request.GET)
        figures = form_statistics(self.page, period)
        context.update(
            form_page=self.page,
            period_form=form,
            figures=figures,
            time_to_complete=_duration_minutes(figures.median_minutes_to_complete),
            drop_off=drop_off_rows(figures),
            charts=self.charts(figures),
        )
        return context

    def charts(self, figures) -> dict:
        found = {}
        found["drop_off"] = charts.bar_chart(
            gettext("Where applicants stop"),
            gettext("Unsent applications by the last step the applicant completed."),
            [label for label, _left in drop_off_rows(figures)],
            [charts.Series(gettext("Stopped"), tuple(step.left for step in figures.drop_off))],
        )
        weeks = [
            gettext("Week of %(day)s") % {"day": monday.strftime("%d/%m")}
            for monday, *_ in figures.weeks
        ]
        found["weeks"] = charts.bar_chart(
            gettext("Applications per week"),
            gettext("Started and sent applications per week."),
            weeks,
            [
                charts.Series(gettext("Started"), tuple(row[1] for row in figures.weeks)),
                charts.Series(gettext("Sent"), tuple(row[2] for row in figures.weeks)),
            ],
        )
        dossiers = figures.dossiers
        if dossiers is not None:
            found["statuses"] = charts.bar_chart(
                gettext("Dossiers per status"),
                gettext("The current status of the dossiers submitted in the period."),
                [label for label, _count in dossiers.per_status],
                [charts.Series(gettext("Dossiers"), tuple(n for _label, n in dossiers.per_status))],
            )
            found["scores"] = charts.bar_chart(
                gettext("Ratings per score"),
                gettext("How many applicants gave each score, from 5 (very satisfied) to 1."),
                [str(score) for score, _count in dossiers.scores],
                [charts.Series(gettext("Ratings"), tuple(n for _score, n in dossiers.scores))],
            )
        return found


class StatisticsReportView(WagtailAdminTemplateMixin, TemplateView):
    """Under Reports: the forms the user may edit, with this period's main numbers."""

    template_name = "forms_builder/admin/statistics_report.html"
    page_title = _("Form statistics")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = Period.default()
        pages = list(editable_forms(self.request.user))
        totals = {
            row["page"]: row
            for row in StepCount.objects.filter(
                page__in=pages, day__gte=period.start, day__lte=period.end
            )
            .values("page")
            .annotate(left=Sum("left"), submitted=Sum("sent"))
            .order_by()
        }
        for row in totals.values():
            row["started"] = row["left"] + row["submitted"]
        context["period"] = period
        context["rows"] = [
            (
                page,
                totals.get(page.pk, {}).get("started", 0),
                totals.get(page.pk, {}).get("submitted", 0),
            )
            for page in pages
        ]
        return context


class StatisticsMenuItem(MenuItem):
    """ "Form statistics" under Reports, for users who may edit at least one page."""

    def is_shown(self, request):
        return PagePermissionPolicy().user_has_any_permission(request.user, ["change"])
