"""The assistant in the Wagtail admin: the synonyms and links (best bets) editors manage,
This module is longer than 400 lines because the report's three actions, the two
snippets and their forms share one per-municipality scoping and permission policy.
and the report of questions it could not answer (registered in cms/wagtail_hooks.py),
with forms to add a synonym, an FAQ item (as a draft) or a link straight from a question.
Editors see the questions of their own website(s) only
(:func:`cms.tenancy.editor_site_ids`); superusers see every website's."""

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
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.models import Page, Site
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import tenancy

from ..models.services import ServicePage
from .models import AssistantBestBet, AssistantSynonym, UnansweredQuestion
from .services import (
    add_best_bet_for_question,
    add_faq_item_for_question,
    add_synonym_for_question,
    suggested_term,
)


def visible_best_bets(user) -> QuerySet[AssistantBestBet]:
    """The best bets of every website and those of the user's own website(s), as
    :func:`visible_synonyms`."""
    ids = tenancy.editor_site_ids(user)
    bets = AssistantBestBet.objects.all()
    return bets if ids is None else bets.filter(Q(site__isnull=True) | Q(site_id__in=ids))


def editable_best_bets(user) -> QuerySet[AssistantBestBet]:
    """The best bets ``user`` may change or delete: those of the user's own website(s);
    one of every website only for superusers."""
    ids = tenancy.editor_site_ids(user)
    bets = AssistantBestBet.objects.all()
    return bets if ids is None else bets.filter(site_id__in=ids)


def pages_of_sites(user, model=Page) -> QuerySet:
    """The live pages of ``model`` in the trees of the user's website(s) (every website
    for superusers), the websites' home pages included."""
    pages = model.objects.live()
    ids = tenancy.editor_site_ids(user)
    if ids is None:
        return pages.filter(depth__gt=1)
    roots = Site.objects.filter(pk__in=ids).values_list("root_page__path", flat=True)
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(path__startswith=root)
    return pages.filter(condition)


def editable_services(user) -> QuerySet[ServicePage]:
    """The live service pages of the user's website(s) that the user may edit (Wagtail's
    page permissions): where "Add an FAQ item" can put its draft."""
    pages = pages_of_sites(user, ServicePage).order_by("title")
    return pages.filter(
        pk__in=[page.pk for page in pages if page.permissions_for_user(user).can_edit()]
    )


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


def limit_site_choice(field, user, help_text=None) -> None:
    field.queryset = visible_sites(user).order_by("site_name", "hostname")
    if not user.is_superuser:
        field.required = True
        field.empty_label = None
        field.help_text = help_text or _("The synonym works on this website.")


def check_best_bet_page(form, user) -> None:
    """A best bet's page: live, in the user's website(s), and in the chosen website."""
    page, site = form.cleaned_data.get("page"), form.cleaned_data.get("site")
    if page is None:
        return
    if not pages_of_sites(user).filter(pk=page.pk).exists():
        form.add_error("page", _("Choose a published page of your website."))
    elif site is not None and not page.path.startswith(site.root_page.path):
        form.add_error("page", _("Choose a page of the chosen website."))


class BestBetForm(WagtailAdminModelForm):
    """Editors choose one of their own websites and a published page in it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not user.is_superuser and "site" in self.fields:
            limit_site_choice(self.fields["site"], user, _("The link works on this website."))

    def clean(self):
        cleaned = super().clean()
        if self.for_user is not None:
            check_best_bet_page(self, self.for_user)
        return cleaned

    def save(self, commit=True):
        if self.instance.created_by_id is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)


class BestBetIndexView(SnippetIndexView):
    def get_base_queryset(self):
        return visible_best_bets(self.request.user).select_related("site", "page")


class AssistantBestBetViewSet(SnippetViewSet):
    """The best bets ("links"); editors see those of every website and of their own
    website(s), and change only their own website's (cms.tenancy)."""

    model = AssistantBestBet
    icon = "link"
    menu_label = gettext_lazy("Assistant links")
    add_to_admin_menu = True
    menu_order = 312
    index_view_class = BestBetIndexView
    list_display = ["words", "page", "site", "created_at"]
    list_filter = ["site"]
    search_fields = ["words"]
    edit_handler = ObjectList(
        [FieldPanel("words"), FieldPanel("page"), FieldPanel("site")],
        base_form_class=BestBetForm,
    )

    def get_urlpatterns(self):
        return [
            path(
                str(pattern.pattern),
                within_reach(pattern.callback, editable_best_bets),
                name=pattern.name,
            )
            for pattern in super().get_urlpatterns()
        ]


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
best_bet_policy = ModelPermissionPolicy(AssistantBestBet)
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


def may_add_faq_item(user) -> bool:
    """Adding an FAQ item from the report marks the question handled; whether the user
    may edit a service page is checked per page (:func:`editable_services`)."""
    return report_policy.user_has_permission(user, "change")


