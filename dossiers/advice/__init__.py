"""Advice from other services: services, forms, views, e-mails and the reminder task."""
