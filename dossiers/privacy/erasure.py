"""Erasing the personal data of a dossier, and the retention that triggers it.

What is erased and what stays: see :func:`erase_personal_data` and docs/PRIVACY.md.
"""

from __future__ import annotations

import calendar
import datetime
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from dossiers.constants import EventType, NotificationStatus
from dossiers.models import (
    ContactPreference,
    DeliveryRecord,
    Dossier,
    EmailConfirmation,
    Event,
    InformationRequest,
    Message,
    Notification,
    PostedLetter,
    Rating,
    SignInToken,
)
from dossiers.workflow import FINAL_STATUSES
from forms_builder import drafts as form_drafts
from forms_builder.models import ApplicationFormPage, Draft

logger = logging.getLogger(__name__)

#: Why personal data were erased (stored on the "personal data erased" event).
RETENTION = "retention"
REQUEST = "request"

#: Keys of ``Event.data`` that never hold personal text: ids, names of transitions and
#: kinds, counts, the rating's score, the officers involved. Erasure removes every
#: other key (a question, a decision text, a note, a file name, a withdrawal reason),
#: so a key added later is erased unless it is named here.
KEPT_EVENT_KEYS = frozenset(
    {
        "transition",
        "kind",
        "notification",
        "attachment",
        "message",
        "information_request",
        "sender",
        "files",
        "score",
        "assignee",
        "assignee_name",
        "previous",
        "previous_name",
        "cause",
        "retention_months",
    }
)

#: The dossier's own fields that hold personal data; erasure empties them.
PERSONAL_FIELDS = (
    "answers",
    "applicant_name",
    "applicant_email",
    "applicant_phone",
    "company_name",
    "enterprise_number",
    "decision_text",
    # What a sign-in vouched for (dossiers.portal.vouched); the method and the level of
    # assurance stay: they say how, not who.
    "vouched_person",
    "vouched_national_id",
    "vouched_enterprise",
)

#: Dossiers erased per query of the retention task.
BATCH_SIZE = 500