def may_add_best_bet(user) -> bool:
    """Adding a link (best bet) from the report also marks the question handled."""
    return best_bet_policy.user_has_permission(user, "add") and report_policy.user_has_permission(
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

    #: The actions on each row: who may, label, hidden label, URL name, icon, priority.
    ROW_ACTIONS = (
        (
            may_add_synonym,
            gettext_lazy("Add a synonym"),
            gettext_lazy("Add a synonym for “%s”"),
            "add_synonym",
            "list-ul",
            5,
        ),
        (
            may_add_faq_item,
            gettext_lazy("Add an FAQ item"),
            gettext_lazy("Add an FAQ item for “%s”"),
            "add_faq_item",
            "help",
            6,
        ),
        (
            may_add_best_bet,
            gettext_lazy("Add a link"),
            gettext_lazy("Add a link for “%s”"),
            "add_best_bet",
            "link",
            7,
        ),
    )

    @cached_property
    def row_actions(self):
        """The :data:`ROW_ACTIONS` this user may take, worked out once per page."""
        return [action for action in self.ROW_ACTIONS if action[0](self.request.user)]

    def get_list_more_buttons(self, instance):
        own = [
            ListingButton(
                label,
                url=reverse(f"unanswered_questions:{url_name}", args=[instance.pk]),
                icon_name=icon,
                attrs={"aria-label": hidden % instance.question},
                priority=priority,
            )
            for _may, label, hidden, url_name, icon, priority in self.row_actions
        ]
        return own + super().get_list_more_buttons(instance)


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


class FromQuestionView(WagtailAdminTemplateMixin, FormView):
    """A form for one question of the report (``pk``, of the user's own website(s):
    404 otherwise) that fixes it; ``may`` says whether the user may use it."""

    #: Whether the user may use the form at all (403 otherwise).
    may = staticmethod(may_add_synonym)

    def dispatch(self, request, *args, **kwargs):
        if not self.may(request.user):
            raise PermissionDenied
        self.question = get_object_or_404(visible_questions(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("unanswered_questions:index"), "label": _("Unanswered questions")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "question": self.question}


class AddSynonymView(FromQuestionView):
    """The form "Add a synonym" for one question of the report, filled in with the
    question's words; saving adds the synonym and marks the question handled."""

    template_name = "cms/admin/assistant_add_synonym.html"
    form_class = SynonymFromQuestionForm
    page_title = gettext_lazy("Add a synonym")
    header_icon = "list-ul"

    def get_initial(self):
        return {"term": suggested_term(self.question.question), "site": self.question.site_id}

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


class FAQItemFromQuestionForm(forms.Form):
    """An FAQ item for an unanswered question, on a service page the user may edit."""

    service = forms.ModelChoiceField(
        label=gettext_lazy("Service page"),
        queryset=ServicePage.objects.none(),
        help_text=gettext_lazy("The item is added at the end of the page's FAQ, as a draft."),
    )
    question = forms.CharField(label=gettext_lazy("Question"), max_length=255)
    answer = forms.CharField(
        label=gettext_lazy("Answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("A short answer in plain words. An empty line starts a paragraph."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = editable_services(user)


class AddFAQItemView(FromQuestionView):
    """The form "Add an FAQ item": the (masked) question prefilled; saving adds the item
    to a new draft of the service page, marks the question handled and opens the page's
    editor, where the draft must still be published."""

    template_name = "cms/admin/assistant_add_faq_item.html"
    form_class = FAQItemFromQuestionForm
    page_title = gettext_lazy("Add an FAQ item")
    header_icon = "help"
    may = staticmethod(may_add_faq_item)

    def get_initial(self):
        return {"question": self.question.question}

    def form_valid(self, form):
        service = form.cleaned_data["service"]
        add_faq_item_for_question(
            self.question,
            service=service,
            faq_question=form.cleaned_data["question"],
            answer=form.cleaned_data["answer"],
            user=self.request.user,
        )
        messages.success(
            self.request,
            _(
                "The FAQ item is added to a draft of “%(page)s” and the question is marked "
                "as handled. Publish the page to show it on the website and in the assistant."
            )
            % {"page": service.title},
        )
        return redirect(reverse("wagtailadmin_pages:edit", args=[service.pk]))


class BestBetFromQuestionForm(forms.ModelForm):
    """A link for the words of an unanswered question to a published page of the user's
    website(s)."""

    class Meta:
        model = AssistantBestBet
        fields = ["words", "page", "site"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        limit_site_choice(self.fields["site"], user, _("The link works on this website."))
        self.fields["page"].queryset = pages_of_sites(user).order_by("path")
        self.fields["words"].help_text = _(
            "Keep the words every such question has, e.g. reclamebord gevel; remove the rest."
        )

    def clean(self):
        cleaned = super().clean()
        check_best_bet_page(self, self.user)
        return cleaned


class AddBestBetView(FromQuestionView):
    """The form "Add a link": the question's words prefilled; saving adds the best bet
    and marks the question handled."""

    template_name = "cms/admin/assistant_add_best_bet.html"
    form_class = BestBetFromQuestionForm
    page_title = gettext_lazy("Add a link")
    header_icon = "link"
    may = staticmethod(may_add_best_bet)

    def get_initial(self):
        max_length = AssistantBestBet._meta.get_field("words").max_length
        return {
            "words": suggested_term(self.question.question, max_length),
            "site": self.question.site_id,
        }

    def form_valid(self, form):
        bet = add_best_bet_for_question(
            self.question,
            words=form.cleaned_data["words"],
            page=form.cleaned_data["page"],
            site=form.cleaned_data["site"],
            user=self.request.user,
        )
        messages.success(
            self.request,
            _("The link “%(link)s” is added and the question is marked as handled.")
            % {"link": bet},
        )
        return redirect(reverse("unanswered_questions:index"))


class UnansweredQuestionViewSet(ModelViewSet):
    """Questions without an answer, most asked first, of the user's own website(s). Fix
    one straight from the row by adding a synonym, an FAQ item (a draft of a service page)
    or a link (a best bet), which tick "handled"; or add search words to a service and
    tick it yourself."""

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
            path("faq/<int:pk>/", AddFAQItemView.as_view(), name="add_faq_item"),
            path("link/<int:pk>/", AddBestBetView.as_view(), name="add_best_bet"),
        ]
