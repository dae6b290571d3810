import logging

from django.core.management.base import BaseCommand

from cms.demo import DEMO_APPLICANT, DEMO_USERS, MUNICIPALITY_USERS, load_demo


class Command(BaseCommand):
    help = "Load the demo municipality 'Gemeente Voorbeeld' (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--one-municipality",
            action="store_true",
            help="Leave out the second municipality (Gemeente Anderzijds, docs/gemeenten.md).",
        )

    def handle(self, *args, **options):
        # Loading runs the sample dossiers' tasks in this process: hundreds of INFO lines
        # (tasks, PDFs, pages) would push the logins off the screen. Warnings still show;
        # -v 2 shows everything.
        if options["verbosity"] < 2:
            logging.disable(logging.INFO)
        try:
            load_demo(second_municipality=not options["one_municipality"])
        finally:
            logging.disable(logging.NOTSET)
        self.stdout.write(self.style.SUCCESS("Demo municipality 'Gemeente Voorbeeld' is ready."))
        self.stdout.write("Demo logins (demo only, never use these in production):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<12} {user.password:<20} {user.role}")
        self.stdout.write("Site: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/admin/")
        self.stdout.write(
            "Gemeente Anderzijds: http://anderzijds.localhost:8000/ (same admin); logins:"
        )
        for user in MUNICIPALITY_USERS:
            self.stdout.write(f"  {user.username:<22} {user.password:<17} {user.role}")
        self.stdout.write(
            f"Mijn loket: http://127.0.0.1:8000/mijn-loket/ with {DEMO_APPLICANT[2]} "
            "(the sign-in link arrives in var/mail/)"
        )
