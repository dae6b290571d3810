"""The questions of booking an appointment, one per page, and the person's details."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from dossiers.models import AppointmentType

from .slots import Slot

#: How a slot's start travels in the address: UTC, to the minute, never ambiguous (the
#: hour that happens twice in October has two different values).
START_FORMAT = "%Y%m%dT%H%MZ"


def start_to_text(start: dt.datetime) -> str:
    return start.astimezone(dt.UTC).strftime(START_FORMAT)


def text_to_start(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, START_FORMAT).replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None


def _radio(label, choices, required_message):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class TypeForm(forms.Form):
    type = forms.ChoiceField()

    def __init__(self, *args, types: list[AppointmentType], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"] = _radio(
            _("What is your appointment about?"),
            [(t.slug, f"{t.name} ({t.get_channel_display().lower()})") for t in types],
            _("Choose what your appointment is about."),
        )


class DayForm(forms.Form):
    day = forms.ChoiceField()

    def __init__(self, *args, days: list[dt.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"] = _radio(
            _("On which day?"),
            [(day.isoformat(), formats.date_format(day, "l j F Y")) for day in days],
            _("Choose a day."),
        )


class TimeForm(forms.Form):
    time = forms.ChoiceField()

    def __init__(self, *args, slots: list[Slot], zone, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (
                start_to_text(slot.start),
                f"{slot.start.astimezone(zone):%H:%M} – {slot.end.astimezone(zone):%H:%M}",
            )
            for slot in slots
        ]
        self.fields["time"] = _radio(_("At what time?"), choices, _("Choose a time."))


class DetailsForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the confirmation to this address."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.be."),
        },
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
        help_text=_("Needed when the appointment is by phone."),
    )
    company = forms.CharField(label=_("Your company"), max_length=200, required=False)
    question = forms.CharField(
        label=_("What do you want to discuss?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, needs_phone: bool = False, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        add_booking_questions(self, questions)
        if needs_phone:
            self.fields["phone"].required = True
            self.fields["phone"].error_messages["required"] = _("Enter your phone number.")
            self.fields["phone"].help_text = _("We call you on this number.")
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["company"].widget.attrs["autocomplete"] = "organization"


class QuestionForm(forms.Form):
    """What an invited applicant may add: the type's questions and what they want to
    discuss."""

    question = forms.CharField(
        label=_("Anything you want to tell us beforehand? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        question = self.fields.pop("question")
        add_booking_questions(self, questions)
        self.fields["question"] = question


def add_booking_questions(form: forms.Form, questions) -> None:
    """Add the appointment type's own questions to ``form`` (fields ``vraag_<id>``)."""
    form.booking_questions = list(questions)
    for question in form.booking_questions:
        field = forms.CharField(
            label=question.label,
            help_text=question.help_text,
            required=question.required,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}) if question.long_answer else None,
            error_messages={"required": _("Answer this question.")},
        )
        form.fields[f"vraag_{question.pk}"] = field


def booking_answers(form: forms.Form) -> list[dict]:
    """The answers to the type's questions, with the question's text of now."""
    return [
        {"question": question.label, "answer": form.cleaned_data.get(f"vraag_{question.pk}", "")}
        for question in getattr(form, "booking_questions", ())
        if form.cleaned_data.get(f"vraag_{question.pk}", "")
    ]
