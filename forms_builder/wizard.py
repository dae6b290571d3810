"""The applicant's side of a form: a django-formtools wizard built from the schema.

One URL per step (``stap/<n>/``), then a check-your-answers page (``controleren/``)
with the declaration, then the confirmation page. Every POST that moves on redirects,
so the back button, a refresh and the "change" links all behave. The wizard's state
lives in a :class:`~forms_builder.models.Draft` (see :mod:`forms_builder.drafts`) bound
to the form version it was started on.

The wizard stays thin: every step is a :class:`StepForm` built from the field-type
registry, which steps are visible comes from :func:`forms_builder.conditions.visible_steps`,
and submitting hands a :class:`~forms_builder.submission.Submission` (with the snapshot
the draft was started on: the schema is frozen once) to the registered submit handler.
An outcome (:mod:`forms_builder.outcomes`) ends the form on its own page: the next step,
the check page and sending all lead there while the answers lead to it.

This module is longer than 400 lines because its methods are overrides of one
django-formtools view that call each other (steps, outcome, check page, sending):
split over modules, the order in which a request passes through them would be hidden.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView

from core import ratelimit
from core.storage import private_storage

from . import (
    calculations,
    conditions,
    drafts,
    lookups,
    maps,
    outcomes,
    prefill,
    repeatable,
    revisit,
    rules,
    submission,
)
from .forms import DeclarationForm, StepForm
from .models.draft import Draft
from .procedure import procedure_and_lateness
from .schema import current_snapshot, display_answers, mapped_values
from .statistics import counts
from .translation import translated_rules, translated_schema, translated_step

#: The URL name of the check-your-answers page, after the last step.
CHECK_STEP = "controleren"
#: The URL key of the outcome page that ends the form (:mod:`forms_builder.outcomes`).
OUTCOME_STEP = "uitkomst"
#: ``for_request`` looks the draft up itself.
_LOOK_UP = object()


class ApplicationWizard(NamedUrlWizardView):
    """One step per URL; the steps come from the frozen schema of the draft."""

    #: The ApplicationFormPage being filled in.
    page = None
    #: The plain schema the applicant fills in (the draft's frozen version).
    schema: dict | None = None
    #: The FormSnapshot of that schema.
    snapshot = None
    #: The Draft being continued, or None for a fresh start.
    draft = None
    #: The page's path on this request's site (:meth:`page_url`).
    _page_url: str | None = None
    done_step_name = CHECK_STEP
    template_name = "forms_builder/wizard_step.html"
    check_template_name = "forms_builder/check_answers.html"

    @classmethod
    def for_request(cls, request, page, draft=_LOOK_UP):
        """A view function for this request: continues the session's draft of ``page``
        on its own form version, or starts on the page's current version. None when
        that version has no steps (every step is a reusable step that is no longer
        published). ``draft``: the session's unsubmitted draft when the caller looked
        it up already (None: there is none)."""
        if draft is _LOOK_UP:
            draft = drafts.current_draft(request, page)
        if draft is not None:
            snapshot = draft.snapshot
        else:
            # The one place the schema is frozen: the draft and the submission keep it.
            snapshot = current_snapshot(page)
        if snapshot is None or not snapshot.schema["steps"]:
            return None
        schema = snapshot.schema
        form_list = [(step_key(index), StepForm) for index, _step in enumerate(schema["steps"])]
        condition_dict = {
            step_key(index): _step_condition(step_key(index))
            for index, step in enumerate(schema["steps"])
            if step.get("condition")
        }
        return cls.as_view(
            form_list=form_list,
            condition_dict=condition_dict,
            url_name="unused",  # step URLs come from the page, see get_step_url()
            done_step_name=CHECK_STEP,
            page=page,
            schema=schema,
            snapshot=snapshot,
            draft=draft,
        )

    # --- storage and steps -----------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        self.prefix = self.get_prefix(request)
        self.storage = drafts.DraftStorage(
            self.prefix,
            request,
            private_storage(),
            page=self.page,
            snapshot=self.snapshot,
            draft=self.draft,
        )
        self.steps_by_key = {
            step_key(index): step for index, step in enumerate(self.schema["steps"])
        }
        self.steps = StepsHelper(self)
        # Skip WizardView.dispatch: it would build another storage.
        with calculations.remembered():
            response = super(WizardView, self).dispatch(request, *args, **kwargs)
        self.storage.update_response(response)
        if response.status_code == 200 and maps.has_map(self.schema):
            maps.allow_tiles(request, response)
        return response

    def get_prefix(self, request, *args, **kwargs):
        # One slot per form page: two forms open in two tabs never mix.
        return f"loket-form-{self.page.pk}"

    def page_url(self) -> str:
        """The form page's path within the site of this request (``page.url``), worked
        out once per request from the site root paths the request holds already
        (:func:`cms.sites.find_site`)."""
        if self._page_url is None:
            parts = self.page.get_url_parts(self.request)
            self._page_url = parts[2] if parts is not None and parts[2] else self.page.url
        return self._page_url

    def get_step_url(self, step):
        if step == CHECK_STEP:
            return self.page_url() + self.page.reverse_subpage("check")
        if step == OUTCOME_STEP:
            return self.page_url() + self.page.reverse_subpage("outcome")
        return self.page_url() + self.page.reverse_subpage("step", kwargs={"step": step})

    def stored_answers(self, key: str) -> dict:
        return self.storage.extra_data.get("answers", {}).get(key, {})

    def stored_answers_by_step_id(self) -> dict[str, dict]:
        """Every step's stored answers, keyed by step id as the schema functions expect."""
        return {step["id"]: self.stored_answers(key) for key, step in self.steps_by_key.items()}

    def visible_step_keys(self) -> list[str]:
        """The keys of the steps the applicant sees (:func:`conditions.visible_steps`)."""
        visible_ids = set(conditions.visible_steps(self.schema, self.stored_answers_by_step_id()))
        return [key for key, step in self.steps_by_key.items() if step["id"] in visible_ids]

    def answers_before(self, key: str) -> dict:
        """Answers by field name of the visible steps (and fields) before step ``key``."""
        visible = self.visible_step_keys()
        before = visible[: visible.index(key)] if key in visible else visible
        return conditions.answers_by_name(
            self.schema,
            self.stored_answers_by_step_id(),
            [self.steps_by_key[visible_key]["id"] for visible_key in before],
        )

    def get_form_kwargs(self, step=None):
        earlier = self.answers_before(step)
        return {
            # English texts for a visitor who chose English; the same names and values.
            "step": translated_step(self.steps_by_key[step]),
            "earlier_answers": earlier,
            "earlier_values": calculations.formula_values(self.schema, earlier),
            "stored_files": self.storage.get_step_files(step),
            "schema": self.schema,
            "rules": translated_rules(rules.rules_for_step(self.schema, step_index(step))),
        }

    def get_form_step_data(self, form):
        """What the draft keeps of a step's POST: the step's own fields only.

        Not the CSRF token, the management form or whatever else was posted, and no NUL
        characters: PostgreSQL cannot store them in JSON (a field refuses a NUL when it
        is validated, but "save and continue later" keeps invalid answers too). The
        "keep" checkboxes of upload fields only apply to the POST they came with;
        afterwards the draft's file list is the truth.
        """
        return own_posted_values(form.data, form.prefix)

    def process_step_files(self, form):
        return form.stored_file_lists()

    def get_form(self, step=None, data=None, files=None):
        form = super().get_form(step, data, files)
        revisit.offer_remove_buttons(form)
        return form

    def get_form_initial(self, step):
        if getattr(self, "_lookup", None) is not None:
            return self._lookup.initial
        if self.storage.get_step_data(step) is not None:
            return {}
        return prefill.initial_for_step(self.request, self.steps_by_key[step])

    def process_step(self, form):
        answers = dict(self.storage.extra_data.get("answers", {}))
        answers[self.steps.current] = form.answers()
        self.storage.extra_data = {**self.storage.extra_data, "answers": answers}
        return super().process_step(form)

    # --- requests --------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        if kwargs.get("step") == CHECK_STEP:
            return self.render_check()
        if kwargs.get("step") == OUTCOME_STEP:
            return self.render_outcome()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "quiet_step" in self.storage.extra_data:
            # Only the page shown right after adding or removing an item is quiet.
            self.storage.extra_data = {
                key: value for key, value in self.storage.extra_data.items() if key != "quiet_step"
            }
        if kwargs.get("step") == CHECK_STEP:
            return self.post_check()
        management_form = ManagementForm(request.POST, prefix=self.prefix)
        goto = request.POST.get("wizard_goto_step")
        if goto and goto in self.get_form_list():
            return self.render_goto_step(goto)
        if (
            not management_form.is_valid()
            or management_form.cleaned_data["current_step"] not in self.get_form_list()
        ):
            messages.error(
                request,
                _("We could not process what you sent. Please fill in this step again."),
            )
            return redirect(self.get_step_url(self.steps.current))
        current = management_form.cleaned_data["current_step"]
        action = repeatable.posted_action(
            request.POST, self.get_form_prefix(current), self.steps_by_key[current]
        )
        if action is not None:
            return self.change_items(current, *action)
        if "save_draft" in request.POST:
            return self.save_and_leave(current)
        if "lookup_company" in request.POST:
            return self.render_lookup(current)
        if request.POST.get(revisit.REMOVE_FILE):
            return self.remove_file(current, request.POST[revisit.REMOVE_FILE])
        return super().post(request, *args, **kwargs)

    def render(self, form=None, **kwargs):
        """A step opened again shows no errors it was not sent with, and its answers
        normalised (:func:`revisit.form_to_show`); a refused step keeps the files that
        passed their own checks."""
        form = form or self.get_form()
        if self.request.method == "GET":
            step = self.steps.current
            form = revisit.form_to_show(
                form,
                lambda: self.get_form(step),
                show_errors=self.storage.extra_data.get(revisit.SHOW_ERRORS) == step,
            )
        elif form.is_bound and not form.is_valid():
            self.hold_accepted_files(self.steps.current, form)
        return super().render(form, **kwargs)

    def hold_accepted_files(self, step, form, remove: str = "") -> None:
        """Keep the step's files that passed their checks in the draft (without the one
        a remove button names) and list them on ``form``."""
        held = revisit.without(revisit.accepted_files(form), remove)
        if not remove and not any(held.values()):
            return
        self.storage.set_step_files(step, held)
        self.storage.force_save = True
        stored = self.storage.get_step_files(step)
        for name in revisit.upload_names(form):
            files = stored.getlist(form.add_prefix(name)) if stored else []
            form.fields[name].set_existing(files, None)

    def remove_file(self, step, remove: str):
        """A file's remove button: keep what was typed and the other files, show the
        step again (nothing is checked: the applicant did not send the step)."""
        self.storage.current_step = step
        form = self.get_form(step, data=self.request.POST, files=self.request.FILES)
        form.is_valid()
        self.storage.set_step_data(step, self.get_form_step_data(form))
        self.hold_accepted_files(step, form, remove=remove)
        messages.success(self.request, _("The file was removed."))
        return redirect(self.get_step_url(step))

    def change_items(self, step, field, action, index):
        """Add or remove an item of a repeatable part (a button, no JavaScript): keep
        everything typed on the step in the draft, and show the step again at the new
        item (or the one after the removed one), without errors: nothing was sent yet.
        Files chosen on the step with the button press are held like those of a refused
        step (those kept from before stay too), so adding or removing loses none."""
        prefix = self.get_form_prefix(step)
        posted = own_posted_values(self.request.POST, prefix)
        data, shown = repeatable.apply_action(posted, prefix, field, action, index)
        self.storage.current_step = step
        if self.request.FILES:
            sent = self.get_form(step, data=self.request.POST, files=self.request.FILES)
            sent.is_valid()
            self.hold_accepted_files(step, sent)
        self.storage.set_step_data(step, data)
        self.storage.extra_data = {**self.storage.extra_data, "quiet_step": step}
        group_prefix = f"{prefix}-{field['name']}"
        empty = data.get(group_prefix) == ["0"]
        anchor = repeatable.anchor(group_prefix, None if empty else shown)
        return redirect(f"{self.get_step_url(step)}#{anchor}")

    def render_next_step(self, form, **kwargs):
        if self.reached_outcome(upto=self.steps.current) is not None:
            # Keep the finished step as the current one: on the first step formtools
            # has none stored yet, and the step opened again from the outcome page would
            # then show empty inputs instead of the stored answers.
            self.storage.current_step = self.steps.current
            return redirect(self.get_step_url(OUTCOME_STEP))
        if self.storage.extra_data.get("reviewing"):
            return redirect(self.get_step_url(CHECK_STEP))
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs):
        # An outcome ends the form: it cannot be checked or sent.
        if self.reached_outcome() is not None:
            return redirect(self.get_step_url(OUTCOME_STEP))
        # The last step leads to the check page; only the check page submits.
        if not getattr(self, "_submitting", False):
            return redirect(self.get_step_url(CHECK_STEP))
        return WizardView.render_done(self, form, **kwargs)

    def save_and_leave(self, step):
        """Keep what was typed on this step, valid or not, and go to the save page."""
        self.storage.current_step = step
        form = self.get_form(step, data=self.request.POST, files=self.request.FILES)
        self.storage.set_step_data(step, self.get_form_step_data(form))
        if form.is_valid():
            self.process_step(form)
            self.storage.set_step_files(step, self.process_step_files(form))
        self.storage.force_save = True
        return redirect(self.page_url() + self.page.reverse_subpage("save"))

    def render_lookup(self, step):
        """The step again after "Look up": what was typed, plus the company's details
        from the register (:func:`lookups.values_after_lookup`); nothing is stored yet."""
        self.storage.current_step = step
        posted = self.get_form(step, data=self.request.POST, files=self.request.FILES)
        self._lookup = lookups.values_after_lookup(
            posted, self.steps_by_key[step], self.request.POST.get("lookup_company", "")
        )
        return self.render(self.get_form(step), lookup=self._lookup)

    # --- outcomes ---------------------------------------------------------------------

    def reached_outcome(self, upto: str | None = None) -> dict | None:
        """The outcome the stored answers lead to (:func:`outcomes.reached_outcome`),
        counting the visible steps up to step key ``upto`` (all of them when None)."""
        if not outcomes.outcomes_of(self.schema):
            return None
        visible = self.visible_step_keys()
        if upto is not None and upto in visible:
            visible = visible[: visible.index(upto) + 1]
        answered = [key for key in visible if key in self.storage.extra_data.get("answers", {})]
        known = conditions.answers_by_name(
            self.schema,
            self.stored_answers_by_step_id(),
            [self.steps_by_key[key]["id"] for key in answered],
        )
        finished = max((step_index(key) for key in answered), default=-1)
        if upto is None and answered == visible:
            finished = len(self.schema["steps"])
        return outcomes.reached_outcome(self.schema, known, finished)

    def render_outcome(self):
        """The outcome page; back to the form when the answers lead to none (any more)."""
        outcome = self.reached_outcome()
        if outcome is None:
            return redirect(self.get_step_url(self.steps.current))
        answered = [
            key for key in self.get_form_list() if key in self.storage.extra_data.get("answers", {})
        ]
        return TemplateResponse(
            self.request,
            "forms_builder/outcome.html",
            {
                "page": self.page,
                "self": self.page,
                "outcome": outcome,
                "previous_url": self.get_step_url(answered[-1]) if answered else None,
            },
        )

    # --- check your answers and submit ----------------------------------------------

    def validated_forms(self):
        """Every visible step's form bound to its stored data; the first invalid key."""
        validated = {}
        for key in self.get_form_list():
            form = self.get_form(
                step=key,
                data=self.storage.get_step_data(key),
                files=self.storage.get_step_files(key),
            )
            if not form.is_bound or not form.is_valid():
                return validated, key
            validated[key] = form
        return validated, None

    def render_check(self, declaration_form=None):
        if self.reached_outcome() is not None:
            return redirect(self.get_step_url(OUTCOME_STEP))
        validated, invalid_key = self.validated_forms()
        if invalid_key is not None:
            self.storage.current_step = invalid_key
            self.storage.extra_data = {**self.storage.extra_data, revisit.SHOW_ERRORS: invalid_key}
            return redirect(self.get_step_url(invalid_key))
        self.storage.extra_data = {**self.storage.extra_data, "reviewing": True}
        answers = {self.steps_by_key[key]["id"]: form.answers() for key, form in validated.items()}
        change_urls = {self.steps_by_key[key]["id"]: self.get_step_url(key) for key in validated}
        # The applicant's own answers: sensitive ones (a national register number) in full.
        # In English for a visitor who chose it (labels, titles, options).
        sections = display_answers(translated_schema(self.schema), answers, reveal_sensitive=True)
        revisit.link_answers_to_questions(
            sections,
            {self.steps_by_key[key]["id"]: form for key, form in validated.items()},
            change_urls,
        )
        procedure, late = procedure_and_lateness(self.schema, answers)
        sections += calculation_sections(self.schema, answers, late=late)
        _values, amount_due = submission.calculated(self.schema, answers, late=late)
        pays_first = submission.get_submit_handler().pays_before_sending(self.page, amount_due)
        return TemplateResponse(
            self.request,
            self.check_template_name,
            {
                "page": self.page,
                "self": self.page,
                "sections": sections,
                "procedure": procedure,
                "late": late,
                # The fee is paid online right after sending (the button says so).
                "pays_first": pays_first,
                "amount_due": amount_due,
                "declaration_form": declaration_form
                or DeclarationForm(required=bool(self.page.declaration_text)),
                "previous_url": self.get_step_url(list(validated)[-1]) if validated else None,
            },
        )

    def post_check(self):
        if self.draft is None and not self.storage.has_content():
            submitted = self.request.session.get(confirmation_session_key(self.page))
            if submitted:
                return redirect(self.page_url() + self.page.reverse_subpage("confirmation"))
            return redirect(self.get_step_url(self.steps.first))
        declaration_form = DeclarationForm(
            self.request.POST, required=bool(self.page.declaration_text)
        )
        if self.reached_outcome() is not None:
            return redirect(self.get_step_url(OUTCOME_STEP))
        if not declaration_form.is_valid():
            return self.render_check(declaration_form=declaration_form)
        refused = self.over_submit_limits()
        if refused is not None:
            return refused
        self._submitting = True
        return self.render_done(None)

    def over_submit_limits(self):
        """The 429 response when sending this application goes over a limit, else None.

        Sending e-mails a confirmation to the address in the answers, so besides the
        limits on every post there is one per client address and one per e-mail address
        (``form_submit_per_client``, ``form_submit_per_address``). Nothing is submitted
        or changed when refused: the applicant sends again after the wait.
        """
        back_url = self.get_step_url(CHECK_STEP)
        refused = ratelimit.check(
            self.request,
            "form_submit_per_client",
            ratelimit.client_ip(self.request),
            back_url=back_url,
        )
        if refused is not None:
            return refused
        answers = {
            self.steps_by_key[key]["id"]: self.stored_answers(key)
            for key in self.visible_step_keys()
        }
        email = str(mapped_values(self.schema, answers).get("applicant_email") or "")
        if not email.strip():
            return None
        return ratelimit.check(
            self.request, "form_submit_per_address", email.strip().lower(), back_url=back_url
        )

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        self.storage.current_step = failed_step
        self.storage.extra_data = {**self.storage.extra_data, revisit.SHOW_ERRORS: failed_step}
        return redirect(self.get_step_url(failed_step))

    def done(self, form_list, **kwargs):
        answers = {form.step["id"]: form.answers() for form in form_list}
        files = tuple(
            submission.SubmittedFile(
                step_id=form.step["id"],
                field_name=html_name.split("-", 1)[1],
                storage_name=uploaded.loket_tmp_name,
                name=uploaded.name,
                size=uploaded.size or 0,
                content_type=uploaded.content_type or "",
            )
            for form in form_list
            for html_name, uploads in form.stored_file_lists().items()
            for uploaded in uploads
        )
        procedure, late = procedure_and_lateness(self.schema, answers)
        values, amount_due = submission.calculated(self.schema, answers, late=late)
        with transaction.atomic():
            draft = self.storage.save()
            locked = Draft.objects.select_for_update().get(pk=draft.pk)
            if locked.submitted_dossier_id is None:
                locked.submitted_dossier_id = submission.submit(
                    submission.Submission(
                        form_page=self.page,
                        snapshot=self.snapshot,
                        answers=answers,
                        files=files,
                        language=get_language(),
                        proven_email=submission.get_submit_handler().applicant_email(self.request),
                        vouched_identity=submission.get_submit_handler().vouched_identity(
                            self.request
                        ),
                        calculations=values,
                        amount_due=amount_due,
                        procedure=procedure,
                        late=late,
                    )
                )
                locked.data = {}
                locked.save(update_fields=["submitted_dossier_id", "data", "updated_at"])
                counts.draft_sent(locked, sent_at=locked.updated_at)
            submitted_pk = locked.submitted_dossier_id
        self.request.session[confirmation_session_key(self.page)] = submitted_pk
        drafts.remember_draft(self.request, self.page, None)
        self.storage.draft = None
        return redirect(self.page_url() + self.page.reverse_subpage("confirmation"))

    # --- rendering -------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        current = self.steps.current
        if self.storage.extra_data.get("quiet_step") == current:
            # Just after adding or removing an item (change_items): no errors yet.
            self.storage.extra_data = {
                key: value for key, value in self.storage.extra_data.items() if key != "quiet_step"
            }
            if form.is_bound:
                form.quiet()
        visible = list(self.get_form_list())
        previous = visible[visible.index(current) - 1] if visible.index(current) > 0 else None
        context.update(
            page=self.page,
            self=self.page,
            step=form.step if isinstance(form, StepForm) else self.steps_by_key[current],
            step_number=visible.index(current) + 1,
            step_count=len(visible),
            previous_url=self.get_step_url(previous) if previous else None,
            reviewing=self.storage.extra_data.get("reviewing", False),
            lists_files=revisit.lists_files(form),
        )
        return context


