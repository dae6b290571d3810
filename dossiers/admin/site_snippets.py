"""Snippets that belong to a municipality: e-mail texts, decision letters and report
categories (docs/gemeenten.md, "Teksten per gemeente").

Each has an optional ``site``: empty means shared by every municipality. An editor of a
municipality (``Redacteurs <gemeente>``, with the snippet rights ``add_municipality``
gives) lists, chooses, changes and deletes only the items of their own municipality; the
shared items are the installation's, kept by its administrators (superusers) and, as
on an installation of one municipality, by the editors of the default Site and editors
of no municipality's tree who were given the rights (:func:`cms.tenancy.keeps_shared`);
they are not shown to another municipality's editors. A municipality that wants its
own wording makes its own item: it goes before the shared one for the municipality's dossiers
(``DecisionLetterTemplate.for_dossier``, ``outbox.texts.editable_text``, the report
form's categories). The scoping itself is :class:`cms.tenancy.SitePermissionPolicy`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import tenancy


class SiteScopedForm(WagtailAdminModelForm):
    """Offers only the editor's own municipalities (and, for report categories, their
    main categories); for anyone but a superuser the municipality is required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        ids = tenancy.editor_site_ids(user) if user is not None else set()
        if ids is None or not ids:
            return  # superusers; editors of no municipality's tree keep everything
        shared = tenancy.keeps_shared(user)
        if "site" in self.fields:
            field = self.fields["site"]
            field.queryset = field.queryset.filter(pk__in=sorted(ids))
            if not shared:
                field.required = True
                field.empty_label = None
                field.help_text = _("The municipality this belongs to.")
        if "parent" in self.fields:
            field = self.fields["parent"]
            own = Q(site__in=sorted(ids)) | (Q(site__isnull=True) if shared else Q(pk__in=[]))
            field.queryset = field.queryset.filter(own)


def _scoped_chooser(policy: tenancy.SitePermissionPolicy):
    """The snippet chooser, showing only the items in the user's reach."""

    class Choose(snippet_chooser.ChooseView):
        def get_object_list(self):
            return policy.scoped(super().get_object_list(), self.request.user)

    class ChooseResults(snippet_chooser.ChooseResultsView):
        def get_object_list(self):
            return policy.scoped(super().get_object_list(), self.request.user)

    class Chosen(snippet_chooser.SnippetChosenView):
        def get_object(self, pk):
            return policy.scoped(self.model_class.objects.all(), self.request.user).get(pk=pk)

    class ChooserViewSet(snippet_chooser.SnippetChooserViewSet):
        choose_view_class = Choose
        choose_results_view_class = ChooseResults
        chosen_view_class = Chosen

    return ChooserViewSet


def _in_reach(view_class, policy: tenancy.SitePermissionPolicy):
    class InReach(view_class):
        def get_object(self, *args, **kwargs):
            found = super().get_object(*args, **kwargs)
            if not policy.in_reach(self.request.user, found):
                raise PermissionDenied
            return found

    InReach.__name__ = view_class.__name__
    return InReach


class SiteScopedViewSet(SnippetViewSet):
    """A snippet viewset whose list and chooser follow the model's
    :class:`cms.tenancy.SitePermissionPolicy` (registered in dossiers/wagtail_hooks.py
    with :func:`register_site_policies`, which the edit, delete, history and usage
    screens ask for each object)."""

    #: The views about one object: Wagtail checks only the model permission there, so
    #: each also asks the policy about the object (another municipality's: refused).
    OBJECT_VIEWS = (
        "edit_view_class",
        "delete_view_class",
        "copy_view_class",
        "usage_view_class",
        "history_view_class",
        "inspect_view_class",
        "preview_on_edit_view_class",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.chooser_viewset_class = _scoped_chooser(self.permission_policy)
        for name in self.OBJECT_VIEWS:
            view_class = getattr(self, name, None)
            if view_class is not None:
                setattr(self, name, _in_reach(view_class, self.permission_policy))

    def get_queryset(self, request):
        return self.permission_policy.scoped(self.model._default_manager.all(), request.user)


def register_site_policies() -> None:
    """Wagtail asks the registered permission policy for each object; registered before
    the snippets (Wagtail refuses a policy after it made its default one)."""
    from wagtail.permissions import register_permission_policy

    from dossiers.models import DecisionLetterTemplate, NotificationTemplate, ReportCategory

    for model in (NotificationTemplate, DecisionLetterTemplate, ReportCategory):
        register_permission_policy(model, tenancy.SitePermissionPolicy(model))
