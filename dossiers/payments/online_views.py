"""Paying online, the web side (request handling only; the rules are in
:mod:`.online`):

- ``POST /dossier/<id>/<key>/online-betalen/``: start paying the open request, go to
  the provider's checkout (behind the status page's secret link);
- ``GET /dossier/<id>/<key>/online-betalen/<n>/terug/``: the provider sends the
  applicant back here; we ask the provider and show the status page;
- ``POST /betalen/webhook/<provider>/``: the provider's callback (no CSRF: it comes
  from the provider, and is verified by it);
- ``/betalen/test/<reference>/``: the built-in test provider's checkout page, only
  while the test provider is the one in use.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.ratelimit import ratelimit
from dossiers.applicant.views import dossier_or_404, link_limit, post_limit
from dossiers.exceptions import ActionRefused
from dossiers.models import OnlinePayment, SimulatedCheckout
from dossiers.outbox import letters
from dossiers.payments import online, tasks
from dossiers.payments.providers import ProviderError, TestProvider, WebhookRefused

logger = logging.getLogger(__name__)

#: Where the status page shows the payment.
PAYMENT_ANCHOR = "#payment-title"


def _status_page(dossier):
    return redirect(dossier.get_status_url() + PAYMENT_ANCHOR)


@require_POST
@link_limit
@post_limit
def start(request, public_id, key):
    """Start paying online and send the applicant to the provider's checkout."""
    dossier = dossier_or_404(public_id, key)
    provider = online.payment_provider(letters.site_for(dossier))
    webhook_url = (
        request.build_absolute_uri(reverse("payments:webhook", args=[provider.id]))
        if provider
        else ""
    )
    try:
        payment = online.start_payment(
            dossier,
            return_url=lambda payment: request.build_absolute_uri(
                reverse(
                    "dossiers:online_payment_return",
                    kwargs={"public_id": public_id, "key": key, "payment_id": payment.pk},
                )
            ),
            webhook_url=webhook_url,
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return _status_page(dossier)
    return redirect(payment.checkout_url)


@link_limit
def payment_return(request, public_id, key, payment_id):
    """The applicant is back from the checkout: ask the provider how it went (the
    webhook may not have come yet) and show the status page, which says it."""
    dossier = dossier_or_404(public_id, key)
    payment = get_object_or_404(OnlinePayment, pk=payment_id, payment_request__dossier=dossier)
    try:
        online.refresh(payment)
    except ProviderError as exc:
        # The status page says we are waiting for the confirmation; the periodic check
        # asks again.
        logger.warning("Could not check online payment %s on return: %s", payment.pk, exc)
    return _status_page(dossier)


@csrf_exempt
@require_POST
@ratelimit("payment_webhook_per_client")
def webhook(request, provider_id):
    """A provider's callback: 200 when handled (or not about a payment of ours), 403
    when not from the provider, 503 when its status could not be fetched (providers
    try again)."""
    try:
        online.receive_webhook(provider_id, request.body, request.headers, request.content_type)
    except WebhookRefused as exc:
        logger.warning("Refused a payment webhook for %s: %s", provider_id, exc)
        return HttpResponseForbidden("refused")
    except ProviderError as exc:
        logger.warning("Payment webhook for %s not handled: %s", provider_id, exc)
        return HttpResponse("try again later", status=503)
    return HttpResponse("ok")


@ratelimit("public_post_per_client")
def test_checkout(request, reference):
    """The test provider's checkout: the amount, and buttons to pay, to fail and to
    cancel. Each button sends the webhooks (as the settings say) and goes back."""
    provider = online.payment_provider()
    if not isinstance(provider, TestProvider):
        raise Http404
    checkout = get_object_or_404(SimulatedCheckout, reference=reference)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("pay", "fail", "cancel"):
            return TemplateResponse(
                request, "dossiers/payments/test_checkout.html", {"checkout": checkout}, status=400
            )
        with transaction.atomic():
            locked = SimulatedCheckout.objects.select_for_update().get(pk=checkout.pk)
            callbacks = provider.act(locked, action)
        # After the button's change is saved, like a provider calling back later.
        tasks.queue_test_callbacks(callbacks)
        return redirect(locked.return_url)
    return TemplateResponse(request, "dossiers/payments/test_checkout.html", {"checkout": checkout})
