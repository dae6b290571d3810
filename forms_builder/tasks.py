"""Celery tasks of the form builder. They take ids and are safe to run twice."""

from celery import shared_task
from django.conf import settings

from core.background import send_templated_mail

from . import drafts
from .models.draft import Draft


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_resume_link(self, draft_id: str) -> bool:
    """E-mail the resume link of a draft to the address stored on it.

    Running it twice sends the link twice, which is harmless (the same link). A draft
    that is gone or has no address sends nothing. Retries with backoff on failure.
    """
    draft = Draft.objects.select_related("page").filter(pk=draft_id).first()
    if draft is None or not draft.email:
        return False
    page = draft.page.specific
    context = {
        "page": page,
        "draft": draft,
        "resume_url": settings.LOKET_BASE_URL.rstrip("/") + page.resume_path(draft),
    }
    return send_templated_mail(
        self, "forms_builder/emails/resume_link", context, draft.email, settings.LANGUAGE_CODE
    )


@shared_task
def delete_expired_drafts() -> int:
    """Delete expired drafts and their files (periodic). Idempotent."""
    return drafts.delete_expired_drafts()
