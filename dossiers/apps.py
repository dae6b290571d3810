from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from core.logging import log_references_of
        from forms_builder.submission import submit_handlers

        # The procedure stages offer themselves to every form's settings; the inbox's
        # GeoJSON export of places (location answers) is one more export format.
        # A withdrawn or refused application's open payments are settled (refunds).
        from . import (
            checks,  # noqa: F401 - the database checks (forms outside every site)
            export_places,  # noqa: F401
            stages,  # noqa: F401
            workflow,
        )

        # Each feature registers its kinds of e-mail (outbox), its Celery tasks and its
        # prefill source when imported.
        from .advice import emails as advice_emails  # noqa: F401
        from .advice import tasks as advice_tasks  # noqa: F401
        from .api import tasks as api_tasks  # noqa: F401
        from .appointments import emails as appointment_emails  # noqa: F401
        from .appointments import services as appointment_services  # noqa: F401
        from .appointments import tasks as appointment_tasks  # noqa: F401

        # Enterprise number fields look companies up in the imported KBO open data.
        from .companies import lookup  # noqa: F401
        from .feedback import emails as feedback_emails  # noqa: F401
        from .information import emails as information_emails  # noqa: F401
        from .information import tasks as information_tasks  # noqa: F401
        from .messages import emails as message_emails  # noqa: F401
        from .payments import emails as payment_emails  # noqa: F401
        from .payments import providers, received_emails, refund_emails, refunds  # noqa: F401
        from .payments import tasks as payment_tasks  # noqa: F401
        from .permits import emails as permit_emails  # noqa: F401

        # Address questions "only in this municipality" use the imported address register.
        from .places import register as address_register  # noqa: F401
        from .portal import emails as portal_emails  # noqa: F401
        from .portal import prefill, tasks  # noqa: F401
        from .privacy import tasks as privacy_tasks  # noqa: F401
        from .proactive import emails as proactive_emails  # noqa: F401
        from .proactive import tasks as proactive_tasks  # noqa: F401

        # Reports: the categories for the report form, their e-mails, merged reports
        # following the one they were merged into.
        from .reports import categories as report_categories  # noqa: F401
        from .reports import emails as report_emails  # noqa: F401
        from .reports import services as report_services
        from .routing import emails as routing_emails  # noqa: F401

        if report_services.after_transition not in workflow.listeners:
            workflow.listeners.append(report_services.after_transition)
        if refunds.after_transition not in workflow.listeners:
            workflow.listeners.append(refunds.after_transition)

        # E-mail texts, decision letters and report categories per municipality: Wagtail
        # asks these policies about each object (registered before any default one).
        from .admin.site_snippets import register_site_policies

        register_site_policies()

        # Finished applications from the form wizard become dossiers.
        from .services import DossierSubmitHandler

        submit_handlers.register(DossierSubmitHandler)

        # The nightly storage reconciliation (core.reconcile) keeps the attachments' files.
        from core.reconcile import file_references

        from .models.attachment import AttachmentFiles

        file_references.register(AttachmentFiles)

        # Webhooks: every event of a subscribed kind writes its deliveries (the outbox).
        from django.db.models.signals import post_save

        from .webhooks.events import on_event_saved

        post_save.connect(
            on_event_saved, sender=self.get_model("Event"), dispatch_uid="dossiers.webhooks"
        )

        # Ongoing affairs in the Flemish portals: public status changes, when configured.
        from .affairs.events import on_event_saved as publish_affair_of

        post_save.connect(
            publish_affair_of, sender=self.get_model("Event"), dispatch_uid="dossiers.affairs"
        )

        # A decision letter goes on paper or into the eBox too when the recipient chose so.
        from .correspondence import printing as letter_printing
        from .outbox import letters as decision_letters

        decision_letters.decision_letter_made.connect(
            letter_printing.on_decision_letter_made, dispatch_uid="dossiers.correspondence"
        )

        # Request and task logs name the one dossier they were about.
        log_references_of(self.get_model("Dossier"))
