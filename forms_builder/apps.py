from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class FormsBuilderConfig(AppConfig):
    name = "forms_builder"
    verbose_name = _("Application forms")

    def ready(self):
        # Importing the package registers every field type module.
        from django.db.models.signals import post_delete

        from . import fields  # noqa: F401
        from .drafts import delete_files_of_deleted_draft
        from .models import Draft
        from .submission import check_submit_handler

        # A draft's files go with it, however it is deleted (forms_builder.drafts);
        # importing drafts also registers its files with the storage reconciliation.
        post_delete.connect(delete_files_of_deleted_draft, sender=Draft, dispatch_uid="draft-files")

        # Finished applications need somewhere to go (see forms_builder.submission).
        checks.register(check_submit_handler)
