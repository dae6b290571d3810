"""The periodic task of advice requests. Imported by DossiersConfig.ready()."""

from celery import shared_task

from dossiers.advice import services


@shared_task(name="dossiers.advice.tasks.send_advice_reminders")
def send_advice_reminders() -> int:
    """Remind advice parties before and after their deadline (daily, via Celery beat).

    Running it twice is harmless: each request gets at most one reminder before and one
    after its deadline, checked and marked under a row lock
    (:func:`~dossiers.advice.services.send_reminder`). Each reminder carries a new link
    (the old one stops working); the e-mails go through the outbox. Returns how many
    reminders it queued.
    """
    return services.send_due_reminders()
