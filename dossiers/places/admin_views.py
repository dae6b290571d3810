"""The address register screen (Settings → Address register), for administrators:
upload the register's file, see what is loaded and what earlier imports changed.

Request handling only; the import is :func:`dossiers.places.importer.import_addresses`.
It runs in the request: fine for one municipality's addresses. The file of the whole of
Flanders is better imported with ``manage.py import_addresses`` (docs/OPERATIONS.md).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_screens import AdministratorMenuItem, AdministratorScreen
from dossiers.models import AddressImport
from forms_builder.streets import current_register

from .importer import ImportRefused, current_counts, import_addresses

#: How many earlier imports the screen lists.
HISTORY_ROWS = 12


class AddressFileForm(forms.Form):
    addresses = forms.FileField(
        label=_("Address file (CSV or ZIP)"),
        help_text=_("The address register's open data file, as downloaded."),
    )
    municipality = forms.RegexField(
        label=_("Municipality (NIS code)"),
        regex=r"^\d{5}$",
        required=False,
        max_length=5,
        error_messages={"invalid": _("A NIS code has 5 digits, like 44021.")},
        help_text=_(
            "Only the addresses of this municipality. Empty: every municipality in the file."
        ),
    )


class AddressRegisterView(AdministratorScreen):
    """Administrators only: the import changes the addresses for every form."""

    template_name = "dossiers/admin/address_register.html"
    page_title = _("Address register")
    header_icon = "home"

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        history = list(AddressImport.objects.all()[:HISTORY_ROWS])
        if "form" not in context:
            last = next((run.municipality for run in history if run.municipality), "")
            context["form"] = AddressFileForm(initial={"municipality": last})
        address_register = current_register()
        context.update(
            history=history,
            counts=current_counts(),
            municipality=address_register.municipality() if address_register else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = AddressFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["addresses"]
        try:
            result = import_addresses(
                upload,
                municipality=form.cleaned_data["municipality"],
                file_name=upload.name,
                imported_by=request.user.get_username(),
            )
        except ImportRefused as error:
            form.add_error("addresses", str(error))
            return self.render_to_response(self.get_context_data(form=form))
        counts = result.counts
        messages.success(
            request,
            gettext(
                "Addresses imported: %(created)s new, %(updated)s changed, %(unchanged)s "
                "unchanged, %(retired)s retired."
            )
            % counts,
        )
        return redirect("dossiers_address_register")


class AddressRegisterMenuItem(AdministratorMenuItem):
    """ "Address register" under Settings, for administrators."""
