"""The assistant in the Wagtail admin: the synonyms editors manage, and the report of
questions it could not answer (registered in cms/wagtail_hooks.py), with a form to add a
synonym straight from a question. Editors see the questions of their own website(s)
only (:func:`cms.tenancy.editor_site_ids`); superusers see every website's."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.models import Site
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import tenancy

from .models import AssistantSynonym, UnansweredQuestion
from .services import add_synonym_for_question, suggested_term


def visible_synonyms(user) -> QuerySet[AssistantSynonym]:
    """The synonyms of every website and those of the user's own website(s); every one
    for superusers."""
    ids = tenancy.editor_site_ids(user)
    synonyms = AssistantSynonym.objects.all()
    return synonyms if ids is None else synonyms.filter(Q(site__isnull=True) | Q(site_id__in=ids))


def editable_synonyms(user) -> QuerySet[AssistantSynonym]:
    """The synonyms ``user`` may change or delete: those of the user's own website(s);
    a synonym of every website only for superusers."""
    ids = tenancy.editor_site_ids(user)
    synonyms = AssistantSynonym.objects.all()
    return synonyms if ids is None else synonyms.filter(site_id__in=ids)


class SynonymForm(WagtailAdminModelForm):
    """Editors choose one of their own websites; only superusers make a synonym for
    every website."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not user.is_superuser and "site" in self.fields:
            limit_site_choice(self.fields["site"], user)


def limit_site_choice(field, user) -> None:
    field.queryset = visible_sites(user).order_by("site_name", "hostname")
    if not user.is_superuser:
        field.required = True
        field.empty_label = None
        field.help_text = _("The synonym works on this website.")


class SynonymIndexView(SnippetIndexView):
    def get_base_queryset(self):
        return visible_synonyms(self.request.user).select_related("site")


class AssistantSynonymViewSet(SnippetViewSet):
    """The synonyms; editors see those of every website and of their own website(s),
    and change only their own website's (cms.tenancy)."""

    model = AssistantSynonym
    icon = "list-ul"
    menu_label = gettext_lazy("Assistant synonyms")
    add_to_admin_menu = True
    menu_order = 310
    index_view_class = SynonymIndexView
    list_display = ["term", "meaning", "site"]
    list_filter = ["site"]
    search_fields = ["term", "meaning"]
    edit_handler = ObjectList(
        [FieldPanel("term"), FieldPanel("meaning"), FieldPanel("site")],
        base_form_class=SynonymForm,
    )

    def get_urlpatterns(self):
        return [
            path(
                str(pattern.pattern),
                within_reach(pattern.callback, editable_synonyms),
                name=pattern.name,
            )
            for pattern in super().get_urlpatterns()
        ]


class ReportOnlyPolicy(ModelPermissionPolicy):
    """Rows come from visitors' questions only: editors may read, mark and delete them."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(UnansweredQuestion, ReportOnlyPolicy(UnansweredQuestion))

synonym_policy = ModelPermissionPolicy(AssistantSynonym)
report_policy = ReportOnlyPolicy(UnansweredQuestion)


def visible_sites(user) -> QuerySet[Site]:
    """The websites whose questions and synonyms ``user`` works on."""
    ids = tenancy.editor_site_ids(user)
    return Site.objects.all() if ids is None else Site.objects.filter(pk__in=ids)


def visible_questions(user) -> QuerySet[UnansweredQuestion]:
    """The unanswered questions of the user's own website(s); every one for superusers
    (questions asked on no website, too)."""
    ids = tenancy.editor_site_ids(user)
    questions = UnansweredQuestion.objects.all()
    return questions if ids is None else questions.filter(site_id__in=ids)


def may_add_synonym(user) -> bool:
    """Adding a synonym from the report also marks the question handled."""
    return synonym_policy.user_has_permission(user, "add") and report_policy.user_has_permission(
        user, "change"
    )


def within_reach(view, reachable):
    """``view`` about one object (``pk``) answers 404 when the object is not among
    ``reachable(user)``: another website's."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not reachable(request.user).filter(pk=unquote(str(pk))).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return checked


class UnansweredQuestionIndexView(IndexView):
    """The report: only the user's own website(s), with "Add a synonym" on each row."""

    def get_base_queryset(self):
        return visible_questions(self.request.user).select_related("site")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if may_add_synonym(self.request.user):
            buttons.insert(
                0,
                ListingButton(
                    _("Add a synonym"),
                    url=reverse("unanswered_questions:add_synonym", args=[instance.pk]),
                    icon_name="list-ul",
                    attrs={"aria-label": _("Add a synonym for “%s”") % instance.question},
                    priority=5,
                ),
            )
        return buttons


class SynonymFromQuestionForm(forms.ModelForm):
    """A synonym for the words of an unanswered question, on one of the user's websites
    (superusers may also choose every website)."""

    class Meta:
        model = AssistantSynonym
        fields = ["term", "meaning", "site"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit_site_choice(self.fields["site"], user)
        self.fields["term"].help_text = _(
            "Keep the everyday word or words of the question, e.g. reclamebord; remove the rest."
        )


class AddSynonymView(WagtailAdminTemplateMixin, FormView):
    """The form "Add a synonym" for one question of the report, filled in with the
    question's words; saving adds the synonym and marks the question handled."""

    template_name = "cms/admin/assistant_add_synonym.html"
    form_class = SynonymFromQuestionForm
    page_title = gettext_lazy("Add a synonym")
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        if not may_add_synonym(request.user):
            raise PermissionDenied
        self.question = get_object_or_404(visible_questions(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"term": suggested_term(self.question.question), "site": self.question.site_id}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("unanswered_questions:index"), "label": _("Unanswered questions")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "question": self.question}

    def form_valid(self, form):
        synonym = add_synonym_for_question(
            self.question,
            term=form.cleaned_data["term"],
            meaning=form.cleaned_data["meaning"],
            site=form.cleaned_data["site"],
        )
        messages.success(
            self.request,
            _("The synonym “%(synonym)s” is added and the question is marked as handled.")
            % {"synonym": synonym},
        )
        return redirect(reverse("unanswered_questions:index"))


class UnansweredQuestionViewSet(ModelViewSet):
    """Questions without an answer, most asked first, of the user's own website(s). Fix
    one by adding a synonym (straight from the row), an FAQ item or search words to a
    service, then tick "handled"."""

    model = UnansweredQuestion
    icon = "help"
    menu_label = gettext_lazy("Unanswered questions")
    add_to_admin_menu = True
    menu_order = 311
    copy_view_enabled = False
    index_view_class = UnansweredQuestionIndexView
    form_fields = ["handled"]
    list_display = ["question", "site", "times_asked", "last_asked", "handled"]
    list_filter = ["handled"]
    search_fields = ["question"]

    def get_urlpatterns(self):
        patterns = [
            path(
                str(pattern.pattern),
                within_reach(pattern.callback, visible_questions),
                name=pattern.name,
            )
            for pattern in super().get_urlpatterns()
        ]
        return patterns + [
            path("synonym/<int:pk>/", AddSynonymView.as_view(), name="add_synonym"),
        ]
