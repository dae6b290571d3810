"""Booking an appointment without JavaScript, one question per page, under /afspraak/:

type → day → time (plain GET forms: nothing personal, nothing saved, the address says
where one is) → your details (POST: books) → the appointment's page behind its secret
link, which is also the confirmation page, with a way to cancel.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cms.sites import find_site
from core import ratelimit
from dossiers.models import AppointmentType, Channel
from dossiers.portal import identity as applicant
from dossiers.portal import services as portal

from . import feeds, services, slots
from .forms import DayForm, DetailsForm, TimeForm, TypeForm, booking_answers, text_to_start

STEP_TEMPLATE = "dossiers/appointments/question.html"


def _private(response):
    """Pages behind a secret link: never cached or indexed, the address never sent on."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response


def _question(request, form, *, back_url, intro="", appointment_type=None, status=200, caption=""):
    response = TemplateResponse(
        request,
        STEP_TEMPLATE,
        {
            "form": form,
            "field": next(iter(form)),
            "back_url": back_url,
            "intro": intro,
            "appointment_type": appointment_type,
            "caption": caption or _("Make an appointment"),
        },
    )
    response.status_code = status
    return response


def _bookable_types(request):
    """The active kinds of appointment at the desks of the request's municipality
    (its Site by host name): another municipality's desks are not offered here."""
    site = find_site(request)
    return AppointmentType.objects.filter(
        active=True, desk__site_id=site.pk if site else None
    ).select_related("desk")


def _bookable_type(request, slug: str) -> AppointmentType:
    return get_object_or_404(_bookable_types(request), slug=slug)


def _parse_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


@require_safe
def choose_type(request):
    types = list(_bookable_types(request))
    form = TypeForm(request.GET if "next" in request.GET else None, types=types)
    if form.is_bound and form.is_valid():
        return redirect("appointments:day", slug=form.cleaned_data["type"])
    if not types:
        return TemplateResponse(request, "dossiers/appointments/none.html", {})
    return _question(request, form, back_url="/")


@require_safe
def choose_day(request, slug):
    appointment_type = _bookable_type(request, slug)
    days = slots.days_with_slots(appointment_type)
    form = DayForm(request.GET if "next" in request.GET else None, days=days)
    if form.is_bound and form.is_valid():
        return redirect("appointments:time", slug=slug, day=form.cleaned_data["day"])
    intro = "" if days else _("There are no free times at the moment. Try again later.")
    return _question(
        request,
        form,
        back_url=reverse("appointments:start"),
        intro=intro,
        appointment_type=appointment_type,
    )