def default_retention_months() -> int:
    """The retention of a dossier whose form was deleted: the form setting's default."""
    return ApplicationFormPage._meta.get_field("retention_months").default


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """``moment`` minus whole calendar months (31 March minus one month: 28/29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


# --- retention -------------------------------------------------------------------------


def expired_dossiers(now: datetime.datetime | None = None) -> QuerySet[Dossier]:
    """Dossiers whose personal data are due for erasure by their form's retention.

    Closed (a final status, ``closed_at`` set) longer ago than the form's
    ``retention_months`` (0: never), and not erased since they were last closed: a
    dossier reopened and closed again after an erasure is due once more.
    """
    now = now or timezone.now()
    due = Q()
    retentions = ApplicationFormPage.objects.order_by().values_list("retention_months", flat=True)
    for months in set(retentions.distinct()):
        if months > 0:
            due |= Q(form_page__retention_months=months, closed_at__lt=months_before(now, months))
    if default_retention_months() > 0:
        cutoff = months_before(now, default_retention_months())
        due |= Q(form_page__isnull=True, closed_at__lt=cutoff)
    if not due:
        return Dossier.objects.none()
    return Dossier.objects.filter(
        due,
        Q(personal_data_erased_at__isnull=True) | Q(personal_data_erased_at__lt=F("closed_at")),
        status__in=FINAL_STATUSES,
        closed_at__isnull=False,
    )


def erase_expired_personal_data(
    batch_size: int = BATCH_SIZE, max_seconds: float = 900, now=None
) -> int:
    """Erase the personal data of every dossier past its form's retention.

    Works in batches of ``batch_size`` dossiers, each dossier in its own transaction,
    until none is left or ``max_seconds`` have passed (the next run goes on). A dossier
    that fails is logged (reference and error type only) and left for the next run.
    Returns how many dossiers were erased.
    """
    started = time.monotonic()
    erased, failed = 0, set()
    while True:
        ids = list(
            expired_dossiers(now)
            .exclude(pk__in=failed)
            .order_by("closed_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        for dossier_id in ids:
            try:
                if erase_personal_data(dossier_id, cause=RETENTION, only_if_expired=True):
                    erased += 1
            except Exception as exc:  # noqa: BLE001 - one dossier must not stop the rest
                failed.add(dossier_id)
                logger.error(
                    "Personal data of dossier id %s not erased: %s", dossier_id, type(exc).__name__
                )
        if len(ids) < batch_size or time.monotonic() - started > max_seconds:
            return erased


# --- erasure ---------------------------------------------------------------------------


def erase_personal_data(
    dossier_id: int, *, cause: str, actor=None, only_if_expired: bool = False
) -> bool:
    """Erase the personal data of one dossier, in one transaction; True when it did.

    Erased: the answers (``{}``; the frozen form still says which questions there
    were), the applicant's name, e-mail address and phone, the company name and
    enterprise number, the decision text, every file (from the storage too), the texts
    of messages, of information requests and their answers, the rating's comment, the
    e-mails' recipients and texts (a pending one is not sent any more), every personal
    key of the events' data (see :data:`KEPT_EVENT_KEYS`), the sign-in links of the
    applicant's address and the draft the dossier was submitted from. Kept: see the
    module's docstring. An internal "personal data erased" event records it.

    Safe to run twice: a dossier erased since it was last closed is erased again, which
    changes nothing but the date. With ``only_if_expired`` (the retention task) the
    dossier is erased only if it is still due, checked under the row's lock, so a
    dossier reopened meanwhile is left alone. Files are deleted last, inside the
    transaction: if it fails, the dossier is not marked erased and the next run
    finishes the work (deleting a file that is gone already is fine).
    """
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier_id).first()
        if dossier is None:
            return False
        if only_if_expired and not expired_dossiers().filter(pk=dossier_id).exists():
            return False
        email = dossier.applicant_email
        files = [(each.file.storage, each.file.name) for each in dossier.attachments.all()]
        now = timezone.now()

        for name in PERSONAL_FIELDS:
            setattr(dossier, name, {} if name == "answers" else "")
        dossier.personal_data_erased_at = now
        dossier.save(update_fields=[*PERSONAL_FIELDS, "personal_data_erased_at", "updated_at"])

        Message.objects.filter(dossier=dossier).update(body="")
        InformationRequest.objects.filter(dossier=dossier).update(
            question="", answer_text="", changes=[]
        )
        Rating.objects.filter(dossier=dossier).update(comment="")
        outbox = Notification.objects.filter(dossier=dossier)
        outbox.filter(status=NotificationStatus.PENDING).update(status=NotificationStatus.FAILED)
        outbox.update(recipient="", subject="", body="", last_error="")
        _erase_event_data(dossier)
        if email:
            SignInToken.objects.filter(email__iexact=email).delete()
        EmailConfirmation.objects.filter(dossier=dossier).delete()
        # The letter rows go with the letters' files below (cascade); the name and
        # address on the envelope are emptied first, so none stays if that changes.
        PostedLetter.objects.filter(dossier=dossier).update(recipient="")
        # A bounce's or a failure's detail may quote the address.
        DeliveryRecord.objects.filter(dossier=dossier).update(detail="")
        for draft in Draft.objects.filter(submitted_dossier_id=dossier.pk):
            form_drafts.delete_draft(draft)
        dossier.attachments.all().delete()
        data = {"cause": cause}
        if cause == RETENTION:
            data["retention_months"] = (
                dossier.form_page.retention_months
                if dossier.form_page_id
                else default_retention_months()
            )
        Event.objects.create(
            dossier=dossier, type=EventType.PERSONAL_DATA_ERASED, actor=actor, data=data
        )
        for storage, name in files:
            storage.delete(name)
    logger.info("Personal data of dossier %s erased (%s)", dossier.reference, cause)
    return True


def _erase_event_data(dossier: Dossier) -> None:
    changed = []
    for event in dossier.events.all():
        kept = {key: value for key, value in event.data.items() if key in KEPT_EVENT_KEYS}
        if kept != event.data:
            event.data = kept
            changed.append(event)
    Event.objects.bulk_update(changed, ["data"], batch_size=200)


# --- letters on paper and preferences -----------------------------------------------


def preference_history_months() -> int:
    """Months a superseded preference is kept after the newer choice was given
    (``LOKET_PREFERENCE_HISTORY_MONTHS``, default 24; 0 keeps them)."""
    return int(getattr(settings, "LOKET_PREFERENCE_HISTORY_MONTHS", 24))


def superseded_preferences(now: datetime.datetime | None = None) -> QuerySet[ContactPreference]:
    """Preferences that were replaced by a newer choice (of the same enterprise number,
    or the same e-mail address without one) given longer ago than
    :func:`preference_history_months`. The newest choice of each is never among them."""
    months = preference_history_months()
    if months <= 0:
        return ContactPreference.objects.none()
    cutoff = months_before(now or timezone.now(), months)
    later = Q(given_at__gt=OuterRef("given_at"))
    later |= Q(given_at=OuterRef("given_at"), pk__gt=OuterRef("pk"))
    newer = ContactPreference.objects.filter(
        later,
        enterprise_number=OuterRef("enterprise_number"),
        email=OuterRef("email"),
        given_at__lt=cutoff,
    )
    return ContactPreference.objects.filter(Exists(newer))


def expired_letter_addresses(now: datetime.datetime | None = None) -> QuerySet[PostedLetter]:
    """Paper letters whose print batch was made longer ago than the retention of their
    dossier's form (0: never) and that still hold a name and address."""
    now = now or timezone.now()
    due = Q()
    retentions = ApplicationFormPage.objects.order_by().values_list("retention_months", flat=True)
    for months in set(retentions.distinct()):
        if months > 0:
            due |= Q(
                dossier__form_page__retention_months=months,
                batch__created_at__lt=months_before(now, months),
            )
    if default_retention_months() > 0:
        cutoff = months_before(now, default_retention_months())
        due |= Q(dossier__form_page__isnull=True, batch__created_at__lt=cutoff)
    if not due:
        return PostedLetter.objects.none()
    return PostedLetter.objects.filter(due, batch__isnull=False).exclude(recipient="")


def erase_expired_contact_data(now: datetime.datetime | None = None) -> dict[str, int]:
    """The daily clean-up of letters on paper and preferences: empty the name and
    address of printed letters past their dossier's retention, and delete superseded
    preferences past :func:`preference_history_months`. Returns the counts."""
    with transaction.atomic():
        letters = expired_letter_addresses(now).update(recipient="")
    with transaction.atomic():
        preferences, _ = superseded_preferences(now).delete()
    if letters or preferences:
        logger.info(
            "Erased the addresses of %s printed letter(s) and %s superseded preference(s)",
            letters,
            preferences,
        )
    return {"letters": letters, "preferences": preferences}
