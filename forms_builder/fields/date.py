"""Date field types, and the earliest and latest date editors can allow.

A limit is a fixed date (``earliest``, ``latest``: ISO dates), a number of days from
the day the applicant fills in the form (``earliest_days_from_today``,
``latest_days_from_today``), or both; when both are set, the stricter one counts.

A date field can also ask for a lead time: the earliest date counted in working days
(``earliest_in_working_days``: no weekends, Belgian public holidays or closing days,
see :mod:`forms_builder.workdays`), a number of days chosen by earlier answers
(``lead_time_formula``, e.g. ``60 if bezoekers > 500 else 20``) and the editor's own
message for a date that is too early (``too_early_message``). Instead of refusing a
date before the lead time, the editor can accept it and mark the application late
(``when_too_early``: ``mark_late``; see :mod:`forms_builder.procedure`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .. import logic, workdays
from .base import FieldType
from .date_parts import DatePartsFormField
from .registry import register

#: How a date is asked (option ``date_style``): picked in the browser's calendar, or
#: typed in three boxes (:mod:`.date_parts`) for a date the applicant knows.
DATE_STYLES = [
    ("pick", _("A date to choose (calendar)")),
    ("known", _("A date the applicant knows (day, month, year)")),
]
#: What applicants may type when their browser shows a text box instead of a date picker.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


class ISOValueBlockMixin:
    """Keeps a date or time setting as ISO text ("2025-06-30", "09:00").

    A form's schema is plain JSON (it is hashed and frozen on every dossier), and
    Wagtail's DateBlock and TimeBlock would put date and time objects into it.
    """

    def to_iso(self, value) -> str:
        return value.isoformat()

    def from_iso(self, value: str):
        raise NotImplementedError

    def to_python(self, value):
        return self.value_from_form(value)

    def value_from_form(self, value):
        # Raw text from the admin widget passes through; clean() hands us a date/time.
        if isinstance(value, datetime.date | datetime.time):
            return self.to_iso(value)
        return value or None

    def value_for_form(self, value):
        if isinstance(value, str):
            try:
                return self.from_iso(value)
            except ValueError:
                return value  # typed in the admin's own format: the form field reads it
        return value


class ISODateBlock(ISOValueBlockMixin, blocks.DateBlock):
    """A DateBlock whose value is an ISO date string."""

    def from_iso(self, value):
        return datetime.date.fromisoformat(value)


def date_limit_blocks() -> list[tuple[str, blocks.Block]]:
    """The editor settings for the earliest and latest date an applicant may enter."""
    return [
        (
            "earliest",
            ISODateBlock(
                label=_("Earliest date"),
                required=False,
                help_text=_("A fixed date. Leave empty if there is no fixed earliest date."),
            ),
        ),
        (
            "earliest_days_from_today",
            blocks.IntegerBlock(
                label=_("Earliest date, in days from today"),
                required=False,
                help_text=_(
                    "0 is the day the applicant fills in the form, 14 is two weeks later, "
                    "-30 is 30 days before. If you also set a fixed date, the later date counts."
                ),
            ),
        ),
        (
            "latest",
            ISODateBlock(
                label=_("Latest date"),
                required=False,
                help_text=_("A fixed date. Leave empty if there is no fixed latest date."),
            ),
        ),
        (
            "latest_days_from_today",
            blocks.IntegerBlock(
                label=_("Latest date, in days from today"),
                required=False,
                help_text=_(
                    "0 is the day the applicant fills in the form, 365 is a year later. "
                    "If you also set a fixed date, the earlier date counts."
                ),
            ),
        ),
    ]


def lead_time_blocks() -> list[tuple[str, blocks.Block]]:
    """The editor settings for a lead time: working days, a table, the message."""
    return [
        (
            "earliest_in_working_days",
            blocks.BooleanBlock(
                label=_("Count the days from today in working days"),
                required=False,
                default=False,
                help_text=_(
                    "Skips Saturdays, Sundays, Belgian public holidays and the closing days "
                    "of the municipality (Settings → Closing days)."
                ),
            ),
        ),
        (
            "lead_time_formula",
            blocks.TextBlock(
                label=_("Earliest date, days from today by earlier answers"),
                required=False,
                default="",
                rows=2,
                help_text=_(
                    "A formula over earlier answers that gives the number of days, e.g. "
                    "60 if bezoekers > 500 else 20, or "
                    '{"container": 5, "sportevenement": 30}[soort]. '
                    "Replaces the number of days from today when it can be computed."
                ),
            ),
        ),
        (
            "when_too_early",
            blocks.ChoiceBlock(
                label=_("When the date is earlier than the lead time"),
                choices=[
                    (REFUSE, _("Refuse the date, with the message below")),
                    (MARK_LATE, _("Accept it, but mark the application late")),
                ],
                default=REFUSE,
                required=False,
                help_text=_(
                    "A late application is marked late in the dossier; a calculation can "
                    "use te_laat, e.g. for a surcharge. A fixed earliest date is always "
                    "refused."
                ),
            ),
        ),
        (
            "too_early_message",
            blocks.TextBlock(
                label=_("Message when the date is too early"),
                required=False,
                default="",
                rows=2,
                help_text=_(
                    "E.g. “Vraag uw vergunning minstens 20 werkdagen vooraf aan.” Write "
                    "{datum} for the earliest possible date."
                ),
            ),
        ),
    ]


#: The longest lead time a formula may give, in days.
MAX_LEAD_DAYS = 3660
#: What happens to a date earlier than the lead time (``when_too_early``): refused, or
#: accepted with the application marked late (:mod:`forms_builder.procedure`).
REFUSE = "refuse"
MARK_LATE = "mark_late"


def lead_days(options: dict, earlier_values: dict | None) -> int | None:
    """The number of days from today to the earliest date: the formula's result when
    it can be computed on ``earlier_values``, else ``earliest_days_from_today``."""
    formula = options.get("lead_time_formula")
    if formula and earlier_values is not None:
        try:
            result = logic.evaluate(formula, earlier_values, today=timezone.localdate())
        except logic.EvaluationError:
            result = None
        if isinstance(result, Decimal) and result == result.to_integral_value():
            if abs(result) <= MAX_LEAD_DAYS:
                return int(result)
    return options.get("earliest_days_from_today")


def accepts_late(options: dict) -> bool:
    """Whether a date before the lead time is accepted, marked late."""
    return options.get("when_too_early") == MARK_LATE


def lead_time_date(options: dict, earlier_values: dict | None = None) -> datetime.date | None:
    """The earliest date the lead time allows (days from today, maybe working days and
    chosen by earlier answers), without the fixed earliest date; None without one."""
    days = lead_days(options, earlier_values)
    if days is None:
        return None
    today = timezone.localdate()
    if options.get("earliest_in_working_days"):
        return workdays.add_working_days(today, days, workdays.closing_days())
    return today + datetime.timedelta(days=days)


def date_limits(
    options: dict, earlier_values: dict | None = None, *, lead_time: bool = True
) -> tuple[datetime.date | None, datetime.date | None]:
    """The earliest and latest allowed date for these options, as of today; without the
    lead time when ``lead_time`` is False (a form that accepts late dates)."""
    today = timezone.localdate()

    def from_today(days: int, working: bool) -> datetime.date:
        if working:
            return workdays.add_working_days(today, days, workdays.closing_days())
        return today + datetime.timedelta(days=days)

    earliest, latest = [], []
    if options.get("earliest"):
        earliest.append(datetime.date.fromisoformat(options["earliest"]))
    days = lead_days(options, earlier_values) if lead_time else None
    if days is not None:
        earliest.append(from_today(days, bool(options.get("earliest_in_working_days"))))
    if options.get("latest"):
        latest.append(datetime.date.fromisoformat(options["latest"]))
    if options.get("latest_days_from_today") is not None:
        latest.append(from_today(options["latest_days_from_today"], False))
    return (max(earliest) if earliest else None, min(latest) if latest else None)


def too_early_text(options: dict, default):
    """The message for a date before the earliest one: the editor's own words
    (``{datum}`` becomes that date), else ``default``; both take ``%(date)s``."""
    message = (options.get("too_early_message") or "").strip()
    if not message:
        return default
    return message.replace("%", "%%").replace("{datum}", "%(date)s")


def show_date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def date_limit_validator(
    earliest: datetime.date | None,
    latest: datetime.date | None,
    too_early: str,
    too_late: str,
) -> Callable[[datetime.date], None]:
    """A validator refusing dates outside the limits; messages take ``%(date)s``."""

    def validate(value: datetime.date) -> None:
        if earliest is not None and value < earliest:
            raise ValidationError(too_early, code="too_early", params={"date": show_date(earliest)})
        if latest is not None and value > latest:
            raise ValidationError(too_late, code="too_late", params={"date": show_date(latest)})

    return validate


def date_input(earliest: datetime.date | None, latest: datetime.date | None) -> forms.DateInput:
    """A native date picker that offers only the allowed dates."""
    attrs = {"type": "date"}
    if earliest is not None:
        attrs["min"] = earliest.isoformat()
    if latest is not None:
        attrs["max"] = latest.isoformat()
    return forms.DateInput(attrs=attrs, format="%Y-%m-%d")


@register
class DateField(FieldType):
    type_id = "date"
    #: A date cell in typed exports (XLSX).
    export_kind = "day"
    label = _("Date")
    icon = "date"
    form_field_class = forms.DateField
    formula_options = ("lead_time_formula",)
    default_today = True

    def option_blocks(self):
        return [
            (
                "date_style",
                blocks.ChoiceBlock(
                    label=_("How the date is asked"),
                    choices=DATE_STYLES,
                    default="pick",
                    required=False,
                    help_text=_(
                        "A date the applicant knows (a date of birth, the start of the "
                        "business) is typed in three boxes: day, month, year. A date to "
                        "choose (an event, a start date) gets the browser's calendar."
                    ),
                ),
            ),
            *date_limit_blocks(),
            *lead_time_blocks(),
        ]

    def get_form_field(self, field, earlier_values=None):
        kwargs = self.get_form_field_kwargs(field, earlier_values)
        if field.get("options", {}).get("date_style") == "known":
            del kwargs["widget"], kwargs["input_formats"], kwargs["error_messages"]
            return DatePartsFormField(birthday=field.get("autocomplete") == "bday", **kwargs)
        return self.form_field_class(**kwargs)

    def get_form_field_kwargs(self, field, earlier_values=None):
        kwargs = super().get_form_field_kwargs(field)
        options = field.get("options", {})
        earliest, latest = date_limits(options, earlier_values, lead_time=not accepts_late(options))
        too_early = too_early_text(options, _("Enter a date on or after %(date)s."))
        kwargs["widget"] = date_input(earliest, latest)
        kwargs["input_formats"] = DATE_INPUT_FORMATS
        kwargs["error_messages"] = {"invalid": _("The date must be a real date, like 27/3/2026.")}
        kwargs["validators"] = [
            date_limit_validator(
                earliest,
                latest,
                too_early=too_early,
                too_late=_("Enter a date on or before %(date)s."),
            )
        ]
        return kwargs

    def to_json(self, value, field):
        return value.isoformat() if value else None

    def from_json(self, value, field):
        return datetime.date.fromisoformat(value) if value else None

    def formula_value(self, value, field):
        return datetime.date.fromisoformat(value) if value else None

    def can_be_late(self, field):
        return accepts_late(field.get("options") or {})

    def is_late(self, value, field, earlier_values):
        options = field.get("options") or {}
        if not accepts_late(options) or not isinstance(value, str):
            return False
        lead = lead_time_date(options, earlier_values)
        try:
            return lead is not None and datetime.date.fromisoformat(value) < lead
        except ValueError:
            return False

    def display(self, value, field):
        if not value:
            return ""
        return show_date(datetime.date.fromisoformat(value))

    def export(self, value, field):
        return value or ""

    def sample_value(self, field):
        earliest, latest = date_limits(field.get("options", {}))
        sample = max(earliest or timezone.localdate(), timezone.localdate())
        if latest is not None and sample > latest:
            sample = latest
        return sample.isoformat()
