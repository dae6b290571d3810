"""Mijn loket: sign in with an e-mail link, see your dossiers and drafts, sign out."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from wagtail.models import Site

from core import ratelimit
from core.security import private_page
from dossiers.companies.profile import company_profile
from dossiers.companies.suggestions import suggested_services
from dossiers.constants import Status
from dossiers.correspondence import preferences
from dossiers.portal import confirmation, oidc, services, staff_login, tokens
from dossiers.portal import identity as applicant
from dossiers.portal.forms import ContactPreferenceForm, SignInForm
from dossiers.proactive.sending import invitations_for_company

logger = logging.getLogger(__name__)


def _over_limit(request, name: str, key: str):
    """The 429 response when this request goes over limit ``name`` for ``key``, else None.

    The limits are the setting ``LOKET_SIGNIN_LIMITS``, read on each request (the
    views declare them with :func:`core.ratelimit.limited_in_view` as ``portal-<name>``):
    ``request_per_client`` and ``request_per_address`` (asking for a link, per client
    address and per e-mail address) and ``redeem_per_client`` (opening and using links).
    """
    limit, window = settings.LOKET_SIGNIN_LIMITS[name]
    if ratelimit.hit(f"portal-{name}", key, limit=limit, window=window):
        return None
    return ratelimit.too_many_requests(request, window)


def _next_url(request) -> str:
    return tokens.safe_next(request.POST.get("next") or request.GET.get("next"))


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.limited_in_view("portal-request_per_client", "portal-request_per_address")
def sign_in(request):
    """Ask for a sign-in link. The answer is the same whether or not the address is known."""
    next_url = _next_url(request)
    if request.method == "GET" and applicant.current_identity(request) is not None:
        return redirect(next_url or reverse("portal:overview"))
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        limited = _over_limit(request, "request_per_client", ratelimit.client_ip(request))
        if limited is None and form.is_valid():
            email = applicant.normalise_email(form.cleaned_data["email"])
            limited = _over_limit(request, "request_per_address", email)
            if limited is None:
                services.issue_sign_in_link(email, next_url=next_url)
                return private_page(
                    TemplateResponse(
                        request,
                        "dossiers/portal/check_email.html",
                        {"email": email, "minutes": tokens.link_minutes(), "next": next_url},
                    )
                )
        if limited is not None:
            return limited
    return private_page(
        TemplateResponse(
            request,
            "dossiers/portal/sign_in.html",
            {
                "form": form,
                "next": next_url,
                "other_methods": [
                    (method, method.start_url(next_url))
                    for method in applicant.get_methods(request)
                    if method.method_id != applicant.EmailLinkMethod.method_id
                ],
            },
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.limited_in_view("portal-redeem_per_client")
def redeem(request, token):
    """The link from the e-mail. GET asks to confirm (mail scanners open links too);
    POST uses the link up and signs in."""
    limited = _over_limit(request, "redeem_per_client", ratelimit.client_ip(request))
    if limited is not None:
        return limited
    next_url = _next_url(request)
    if request.method == "GET":
        if tokens.usable_token(token) is None:
            return _link_invalid(request)
        return private_page(
            TemplateResponse(request, "dossiers/portal/confirm.html", {"next": next_url})
        )
    email = tokens.redeem(token)
    if email is None:
        return _link_invalid(request)
    applicant.sign_in(
        request,
        applicant.ApplicantIdentity(method=applicant.EmailLinkMethod.method_id, email=email),
    )
    return redirect(next_url or reverse("portal:overview"))


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.limited_in_view("portal-redeem_per_client")
def confirm_email(request, token):
    """The link that proves an application's e-mail address. GET asks to press a button
    (mail scanners open links too); POST uses the link up and proves the address, so the
    dossier appears in that address's Mijn loket."""
    limited = _over_limit(request, "redeem_per_client", ratelimit.client_ip(request))
    if limited is not None:
        return limited
    if request.method == "GET":
        state = "ask" if confirmation.usable(token) else "invalid"
        dossier = None
    else:
        dossier = confirmation.confirm(token)
        state = "invalid" if dossier is None else "done"
    return private_page(
        TemplateResponse(
            request,
            "dossiers/portal/confirm_email.html",
            {"state": state, "dossier": dossier, "days": confirmation.link_days()},
            status=404 if state == "invalid" else 200,
        )
    )


def _link_invalid(request):
    return private_page(
        TemplateResponse(request, "dossiers/portal/link_invalid.html", {}, status=404)
    )


