"""The demo desk of Gemeente Voorbeeld and the three appointments one can book there.

Idempotent like the rest of the demo: the desk and types are found by name and slug
and only created when missing, so an officer's changes survive a second run.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from dossiers.models import AppointmentType, Channel, Desk, OfficerAvailability, OpeningPeriod

DESK = {
    "name": "Ondernemersloket Gemeente Voorbeeld",
    "address": "Markt 1\n9999 Voorbeeld",
}

#: (weekday, opens, closes): mornings on weekdays, Tuesday evening, Wednesday afternoon.
OPENING_HOURS = [
    *((day, dt.time(9, 0), dt.time(12, 0)) for day in range(5)),
    (1, dt.time(16, 0), dt.time(19, 0)),
    (2, dt.time(13, 30), dt.time(16, 0)),
]

TYPES = [
    {
        "slug": "starten-met-een-zaak",
        "name": "Starten met een zaak",
        "description": "We overlopen samen wat u nodig hebt om uw zaak te starten.",
        "channel": Channel.DESK,
        "duration_minutes": 45,
        "buffer_minutes": 15,
        "capacity": 2,
        "min_notice_hours": 24,
        "max_days_ahead": 60,
    },
    {
        "slug": "uw-vergunning-bespreken",
        "name": "Uw vergunning bespreken",
        "description": "Een gesprek over uw aanvraag voor een vergunning.",
        "channel": Channel.VIDEO,
        "duration_minutes": 30,
        "buffer_minutes": 0,
        "capacity": 1,
        "min_notice_hours": 24,
        "max_days_ahead": 45,
    },
    {
        "slug": "premie-aanvragen",
        "name": "Premie aanvragen",
        "description": "We bellen u en helpen u met uw aanvraag voor een premie.",
        "channel": Channel.PHONE,
        "duration_minutes": 15,
        "buffer_minutes": 5,
        "capacity": 1,
        "min_notice_hours": 4,
        "max_days_ahead": 30,
    },
]


#: Service pages (by slug) that offer "Maak een afspraak", with the types they offer.
OFFERED_ON = {
    "terrasvergunning": ["uw-vergunning-bespreken"],
    "evenementenvergunning": ["uw-vergunning-bespreken"],
    "startpremie-winkel-centrum": ["starten-met-een-zaak", "premie-aanvragen"],
    "gevelrenovatiepremie": ["premie-aanvragen"],
}


#: "Uw vergunning bespreken" is taken by the demo's two officers, each on their own
#: mornings (the desk's hours bound them): (user name, weekdays).
OFFICERS = {
    "behandelaar": [0, 1, 2],
    "teamleider": [2, 3, 4],
}
OFFICER_TYPE = "uw-vergunning-bespreken"


def ensure_officers() -> None:
    """The demo's officers take the permit talks (when the type has none chosen yet)."""
    appointment_type = AppointmentType.objects.filter(slug=OFFICER_TYPE).first()
    if appointment_type is None or appointment_type.officers.exists():
        return
    users = get_user_model().objects.filter(username__in=OFFICERS)
    for user in users:
        for weekday in OFFICERS[user.username]:
            OfficerAvailability.objects.get_or_create(
                officer=user, weekday=weekday, starts=dt.time(9, 0), ends=dt.time(12, 0)
            )
    appointment_type.officers.set(users)


def offer_on_service_pages() -> None:
    """Demo service pages offer their appointments; a page that offers some already
    (chosen by an editor, or by an earlier run) is left alone."""
    from cms.models import ServicePage

    for slug, type_slugs in OFFERED_ON.items():
        page = ServicePage.objects.filter(slug=slug).first()
        if page is None or page.appointment_types.exists():
            continue
        page.appointment_types.set(AppointmentType.objects.filter(slug__in=type_slugs))
        page.save_revision().publish()


def ensure_appointments() -> Desk:
    desk, created = Desk.objects.get_or_create(
        name=DESK["name"], defaults={"address": DESK["address"]}
    )
    if created:
        for weekday, opens, closes in OPENING_HOURS:
            OpeningPeriod.objects.create(desk=desk, weekday=weekday, opens=opens, closes=closes)
    for spec in TYPES:
        AppointmentType.objects.get_or_create(slug=spec["slug"], defaults={**spec, "desk": desk})
    ensure_officers()
    offer_on_service_pages()
    return desk