@require_safe
def choose_time(request, slug, day):
    appointment_type = _bookable_type(request, slug)
    chosen_day = _parse_day(day)
    if chosen_day is None:
        raise Http404
    free = slots.slots_on(appointment_type, chosen_day)
    if not free:
        messages.error(
            request, _("There are no free times on that day any more. Choose another day.")
        )
        return redirect("appointments:day", slug=slug)
    form = TimeForm(
        request.GET if "next" in request.GET else None, slots=free, zone=appointment_type.desk.zone
    )
    if form.is_bound and form.is_valid():
        return redirect("appointments:details", slug=slug, start=form.cleaned_data["time"])
    return _question(
        request,
        form,
        back_url=reverse("appointments:day", kwargs={"slug": slug}),
        appointment_type=appointment_type,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.ratelimit("appointment_book_per_client")
@ratelimit.limited_in_view("appointment_book_per_address")
def details(request, slug, start):
    appointment_type = _bookable_type(request, slug)
    starts_at = text_to_start(start)
    slot = slots.find_slot(appointment_type, starts_at) if starts_at else None
    local = starts_at.astimezone(appointment_type.desk.zone) if starts_at else None
    time_url = (
        reverse("appointments:time", kwargs={"slug": slug, "day": local.date().isoformat()})
        if local
        else reverse("appointments:day", kwargs={"slug": slug})
    )
    if slot is None:
        messages.error(request, _("This time is no longer free. Choose another time."))
        return redirect(time_url)
    needs_phone = appointment_type.channel == Channel.PHONE
    form = DetailsForm(
        request.POST if request.method == "POST" else None,
        needs_phone=needs_phone,
        questions=appointment_type.booking_questions.all(),
        initial=_known_details(request),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        refused = ratelimit.check(
            request, "appointment_book_per_address", data["email"].strip().lower()
        )
        if refused is not None:
            return refused
        try:
            appointment = services.book_appointment(
                appointment_type=appointment_type,
                start=slot.start,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                company=data["company"],
                question=data["question"],
                answers=booking_answers(form),
            )
        except services.SlotTaken as exc:
            messages.error(request, str(exc))
            return redirect(time_url)
        messages.success(request, _("Your appointment is booked. We sent you an e-mail."))
        return redirect(appointment.get_manage_url())
    return _private(
        TemplateResponse(
            request,
            "dossiers/appointments/details.html",
            {
                "form": form,
                "appointment_type": appointment_type,
                "start": local,
                "end": slot.end.astimezone(appointment_type.desk.zone),
                "back_url": time_url,
            },
        )
    )


def _known_details(request) -> dict:
    """What Mijn loket knows of the signed-in applicant (their proven address and the
    details of their own dossiers), to prefill the details; nothing when not signed in."""
    identity = applicant.current_identity(request)
    if identity is None:
        return {}
    known = portal.company_details(identity)
    return {
        "name": known.applicant_name,
        "email": known.applicant_email,
        "phone": known.applicant_phone,
        "company": known.company_name,
    }


def _by_link(request, public_id, key):
    """The appointment, or the Dutch "this link is not right" page (404)."""
    appointment = services.get_appointment_by_link(public_id, key)
    if appointment is None:
        response = TemplateResponse(request, "dossiers/appointments/wrong_link.html", {})
        response.status_code = 404
        return None, _private(response)
    return appointment, None


@never_cache
@require_safe
@ratelimit.ratelimit("appointment_link_per_client", methods=("GET", "HEAD"))
def manage(request, public_id, key):
    appointment, refused = _by_link(request, public_id, key)
    if refused is not None:
        return refused
    return _private(
        TemplateResponse(
            request,
            "dossiers/appointments/appointment.html",
            {
                "appointment": appointment,
                "start": appointment.local_start(),
                "end": appointment.local_end(),
                "can_cancel": appointment.can_change,
            },
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.ratelimit("appointment_link_per_client", methods=("GET", "HEAD", "POST"))
def cancel(request, public_id, key):
    appointment, refused = _by_link(request, public_id, key)
    if refused is not None:
        return refused
    if not appointment.can_change:
        messages.info(request, _("This appointment can no longer be cancelled."))
        return redirect(appointment.get_manage_url())
    if request.method == "POST":
        services.cancel_appointment(appointment)
        messages.success(request, _("Your appointment is cancelled. We sent you an e-mail."))
        return redirect(appointment.get_manage_url())
    return _private(
        TemplateResponse(
            request,
            "dossiers/appointments/cancel.html",
            {
                "appointment": appointment,
                "start": appointment.local_start(),
                "end": appointment.local_end(),
            },
        )
    )


# --- moving, behind the appointment's link: day → time → confirm (POST) ----------------


def _changeable(request, public_id, key):
    """(appointment, None) when it can still be moved; else (None, a response)."""
    appointment, refused = _by_link(request, public_id, key)
    if refused is not None:
        return None, refused
    if not appointment.can_change:
        messages.info(request, _("This appointment can no longer be moved."))
        return None, redirect(appointment.get_manage_url())
    return appointment, None


def _move_url(appointment, name, **kwargs):
    return reverse(
        f"appointments:{name}",
        kwargs={"public_id": appointment.public_id, "key": appointment.access_key, **kwargs},
    )


@never_cache
@require_safe
@ratelimit.ratelimit("appointment_link_per_client", methods=("GET", "HEAD"))
def move_day(request, public_id, key):
    appointment, refused = _changeable(request, public_id, key)
    if refused is not None:
        return refused
    planner = slots.Planner(appointment.appointment_type, ignore=appointment)
    days = planner.days_with_slots()
    form = DayForm(request.GET if "next" in request.GET else None, days=days)
    if form.is_bound and form.is_valid():
        return redirect(_move_url(appointment, "move_time", day=form.cleaned_data["day"]))
    intro = "" if days else _("There are no free times at the moment. Try again later.")
    return _private(
        _question(
            request,
            form,
            back_url=appointment.get_manage_url(),
            intro=intro,
            appointment_type=appointment.appointment_type,
            caption=_("Move your appointment"),
        )
    )


@never_cache
@require_safe
@ratelimit.ratelimit("appointment_link_per_client", methods=("GET", "HEAD"))
def move_time(request, public_id, key, day):
    appointment, refused = _changeable(request, public_id, key)
    if refused is not None:
        return refused
    chosen_day = _parse_day(day)
    if chosen_day is None:
        raise Http404
    planner = slots.Planner(appointment.appointment_type, ignore=appointment)
    free = planner.slots_on(chosen_day)
    if not free:
        messages.error(
            request, _("There are no free times on that day any more. Choose another day.")
        )
        return redirect(_move_url(appointment, "move"))
    form = TimeForm(
        request.GET if "next" in request.GET else None,
        slots=free,
        zone=appointment.desk.zone,
    )
    if form.is_bound and form.is_valid():
        return redirect(_move_url(appointment, "move_confirm", start=form.cleaned_data["time"]))
    return _private(
        _question(
            request,
            form,
            back_url=_move_url(appointment, "move"),
            appointment_type=appointment.appointment_type,
            caption=_("Move your appointment"),
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.ratelimit("appointment_link_per_client", methods=("GET", "HEAD", "POST"))
def move_confirm(request, public_id, key, start):
    appointment, refused = _changeable(request, public_id, key)
    if refused is not None:
        return refused
    starts_at = text_to_start(start)
    planner = slots.Planner(appointment.appointment_type, ignore=appointment)
    slot = planner.find_slot(starts_at) if starts_at else None
    if slot is None:
        messages.error(request, _("This time is no longer free. Choose another time."))
        return redirect(_move_url(appointment, "move"))
    if request.method == "POST":
        try:
            services.move_appointment(appointment, slot.start)
        except services.ActionRefused as exc:
            messages.error(request, str(exc))
            return redirect(_move_url(appointment, "move"))
        messages.success(request, _("Your appointment is moved. We sent you an e-mail."))
        return redirect(appointment.get_manage_url())
    zone = appointment.desk.zone
    return _private(
        TemplateResponse(
            request,
            "dossiers/appointments/move.html",
            {
                "appointment": appointment,
                "start": appointment.local_start(),
                "new_start": slot.start.astimezone(zone),
                "new_end": slot.end.astimezone(zone),
                "back_url": _move_url(
                    appointment, "move_time", day=slot.start.astimezone(zone).date().isoformat()
                ),
            },
        )
    )


@never_cache
@require_safe
@ratelimit.ratelimit("appointment_link_per_client", methods=("GET", "HEAD"))
def officer_feed(request, token):
    """An officer's calendar feed behind its secret link (404 when unknown or ended)."""
    officer = feeds.officer_for(token)
    if officer is None:
        raise Http404
    response = HttpResponse(feeds.build_feed(officer), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="afspraken.ics"'
    return _private(response)
