from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from core.logging import log_references_of

        from . import (  # noqa: F401 - registers their kinds of e-mail
            feedback,
            information,  # noqa: F401 - registers its e-mail kinds and task
            messaging,
        )
        from .portal import prefill, tasks  # noqa: F401  (Mijn loket: prefill source, tasks)

        # Request and task logs name the one dossier they were about.
        log_references_of(self.get_model("Dossier"))
