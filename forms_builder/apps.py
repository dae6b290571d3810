from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class FormsBuilderConfig(AppConfig):
    name = "forms_builder"
    verbose_name = _("Application forms")

    def ready(self):
        # Importing the package registers every field type module.
        from . import fields  # noqa: F401
        from .submission import check_submit_handler

        # Finished applications need somewhere to go (see forms_builder.submission).
        checks.register(check_submit_handler)
