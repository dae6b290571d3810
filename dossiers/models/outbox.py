"""The outbox: notifications waiting to be sent, and their editable texts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import PreviewableMixin

from dossiers.constants import NotificationStatus


class Notification(models.Model):
    """An e-mail in the outbox, written in the same transaction as its event."""

    dossier = models.ForeignKey("Dossier", on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(
        "Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
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


class NotificationTemplate(PreviewableMixin, models.Model):
    """An editable text of one kind of e-mail (a Wagtail snippet), for every form or
    for one form, in one language. Without one, the built-in text is sent.

    Subject and text are plain text with placeholders in braces (``{referentienummer}``)
    that :mod:`dossiers.outbox` fills in; which ones a kind offers is checked
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
    #: The municipality whose text this is; empty: shared by every municipality. A
    #: text for one form belongs to that form's municipality (set when saved).
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty to share this text with every municipality."),
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
                condition=Q(form_page__isnull=True, site__isnull=True),
                name="unique_default_notification_template",
            ),
            models.UniqueConstraint(
                fields=["kind", "site", "language"],
                condition=Q(form_page__isnull=True, site__isnull=False),
                name="unique_site_notification_template",
            ),
        ]

    def __str__(self):
        form = self.form_page.title if self.form_page_id else _("every form")
        return f"{self.kind_label} – {form} ({self.language})"

    @property
    def site_name(self) -> str:
        return self.site.site_name if self.site_id else str(_("every municipality"))

    @property
    def kind_label(self) -> str:
        from dossiers.outbox.kinds import get_kind

        kind = get_kind(self.kind)
        return str(kind.label) if kind else self.kind

    def clean(self):
        from dossiers.outbox.kinds import check_text, get_kind

        super().clean()
        if self.form_page_id:
            from .municipality import site_of_form

            self.site = site_of_form(self.form_page)
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
        if not self.form_page_id:
            others = others.filter(site=self.site_id)
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
