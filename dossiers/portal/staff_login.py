"""Staff (officers, editors, administrators) signing in to the admin with the
government login (issue #23, optional; off unless ``LOKET_STAFF_GOVERNMENT_LOGIN``).

The same OpenID Connect client as Mijn loket (:mod:`dossiers.portal.oidc`, configured
per site in the government login settings) with the same callback: a pending sign-in
started here carries ``purpose="staff"``, and the callback hands it to :func:`finish`.

Who may: an active account that can use the admin and whose e-mail address is the one
the provider says it **verified** (exactly one such account; never by name or by what
someone typed), at a level of assurance of at least
``LOKET_STAFF_GOVERNMENT_LOGIN_MINIMUM`` (default substantial: two factors at the
provider). Such a session counts as having passed Loket's own second step
(:data:`cms.two_factor.services.PROVIDER_VERIFIED_KEY`): the provider handled it.
Anything else is refused with a message on the admin's sign-in page, and nobody is
signed in.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as django_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.two_factor.services import PROVIDER_VERIFIED_KEY, can_use_admin
from dossiers.models.portal import ASSURANCE_WORDS, Assurance
from dossiers.portal import oidc, tokens

logger = logging.getLogger(__name__)

PURPOSE = "staff"


def is_enabled(request: HttpRequest | None) -> bool:
    """On by the setting, and the government login ready for this site."""
    return bool(getattr(settings, "LOKET_STAFF_GOVERNMENT_LOGIN", False)) and oidc.is_ready(request)


def minimum_assurance() -> int:
    word = str(getattr(settings, "LOKET_STAFF_GOVERNMENT_LOGIN_MINIMUM", "substantial"))
    return int(ASSURANCE_WORDS.get(word.strip().lower(), Assurance.SUBSTANTIAL))


def _refuse(request: HttpRequest, reason: str) -> HttpResponse:
    logger.info("Staff government login refused: %s", reason)
    messages.error(
        request,
        _(
            "You cannot sign in as staff with the government's login. Ask an administrator "
            "whether your account has the e-mail address the login knows you by."
        ),
    )
    return redirect(reverse("wagtailadmin_login"))


def finish(request: HttpRequest, result: oidc.Result) -> HttpResponse:
    """Sign in the staff account the provider vouched for, or refuse (see the module)."""
    identity = result.identity
    level = int((identity.extra or {}).get("assurance") or 0)
    if level < minimum_assurance():
        return _refuse(request, f"level {level} below {minimum_assurance()}")
    if not identity.email:
        return _refuse(request, "no verified e-mail address")
    accounts = list(
        get_user_model()._default_manager.filter(email__iexact=identity.email, is_active=True)[:2]
    )
    if len(accounts) != 1 or not can_use_admin(accounts[0]):
        return _refuse(request, f"{len(accounts)} matching accounts with admin access")
    user = accounts[0]
    logout = request.session.get(oidc.LOGOUT_KEY)
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[oidc.LOGOUT_KEY] = logout
    request.session[PROVIDER_VERIFIED_KEY] = user.pk
    logger.info("Staff account %s signed in with the government login", user.pk)
    return redirect(tokens.safe_next(result.next_url) or reverse("wagtailadmin_home"))
