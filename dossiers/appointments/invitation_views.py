"""Booking a time from an officer's invitation about a dossier, behind the invitation's
secret link under /afspraak/uitnodiging/: day → time → confirm (POST). The applicant's
details come from the dossier; only the inviting officer's free times are offered."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core import ratelimit

from . import invitations, services
from .forms import DayForm, QuestionForm, TimeForm, booking_answers, text_to_start
from .views import _parse_day, _private, _question


def _invitation(request, public_id, key):
    """(invitation, None) when the link can still book; else (None, a response): the
    appointment's page once booked, or the Dutch reason why the link does not work."""
    invitation, reason = invitations.find(public_id, key)
    if invitation is not None and invitation.appointment is not None:
        return None, redirect(invitation.appointment.get_manage_url())
    if invitation is None:
        response = TemplateResponse(
            request, "dossiers/appointments/wrong_link.html", {"reason": reason}, status=404
        )
        return None, _private(response)
    return invitation, None


def _invitation_url(name, public_id, key, **kwargs):
    return reverse(f"appointments:{name}", kwargs={"public_id": public_id, "key": key, **kwargs})


@never_cache
@require_safe
@ratelimit.ratelimit("appointment_link_per_client", methods=("GET", "HEAD"))
def invitation_day(request, public_id, key):
    invitation, refused = _invitation(request, public_id, key)
    if refused is not None:
        return refused
    days = invitations.planner(invitation).days_with_slots()
    form = DayForm(request.GET if "next" in request.GET else None, days=days)
    if form.is_bound and form.is_valid():
        return redirect(
            _invitation_url("invitation_time", public_id, key, day=form.cleaned_data["day"])
        )
    intro = "" if days else _("There are no free times at the moment. Try again later.")
    return _private(
        _question(
            request,
            form,
            back_url=invitation.dossier.get_status_url(),
            intro=intro,
            appointment_type=invitation.appointment_type,
        )
    )


@never_cache
@require_safe
@ratelimit.ratelimit("appointment_link_per_client", methods=("GET", "HEAD"))
def invitation_time(request, public_id, key, day):
    invitation, refused = _invitation(request, public_id, key)
    if refused is not None:
        return refused
    chosen_day = _parse_day(day)
    if chosen_day is None:
        raise Http404
    free = invitations.planner(invitation).slots_on(chosen_day)
    if not free:
        messages.error(
            request, _("There are no free times on that day any more. Choose another day.")
        )
        return redirect(_invitation_url("invitation", public_id, key))
    form = TimeForm(
        request.GET if "next" in request.GET else None,
        slots=free,
        zone=invitation.appointment_type.desk.zone,
    )
    if form.is_bound and form.is_valid():
        return redirect(
            _invitation_url("invitation_confirm", public_id, key, start=form.cleaned_data["time"])
        )
    return _private(
        _question(
            request,
            form,
            back_url=_invitation_url("invitation", public_id, key),
            appointment_type=invitation.appointment_type,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.ratelimit("appointment_link_per_client", methods=("GET", "HEAD", "POST"))
def invitation_confirm(request, public_id, key, start):
    invitation, refused = _invitation(request, public_id, key)
    if refused is not None:
        return refused
    starts_at = text_to_start(start)
    slot = invitations.planner(invitation).find_slot(starts_at) if starts_at else None
    if slot is None:
        messages.error(request, _("This time is no longer free. Choose another time."))
        return redirect(_invitation_url("invitation", public_id, key))
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        questions=invitation.appointment_type.booking_questions.all(),
    )
    if form.is_bound and form.is_valid():
        try:
            appointment = invitations.accept(
                invitation, slot.start, form.cleaned_data["question"], booking_answers(form)
            )
        except services.ActionRefused as exc:
            messages.error(request, str(exc))
            return redirect(_invitation_url("invitation", public_id, key))
        messages.success(request, _("Your appointment is booked. We sent you an e-mail."))
        return redirect(appointment.get_manage_url())
    zone = invitation.appointment_type.desk.zone
    return _private(
        TemplateResponse(
            request,
            "dossiers/appointments/invitation_confirm.html",
            {
                "form": form,
                "invitation": invitation,
                "start": slot.start.astimezone(zone),
                "end": slot.end.astimezone(zone),
                "back_url": _invitation_url(
                    "invitation_time",
                    public_id,
                    key,
                    day=slot.start.astimezone(zone).date().isoformat(),
                ),
            },
        )
    )
