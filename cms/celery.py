"""Celery application. Settings come from Django settings with the CELERY_ prefix."""

import os

from celery import Celery

from core.logging import connect_task_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("loket")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_task_signals()
