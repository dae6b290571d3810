"""Periodic tasks of the site: expired sessions are deleted, live ones kept."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from cms.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db


def session(expires_in: datetime.timedelta) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_expired_sessions_are_deleted_and_live_ones_kept():
    expired = session(datetime.timedelta(minutes=-1))
    live = session(datetime.timedelta(hours=1))

    assert clear_expired_sessions() == 1

    assert not Session.objects.filter(pk=expired).exists()
    assert Session.objects.filter(pk=live).exists()


def test_it_runs_every_day():
    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "cms.tasks.clear_expired_sessions"
    ]
    assert len(entries) == 1
