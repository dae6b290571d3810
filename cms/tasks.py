"""Celery tasks of the site itself."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from cms.assistant import services as assistant


@shared_task
def clear_expired_sessions() -> int:
    """Delete expired sessions from the database (periodic, like ``clearsessions``).

    Applicants who never finish a form, officers who never sign out: without this the
    session table only grows. Returns how many were deleted.
    """
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def delete_old_unanswered_questions() -> int:
    """Delete the assistant's unanswered questions past their retention (nightly).
    Safe to run twice: the second run finds nothing older to delete."""
    return assistant.delete_old_unanswered_questions()