def calculation_sections(schema: dict, answers: dict, *, late: bool = False) -> list[dict]:
    """The check page's section of calculations (the fee with its breakdown and those
    marked to show), computed on the server from ``answers``; [] when there is none."""
    known = conditions.answers_by_name(schema, answers, answers.keys())
    values = calculations.compute(schema, known, late=late)
    rows = calculations.display_calculations(schema, values, known)
    if not rows:
        return []
    return [{"id": "berekening", "title": _("Costs and calculations"), "rows": rows}]


def own_posted_values(data, prefix: str) -> dict[str, list[str]]:
    """The posted values of the step with form prefix ``prefix``, without NUL characters
    and without the upload fields' "keep" checkboxes (see get_form_step_data)."""
    return {
        key: [value.replace("\x00", "") for value in values]
        for key, values in data.lists()
        if key.startswith(f"{prefix}-") and not key.endswith("-keep")
    }


def step_key(index: int) -> str:
    """The URL key of the step at ``index`` (0-based) of the schema: "1", "2", ..."""
    return str(index + 1)


def step_index(key: str) -> int:
    """The index in the schema of the step with URL key ``key`` (see :func:`step_key`)."""
    return int(key) - 1


def _step_condition(key: str):
    def condition(wizard) -> bool:
        return key in wizard.visible_step_keys()

    return condition


def confirmation_session_key(page) -> str:
    """Where the session keeps the id of what was just submitted (for the
    confirmation page, :func:`forms_builder.views.confirmation_view`)."""
    return f"loket-submitted-{page.pk}"