@require_POST
@ratelimit.ratelimit("public_post_per_client")
def sign_out(request):
    """Sign out here, and at the government login too when the applicant came through it
    (RP-initiated logout: the provider sends the browser back to the sign-in page)."""
    logout = request.session.pop(oidc.LOGOUT_KEY, None)
    applicant.sign_out(request)
    messages.success(request, _("You are signed out."))
    provider_logout = oidc.logout_url(
        request, logout, request.build_absolute_uri(reverse("portal:sign_in"))
    )
    return redirect(provider_logout or reverse("portal:sign_in"))


@never_cache
@require_safe
@ratelimit.limited_in_view("portal-redeem_per_client")
def oidc_start(request):
    """Go to the government login with a new state, nonce and PKCE verifier."""
    limited = _over_limit(request, "redeem_per_client", ratelimit.client_ip(request))
    if limited is not None:
        return limited
    next_url = _next_url(request)
    if not oidc.is_ready(request):
        return _oidc_problem(request, "unavailable", next_url)
    try:
        return redirect(oidc.authorization_url(request, next_url))
    except oidc.SignInFailed as exc:
        logger.warning("Government login cannot start: %s", exc)
        return _oidc_problem(request, exc.reason, next_url)


@never_cache
@require_safe
@ratelimit.limited_in_view("portal-redeem_per_client")
def oidc_callback(request):
    """The provider sends the browser back here. Each state works once: a refresh or
    "back" after signing in goes on to Mijn loket; an unknown or used state without a
    sign-in shows a page with a fresh "sign in" button, never an error or a loop."""
    limited = _over_limit(request, "redeem_per_client", ratelimit.client_ip(request))
    if limited is not None:
        return limited
    entry = oidc.take_pending(request, request.GET.get("state", ""))
    if entry is None:
        if applicant.current_identity(request) is not None:
            return redirect(reverse("portal:overview"))
        return _oidc_problem(request, "expired", "")
    next_url = tokens.safe_next(entry.get("next", ""))
    if not oidc.is_ready(request):
        return _oidc_problem(request, "unavailable", next_url)
    try:
        result = oidc.complete(request, entry)
    except oidc.SignInFailed as exc:
        log = logger.info if exc.reason in ("cancelled", "too_low") else logger.warning
        log("Government login refused: %s", exc)
        return _oidc_problem(request, exc.reason, next_url)
    if entry.get("purpose") == staff_login.PURPOSE:
        if not staff_login.is_enabled(request):
            raise Http404
        return staff_login.finish(request, result)
    logout = request.session.get(oidc.LOGOUT_KEY)
    applicant.sign_in(request, result.identity)
    request.session[oidc.LOGOUT_KEY] = logout
    return redirect(next_url or reverse("portal:overview"))


@never_cache
@require_safe
@ratelimit.limited_in_view("portal-redeem_per_client")
def oidc_staff_start(request):
    """Staff: go to the government login to sign in to the admin (only when
    ``LOKET_STAFF_GOVERNMENT_LOGIN`` is on; 404 otherwise)."""
    if not staff_login.is_enabled(request):
        raise Http404
    limited = _over_limit(request, "redeem_per_client", ratelimit.client_ip(request))
    if limited is not None:
        return limited
    next_url = tokens.safe_next(request.GET.get("next", ""))
    try:
        return redirect(oidc.authorization_url(request, next_url, purpose=staff_login.PURPOSE))
    except oidc.SignInFailed as exc:
        logger.warning("Staff government login cannot start: %s", exc)
        return _oidc_problem(request, exc.reason, "")


def _oidc_problem(request, reason: str, next_url: str):
    """A plain page that says what happened, with a fresh "sign in" button."""
    status = {"cancelled": 200, "unavailable": 503, "too_low": 403}.get(reason, 400)
    start = oidc.GovernmentLoginMethod().start_url(next_url)
    return private_page(
        TemplateResponse(
            request,
            "dossiers/portal/oidc_problem.html",
            {
                "reason": reason,
                "start_url": start,
                "email_url": applicant.EmailLinkMethod().start_url(next_url),
                "can_retry": oidc.is_ready(request),
            },
            status=status,
        )
    )


