"""Celery tasks of the site itself."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def clear_expired_sessions() -> int:
    """Delete expired sessions from the database (periodic, like ``clearsessions``).

    Applicants who never finish a form, officers who never sign out: without this the
    session table only grows. Returns how many were deleted.
    """
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
