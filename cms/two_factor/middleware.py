"""No admin page for a session that still has to type a code (or set up an app)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from . import services

#: Admin views a session may reach before the second step: signing in and out, what the
#: sign-in pages themselves load, and the steps.
OPEN_VIEWS = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "two_factor_verify",
        "two_factor_set_up",
        "two_factor_qr_code",
    }
)


class TwoFactorMiddleware:
    """Sends a session of someone who can use the admin, and must still pass the second
    step (:func:`~cms.two_factor.services.next_step`), from any admin URL to the code or
    set-up page, with the page it asked for as ``next``.

    Only URLs under the admin are guarded: every back-office view lives there (the
    dossiers, their files and exports, settings). Goes after django-otp's
    ``OTPMiddleware``; works in ``process_view``, when the URL is resolved. Costs nothing
    when two-factor authentication is off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not services.is_required():
            return None
        match = request.resolver_match
        if match is None or match.url_name in OPEN_VIEWS:
            return None
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            return None
        if request.session.get(services.PROVIDER_VERIFIED_KEY) == request.user.pk:
            return None  # the identity provider did the second step
        step = services.next_step(request.user)
        if step is None:
            return None
        url = reverse("two_factor_verify" if step == services.VERIFY else "two_factor_set_up")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)
