"""The administrators' side (Settings → Two-factor authentication, and a button on every
row of Settings → Users): who has set it up, and a reset after a lost phone.

Request handling only; the reset itself is :func:`cms.two_factor.services.reset`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button

from . import services

#: The filter of the overview: ``?state=`` one of these.
STATES = {
    "": gettext_lazy("Everyone"),
    "missing": gettext_lazy("Not set up"),
    "set_up": gettext_lazy("Set up"),
}


def can_manage(user) -> bool:
    """Whether ``user`` may see and reset two-factor authentication of others: whoever
    may edit users in Wagtail (superusers, and groups with "Can change user")."""
    User = get_user_model()
    codename = get_permission_codename("change", User._meta)
    return bool(user.is_active and user.has_perm(f"{User._meta.app_label}.{codename}"))


def can_reset(actor, person) -> bool:
    """Only a superuser resets a superuser (no way up for a user manager)."""
    return can_manage(actor) and (actor.is_superuser or not person.is_superuser)


def admin_users():
    """The active users who can use the admin, with ``two_factor_since`` (when their
    app was set up, or ``None``) and ``backup_codes`` (how many are left)."""
    User = get_user_model()
    access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    apps = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True).order_by("-pk")
    codes = (
        StaticToken.objects.filter(device__user=OuterRef("pk"))
        .values("device__user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    with_access = User.objects.filter(
        Q(is_superuser=True) | Q(groups__permissions__in=access) | Q(user_permissions__in=access)
    )
    return (
        User.objects.filter(is_active=True, pk__in=with_access.values("pk"))
        .annotate(
            two_factor_since=Subquery(apps.values("created_at")[:1]),
            has_two_factor=Exists(apps),
            backup_codes=Subquery(codes),
        )
        .order_by("last_name", "first_name", User.USERNAME_FIELD)
    )


class ManageMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_manage(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UsersView(ManageMixin, WagtailAdminTemplateMixin, TemplateView):
    """Everyone who can use the admin, and whether they set up two-factor authentication."""

    template_name = "cms/two_factor/users.html"
    page_title = gettext_lazy("Two-factor authentication")
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        state = self.request.GET.get("state", "")
        state = state if state in STATES else ""
        people = admin_users()
        if state == "missing":
            people = people.filter(has_two_factor=False)
        elif state == "set_up":
            people = people.filter(has_two_factor=True)
        return super().get_context_data(
            people=people,
            state=state,
            states=STATES.items(),
            required=services.is_required(),
            **kwargs,
        )


class UserView(ManageMixin, WagtailAdminTemplateMixin, TemplateView):
    """One person's two-factor authentication, and the reset (a POST)."""

    template_name = "cms/two_factor/user.html"
    page_title = gettext_lazy("Two-factor authentication")
    header_icon = "key"

    def dispatch(self, request, *args, user_id, **kwargs):
        self.person = get_object_or_404(get_user_model(), pk=user_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.person.get_full_name() or self.person.get_username()

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("two_factor_users"), "label": self.page_title},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            state=services.state_of(self.person),
            can_use_admin=services.can_use_admin(self.person),
            may_reset=can_reset(self.request.user, self.person),
            is_self=self.person.pk == self.request.user.pk,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not can_reset(request.user, self.person):
            raise PermissionDenied
        services.reset(self.person, actor=request.user)
        messages.success(
            request,
            _(
                "Two-factor authentication of %(name)s is reset: their app and backup "
                "codes no longer work."
            )
            % {"name": self.get_page_subtitle()},
        )
        return redirect("two_factor_users")


class TwoFactorMenuItem(MenuItem):
    """ "Two-factor authentication" under Settings, for those who manage users."""

    def is_shown(self, request):
        return can_manage(request.user)


def user_listing_buttons(user, request_user):
    """A "Two-factor authentication" button in the "More" menu of each user."""
    if can_manage(request_user):
        yield Button(
            _("Two-factor authentication"),
            reverse("two_factor_user", args=[user.pk]),
            icon_name="key",
            priority=50,
        )
