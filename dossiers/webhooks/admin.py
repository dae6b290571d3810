"""Webhooks in the Wagtail admin (Settings), for administrators: the subscriptions (the
signing secret shown once, when made) and the delivery log with manual redelivery.
Registered in dossiers/wagtail_hooks.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from core.admin_screens import AdministratorScreen
from dossiers.api.admin import AdministratorsOnly
from dossiers.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from dossiers.webhooks.delivery import redeliver
from dossiers.webhooks.tasks import enqueue

#: How many deliveries the log shows.
LOG_ROWS = 200


register_permission_policy(WebhookSubscription, AdministratorsOnly(WebhookSubscription))


class SubscriptionForm(WagtailAdminModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The events this URL is told about."),
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "site", "url", "events", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith("https://") and not self._local(url):
            raise forms.ValidationError(_("Use an https:// address."))
        return url

    @staticmethod
    def _local(url: str) -> bool:
        return url.lower().startswith(("http://localhost", "http://127.0.0.1"))


class SubscriptionCreateView(generic.CreateView):
    def get_success_message(self, instance):
        return gettext(
            "Webhook %(name)s made. Its signing secret: %(secret)s — copy it now into the "
            "receiving system: it is not shown again."
        ) % {"name": instance.name, "secret": instance.secret}


class WebhookSubscriptionViewSet(ModelViewSet):
    model = WebhookSubscription
    icon = "link"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    menu_order = 901
    copy_view_enabled = False
    add_view_class = SubscriptionCreateView
    form_fields = ["name", "site", "url", "events", "is_active"]
    list_display = ["name", "url", "is_active", "created_at"]

    def get_form_class(self, for_update=False):
        return SubscriptionForm


class DeliveryLogView(AdministratorScreen):
    """The latest deliveries with their state; "Send again" on any of them."""

    template_name = "dossiers/admin/webhook_deliveries.html"
    page_title = _("Webhook deliveries")
    header_icon = "link"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = WebhookDelivery.objects.select_related("subscription", "dossier")
        status = self.request.GET.get("status", "")
        if status in DeliveryStatus.values:
            rows = rows.filter(status=status)
        context.update(deliveries=rows[:LOG_ROWS], statuses=DeliveryStatus.choices, chosen=status)
        return context

    def post(self, request, *args, **kwargs):
        delivery = get_object_or_404(WebhookDelivery, pk=request.POST.get("delivery") or 0)
        redeliver(delivery)
        enqueue(delivery.pk)
        messages.success(
            request,
            gettext("Delivery %(id)s will be sent again.") % {"id": delivery.message_id},
        )
        return redirect("dossiers_webhook_deliveries")
