"""Celery tasks of Mijn loket. Imported by DossiersConfig.ready() so workers know them."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.background import send_templated_mail
from dossiers.models import SignInToken
from dossiers.portal import confirmation, tokens


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_sign_in_link(
    self, token_id: int, token: str, next_url: str = "", language: str = ""
) -> bool:
    """E-mail the sign-in link of token ``token_id``; ``token`` is the secret itself,
    which the database does not keep.

    Sends nothing when the token is gone, used, expired, or does not match the stored
    hash. Running it twice sends the same link twice, which is harmless. Retries with
    backoff when the mail server fails.
    """
    row = SignInToken.objects.filter(pk=token_id).first()
    if (
        row is None
        or row.token_hash != tokens.hash_token(token)
        or row.used_at is not None
        or row.expires_at <= timezone.now()
    ):
        return False
    context = {
        "sign_in_url": settings.LOKET_BASE_URL.rstrip("/") + tokens.link_path(token, next_url),
        "minutes": tokens.link_minutes(),
        "email": row.email,
    }
    return send_templated_mail(
        self, "dossiers/portal/emails/sign_in_link", context, row.email, language
    )


@shared_task
def delete_old_sign_in_tokens() -> int:
    """Delete sign-in tokens and e-mail confirmation links that expired more than a day
    ago (periodic). Idempotent."""
    return tokens.delete_old_tokens() + confirmation.delete_old_links()
