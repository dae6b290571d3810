"""Print batches (Reports → Letters on paper), for officers with the permission "Can
print paper letters": see the paper letters waiting in their municipalities (and why
each goes on paper), give one without an address its address, make a batch per
municipality, download it as one PDF, mark it sent after posting. Request handling
only: the work is in :mod:`dossiers.correspondence.batches`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from dossiers.export import CsvFormat

from . import batches
from .batch_pdf import batch_pdf as make_batch_pdf

#: How many batches the screen lists.
BATCH_ROWS = 20


def can_print(user) -> bool:
    return user.is_active and user.has_perm("dossiers.print_letters")


def _check(request):
    if not can_print(request.user):
        raise PermissionDenied


class PrintBatchesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "dossiers/admin/print_batches.html"
    page_title = _("Letters on paper")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        _check(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            waiting=list(batches.waiting_paper_letters(user).order_by("created_at", "pk")),
            batches=list(
                batches.visible_batches(user).select_related("created_by", "sent_by", "site")[
                    :BATCH_ROWS
                ]
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        if "letter" in request.POST:
            return self.give_address(request)
        made = batches.make_batches(request.user)
        if not made:
            messages.info(request, gettext("No letters with an address wait to be printed."))
        for batch in made:
            messages.success(
                request,
                gettext(
                    "Print batch %(batch)s made with %(count)s letter(s). Download it and print it."
                )
                % {"batch": batch.pk, "count": batch.letters.count()},
            )
        return redirect("dossiers_print_batches")

    def give_address(self, request):
        """The address of a waiting letter whose recipient gave none."""
        chosen = request.POST.get("letter", "")
        letter = batches.visible_letter(request.user, int(chosen)) if chosen.isdigit() else None
        address = request.POST.get("address", "").strip()
        if letter is None:
            messages.error(request, gettext("This letter does not wait to be printed."))
        elif not address or len(address) > 500 or len(address.splitlines()) > 6:
            messages.error(
                request,
                gettext("Give the name and address on at most 6 lines (at most 500 characters)."),
            )
        elif batches.set_address(letter, address):
            messages.success(
                request,
                gettext("The address of the letter of %(reference)s is saved.")
                % {"reference": letter.dossier.reference},
            )
        return redirect("dossiers_print_batches")


@require_safe
def batch_pdf(request, pk: int):
    _check(request)
    batch = get_object_or_404(batches.visible_batches(request.user), pk=pk)
    response = HttpResponse(make_batch_pdf(batch), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="printbatch-{batch.created_at:%Y%m%d-%H%M}-{batch.pk}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def batch_manifest(request, pk: int):
    """The batch's list for the mail room (the export's CSV format): per letter the
    dossier, the recipient's lines and when the letter was made."""
    _check(request)
    batch = get_object_or_404(batches.visible_batches(request.user), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="printbatch-{batch.created_at:%Y%m%d-%H%M}-{batch.pk}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    rows = (
        [
            letter.dossier.reference,
            " / ".join(letter.recipient.splitlines()),
            f"{letter.created_at:%Y-%m-%d %H:%M}",
        ]
        for letter in batch.letters.select_related("dossier").order_by("pk")
    )
    header = [gettext("Dossier"), gettext("Recipient"), gettext("Made at")]
    # The export's CSV: semicolons, a byte order mark, no formulas (CSV injection).
    response.write("".join(CsvFormat().stream(header, rows)))
    return response


@require_POST
def mark_sent(request, pk: int):
    _check(request)
    batch = get_object_or_404(batches.visible_batches(request.user), pk=pk)
    if batches.mark_sent(batch, request.user):
        messages.success(request, gettext("The batch is marked as sent."))
    else:
        messages.info(request, gettext("This batch was already marked as sent."))
    return redirect("dossiers_print_batches")


class PrintBatchesMenuItem(MenuItem):
    """ "Letters on paper" under Reports, for who may print them."""

    def is_shown(self, request):
        return can_print(request.user)
