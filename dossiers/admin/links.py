"""Links into the back office for code outside it (e-mails to officers).

Only this package knows wagtail-modeladmin's URL names; everything else asks here.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

#: The dossier view of the back office (wagtail-modeladmin's inspect view).
DOSSIER_VIEW = "dossiers_dossier_modeladmin_inspect"


def dossier_admin_url(dossier) -> str:
    """The absolute address of ``dossier`` in the back office."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(DOSSIER_VIEW, args=[dossier.pk])
