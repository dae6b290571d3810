"""The yardstick: a plain Django form of one step's worth of fields, in a plain view.

Its six fields are the plain-Django twins of the wizard step the benchmark measures
(short text, e-mail, whole number, date, single choice as radio buttons, yes/no), and
its template extends the same ``base.html`` and renders every field with the same
``theme/components/field.html``. A valid POST redirects, like a wizard step; with
``?bewaren=1`` it first keeps the answers in the session.

The POST the wizard is compared with is the one that keeps the answers: a step of a
multi-step form must keep what was typed somewhere on the server, and Django's own
answer for a plain view is the session (database-backed by default, as here). A POST
that throws the valid answers away is measured too, for context only: it stores
nothing, so it compares a form with half a form.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse

CHOICES = ["Stoep", "Plein", "Parking"]

#: Valid POST data for :class:`PlainForm` (the same answers the wizard step gets).
VALID_DATA = {
    "naam": "Café De Markt",
    "email": "an@cafedemarkt.be",
    "aantal": "12",
    "datum": "2030-06-01",
    "plaats": "Plein",
    "overdekt": "yes",
}


class PlainForm(forms.Form):
    naam = forms.CharField(label="Naam van de onderneming", max_length=200)
    email = forms.EmailField(label="Uw e-mailadres", help_text="We sturen de bevestiging.")
    aantal = forms.IntegerField(label="Aantal tafels", min_value=1, max_value=500)
    datum = forms.DateField(
        label="Vanaf wanneer?", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    plaats = forms.ChoiceField(
        label="Waar staat het terras?",
        choices=[(choice, choice) for choice in CHOICES],
        widget=forms.RadioSelect(),
    )
    overdekt = forms.TypedChoiceField(
        label="Is het terras overdekt?",
        choices=[("yes", "Ja"), ("no", "Nee")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect(),
    )


def plain_form_view(request):
    if request.method == "POST":
        form = PlainForm(request.POST)
        if form.is_valid():
            if "bewaren" in request.GET:
                # Keep the answers, as any step of a multi-step form must.
                answers = {name: form.data[name] for name in form.fields}
                request.session["bench-plain-form"] = answers
            return redirect(request.path + "?verstuurd=1")
    else:
        form = PlainForm()
    return TemplateResponse(
        request,
        "bench/plain_form.html",
        {"form": form, "title": "Uw terras", "step_number": 3, "step_count": 5},
    )
