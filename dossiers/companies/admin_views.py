"""The company register screen (Settings → Company register), for administrators:
upload a KBO open-data extract, see which extract is loaded and what it holds.

Request handling only; the import is :func:`dossiers.companies.importer.import_extract`.
The import runs in the request: fine for the monthly update and for the extract of one
municipality's area. The full extract of the country (about 300 MB zipped) is better
imported with ``manage.py import_kbo`` (docs/OPERATIONS.md).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_screens import AdministratorMenuItem, AdministratorScreen
from dossiers.models import RegisterExtract

from .importer import ImportRefused, configured_postcodes, current_counts, import_extract

#: How many earlier imports the screen lists.
HISTORY_ROWS = 12


class ExtractForm(forms.Form):
    extract = forms.FileField(
        label=_("Extract (ZIP)"),
        help_text=_("The ZIP file of the KBO open data, full or update, as downloaded."),
    )


class CompanyRegisterView(AdministratorScreen):
    """Administrators only: the import replaces the register for everyone."""

    template_name = "dossiers/admin/company_register.html"
    page_title = _("Company register")
    header_icon = "site"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ExtractForm())
        history = list(RegisterExtract.objects.all()[:HISTORY_ROWS])
        context.update(
            last=history[0] if history else None,
            history=history,
            counts=current_counts(),
            postcodes=sorted(configured_postcodes()),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ExtractForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            result = import_extract(
                form.cleaned_data["extract"], imported_by=request.user.get_username()
            )
        except ImportRefused as error:
            form.add_error("extract", str(error))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            gettext("Extract %(number)s of %(date)s imported.")
            % {
                "number": result.extract.number,
                "date": result.extract.snapshot_date.strftime("%d-%m-%Y"),
            },
        )
        return redirect("dossiers_company_register")


class CompanyRegisterMenuItem(AdministratorMenuItem):
    """ "Company register" under Settings, for administrators."""
