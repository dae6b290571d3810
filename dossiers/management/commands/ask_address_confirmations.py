"""``manage.py ask_address_confirmations``: e-mail a confirmation link to every applicant
whose dossier's address is not proven yet.

Run once after upgrading to the release that made Mijn loket count only proven
addresses: dossiers sent before it are not proven, so they left their applicants' Mijn
loket (their status links keep working). Each applicant gets one link per dossier;
running it again sends nothing new while a link is still waiting
(:func:`dossiers.portal.confirmation.ask_again`).
"""

from django.core.management.base import BaseCommand

from dossiers.constants import Status
from dossiers.models import Dossier
from dossiers.portal import confirmation


class Command(BaseCommand):
    help = "E-mail a confirmation link for every dossier whose e-mail address is not proven."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count the dossiers that would get a link.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        unproven = (
            Dossier.objects.filter(email_verified_at__isnull=True)
            .exclude(applicant_email="")
            # Not sent yet (waits for its fee): it asks for proof once sent.
            .exclude(status=Status.AWAITING_PAYMENT)
            .order_by("pk")
        )
        if dry_run:
            self.stdout.write(f"{unproven.count()} dossier(s) without a proven address.")
            return
        sent = sum(confirmation.ask_again(dossier) for dossier in unproven.iterator())
        self.stdout.write(f"Confirmation links sent for {sent} dossier(s).")
