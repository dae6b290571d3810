"""The assistant in the Wagtail admin: the synonyms editors manage, and the report of
questions it could not answer (registered in cms/wagtail_hooks.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import AssistantSynonym, UnansweredQuestion


class AssistantSynonymViewSet(SnippetViewSet):
    model = AssistantSynonym
    icon = "list-ul"
    menu_label = _("Assistant synonyms")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["term", "meaning", "site"]
    list_filter = ["site"]
    search_fields = ["term", "meaning"]


class ReportOnlyPolicy(ModelPermissionPolicy):
    """Rows come from visitors' questions only: editors may read, mark and delete them."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(UnansweredQuestion, ReportOnlyPolicy(UnansweredQuestion))


class UnansweredQuestionViewSet(ModelViewSet):
    """Questions without an answer, most asked first. Fix one by adding a synonym, an FAQ
    item or search words to a service, then tick "handled"."""

    model = UnansweredQuestion
    icon = "help"
    menu_label = _("Unanswered questions")
    add_to_admin_menu = True
    menu_order = 311
    copy_view_enabled = False
    form_fields = ["handled"]
    list_display = ["question", "times_asked", "last_asked", "handled"]
    list_filter = ["handled"]
    search_fields = ["question"]
