"""The finance staff's screens in the Wagtail admin (menu "Financiën"): bank
statements (upload, lines, matching by hand), payments (with the accounting export),
refunds and payouts (approving grants, payout batches). Request handling only: the
work is in :mod:`dossiers.payments` (statements, refunds, grants, payouts,
finance_export).

Only finance staff (:func:`dossiers.payments.access.is_finance`) see these screens.
They show of a dossier only its reference, amount and status, never a link to it:
finance staff are no officers, and the dossier view stays closed to them. Each screen
shows only the money of the municipalities of the user (:mod:`dossiers.payments.access`).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from dossiers.admin.payments import amount_field
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    Grant,
    GrantState,
    LineState,
    PaymentRequest,
    Refund,
    StatementLine,
)
from dossiers.payments import access, finance_export, grants, payouts, refunds
from dossiers.payments.services import MAX_TEXT
from dossiers.payments.statements import services as statements

#: How many rows a list shows (the newest).
ROWS = 200


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Statement file (CODA or camt.053)"),
        help_text=gettext_lazy("The file as your bank gives it, e.g. .cod or .xml."),
    )


class MatchForm(forms.Form):
    target = forms.CharField(
        label=gettext_lazy("Structured communication or dossier reference"),
        max_length=40,
        help_text=gettext_lazy("For example +++090/0000/00151+++ or INN-2026-00012."),
    )


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(
        label=gettext_lazy("File"), choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")]
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data


class RefundForm(forms.Form):
    target = MatchForm.base_fields["target"]
    amount = amount_field(label=gettext_lazy("Amount in euro"))
    note = forms.CharField(
        label=gettext_lazy("Why is the money paid back?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BatchForm(forms.Form):
    execution_date = forms.DateField(
        label=gettext_lazy("Execution date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for today."),
    )


def _first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Check the form.")


class FinanceView(WagtailAdminTemplateMixin, TemplateView):
    """A finance screen: only for finance staff; every POST names its ``action`` and
    redirects back with a message."""

    header_icon = "doc-full"
    #: The URL name to go back to after a POST.
    url_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not access.is_finance(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def post(self, request, *args, **kwargs):
        handler = getattr(self, f"do_{request.POST.get('action', '')}", None)
        if handler is None:
            messages.error(request, _("Choose what to do."))
        else:
            try:
                text = handler(request)
            except ActionRefused as exc:
                messages.error(request, str(exc))
            else:
                if text:
                    messages.success(request, text)
        return redirect(request.path)


class StatementsView(FinanceView):
    template_name = "dossiers/admin/finance/statements.html"
    page_title = gettext_lazy("Bank statements")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            upload_form=UploadForm(),
            match_form=MatchForm(),
            statements=access.visible_statements(self.request.user).select_related("uploaded_by")[
                :ROWS
            ],
            unmatched=StatementLine.objects.filter(
                state=LineState.UNMATCHED,
                statement__in=access.visible_statements(self.request.user),
            )[:ROWS],
        )
        return context

    def do_upload(self, request) -> str:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ActionRefused(_first_error(form))
        upload = form.cleaned_data["file"]
        if upload.size > statements.MAX_FILE_SIZE:
            raise ActionRefused(_("The file is too large for a bank statement."))
        result = statements.import_statement(
            content=upload.read(), filename=upload.name, user=request.user
        )
        counts = ", ".join(
            f"{LineState(state).label}: {count}" for state, count in sorted(result.states.items())
        )
        text = _("The statement is read. %(counts)s.") % {"counts": counts or _("no new lines")}
        if result.skipped:
            text += " " + _("%(count)d line(s) were booked before and were skipped.") % {
                "count": result.skipped
            }
        return text

    def do_match(self, request) -> str:
        line_id = request.POST.get("line", "")
        lines = StatementLine.objects.filter(statement__in=access.visible_statements(request.user))
        line = lines.filter(pk=int(line_id)).first() if line_id.isdigit() else None
        form = MatchForm(request.POST)
        if line is None or not form.is_valid():
            raise ActionRefused(_first_error(form) if line else _("This line does not exist."))
        payment_request = statements.find_request(form.cleaned_data["target"], request.user)
        if payment_request is None:
            raise ActionRefused(_("No payment request has this communication or reference."))
        state = statements.match_by_hand(line, payment_request, request.user)
        return _("The line is booked to %(reference)s: %(state)s.") % {
            "reference": payment_request.dossier.reference,
            "state": LineState(state).label,
        }


class StatementView(FinanceView):
    template_name = "dossiers/admin/finance/statement.html"
    page_title = gettext_lazy("Bank statement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = get_object_or_404(access.visible_statements(self.request.user), pk=kwargs["pk"])
        context.update(
            statement=statement,
            lines=statement.lines.select_related(
                "payment_request__dossier", "grant__dossier", "matched_by"
            ),
        )
        return context


class PaymentsView(FinanceView):
    template_name = "dossiers/admin/finance/payments.html"
    page_title = gettext_lazy("Payments")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            payment_requests=access.by_dossier_site(
                self.request.user, PaymentRequest.objects.select_related("dossier")
            ).order_by("-created_at", "-pk")[:ROWS],
            period_form=PeriodForm(
                initial={"start": today.replace(day=1), "end": today, "format": "xlsx"}
            ),
        )
        return context


class ExportView(FinanceView):
    """The accounting export of a period (GET: from, to, format)."""

    def get(self, request, *args, **kwargs):
        form = PeriodForm(request.GET)
        if not form.is_valid():
            messages.error(request, _first_error(form))
            return redirect("finance_payments")
        data = form.cleaned_data
        found = finance_export.rows(data["start"], data["end"], user=request.user)
        if data["format"] == "csv":
            content = finance_export.as_csv(found)
            content_type = "text/csv; charset=utf-8"
        else:
            content = finance_export.as_xlsx(found)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=content_type)
        filename = f"financien-{data['start']:%Y-%m-%d}-{data['end']:%Y-%m-%d}.{data['format']}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response


class RefundsView(FinanceView):
    template_name = "dossiers/admin/finance/refunds.html"
    page_title = gettext_lazy("Refunds")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            refunds=access.by_dossier_site(
                self.request.user, Refund.objects.select_related("dossier", "payment_request")
            )[:ROWS],
            refund_form=RefundForm(),
        )
        return context

    def do_record(self, request) -> str:
        form = RefundForm(request.POST)
        if not form.is_valid():
            raise ActionRefused(_first_error(form))
        payment_request = statements.find_request(form.cleaned_data["target"], request.user)
        if payment_request is None:
            raise ActionRefused(_("No payment request has this communication or reference."))
        refunds.refund_payment(
            payment_request, request.user, form.cleaned_data["amount"], form.cleaned_data["note"]
        )
        return _("The refund is recorded.")

    def do_advance(self, request) -> str:
        chosen = request.POST.get("refund", "")
        mine = access.by_dossier_site(request.user, Refund.objects.all())
        refund = mine.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if refund is None:
            raise ActionRefused(_("This refund does not exist."))
        refund = refunds.advance(refund, request.user)
        return _("The refund is now: %(state)s.") % {"state": refund.get_state_display()}


class PayoutsView(FinanceView):
    template_name = "dossiers/admin/finance/payouts.html"
    page_title = gettext_lazy("Payouts")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        mine = access.by_dossier_site(user, Grant.objects.select_related("dossier"))
        waiting = mine.filter(state=GrantState.GRANTED)
        context.update(
            waiting=[(grant, grants.can_approve(user, grant)) for grant in waiting],
            approved=mine.filter(state=GrantState.APPROVED),
            batches=access.visible_batches(user)
            .defer("xml")
            .select_related("created_by", "site")[:ROWS],
            batch_form=BatchForm(),
        )
        return context

    def do_approve(self, request) -> str:
        chosen = request.POST.get("grant", "")
        mine = access.by_dossier_site(request.user, Grant.objects.all())
        grant = mine.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if grant is None:
            raise ActionRefused(_("This grant does not exist."))
        grants.approve(grant, request.user)
        return _("The grant of %(reference)s is approved.") % {"reference": grant.dossier.reference}

    def do_batch(self, request) -> str:
        form = BatchForm(request.POST)
        if not form.is_valid():
            raise ActionRefused(_first_error(form))
        made = payouts.create_batches(
            request.user, execution_date=form.cleaned_data["execution_date"]
        )
        return " ".join(
            _("The payout batch %(id)s is made: %(count)d transfer(s). Download it below.")
            % {"id": batch.message_id, "count": batch.count}
            for batch in made
        )


class BatchDownloadView(FinanceView):
    def get(self, request, *args, **kwargs):
        batch = get_object_or_404(access.visible_batches(request.user), pk=kwargs["pk"])
        try:
            content = payouts.batch_file(batch)
        except ActionRefused as exc:
            messages.error(request, str(exc))
            return redirect("finance_payouts")
        response = HttpResponse(content, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{batch.message_id}.xml"'
        response["Cache-Control"] = "private, no-store"
        return response


class FinanceMenuItem(MenuItem):
    """An item of the "Financiën" menu, for finance staff only."""

    def is_shown(self, request):
        return access.is_finance(request.user)


class FinanceSubmenu(SubmenuMenuItem):
    """The "Financiën" menu, for finance staff only."""

    def is_shown(self, request):
        return access.is_finance(request.user)
