"""The pages of the person signing in, and of their account. Request handling only: the
work is in :mod:`cms.two_factor.services`.

Sign-in steps (after Wagtail's password login, in the look of its login page):

- ``verify``: type a code of the app or a backup code;
- ``set_up``: scan the QR code (``qr_code``) or type the secret, confirm with a code;
- ``backup_codes``: the new backup codes, shown once.

In the account (Account → More actions → Two-factor authentication): the state, new
backup codes and moving to a new phone, each after a code.

Every page is ``never_cache``: secrets and codes are never kept by a browser or proxy.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .forms import AppCodeForm, CodeForm

#: The new backup codes, between the POST that made them and the page that shows them.
NEW_CODES_SESSION_KEY = "loket-two-factor-new-codes"
#: Until when (Unix time) this session may set up a new app in place of the current
#: one: the person typed a code for it on their account page.
REPLACE_SESSION_KEY = "loket-two-factor-replace-until"
#: How long that permission lasts, in seconds.
REPLACE_SECONDS = 10 * 60
#: From how few backup codes on a person is told to make new ones.
FEW_BACKUP_CODES = 3


def next_url(request) -> str:
    """Where to go after a step: the ``next`` the step was given (a safe URL on this
    site), else the admin's home page."""
    return get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")


def with_next(url: str, next_to: str) -> str:
    return f"{url}?{urlencode({'next': next_to})}"


def hand_out_backup_codes(request, *, after_set_up: bool = False) -> None:
    """New backup codes, kept in the session until :class:`BackupCodesView` shows them."""
    request.session[NEW_CODES_SESSION_KEY] = {
        "codes": services.new_backup_codes(request.user),
        "after_set_up": after_set_up,
    }


def may_replace_app(request) -> bool:
    return float(request.session.get(REPLACE_SESSION_KEY, 0)) > time.time()


@method_decorator(never_cache, name="dispatch")
class VerifyView(FormView):
    """The second step: a code of the app, or a backup code."""

    template_name = "cms/two_factor/verify.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        step = services.next_step(request.user)
        if step == services.SET_UP:
            return redirect(with_next(reverse("two_factor_set_up"), next_url(request)))
        if step is None:
            return redirect(next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "autofocus": True}

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=next_url(self.request), **kwargs)

    def form_valid(self, form):
        outcome = form.outcome
        services.mark_verified(self.request, outcome.device)
        if outcome.used_backup_code:
            left = services.backup_codes_left(self.request.user)
            message = ngettext(
                "You used a backup code. You have %(count)d backup code left.",
                "You used a backup code. You have %(count)d backup codes left.",
                left,
            ) % {"count": left}
            if left <= FEW_BACKUP_CODES:
                message += " " + _("Make new backup codes in your account.")
            messages.warning(self.request, message)
        return redirect(next_url(self.request))


class SetUpAccessMixin:
    """Who may set up an app: someone without one (after the password), or someone with
    one who is verified and just typed a code for it on their account page. Nobody when
    two-factor authentication is off."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not services.is_required():
            return self.refuse(request)
        if services.is_set_up(user):
            if not services.is_verified(user):
                return redirect(with_next(reverse("two_factor_verify"), next_url(request)))
            if not may_replace_app(request):
                return self.refuse(request)
        return super().dispatch(request, *args, **kwargs)

    def refuse(self, request):
        if services.is_required():
            messages.info(
                request, _("To set up a new app, first confirm with a code on this page.")
            )
        return redirect("two_factor_account")


@method_decorator(never_cache, name="dispatch")
class SetUpView(SetUpAccessMixin, FormView):
    """Set up an authenticator app: scan the QR code (or type the secret), type a code."""

    template_name = "cms/two_factor/set_up.html"
    form_class = AppCodeForm

    def dispatch(self, request, *args, **kwargs):
        self.device = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.device = services.pending_app(self.request.user)
        return {**super().get_form_kwargs(), "user": self.request.user, "device": self.device}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            next=next_url(self.request),
            secret=services.secret_for_typing(self.device),
            issuer=services.issuer(),
            replacing=services.is_set_up(self.request.user),
        )
        return context

    def form_valid(self, form):
        request = self.request
        services.confirm_app(request, self.device)
        request.session.pop(REPLACE_SESSION_KEY, None)
        hand_out_backup_codes(request, after_set_up=True)
        return redirect(with_next(reverse("two_factor_backup_codes"), next_url(request)))


@method_decorator(never_cache, name="dispatch")
class QrCodeView(SetUpAccessMixin, View):
    """The QR code of the app being set up, as an SVG image (an image of our own, so a
    strict Content-Security-Policy needs no exception)."""

    def refuse(self, request):
        raise Http404

    def get(self, request, *args, **kwargs):
        device = services.pending_app(request.user)
        response = HttpResponse(services.qr_code_svg(device), content_type="image/svg+xml")
        response["Content-Disposition"] = 'inline; filename="qr-code.svg"'
        return response


@method_decorator(never_cache, name="dispatch")
class BackupCodesView(TemplateView):
    """The new backup codes, once: a reload no longer shows them."""

    template_name = "cms/two_factor/backup_codes.html"

    def get_context_data(self, **kwargs):
        new = self.request.session.pop(NEW_CODES_SESSION_KEY, None) or {}
        return super().get_context_data(
            codes=[services.format_backup_code(code) for code in new.get("codes", [])],
            after_set_up=new.get("after_set_up", False),
            next=next_url(self.request),
            **kwargs,
        )


class AccountActionForm(CodeForm):
    """A code that confirms one of the account page's actions."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["code"].help_text = gettext_lazy(
            "To confirm, type the 6 digits in your authenticator app, or a backup code."
        )


@method_decorator(never_cache, name="dispatch")
class AccountView(WagtailAdminTemplateMixin, TemplateView):
    """Two-factor authentication in the person's own account. Each action is a form of
    its own with a code field, so pressing Enter never sets off another action. When
    two-factor authentication is off, the page only says so."""

    template_name = "cms/two_factor/account.html"
    page_title = gettext_lazy("Two-factor authentication")
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_account"), "label": _("Account")},
            {"url": "", "label": self.page_title},
        ]

    def actions(self) -> tuple[str, ...]:
        """The actions offered (each the ``action`` of its form), all needing a code."""
        if not services.is_required() or not services.is_set_up(self.request.user):
            return ()
        return ("backup_codes", "new_app")

    def action_form(self, action: str, data=None) -> AccountActionForm:
        return AccountActionForm(self.request.user, data, prefix=action)

    def get_context_data(self, forms=None, **kwargs):
        forms = forms or {action: self.action_form(action) for action in self.actions()}
        return super().get_context_data(
            forms=forms,
            state=services.state_of(self.request.user),
            required=services.is_required(),
            backup_code_count=services.BACKUP_CODE_COUNT,
            few_backup_codes=FEW_BACKUP_CODES,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        actions = self.actions()
        if action not in actions:
            messages.error(request, _("Choose one of the buttons on this page."))
            return redirect("two_factor_account")
        form = self.action_form(action, request.POST)
        if not form.is_valid():
            forms = {each: self.action_form(each) for each in actions}
            forms[action] = form
            return self.render_to_response(self.get_context_data(forms=forms))
        here = reverse("two_factor_account")
        if action == "backup_codes":
            hand_out_backup_codes(request)
            return redirect(with_next(reverse("two_factor_backup_codes"), here))
        request.session[REPLACE_SESSION_KEY] = time.time() + REPLACE_SECONDS
        return redirect(with_next(reverse("two_factor_set_up"), here))
