"""``manage.py add_municipality NAME HOSTNAME``: one more municipality on this installation."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.municipalities import add_municipality
from dossiers.models import Team


class Command(BaseCommand):
    help = (
        "Add a municipality: its site with a home page, the groups 'Redacteurs <name>', "
        "'Behandelaars <name>' and 'Teamleiders <name>', its team, its collection of "
        "images and documents, and its settings. See docs/gemeenten.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help='e.g. "Gemeente Anderzijds"')
        parser.add_argument("hostname", help="e.g. loket.anderzijds.be")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--code", default="", help="code in reference numbers, e.g. ANZ")
        parser.add_argument("--sender", default="", help="sender address of its e-mails")
        parser.add_argument("--creditor", default="", help="name of the account holder")
        parser.add_argument("--iban", default="", help="the account applicants pay into")
        parser.add_argument(
            "--regional-team", default="", help="name of a regional team that serves it too"
        )

    def handle(self, *args, **options):
        regional = None
        if options["regional_team"]:
            regional = Team.objects.filter(name=options["regional_team"]).first()
            if regional is None:
                raise CommandError(f'There is no team "{options["regional_team"]}".')
        try:
            made = add_municipality(
                name=options["name"],
                hostname=options["hostname"],
                port=options["port"],
                reference_code=options["code"],
                sender_email=options["sender"],
                creditor_name=options["creditor"],
                iban=options["iban"],
                regional_team=regional,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Added {made.site.site_name} at {made.site.hostname}: home page {made.home.pk}, "
            f"groups '{made.editors.name}', '{made.team.group.name}', team "
            f"'{made.team.name}', collection '{made.collection.name}'."
        )
