"""The Celery tasks of proactive services. Task names are pinned (beat schedules and
queued messages use them)."""

from __future__ import annotations

from celery import shared_task

from . import running, sending


@shared_task(name="dossiers.proactive.tasks.run_proactive_rules", acks_late=True)
def run_proactive_rules() -> int:
    """Run every active proactive rule, municipality by municipality (beat: daily).
    Safe twice: a rule proposes a company or permit once (unique per rule and subject);
    a second run the same day adds nothing. Nothing is sent that an officer did not
    approve; approved invitations whose sending was lost are sent now. Returns how many
    invitations are new."""
    new = sum(running.run_rules().values())
    sending.send_approved()
    return new


@shared_task(
    name="dossiers.proactive.tasks.send_invitation",
    autoretry_for=(Exception,),
    retry_backoff=60,
    max_retries=5,
)
def send_invitation_task(invitation_id: int) -> bool:
    """Send one approved invitation (queued after the officer's approval). Safe twice:
    the row is locked and only an approved invitation becomes sent; the e-mail itself
    goes through the outbox, with its own retries."""
    return sending.send_invitation(invitation_id)
