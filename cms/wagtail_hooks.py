"""Admin hooks of the public site."""

from django.contrib import messages
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from cms import municipality_views, tenancy
from cms.assistant.admin import (
    AssistantBestBetViewSet,
    AssistantSynonymViewSet,
    UnansweredQuestionViewSet,
)
from cms.library import services as library_services
from cms.library import views as library_views
from cms.library.models import AdoptedPage
from cms.two_factor import services as two_factor_services
from cms.two_factor import users as two_factor_users
from cms.two_factor import views as two_factor_views
from core.ratelimit import ratelimit


@hooks.register("insert_global_admin_js")
def admin_init_js() -> str:
    """Starts Wagtail's widgets from data, without inline scripts (cms/admin_scripts.py).
    Not deferred: it must watch the page from before the first widget is parsed."""
    return format_html('<script src="{}"></script>', static("cms/js/admin-init.js"))


@hooks.register("insert_editor_js")
def finder_editor_js() -> str:
    """Suggests the finder's questions when an editor fills in an answer's next question."""
    return format_html('<script src="{}" defer></script>', static("cms/js/finder-editor.js"))


# --- two-factor authentication (cms/two_factor) ---------------------------------------------


@hooks.register("register_admin_urls")
def two_factor_urls():
    # Under the admin, so Wagtail's own check (signed in, may use the admin) comes first;
    # cms.two_factor.middleware lets the first four through before the second step.
    return [
        path(
            "two-factor/verify/",
            # django-otp also makes each wrong code wait longer (per device).
            ratelimit("admin_sign_in_per_client")(two_factor_views.VerifyView.as_view()),
            name="two_factor_verify",
        ),
        path("two-factor/set-up/", two_factor_views.SetUpView.as_view(), name="two_factor_set_up"),
        path(
            "two-factor/set-up/qr-code.svg",
            two_factor_views.QrCodeView.as_view(),
            name="two_factor_qr_code",
        ),
        path(
            "two-factor/backup-codes/",
            two_factor_views.BackupCodesView.as_view(),
            name="two_factor_backup_codes",
        ),
        path("two-factor/", two_factor_views.AccountView.as_view(), name="two_factor_account"),
        path("two-factor/users/", two_factor_users.UsersView.as_view(), name="two_factor_users"),
        path(
            "two-factor/users/<int:user_id>/",
            two_factor_users.UserView.as_view(),
            name="two_factor_user",
        ),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    if not two_factor_services.is_required():
        return None
    return {
        "url": reverse("two_factor_account"),
        "label": _("Two-factor authentication"),
        "help_text": _(
            "A code from your phone after your password: set it up, make new backup codes "
            "or move to a new phone."
        ),
    }


@hooks.register("register_settings_menu_item")
def two_factor_users_menu_item():
    return two_factor_users.TwoFactorMenuItem(
        _("Two-factor authentication"), reverse("two_factor_users"), icon_name="key", order=610
    )


@hooks.register("register_user_listing_buttons")
def two_factor_user_buttons(user, request_user):
    yield from two_factor_users.user_listing_buttons(user, request_user)


@hooks.register("register_log_actions")
def two_factor_log_actions(actions):
    actions.register_action(
        two_factor_services.LOG_SET_UP,
        _("Two-factor authentication set up"),
        _("Set up two-factor authentication"),
    )
    actions.register_action(
        two_factor_services.LOG_BACKUP_CODES,
        _("New backup codes"),
        _("Made new backup codes for two-factor authentication"),
    )
    actions.register_action(
        two_factor_services.LOG_RESET,
        _("Two-factor authentication reset"),
        _("Reset two-factor authentication"),
    )


# --- the assistant (cms/assistant) ------------------------------------------------------------


register_snippet(AssistantSynonymViewSet)
register_snippet(AssistantBestBetViewSet)


@hooks.register("register_admin_viewset")
def unanswered_questions_report():
    return UnansweredQuestionViewSet("unanswered_questions")


@hooks.register("after_edit_page")
def say_published_after_approval(request, page):
    """After the approval that publishes a page, say "published", not "updated".

    Wagtail's edit view confirms every save, the last approval of a workflow included,
    with "Page '…' has been updated", while the approval has just published the page.
    """
    if request.POST.get("workflow-action-name") != "approve":
        return None
    page = Page.objects.get(pk=page.pk)
    if not page.live or page.has_unpublished_changes or page.workflow_in_progress:
        return None  # a further task waits, or the approval did not publish
    title = page.get_admin_display_title()
    updated = gettext("Page '%(page_title)s' has been updated.") % {"page_title": title}
    storage = messages.get_messages(request)
    storage._queued_messages = [m for m in storage._queued_messages if str(m.message) != updated]
    messages.success(
        request,
        gettext("Page '%(page_title)s' has been approved and published.") % {"page_title": title},
    )
    return None


# --- the shared library (cms/library) ---------------------------------------------------------


@hooks.register("register_admin_urls")
def library_urls():
    return [
        path("library/", library_views.LibraryView.as_view(), name="cms_library"),
        path(
            "library/<int:template_id>/adopt/",
            library_views.AdoptView.as_view(),
            name="cms_library_adopt",
        ),
        path(
            "library/<int:template_id>/export/",
            library_views.ExportTemplateView.as_view(),
            name="cms_library_export",
        ),
        path(
            "library/import/",
            library_views.ImportTemplateView.as_view(),
            name="cms_library_import",
        ),
        path(
            "library/publish/<int:page_id>/",
            library_views.PublishVersionView.as_view(),
            name="cms_library_publish",
        ),
        path(
            "library/update/<int:page_id>/",
            library_views.UpdateView.as_view(),
            name="cms_library_update",
        ),
    ]


@hooks.register("register_admin_menu_item")
def library_menu_item():
    return library_views.LibraryMenuItem(
        _("Library"), reverse("cms_library"), icon_name="folder-open-inverse", order=250
    )


def _library_buttons(page, user, priority: int):
    if library_services.can_publish_to_library(user, page):
        yield Button(
            _("Publish to the library"),
            reverse("cms_library_publish", args=[page.pk]),
            icon_name="folder-open-inverse",
            priority=priority,
        )
    origin = AdoptedPage.objects.filter(page_id=page.pk).select_related("version").first()
    if origin is not None and origin.pending_version() and library_services.can_update(user, page):
        yield Button(
            _("New version from the library"),
            library_views.update_url(page),
            icon_name="folder-open-inverse",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def library_header_buttons(page, user, view_name=None, next_url=None):
    """ "Publish to the library" on library pages; "New version" on adopted pages."""
    yield from _library_buttons(page, user, priority=80)


@hooks.register("before_edit_page")
def library_update_notice(request, page):
    """The editor of an adopted page reads that the library has a newer version."""
    if request.method != "GET":
        return None
    origin = (
        AdoptedPage.objects.filter(page_id=page.pk).select_related("template", "version").first()
    )
    version = origin.pending_version() if origin is not None else None
    if version is not None:
        admin_messages.warning(
            request,
            gettext(
                "The library has version %(number)s of “%(template)s”: %(note)s. Your page "
                "stays as it is until you decide."
            )
            % {
                "number": version.number,
                "template": origin.template.title,
                "note": version.change_note,
            },
            buttons=[
                admin_messages.button(library_views.update_url(page), gettext("See what changed"))
            ],
        )
    return None


# --- several municipalities (cms/tenancy.py) -------------------------------------------------


@hooks.register("construct_page_chooser_queryset")
def own_pages_in_chooser(pages, request):
    """The page chooser offers the pages of the editor's own municipality only."""
    return tenancy.limit_pages(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def own_pages_in_explorer(parent_page, pages, request):
    """The page explorer lists the pages of the editor's own municipality only."""
    return tenancy.limit_pages(pages, request.user)


@hooks.register("register_admin_urls")
def municipality_urls():
    return [
        path("gemeenten/", municipality_views.MunicipalitiesView.as_view(), name="municipalities")
    ]


@hooks.register("register_settings_menu_item")
def municipalities_menu_item():
    return municipality_views.MunicipalitiesMenuItem(
        _("Municipalities"), reverse("municipalities"), icon_name="site", order=605
    )
