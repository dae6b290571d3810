"""The application form as a Wagtail page: its content, settings, availability and routes.

Its routes hand the request to :mod:`forms_builder.views` and the wizard; those import
the models they need from :mod:`.draft` and :mod:`.snapshot`, never this module, so the
page and its views do not import each other.

This module is longer than 400 lines because it is one Wagtail Page class: its content
(steps, calculations, rules, outcomes), its settings panels, the checks run when it is
saved and its routes are declared on the class together.
"""

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site

from core.pages import SitePathUrlMixin, ViewRestrictionsInOneQueryMixin
from core.ratelimit import limited_in_view
from core.security import private_page

from ..blocks import StepBlock
from ..calculation_checks import validate_calculations, validate_formula_options
from ..calculations import CalculationBlock
from ..conditions import validate_conditions
from ..fields import get_field_type
from ..fields import names as field_names
from ..library import ReusableStepChooserBlock, expanded_steps
from ..lookups import validate_lookups
from ..outcomes import OutcomeBlock, validate_outcomes
from ..repeatable import validate_groups
from ..routing import RoutingRuleBlock, validate_routing
from ..rules import RULE_BLOCKS, validate_rules
from ..schema import machine_name
from ..stages import COMPLETENESS, stage_choices
from ..submission import get_submit_handler


class TermStart(models.TextChoices):
    """From when the legal decision term of a form's applications runs."""

    SUBMISSION = "submission", _("From the day the application is submitted")
    COMPLETE = "complete", _("From the day the application is declared complete")


#: How many members a team's label in the team picker names before "…".
TEAM_NAMES_SHOWN = 5


def team_with_members(team) -> str:
    """A team as the form's team picker shows it: its name and who is in it (the
    team's ``members()``, whatever app the team comes from)."""
    members = getattr(team, "members", None)
    users = list(members()[: TEAM_NAMES_SHOWN + 1]) if callable(members) else []
    names = [user.get_full_name() or user.get_username() for user in users]
    if not names:
        return _("%(team)s (nobody yet)") % {"team": team}
    if len(names) > TEAM_NAMES_SHOWN:
        names = names[:TEAM_NAMES_SHOWN] + ["…"]
    return f"{team} ({', '.join(names)})"


TEAM_OF_OTHER_SITE = _(
    "This team does not work for this municipality. Choose a team of this municipality "
    "or a regional team that serves it."
)


