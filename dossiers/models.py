"""Submissions as tracked cases: the dossier, its timeline and its outbox."""

import datetime
import secrets
import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import PreviewableMixin

from .constants import (
    OPEN_STATUSES,
    EventType,
    NotificationStatus,
    Outcome,
    PrivacyRequestKind,
    SearchKind,
    Sender,
    Status,
)


def new_access_key() -> str:
    """The secret half of a status-page link: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


class Team(models.Model):
    """A group of officers that handles the dossiers of one or more forms.

    Who is in the team is managed with Wagtail's users and groups: the members of
    :attr:`group` are its officers, the members of :attr:`lead_group` its team leads
    (a lead is an officer of the team too). See :mod:`dossiers.permissions`.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    group = models.OneToOneField(
        Group,
        verbose_name=_("user group"),
        on_delete=models.PROTECT,
        related_name="team",
        help_text=_(
            "The officers of the team are the members of this group. The group needs "
            "access to the Wagtail admin."
        ),
    )
    lead_group = models.OneToOneField(
        Group,
        verbose_name=_("user group of the team leads"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_team",
        help_text=_(
            "Team leads may also give dossiers to another officer of the team and reopen "
            "closed dossiers. The group needs access to the Wagtail admin."
        ),
    )
    email = models.EmailField(
        _("team e-mail address"),
        blank=True,
        help_text=_("Receives notifications about dossiers that nobody has taken yet."),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def members(self):
        """The active users of the team (officers and leads), by name."""
        groups = [pk for pk in (self.group_id, self.lead_group_id) if pk]
        return (
            get_user_model()
            .objects.filter(is_active=True, groups__in=groups)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )


class ReferenceCounter(models.Model):
    """The last reference number handed out per form prefix and year."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"

    @classmethod
    def next_number(cls, prefix: str, year: int) -> int:
        """Atomically take the next number for (prefix, year).

        One upsert statement, so two applicants submitting at the same moment always get
        different numbers: PostgreSQL locks the counter row until the transaction ends.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (prefix, year, last_number) VALUES (%s, %s, 1) "
                f"ON CONFLICT (prefix, year) DO UPDATE "
                f"SET last_number = {table}.last_number + 1 RETURNING last_number",
                [prefix, year],
            )
            return cursor.fetchone()[0]


class DossierQuerySet(models.QuerySet):
    def open(self):
        """Dossiers the municipality still has to act on or decide."""
        return self.filter(status__in=OPEN_STATUSES)

    def new(self):
        """Submitted dossiers that nobody has taken yet."""
        return self.filter(status=Status.SUBMITTED, assigned_to__isnull=True)

    def overdue(self, today: datetime.date | None = None):
        """Open dossiers past their decision date, counting the way :meth:`Dossier.days_left`
        does: a paused term is compared with the day it was paused."""
        today = today or timezone.localdate()
        return self.open().filter(
            Q(due_paused_on__isnull=True, decision_due__lt=today)
            | Q(due_paused_on__isnull=False, decision_due__lt=F("due_paused_on"))
        )


class Dossier(models.Model):
    """One submitted application, tracked from submission to decision."""

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    access_key = models.CharField(max_length=64, default=new_access_key, editable=False)

    form_page = models.ForeignKey(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("form"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    form_title = models.CharField(_("form title"), max_length=255)
    snapshot = models.ForeignKey(
        "forms_builder.FormSnapshot",
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    answers = models.JSONField(_("answers"), default=dict)
    language = models.CharField(_("language"), max_length=10, default="nl")

    applicant_name = models.CharField(_("applicant"), max_length=255, blank=True)
    applicant_email = models.EmailField(_("e-mail address"), blank=True)
    applicant_phone = models.CharField(_("phone number"), max_length=50, blank=True)
    company_name = models.CharField(_("company"), max_length=255, blank=True)
    enterprise_number = models.CharField(_("enterprise number"), max_length=20, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    decision_due = models.DateField(_("decide by"), null=True, blank=True, db_index=True)
    #: The day the decision term stopped running (while waiting for the applicant);
    #: dossiers.workflow moves decision_due on by the paused days when it runs again.
    due_paused_on = models.DateField(_("term paused since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The decision, written by dossiers.workflow with the approve or reject transition.
    decision_outcome = models.CharField(
        _("decision"), max_length=20, choices=Outcome.choices, blank=True
    )
    decision_text = models.TextField(_("decision text"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    #: When dossiers.privacy erased the personal data (retention or a request); the
    #: reference, form, dates, status history and decision outcome stay.
    personal_data_erased_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True
    )

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            # "Mijn loket" finds an applicant's dossiers by e-mail address, in any case.
            models.Index(Upper("applicant_email"), name="dossier_applicant_email_upper"),
        ]

    def __str__(self):
        return self.reference

    @property
    def schema(self) -> dict:
        return self.snapshot.schema

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def days_left(self, today: datetime.date | None = None) -> int | None:
        """Days until the decision date (negative when late); None when there is no term
        to keep. While the term is paused, the days left stay as they were that day."""
        if self.decision_due is None or not self.is_open:
            return None
        reference = self.due_paused_on or today or timezone.localdate()
        return (self.decision_due - reference).days

    def get_status_url(self) -> str:
        """The applicant's link to this dossier (path only; see get_absolute_status_url)."""
        from django.urls import reverse

        return reverse(
            "dossiers:status", kwargs={"public_id": self.public_id, "key": self.access_key}
        )

    def get_absolute_status_url(self) -> str:
        return settings.LOKET_BASE_URL.rstrip("/") + self.get_status_url()


class Event(models.Model):
    """One line of a dossier's timeline (the audit trail)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("type"), max_length=30, choices=EventType.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: True when the applicant sees this event on the status page.
    public = models.BooleanField(_("visible to the applicant"), default=False)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    #: Free data of the event (a transition's name, a question, a note's text).
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.dossier} {self.get_type_display()}"


class Notification(models.Model):
    """An e-mail in the outbox, written in the same transaction as its event."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=50)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    #: After a failed attempt: not to be tried again before this moment (the backoff).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"


class AttachmentKind(models.TextChoices):
    UPLOAD = "upload", _("uploaded file")
    DECISION_LETTER = "decision_letter", _("decision letter")
    #: A document the applicant sent with the answer to an information request.
    INFORMATION = "information", _("requested document")
    #: A file sent with a message (by either side).
    MESSAGE = "message", _("file with a message")
    #: The receipt: a PDF of the answers as submitted.
    RECEIPT = "receipt", _("receipt")


def private_storage():
    return storages["private"]


def attachment_path(instance, filename: str) -> str:
    return f"dossiers/{instance.dossier.public_id}/{secrets.token_hex(8)}/{filename}"


class Attachment(models.Model):
    """A file that came with a dossier, kept in private storage (never a public URL)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage, max_length=500
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    #: The form step and field the file was uploaded with (empty for other sources).
    step_id = models.CharField(max_length=64, blank=True)
    field_name = models.CharField(_("field"), max_length=100, blank=True)
    #: What the file is: an upload of the applicant, or a letter the municipality made.
    kind = models.CharField(
        _("kind"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.UPLOAD
    )
    #: The information request this file answers (kind INFORMATION).
    information_request = models.ForeignKey(
        "InformationRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    #: The message this file came with (kind MESSAGE).
    message = models.ForeignKey(
        "Message", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name


class DecisionTemplate(models.Model):
    """A ready-made decision text an officer can pick when approving or rejecting
    (a Wagtail snippet). Without forms it is offered for every form."""

    name = models.CharField(_("name"), max_length=100)
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    form_pages = models.ManyToManyField(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("forms"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to offer this text for every form."),
    )
    body = models.TextField(_("decision text"))

    panels = [
        FieldPanel("name"),
        FieldPanel("outcome"),
        FieldPanel("form_pages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("decision text template")
        verbose_name_plural = _("decision text templates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def for_dossier(cls, dossier: "Dossier", outcome: str):
        """The templates offered on this dossier for this outcome: those of its form and
        those for every form."""
        query = Q(form_pages__isnull=True)
        if dossier.form_page_id:
            query |= Q(form_pages=dossier.form_page_id)
        return cls.objects.filter(query, outcome=outcome).distinct().order_by("name")


class InformationRequest(models.Model):
    """A question of the municipality to the applicant (status "waiting for the
    applicant"): a text, documents to upload and answers of the form to correct.

    Open while :attr:`closed_at` is empty. The applicant's answer closes it
    (:attr:`answered_at`); an officer may also close it without an answer (e.g. the
    information came by phone).
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="information_requests"
    )
    question = models.TextField(_("question"))
    #: Documents asked for: ``[{"key": "doc-1", "label": "...", "required": true}]``.
    documents = models.JSONField(_("documents asked for"), default=list, blank=True)
    #: Answers of the form to correct: ``[{"step": "<step id>", "name": "<field name>"}]``.
    fields = models.JSONField(_("answers to correct"), default=list, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    #: What the answer changed in the form's answers, for the officer's before/after:
    #: ``[{"step", "name", "label", "before", "after"}]`` (stored values, JSON).
    changes = models.JSONField(_("changed answers"), default=list, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["asked_at", "pk"]

    def __str__(self):
        return f"{self.dossier}: {self.question[:50]}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Message(models.Model):
    """One message in the thread between the applicant and the municipality."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(_("from"), max_length=20, choices=Sender.choices)
    #: The officer who wrote it (empty for the applicant's messages).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    #: When the other side first read it (officers: opened the dossier; applicant:
    #: opened the status page).
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    #: The token of the form the message was sent with: the same form posted twice
    #: (a double click, a reload) gives one message (see dossiers.messaging).
    client_token = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "client_token"],
                condition=~Q(client_token=""),
                name="unique_message_client_token",
            )
        ]

    def __str__(self):
        return f"{self.dossier}: {self.get_sender_display()}"


class Rating(models.Model):
    """The applicant's rating of the service, once the dossier is closed."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.dossier}: {self.score}"


class NotificationTemplate(PreviewableMixin, models.Model):
    """An editable text of one kind of e-mail (a Wagtail snippet), for every form or
    for one form, in one language. Without one, the built-in text is sent.

    Subject and text are plain text with placeholders in braces (``{referentienummer}``)
    that :mod:`dossiers.notifications` fills in; which ones a kind offers is checked
    when the text is saved. The admin edit view previews the e-mail.
    """

    kind = models.CharField(_("kind of e-mail"), max_length=50)
    form_page = models.ForeignKey(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("form"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty to use this text for every form."),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("e-mail text")
        verbose_name_plural = _("e-mail texts")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "form_page", "language"], name="unique_notification_template"
            ),
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=Q(form_page__isnull=True),
                name="unique_default_notification_template",
            ),
        ]

    def __str__(self):
        form = self.form_page.title if self.form_page_id else _("every form")
        return f"{self.kind_label} – {form} ({self.language})"

    @property
    def kind_label(self) -> str:
        from .notifications import get_kind

        kind = get_kind(self.kind)
        return str(kind.label) if kind else self.kind

    def clean(self):
        from .notifications import check_text, get_kind

        super().clean()
        if get_kind(self.kind) is None:
            raise ValidationError({"kind": _("Choose the kind of e-mail.")})
        errors = {}
        for name in ("subject", "body"):
            try:
                check_text(self.kind, getattr(self, name))
            except ValidationError as exc:
                errors[name] = exc
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # Said in the editors' words instead of the constraint's name.
        others = NotificationTemplate.objects.filter(
            kind=self.kind, language=self.language, form_page=self.form_page_id
        ).exclude(pk=self.pk)
        if self.kind and self.language and others.exists():
            raise ValidationError(
                _(
                    "There is already a text of this kind of e-mail for this form in this "
                    "language. Change that one."
                ),
                code="unique",
            )
        super().validate_constraints(exclude=exclude)

    def get_preview_template(self, request, mode_name):
        return "dossiers/admin/notification_preview.html"

    def get_preview_context(self, request, mode_name):
        from .notifications import TextError, preview

        context = super().get_preview_context(request, mode_name)
        try:
            context["email"] = preview(self, getattr(request, "user", None))
        except TextError as exc:
            context["error"] = str(exc)
        return context


class SignInToken(models.Model):
    """A one-time sign-in link for "Mijn loket", e-mailed to the applicant.

    Only a hash of the token is stored; the link holds the token itself. Short-lived
    and single use (:attr:`used_at`).
    """

    email = models.EmailField(_("e-mail address"), db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"


class PrivacyRequest(models.Model):
    """The audit record of one export or erasure of a data subject's personal data.

    The e-mail address or enterprise number searched for is kept only as a keyed hash
    (see :func:`dossiers.privacy.hash_search_term`): the same term gives the same hash,
    so earlier requests about one person can be found, but the row does not say whom.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=PrivacyRequestKind.choices)
    search_kind = models.CharField(_("searched by"), max_length=20, choices=SearchKind.choices)
    search_hash = models.CharField(_("search term (hashed)"), max_length=64, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: Who it was, kept when the user account is deleted later.
    requested_by_name = models.CharField(_("by (name)"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    dossier_count = models.PositiveIntegerField(_("dossiers"), default=0)
    draft_count = models.PositiveIntegerField(_("unfinished applications"), default=0)
    #: Open dossiers withdrawn so they could be erased (erasure only).
    withdrawn_count = models.PositiveIntegerField(_("open dossiers withdrawn"), default=0)
    #: Why the data were erased, e.g. the number of the request in the register.
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("handle_privacy_requests", _("Can export and erase personal data on request")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
