"""The officers' agenda of appointments: one desk, a day or a week, printable; marking
an appointment that began as done or no-show with a note (issue #19).

Every officer may see it, for the desks of the municipalities their teams serve (the
appointments list shows those too). The
week is Monday to Sunday in the desk's time zone; the page is one query for the
appointments whatever their number.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.appointments import feeds, services
from dossiers.exceptions import ActionRefused
from dossiers.models import Appointment, AppointmentStatus, CalendarFeed

from .. import permissions
from .common import OfficerScreen


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("What happened?"),
        choices=[
            (AppointmentStatus.DONE, AppointmentStatus.DONE.label),
            (AppointmentStatus.NO_SHOW, AppointmentStatus.NO_SHOW.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea
    )


def _parse_day(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default


class AgendaView(OfficerScreen):
    """``?desk=<id>&day=YYYY-MM-DD&period=day|week[&print=1]``"""

    template_name = "dossiers/admin/agenda.html"
    page_title = gettext_lazy("Agenda")
    header_icon = "date"

    def get_template_names(self):
        if self.request.GET.get("print"):
            return ["dossiers/admin/agenda_print.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        desks = list(permissions.visible_desks(self.request.user))
        desk = next((d for d in desks if str(d.pk) == self.request.GET.get("desk")), None)
        desk = desk or (desks[0] if desks else None)
        period = "week" if self.request.GET.get("period") == "week" else "day"
        zone = desk.zone if desk else timezone.get_current_timezone()
        today = timezone.now().astimezone(zone).date()
        day = _parse_day(self.request.GET.get("day"), today)
        first = day - dt.timedelta(days=day.weekday()) if period == "week" else day
        length = 7 if period == "week" else 1
        days = [first + dt.timedelta(days=n) for n in range(length)]
        appointments = []
        if desk is not None:
            start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
            end = dt.datetime.combine(first + dt.timedelta(days=length), dt.time(), tzinfo=zone)
            appointments = list(
                Appointment.objects.filter(desk=desk, starts_at__gte=start, starts_at__lt=end)
                .exclude(status=AppointmentStatus.CANCELLED)
                .select_related("appointment_type", "handled_by")
                .order_by("starts_at", "seat")
            )
        now = timezone.now()
        per_day = {d: [] for d in days}
        for appointment in appointments:
            appointment.begun = appointment.starts_at <= now
            per_day[appointment.starts_at.astimezone(zone).date()].append(appointment)
        step = dt.timedelta(days=length)

        def link(**changes):
            params = {"desk": desk.pk if desk else "", "day": day.isoformat(), "period": period}
            params.update(changes)
            return reverse("dossiers_agenda") + "?" + urlencode(params)

        context.update(
            desks=desks,
            desk=desk,
            period=period,
            day=day,
            zone=zone,
            days=[(d, per_day[d]) for d in days],
            heading=(
                _("Week of %(day)s") % {"day": formats.date_format(first, "j F Y")}
                if period == "week"
                else formats.date_format(day, "l j F Y")
            ),
            previous_url=link(day=(first - step).isoformat()),
            next_url=link(day=(first + step).isoformat()),
            today_url=link(day=today.isoformat()),
            day_url=link(period="day"),
            week_url=link(period="week"),
            print_url=link(print=1),
            outcome_form=OutcomeForm(),
            statuses=AppointmentStatus,
            has_feed=CalendarFeed.objects.filter(officer=self.request.user).exists(),
        )
        return context

    def post(self, request, *args, **kwargs):
        back = reverse("dossiers_agenda") + "?" + request.GET.urlencode()
        if request.POST.get("feed") == "new":
            token = feeds.new_feed(request.user)
            url = settings.LOKET_BASE_URL.rstrip("/") + reverse(
                "appointments:officer_feed", kwargs={"token": token}
            )
            messages.success(
                request,
                _("Your calendar link (shown only now; an earlier link no longer works): %(url)s")
                % {"url": url},
            )
            return redirect(back)
        if request.POST.get("feed") == "end":
            feeds.end_feed(request.user)
            messages.success(request, _("Your calendar link no longer works."))
            return redirect(back)
        appointment = get_object_or_404(
            permissions.visible_appointments(request.user).select_related("desk"),
            pk=request.POST.get("appointment"),
        )
        form = OutcomeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose whether the appointment took place."))
            return redirect(back)
        try:
            services.mark_outcome(
                appointment,
                status=form.cleaned_data["status"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": appointment.name, "status": appointment.get_status_display()},
            )
        return redirect(back)


class AppointmentFiguresView(OfficerScreen):
    """Per appointment type, for a period (``?from=YYYY-MM-DD&to=YYYY-MM-DD``, default
    the last 30 days, by the appointment's day): booked, cancelled, took place, did not
    come. One query."""

    template_name = "dossiers/admin/appointment_figures.html"
    page_title = gettext_lazy("Appointments in figures")
    header_icon = "date"

    def get_context_data(self, **kwargs):
        from django.db.models import Count, Q

        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        last = _parse_day(self.request.GET.get("to"), today)
        first = _parse_day(self.request.GET.get("from"), last - dt.timedelta(days=29))
        if first > last:
            first, last = last, first
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        rows = (
            permissions.visible_appointments(self.request.user)
            .filter(starts_at__gte=start, starts_at__lt=end)
            .values("appointment_type__name")
            .annotate(
                total=Count("pk"),
                cancelled=Count("pk", filter=Q(status=AppointmentStatus.CANCELLED)),
                done=Count("pk", filter=Q(status=AppointmentStatus.DONE)),
                no_show=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)),
                open=Count("pk", filter=Q(status=AppointmentStatus.BOOKED)),
            )
            .order_by("appointment_type__name")
        )
        context.update(rows=list(rows), first=first, last=last)
        return context
