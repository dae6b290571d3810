"""The periodic task of information requests. Imported by DossiersConfig.ready()."""

from celery import shared_task

from dossiers.information import services
from dossiers.information.forms import delete_stale_held_files


# Named as before the move into this package: the name is what beat and queued
# messages know it by.
@shared_task(name="dossiers.information.send_information_reminders")
def send_information_reminders() -> int:
    """Remind applicants of unanswered questions (daily, via Celery beat).

    Running it twice is harmless: each question gets one reminder, checked under a row
    lock (:func:`send_reminder`). The e-mails go through the outbox. Returns how many
    reminders it queued. Also deletes files applicants uploaded on an answer page they
    never sent (see :class:`dossiers.information.forms.HeldFiles`).
    """
    delete_stale_held_files()
    return services.send_due_reminders()
