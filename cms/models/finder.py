"""FinderPage: "Welke vergunning heb ik nodig?", a decision tree editors build."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.pages import SitePathUrlMixin
from core.translation import wants_english

from ..blocks import FinderQuestionBlock
from ..finder import DecisionTree, format_path, parse_path, question_name
from ..forms import FinderAnswerForm


class FinderPage(SitePathUrlMixin, RoutablePageMixin, Page):
    """A guided finder: one question per screen, ending in recommended services.

    Editors write the questions in :attr:`questions`; the first one is where the
    applicant starts, and every answer names the next question or ends the way (see
    :mod:`cms.finder`). The tree is one StreamField, so it is published, previewed and
    rolled back as a whole.
    """

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    questions = StreamField(
        [("question", FinderQuestionBlock())],
        verbose_name=_("questions"),
        blank=True,
        use_json_field=True,
        help_text=_("The first question is where everyone starts."),
    )
    result_intro = RichTextField(
        _("text above the result"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    # --- English (core.translation; empty: the Dutch text, marked Dutch) --------------
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro_en = RichTextField(
        _("introduction in English"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    result_intro_en = RichTextField(
        _("text above the result, in English"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("questions"),
        FieldPanel("result_intro"),
    ]
    english_panels = [
        HelpPanel(
            content=_(
                "For visitors who chose English. Leave a text empty to show the Dutch "
                "one, marked as Dutch. Translate the questions and answers in the "
                "questions themselves (“in English”)."
            )
        ),
        FieldPanel("title_en"),
        FieldPanel("intro_en"),
        FieldPanel("result_intro_en"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(english_panels, heading=_("English")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    parent_page_types = ["cms.HomePage", "cms.TopicPage"]
    subpage_types = []

    #: Templates of the three screens.
    template = "cms/finder_page.html"
    question_template = "cms/finder_question.html"
    result_template = "cms/finder_result.html"

    class Meta:
        verbose_name = _("guided finder")

    def clean(self):
        super().clean()
        self.assign_question_names()
        if problems := self.get_tree().problems():
            raise ValidationError({"questions": problems})

    def assign_question_names(self) -> None:
        """Give every question without a short name one derived from its text, once, so
        that answers keep pointing to it when the text changes later."""
        taken = {question_name(b.value["name"]) for b in self.questions if b.value.get("name")}
        for block in self.questions:
            if block.value.get("name"):
                continue
            base = question_name(block.value["question"]) or "vraag"
            name, counter = base, 2
            while name in taken:
                name, counter = f"{base}-{counter}", counter + 1
            block.value["name"] = name
            taken.add(name)

    def get_tree(self) -> DecisionTree:
        # In English for a visitor who chose it (core.translation): texts only.
        return DecisionTree.from_blocks(self.questions, english=wants_english())

    # --- urls --------------------------------------------------------------------------

    def question_url(self, path_: list[int], position: int | None = None) -> str:
        url = self.url + self.reverse_subpage("question")
        params = [f"pad={format_path(path_)}"] if path_ else []
        if position is not None:
            params.append(f"stap={position}")
        return url + ("?" + "&".join(params) if params else "")

    def result_url(self, path_: list[int]) -> str:
        return self.url + self.reverse_subpage("result") + f"?pad={format_path(path_)}"

    # --- serving -----------------------------------------------------------------------
    # Answers travel in the query string (GET): a post is refused with 405.

    @path("")
    @method_decorator(require_safe)
    def start(self, request):
        tree = self.get_tree()
        return self.render(
            request, context_overrides={"start_url": self.question_url([]), "tree": tree}
        )

    @path("vraag/", name="question")
    @method_decorator(require_safe)
    def question(self, request):
        """One question. ``pad`` is the way so far, ``stap`` the position of the question
        shown (default: the one after the way); ``verder`` means an answer was sent."""
        tree = self.get_tree()
        path_ = parse_path(request.GET.get("pad"))
        steps = tree.walk(path_) if path_ is not None else None
        if steps is None:
            return HttpResponseRedirect(self.question_url([]))
        position = len(steps)
        if request.GET.get("stap", "").isdigit():
            position = min(int(request.GET["stap"]), len(steps))
        if position < len(steps):
            question, chosen = steps[position].question, steps[position].answer_index
        else:
            question, chosen = tree.question_after(steps), None
            if question is None:
                if not steps:  # a finder without questions
                    return HttpResponseRedirect(self.url)
                return HttpResponseRedirect(self.result_url(path_))

        if "verder" in request.GET:
            form = FinderAnswerForm(request.GET, question=question)
            if form.is_valid():
                return HttpResponseRedirect(
                    self._url_after_answer(tree, path_, position, form.cleaned_data["antwoord"])
                )
        else:
            form = FinderAnswerForm(
                initial={"antwoord": chosen} if chosen is not None else {}, question=question
            )
        back_url = self.question_url(path_, position - 1) if position > 0 else self.url
        return TemplateResponse(
            request,
            self.question_template,
            self.get_context(request)
            | {
                "question": question,
                "form": form,
                "field": form["antwoord"],
                "path": format_path(path_),
                "position": position,
                "number": position + 1,
                "back_url": back_url,
            },
        )

    def _url_after_answer(self, tree, path_, position, chosen) -> str:
        """Keep the later answers when an answer stays the same (going back and forth);
        forget them when it changes, because they may not fit the new way."""
        if position < len(path_) and path_[position] == chosen:
            new_path = path_
        else:
            new_path = path_[:position] + [chosen]
        if position + 1 < len(new_path):
            return self.question_url(new_path, position + 1)
        if tree.question_after(tree.walk(new_path)) is not None:
            return self.question_url(new_path)
        return self.result_url(new_path)

    @path("resultaat/", name="result")
    @method_decorator(require_safe)
    def result(self, request):
        tree = self.get_tree()
        path_ = parse_path(request.GET.get("pad"))
        steps = tree.walk(path_) if path_ else None
        if not steps:
            return HttpResponseRedirect(self.question_url([]))
        if tree.question_after(steps) is not None:
            return HttpResponseRedirect(self.question_url(path_))
        return TemplateResponse(
            request,
            self.result_template,
            self.get_context(request)
            | {
                "steps": [
                    {"step": step, "change_url": self.question_url(path_, step.position)}
                    for step in steps
                ],
                "services": tree.recommended_services(steps),
                "advice": [
                    {"text": step.answer.advice, "lang": step.answer.advice_lang}
                    for step in steps
                    if step.answer.advice
                ],
                "back_url": self.question_url(path_, len(steps) - 1),
            },
        )
