"""Write an application form to a JSON document that another installation can import."""

from django.core.management.base import BaseCommand, CommandError

from forms_builder.models import ApplicationFormPage
from forms_builder.transfer import dumps_document, export_form


class Command(BaseCommand):
    help = "Export an application form (by page id or slug) as a JSON document."

    def add_arguments(self, parser):
        parser.add_argument("page", help="The id or the slug of the form page.")
        parser.add_argument(
            "-o", "--output", help="Write to this file instead of to standard output."
        )

    def handle(self, *args, page, output=None, **options):
        form = self.find_form(page)
        text = dumps_document(export_form(form))
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Exported “{form.title}” (page {form.pk}) to {output}.")
        else:
            self.stdout.write(text, ending="")

    def find_form(self, page: str) -> ApplicationFormPage:
        if page.isdigit():
            form = ApplicationFormPage.objects.filter(pk=int(page)).first()
            if form is None:
                raise CommandError(f"No application form has id {page}.")
            return form
        forms = list(ApplicationFormPage.objects.filter(slug=page)[:2])
        if not forms:
            raise CommandError(f"No application form has the slug “{page}”.")
        if len(forms) > 1:
            raise CommandError(f"Several forms have the slug “{page}”: give the page id instead.")
        return forms[0]