@never_cache
@require_safe
def overview(request):
    """Every dossier and unfinished draft of the signed-in applicant's e-mail address."""
    identity = applicant.current_identity(request)
    if identity is None:
        sign_in_url = reverse("portal:sign_in")
        return redirect(f"{sign_in_url}?{urlencode({'next': request.get_full_path()})}")
    dossiers = list(services.dossiers_for(identity))
    drafts = list(services.drafts_for(identity))
    response = private_page(
        TemplateResponse(
            request,
            "dossiers/portal/overview.html",
            {
                "identity": identity,
                "dossiers": dossiers,
                "action_needed": [d for d in dossiers if d.status == Status.INFO_REQUESTED],
                "drafts": [(draft, draft.page.resume_path(draft)) for draft in drafts],
                "appointments": list(services.appointments_for(identity)),
            },
        )
    )
    provider_logout = oidc.logout_origin(request.session.get(oidc.LOGOUT_KEY))
    if provider_logout:  # signing out goes on to the provider (see oidc.logout_origin)
        response._csp_update = {"form-action": [provider_logout]}
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.ratelimit("public_post_per_client", back=True)
def company(request):
    """The page of the enterprise the sign-in vouched for (the government login): what
    the register says, its establishments here, its applications and permits, and
    services that may interest it. Never for a number someone typed."""
    identity = applicant.current_identity(request)
    if identity is None:
        sign_in_url = reverse("portal:sign_in")
        return redirect(f"{sign_in_url}?{urlencode({'next': request.get_full_path()})}")
    number = identity.enterprise_number
    profile = company_profile(number) if number else None
    current = preferences.current_preference(enterprise_number=number) if number else None
    form = None
    if profile is not None:
        form = ContactPreferenceForm(
            request.POST if request.method == "POST" else None,
            channels=preferences.available_channels(for_enterprise=True),
            initial={
                "channel": current.channel if current else "email",
                "postal_address": current.postal_address
                if current and current.postal_address
                else "\n".join(filter(None, [profile.name, *profile.seat.split(", ")])),
            },
        )
        if request.method == "POST" and form.is_valid():
            preferences.record_preference(
                channel=form.cleaned_data["channel"],
                enterprise_number=number,
                postal_address=form.cleaned_data["postal_address"],
                given_via="Mijn loket",
                given_by=identity.email or identity.name,
            )
            messages.success(request, _("Your choice is saved."))
            return redirect(reverse("portal:company") + "#preference-title")
    elif request.method == "POST":
        return redirect(reverse("portal:company"))
    suggestions = []
    if profile is not None and profile.active:
        suggestions = suggested_services(
            number,
            site=Site.find_for_request(request),
            nace_codes=profile.nace_codes(),
            legal_form=profile.legal_form_code,
        )
    return private_page(
        TemplateResponse(
            request,
            "dossiers/portal/company.html",
            {
                "identity": identity,
                "profile": profile,
                "dossiers": list(services.company_dossiers(number)) if number else [],
                "permits": list(services.company_permits(number)) if number else [],
                "suggestions": suggestions,
                "invitations": (
                    invitations_for_company(number, Site.find_for_request(request))
                    if profile is not None
                    else []
                ),
                "preference": current if profile is not None else None,
                "preference_form": form,
            },
            status=200 if profile is not None else 404,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.ratelimit("public_post_per_client", back=True)
def letter_preference(request):
    """The signed-in person's own choice of how our letters reach them: by e-mail, or
    on paper at the address they give. Each choice is a new row with where, when and
    by whom (:func:`dossiers.correspondence.preferences.record_preference`); the
    company's own choice (with the eBox) is on the company page."""
    identity = applicant.current_identity(request)
    if identity is None:
        sign_in_url = reverse("portal:sign_in")
        return redirect(f"{sign_in_url}?{urlencode({'next': request.get_full_path()})}")
    current = preferences.current_preference(email=identity.email) if identity.email else None
    form = None
    if identity.email:
        form = ContactPreferenceForm(
            request.POST if request.method == "POST" else None,
            channels=preferences.available_channels(for_enterprise=False),
            initial={
                "channel": current.channel if current else "email",
                "postal_address": current.postal_address if current else identity.name,
            },
        )
        if request.method == "POST" and form.is_valid():
            choice = preferences.record_preference(
                channel=form.cleaned_data["channel"],
                email=identity.email,
                postal_address=form.cleaned_data["postal_address"],
                given_via="Mijn loket",
                given_by=identity.email,
            )
            messages.success(request, preferences.confirmation_text(choice))
            return redirect(reverse("portal:letter_preference") + "#preference-title")
    elif request.method == "POST":
        return redirect(reverse("portal:letter_preference"))
    return private_page(
        TemplateResponse(
            request,
            "dossiers/portal/letter_preference.html",
            {"identity": identity, "preference": current, "preference_form": form},
        )
    )
