"""The yardstick's bare form (see __init__)."""

from django import forms
from django.shortcuts import redirect, render

CHOICES = [(value, value) for value in ("Brugge", "Gent", "Kortrijk", "Leuven", "Mechelen")]


class TenFieldForm(forms.Form):
    full_name = forms.CharField(label="Naam", max_length=255)
    email = forms.EmailField(label="E-mailadres")
    birth_date = forms.DateField(label="Geboortedatum")
    municipality = forms.ChoiceField(label="Gemeente", choices=CHOICES)
    motivation = forms.CharField(label="Motivatie", widget=forms.Textarea)
    agree = forms.BooleanField(label="Akkoord")
    household_size = forms.IntegerField(label="Gezinsgrootte")
    website = forms.URLField(label="Website", required=False)
    contact = forms.ChoiceField(
        label="Contact",
        choices=[("mail", "mail"), ("telefoon", "telefoon")],
        widget=forms.RadioSelect,
    )
    interests = forms.MultipleChoiceField(
        label="Interesses", choices=CHOICES, widget=forms.CheckboxSelectMultiple
    )


def bare_form(request):
    """A valid POST keeps the answers (the session: one row) and redirects."""
    if request.method == "POST":
        form = TenFieldForm(request.POST)
        if form.is_valid():
            request.session["answers"] = form.cleaned_data | {
                "birth_date": form.cleaned_data["birth_date"].isoformat()
            }
            return redirect("/bare/form/?verstuurd=1")
    else:
        form = TenFieldForm()
    return render(request, "yardstick/bare_form.html", {"form": form})
