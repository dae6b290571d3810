"""The periodic erasure of personal data. Imported by DossiersConfig.ready()."""

from celery import shared_task

from dossiers.privacy.erasure import erase_expired_personal_data as erase_expired


# Named as before the move into this package: the name is what beat and queued
# messages know it by.
@shared_task(name="dossiers.tasks.erase_expired_personal_data", acks_late=True)
def erase_expired_personal_data() -> int:
    """Erase the personal data of dossiers past their form's retention (periodic, daily).

    Each dossier is erased in its own transaction under a row lock and only while it is
    still due (see :func:`dossiers.privacy.erase_personal_data`), so two runs at once or
    a run repeated after a lost acknowledgement erase nothing twice. Returns how many
    dossiers were erased.
    """
    return erase_expired()
