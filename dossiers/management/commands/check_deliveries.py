"""``manage.py check_deliveries``: read the bounce files in ``LOKET_BOUNCE_DIR`` (or the
folder given) and ask the eBox about letters not yet confirmed; what bounced for good or
was not confirmed in time goes into the next print batch (docs/OPERATIONS.md, "Letters
on paper or in the eBox"). Celery beat runs the same every 15 minutes."""

from django.core.management.base import BaseCommand

from dossiers.correspondence import bounces, printing


class Command(BaseCommand):
    help = "Read bounce files and check eBox confirmations; failed letters go on paper."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bounces", default=None, help="The folder with bounce files (LOKET_BOUNCE_DIR)."
        )

    def handle(self, *args, **options):
        recorded, unknown = bounces.process_bounce_folder(options.get("bounces"))
        confirmed, unconfirmed = printing.check_ebox_deliveries()
        self.stdout.write(
            f"Bounces read: {recorded} (not ours: {unknown}). "
            f"eBox: {confirmed} confirmed, {unconfirmed} not confirmed in time (on paper now)."
        )
