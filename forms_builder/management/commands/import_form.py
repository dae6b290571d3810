"""Create a draft application form from a JSON document made by ``export_form``."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from forms_builder.transfer import import_form, read_document


class Command(BaseCommand):
    help = "Import an application form from a JSON document, as a draft under a parent page."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON document made by export_form.")
        parser.add_argument(
            "--parent", type=int, required=True, help="The id of the page to place the form under."
        )
        parser.add_argument("--slug", help="The slug of the new form (default: the file's).")
        parser.add_argument("--user", help="Username recorded as the form's owner and author.")

    def handle(self, *args, file, parent, slug=None, user=None, **options):
        parent_page = Page.objects.filter(pk=parent).first()
        if parent_page is None:
            raise CommandError(f"No page has id {parent}.")
        owner = None
        if user:
            owner = get_user_model().objects.filter(username=user).first()
            if owner is None:
                raise CommandError(f"No user is called “{user}”.")
        try:
            with open(file, "rb") as handle:
                document = read_document(handle.read())
            form = import_form(document, parent_page, slug=slug, user=owner)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(
            f"Imported “{form.title}” as a draft: page {form.pk} ({form.url_path}). "
            "Check it in the admin and publish it."
        )
