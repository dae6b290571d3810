"""The admin's sign-in page offers the government login to staff when it is on."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from dossiers.portal import staff_login

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_government_login_url(context) -> str:
    """Where staff start the government login (keeping ``next``), or "" when it is off."""
    request = context.get("request")
    if request is None or not staff_login.is_enabled(request):
        return ""
    url = reverse("portal:oidc_staff_start")
    next_url = request.GET.get("next", "")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
