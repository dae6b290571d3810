"""What editors manage for the assistant: synonyms, and the report of questions it could
not answer (re-exported from :mod:`cms.models`, so that migrations live in ``cms``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .text import fold, terms


class AssistantSynonym(models.Model):
    """An everyday word and the official words the site uses for it: "terras" →
    "inname openbaar domein". The assistant searches for both. A synonym belongs to
    every website, or to one (which then wins over one of every website)."""

    term = models.CharField(
        _("word people use"),
        max_length=100,
        help_text=_("One word or a few words, e.g. food truck."),
    )
    meaning = models.CharField(
        _("words on the site"),
        max_length=255,
        help_text=_("The words the service pages use, e.g. ambulante handel."),
    )

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("website"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_(
            "Leave empty to use the synonym on every website. For one website only, "
            "choose it: it then replaces a synonym of every website with the same word."
        ),
    )

    panels = [FieldPanel("term"), FieldPanel("meaning"), FieldPanel("site")]

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "term"],
                name="assistant_synonym_unique_per_site",
                violation_error_message=_("This website already has a synonym for this word."),
            ),
            models.UniqueConstraint(
                fields=["term"],
                condition=models.Q(site__isnull=True),
                name="assistant_synonym_unique_everywhere",
                violation_error_message=_(
                    "There is already a synonym for this word on every website."
                ),
            ),
        ]
        verbose_name = _("synonym of the assistant")
        verbose_name_plural = _("synonyms of the assistant")

    def __str__(self):
        return f"{self.term} → {self.meaning}"

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    def clean(self):
        # Folded before the unique checks: "Terras" and "terras" are the same word.
        self.term = " ".join(fold(self.term).split())


class AssistantBestBet(models.Model):
    """A link editors set for a question: when a question has all of its words, the
    assistant shows this page's best passage first (:func:`.retrieval.put_best_bets_first`).
    Like a synonym it belongs to every website or to one; it only works on the website
    whose tree holds the page."""

    words = models.CharField(
        _("words of the question"),
        max_length=255,
        help_text=_(
            "A question with all of these words gets the page first, e.g. reclamebord gevel."
        ),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A published page of your website."),
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("website"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty to use the link on every website that has the page."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made on"), auto_now_add=True)

    class Meta:
        ordering = ["words"]
        verbose_name = _("link of the assistant")
        verbose_name_plural = _("links of the assistant")

    def __str__(self):
        return f"{self.words} → {self.page.title}"

    def save(self, *args, **kwargs):
        self.words = " ".join(fold(self.words).split())
        super().save(*args, **kwargs)

    def clean(self):
        self.words = " ".join(fold(self.words).split())
        if not terms(self.words):
            raise ValidationError(
                {"words": _("Write at least one word that says something, e.g. reclamebord.")}
            )
        if self.page_id and not self.page.live:
            raise ValidationError({"page": _("Choose a published page.")})


class UnansweredQuestion(models.Model):
    """A question the assistant did not answer, masked (no numbers, no e-mail addresses)
    and grouped: the same words in another order or case count as one row."""

    #: The website the question was asked on: editors see their own website's questions
    #: only (:func:`cms.tenancy.page_roots`). Empty for a question asked on no website.
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("website"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    #: The folded, sorted words of the masked question: what groups questions per website.
    key = models.CharField(max_length=255)
    question = models.CharField(_("question"), max_length=255)
    times_asked = models.PositiveIntegerField(_("times asked"), default=1)
    first_asked = models.DateTimeField(_("first asked"), auto_now_add=True)
    last_asked = models.DateTimeField(_("last asked"), auto_now=True)
    handled = models.BooleanField(
        _("handled"),
        default=False,
        help_text=_("Tick this when you added a synonym, an FAQ item or a page for it."),
    )

    class Meta:
        ordering = ["handled", "-times_asked", "-last_asked"]
        constraints = [
            models.UniqueConstraint(fields=["site", "key"], name="unanswered_question_per_site"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(site__isnull=True),
                name="unanswered_question_without_site",
            ),
        ]
        verbose_name = _("unanswered question")
        verbose_name_plural = _("unanswered questions")

    def __str__(self):
        return self.question


class AssistantPassage(models.Model):
    """One quotable passage of a live page, kept for PostgreSQL's full-text search
    (:mod:`cms.assistant.postgres`): the page's title and search words weigh most (A),
    a summary or a section's heading next (B), a section's text least (C). Written when
    the first question after a publish finds the page newer than its passages; unused
    on SQLite, where the passages are ranked in the process."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", db_index=True
    )
    #: The passage's place on its page (the order :func:`service_passages` gives).
    position = models.PositiveSmallIntegerField(default=0)
    heading = models.TextField(blank=True)
    text = models.TextField(blank=True)
    anchor = models.CharField(max_length=50, blank=True)
    #: The page's title and search words: weight A of :attr:`search`.
    context = models.TextField(blank=True)
    #: A section or FAQ item: its page's title counts half, as on SQLite.
    is_part = models.BooleanField(default=False)
    #: The passage's stems with their weight (:attr:`cms.assistant.retrieval.Passage.weights`):
    #: what a found passage is scored with, the same way as on SQLite.
    weights = models.JSONField(default=dict)
    #: When the passage was read from its page: older than the page's last publication
    #: means written again.
    indexed_at = models.DateTimeField(default=timezone.now)
    #: A PostgreSQL tsvector (Dutch configuration); its GIN index is made by the migration
    #: on PostgreSQL only.
    search = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["page", "position"]

    def __str__(self):
        return self.heading


class AssistantLexeme(models.Model):
    """A word of any indexed passage, with its stem as :func:`cms.assistant.text.stem`
    makes it (what a question's words are matched against, as on SQLite: the same stem,
    a compound containing it, or a close spelling by pg_trgm's similarity; the trigram
    index is made by the migration on PostgreSQL only) and its lexeme in PostgreSQL's
    Dutch configuration (what the full-text search then looks for)."""

    word = models.CharField(max_length=255, unique=True)
    stem = models.CharField(max_length=255, db_index=True)
    lexeme = models.CharField(max_length=255, blank=True)

    def __str__(self):
        return self.word
