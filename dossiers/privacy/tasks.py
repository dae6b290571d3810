"""The periodic erasure of personal data. Imported by DossiersConfig.ready()."""

from celery import shared_task

from dossiers.privacy.erasure import erase_expired_contact_data as erase_contact_data
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


@shared_task(name="dossiers.tasks.erase_expired_contact_data", acks_late=True)
def erase_expired_contact_data() -> dict[str, int]:
    """Empty the addresses of printed letters past their dossier's retention and delete
    superseded letter preferences (periodic, daily; see
    :func:`dossiers.privacy.erasure.erase_expired_contact_data`). Safe twice."""
    return erase_contact_data()
