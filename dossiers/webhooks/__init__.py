"""Webhooks: other systems told about events on dossiers (docs/api.md).

events.py writes a delivery row (dossiers.models.WebhookDelivery) for every subscribed
URL in the same transaction as the dossier's event; delivery.py sends it, signed per the
Standard Webhooks scheme (signing.py), in order per dossier, retried with backoff for 24
hours; tasks.py hands rows to Celery and sweeps up what is due; admin.py holds the
subscriptions and the delivery log with manual redelivery.
"""