class ApplicationFormPageForm(WagtailAdminPageForm):
    """The page's admin form: the procedure's stages as checkboxes of the stages on offer
    (:mod:`forms_builder.stages`), stored as a list of ids."""

    stages = forms.MultipleChoiceField(
        label=_("stages of the procedure"),
        choices=stage_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The steps the team takes with every application of this form."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        team = self.fields.get("team")
        if team is not None:
            # Editors choose a team knowing who will handle the applications.
            team.label_from_instance = team_with_members
            # Only teams that work for this municipality (its own or a regional desk).
            site = self.form_site()
            serving = getattr(team.queryset, "serving", None)
            if site is not None and callable(serving):
                team.queryset = serving(site)
                team.error_messages["invalid_choice"] = TEAM_OF_OTHER_SITE

    def form_site(self):
        """The municipality (Wagtail Site) of the page: where it is, or will be added."""
        if self.instance.pk:
            return self.instance.get_site()
        parent = getattr(self, "parent_page", None)
        return parent.get_site() if parent is not None else None

    def clean_team(self):
        """The team must work for the form's municipality: otherwise nobody there could
        see the applications."""
        team = self.cleaned_data.get("team")
        site = self.form_site()
        serves = getattr(team, "serves", None)
        if team is not None and site is not None and callable(serves) and not serves(site):
            raise ValidationError(TEAM_OF_OTHER_SITE, code="other_site")
        return team

    def clean_reference_prefix(self):
        """Every form numbers its own dossiers: a prefix another form (not a translation
        of this one) of the same numbering uses is refused, with that form named. The
        numbering is the municipality's code plus the prefix (``AND-TER``): forms of
        municipalities with different codes may share a prefix; forms of one
        municipality, or of municipalities without (or with the same) code, may not."""
        prefix = (self.cleaned_data.get("reference_prefix") or "").strip().upper()
        if not prefix:
            raise ValidationError(PREFIX_REQUIRED, code="required")
        others = ApplicationFormPage.objects.filter(reference_prefix__iexact=prefix)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if self.instance.translation_key:
            others = others.exclude(translation_key=self.instance.translation_key)
        code = _reference_code(self.form_site())
        other = next((o for o in others if _reference_code(o.get_site()) == code), None)
        if other is not None:
            raise ValidationError(
                _(
                    "The form “%(title)s” already uses %(prefix)s. Choose another prefix: "
                    "every form has its own numbering."
                ),
                code="taken",
                params={"title": other.title, "prefix": prefix},
            )
        return prefix


#: The message of an empty reference prefix.
PREFIX_REQUIRED = _("A reference prefix is required, e.g. TER.")


#: The site setting with the municipality's code in reference numbers (a string: the
#: app that keeps it is not imported here).
MUNICIPALITY_SETTINGS_MODEL = "dossiers.MunicipalitySettings"


def _reference_code(site) -> str:
    """The municipality's code in reference numbers ("" without a site or code)."""
    if site is None:
        return ""
    return apps.get_model(MUNICIPALITY_SETTINGS_MODEL).for_site(site).reference_code


class ApplicationFormPage(
    SitePathUrlMixin, ViewRestrictionsInOneQueryMixin, RoutablePageMixin, Page
):
    """A multi-step application form that editors compose in the admin.

    ``serve()`` hands the request to :class:`forms_builder.wizard.ApplicationWizard`;
    everything about the form's content lives in :attr:`steps`.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    steps = StreamField(
        [("step", StepBlock()), ("reusable_step", ReusableStepChooserBlock())],
        verbose_name=_("steps"),
        blank=True,
        use_json_field=True,
        collapsed=True,
    )
    calculations = StreamField(
        [("calculation", CalculationBlock())],
        verbose_name=_("calculations and fee"),
        blank=True,
        use_json_field=True,
        collapsed=True,
        help_text=_(
            "Values computed from the answers, e.g. the fee. Conditions can use them; "
            "the applicant sees those you choose on the check page."
        ),
    )
    rules = StreamField(
        RULE_BLOCKS,
        verbose_name=_("rules between answers"),
        blank=True,
        use_json_field=True,
        collapsed=True,
        help_text=_(
            "Checks over several answers, each with your own message, e.g. the end date "
            "after the start date. Checked on the step where the last of their answers is given."
        ),
    )
    outcomes = StreamField(
        [("outcome", OutcomeBlock())],
        verbose_name=_("outcomes"),
        blank=True,
        use_json_field=True,
        collapsed=True,
        help_text=_(
            "Pages that end the form on a condition, e.g. “U komt niet in aanmerking”. "
            "The applicant cannot send the form then."
        ),
    )
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=10,
        help_text=_("Letters at the start of every reference number, e.g. TER."),
    )
    confirmation_text = RichTextField(
        _("confirmation text"),
        blank=True,
        help_text=_(
            "Shown after submitting, under the reference number. Write "
            "{referentienummer} where the reference number should appear in the text."
        ),
    )
    team = models.ForeignKey(
        "dossiers.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="form_pages",
        help_text=_("The team that handles the dossiers of this form."),
    )
    routing = StreamField(
        [("rule", RoutingRuleBlock())],
        verbose_name=_("routing rules"),
        blank=True,
        use_json_field=True,
        help_text=_(
            "Another team handles the application when the answers say so, e.g. a "
            "building site goes to Public domain. The first rule that holds wins; when "
            "none holds, the team above handles it."
        ),
    )
    decision_term_days = models.PositiveIntegerField(
        _("decision term (days)"),
        default=30,
        help_text=_("The legal term within which the municipality decides."),
    )
    declaration_text = RichTextField(
        _("declaration"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_(
            "What applicants declare before they submit, e.g. that their answers are "
            "true. Leave empty to ask for no declaration."
        ),
    )
    opens_at = models.DateTimeField(_("open from"), null=True, blank=True)
    closes_at = models.DateTimeField(_("open until"), null=True, blank=True)
    max_dossiers = models.PositiveIntegerField(
        _("maximum number of applications"),
        null=True,
        blank=True,
        help_text=_("The form closes when this many applications were submitted."),
    )
    closed_text = RichTextField(
        _("text when the form is closed"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown instead of the form before it opens, after it closes or when full."),
    )
    # --- English (core.translation; empty: the Dutch text, marked Dutch) --------------
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro_en = RichTextField(
        _("introduction in English"), blank=True, features=["bold", "italic", "link"]
    )
    declaration_text_en = RichTextField(
        _("declaration in English"), blank=True, features=["bold", "italic", "link"]
    )
    confirmation_text_en = RichTextField(
        _("confirmation text in English"),
        blank=True,
        help_text=_("Write {referentienummer} where the reference number should appear."),
    )
    closed_text_en = RichTextField(
        _("text when the form is closed, in English"),
        blank=True,
        features=["bold", "italic", "link"],
    )
    information_reminder_days = models.PositiveIntegerField(
        _("remind the applicant after (days)"),
        default=7,
        help_text=_(
            "When the municipality asked for information and the applicant has not answered "
            "after this many days, the applicant gets a reminder by e-mail. 0: no reminder."
        ),
    )
    #: The ids of the procedure's stages (forms_builder.stages); the dossier keeps the
    #: list it was submitted with, so a change here does not change running dossiers.
    stages = models.JSONField(_("stages of the procedure"), default=list, blank=True)
    term_starts = models.CharField(
        _("the decision term runs"),
        max_length=20,
        choices=TermStart.choices,
        default=TermStart.SUBMISSION,
        help_text=_(
            "From the day the application is complete only works with the completeness "
            "check: until then no decision date is set."
        ),
    )
    advice_public = models.BooleanField(
        _("applicants see who was asked for advice"),
        default=False,
        help_text=_(
            'With the advice stage: the applicant reads e.g. "advice asked from the fire '
            'brigade" on the status page. Never the advice itself.'
        ),
    )
    draft_retention_days = models.PositiveIntegerField(
        _("keep unfinished applications (days)"),
        default=30,
        help_text=_("Unfinished applications and their files are deleted after this many days."),
    )
    retention_months = models.PositiveIntegerField(
        _("keep personal data of closed dossiers (months)"),
        default=24,
        help_text=_(
            "The personal data of a dossier are erased this many months after it was "
            "closed: answers, files, messages and contact details. The reference, dates, "
            "status history and decision stay for statistics. 0: keep them, only when a law "
            "requires the municipality to keep the whole dossier."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("steps"),
        FieldPanel("calculations"),
        FieldPanel("rules"),
        FieldPanel("outcomes"),
    ]
    settings_panels = Page.settings_panels
    form_settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("reference_prefix"),
                FieldPanel("team"),
                FieldPanel("routing"),
                FieldPanel("decision_term_days"),
                FieldPanel("information_reminder_days"),
            ],
            heading=_("Handling"),
        ),
        MultiFieldPanel(
            [FieldPanel("stages"), FieldPanel("term_starts"), FieldPanel("advice_public")],
            heading=_("Procedure"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("opens_at"),
                FieldPanel("closes_at"),
                FieldPanel("max_dossiers"),
                FieldPanel("closed_text"),
                FieldPanel("draft_retention_days"),
            ],
            heading=_("Availability"),
        ),
        MultiFieldPanel(
            [FieldPanel("declaration_text"), FieldPanel("confirmation_text")],
            heading=_("Texts"),
        ),
        MultiFieldPanel([FieldPanel("retention_months")], heading=_("Privacy")),
    ]
    #: The page's own texts in English; the questions' English texts are in the
    #: steps, under each question's settings (forms_builder.translation).
    english_panels = [
        HelpPanel(
            content=_(
                "For visitors who chose English. Leave a text empty to show the Dutch "
                "one: the page then marks it as Dutch. Translate the steps and questions "
                "in the steps themselves (“in English” under a question's settings)."
            )
        ),
        FieldPanel("title_en"),
        FieldPanel("intro_en"),
        FieldPanel("declaration_text_en"),
        FieldPanel("confirmation_text_en"),
        FieldPanel("closed_text_en"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(english_panels, heading=_("English")),
            ObjectList(form_settings_panels, heading=_("Form settings")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(settings_panels, heading=_("Settings")),
        ]
    )

    base_form_class = ApplicationFormPageForm

    parent_page_types = ["cms.HomePage", "cms.ServicePage", "cms.TopicPage"]
    subpage_types = []

    template = "forms_builder/wizard_step.html"

    class Meta:
        verbose_name = _("application form")
        verbose_name_plural = _("application forms")

    def clean(self):
        super().clean()
        self.reference_prefix = (self.reference_prefix or "").strip().upper()
        if not self.reference_prefix:
            raise ValidationError({"reference_prefix": PREFIX_REQUIRED})
        if not self.reference_prefix.isalnum():
            raise ValidationError({"reference_prefix": _("Use only letters and digits, e.g. TER.")})
        self.assign_machine_names()
        self.clean_procedure()
        names = {}
        for step in expanded_steps(self.steps):
            for field_block in step.value["fields"]:
                value = field_block.value
                if "label" not in value:
                    continue
                name = value.get("name") or machine_name(value.get("label", ""))
                if not field_names.is_valid(name):
                    raise ValidationError(
                        _(
                            'Step "%(step)s", question "%(label)s": the machine name '
                            '"%(name)s" cannot be used. %(rules)s'
                        )
                        % {
                            "step": step.value["title"],
                            "label": value.get("label", ""),
                            "name": name,
                            "rules": field_names.rules_message(),
                        }
                    )
                if name in names:
                    raise ValidationError(
                        _(
                            'Two fields have the machine name "%(name)s" (steps "%(first)s" '
                            'and "%(second)s"). Give one of them another name.'
                        )
                        % {"name": name, "first": names[name], "second": step.value["title"]}
                    )
                names[name] = step.value["title"]
        schema = self.get_schema()
        self.refuse_shared_post_names(schema)
        errors = (
            validate_calculations(schema)
            + validate_formula_options(schema)
            + validate_conditions(schema)
            + validate_rules(schema)
            + validate_groups(schema)
            + validate_outcomes(schema)
            + validate_routing(self, schema)
            + validate_lookups(schema)
        )
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def refuse_shared_post_names(schema: dict) -> None:
        """Refuse a step where one field's input is posted under another's name (a
        question ``period`` answered from ``period_start`` and ``period_end`` next to a
        question named ``period_start``): one of the two answers would be lost."""
        for step in schema["steps"]:
            posted: dict[str, str] = {}
            for field in step["fields"]:
                field_type = get_field_type(field["type"])
                if not field_type.has_input:
                    continue
                for name in field_type.posted_names(field):
                    if name in posted:
                        raise ValidationError(
                            _(
                                'Step "%(step)s": the questions "%(first)s" and "%(second)s" '
                                'both use the name "%(name)s". Give one of them another '
                                "machine name."
                            )
                            % {
                                "step": step["title"],
                                "first": posted[name],
                                "second": field["label"],
                                "name": name,
                            }
                        )
                    posted[name] = field["label"]

    def clean_procedure(self) -> None:
        """Keep only stages on offer; a term from completeness needs that check."""
        offered = {value for value, _label in stage_choices()}
        self.stages = [stage for stage in (self.stages or []) if stage in offered]
        if self.term_starts == TermStart.COMPLETE and COMPLETENESS not in self.stages:
            raise ValidationError(
                {
                    "term_starts": _(
                        "The term can only run from completeness when the procedure uses "
                        "the completeness check."
                    )
                }
            )

    def uses_stage(self, stage_id: str) -> bool:
        """Whether this form's procedure uses the stage ``stage_id``."""
        return stage_id in (self.stages or [])

    def assign_machine_names(self) -> None:
        """Give every field of the page's own steps a machine name, once.

        A field without a name gets one derived from its label (``_2``, ``_3``... when
        taken). Because the name is then stored with the page, it stays the same when
        the label changes later, so exports, prefill links and conditions keep working.
        """
        own_fields = [
            field_block.value
            for step in self.steps
            if step.block_type == "step"
            for field_block in step.value["fields"]
            if "label" in field_block.value
        ]
        taken = {value.get("name") for value in own_fields if value.get("name")}
        own_ids = {step.id for step in self.steps if step.block_type == "step"}
        for step in expanded_steps(self.steps):
            if step.id not in own_ids:  # a reusable step: its names are fixed in the snippet
                taken.update(
                    fb.value.get("name") for fb in step.value["fields"] if fb.value.get("name")
                )
        for value in own_fields:
            if value.get("name"):
                continue
            name = field_names.unique(machine_name(value.get("label", "")), taken)
            value["name"] = name
            taken.add(name)

    # --- schema ----------------------------------------------------------------------

    def get_schema(self) -> dict:
        """The plain schema of this page's current content (see forms_builder.schema)."""
        from ..schema import build_schema

        return build_schema(self)

    # --- availability ----------------------------------------------------------------

    def get_unavailable_reason(self) -> str | None:
        """Why applicants cannot use the form now: "not_open", "closed", "full" or None."""
        now = timezone.now()
        if self.opens_at and now < self.opens_at:
            return "not_open"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        if self.max_dossiers is not None:
            if get_submit_handler().count_submitted(self) >= self.max_dossiers:
                return "full"
        return None

    # --- preview ---------------------------------------------------------------------

    @property
    def preview_modes(self):
        return [("steps", _("All steps")), ("check", _("Check your answers (sample values)"))]

    default_preview_mode = "steps"

    def serve_preview(self, request, mode_name):
        from .. import preview

        if mode_name == "check":
            return preview.preview_check(request, self)
        return preview.preview_steps(request, self)

    # --- serving ---------------------------------------------------------------------

    def resume_path(self, draft) -> str:
        """The path of the secret link that resumes ``draft`` on any device."""
        return self.url + self.reverse_subpage(
            "resume", kwargs={"draft_id": draft.pk, "key": draft.resume_key}
        )

    def serve_wizard(self, request, step=None):
        """Hand the request to the wizard, unless the form cannot be used now.

        Every page of the wizard shows one applicant's answers: never cached, never
        indexed (as are the pages after it: saving, resuming, the confirmation).
        """
        from .. import report_categories, views

        # The question "category of the report" offers this municipality's categories:
        # those of the Site that routed the request here (cached per request by
        # cms.sites.SiteCacheMiddleware, where page.get_site() would cost a query).
        site = Site.find_for_request(request)
        with report_categories.serving_site(site.pk if site else None):
            return private_page(views.wizard_view(request, self, step))

    # Posts count per client address (cms/urls.py) and per draft (views.wizard_view);
    # sending and the resume-link e-mail have limits of their own.
    @path("")
    @limited_in_view("form_post_per_draft")
    def start(self, request):
        return self.serve_wizard(request)

    @re_path(r"^stap/(?P<step>[0-9]{1,3})/$", name="step")
    @limited_in_view("form_post_per_draft")
    def step(self, request, step):
        return self.serve_wizard(request, step)

    @path("controleren/", name="check")
    @limited_in_view("form_post_per_draft", "form_submit_per_client", "form_submit_per_address")
    def check_answers(self, request):
        from ..wizard import CHECK_STEP

        return self.serve_wizard(request, CHECK_STEP)

    @path("bewaren/", name="save")
    @limited_in_view("form_post_per_draft", "resume_link_per_client", "resume_link_per_address")
    def save_draft(self, request):
        from .. import views

        return private_page(views.save_draft_view(request, self))

    @path("hervatten/<uuid:draft_id>/<str:key>/", name="resume")
    @method_decorator(require_safe)
    def resume(self, request, draft_id, key):
        from .. import views

        return private_page(views.resume_view(request, self, draft_id, key))

    @path("uitkomst/", name="outcome")
    @method_decorator(require_safe)
    def outcome(self, request):
        from ..wizard import OUTCOME_STEP

        return self.serve_wizard(request, OUTCOME_STEP)

    @path("bevestiging/", name="confirmation")
    @method_decorator(require_safe)
    def confirmation(self, request):
        from .. import views

        return private_page(views.confirmation_view(request, self))
