"""Time and period field types: a time of day, and a date range (from ... to ...)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import FieldType
from .date import (
    DATE_INPUT_FORMATS,
    ISOValueBlockMixin,
    accepts_late,
    date_input,
    date_limit_blocks,
    date_limit_validator,
    date_limits,
    lead_time_blocks,
    lead_time_date,
    show_date,
    too_early_text,
)
from .registry import register
from .widgets import LabelledMultiWidget

#: What applicants may type when their browser shows a text box instead of a time
#: picker: "14:30", "14.30", "14u30", "14u", "14".
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M", "%Hu%M", "%Hu", "%H"]


class ISOTimeBlock(ISOValueBlockMixin, blocks.TimeBlock):
    """A TimeBlock whose value is an "HH:MM" string."""

    def to_iso(self, value) -> str:
        return value.isoformat(timespec="minutes")

    def from_iso(self, value):
        return datetime.time.fromisoformat(value)


def show_time(value: datetime.time) -> str:
    return formats.time_format(value, "TIME_FORMAT")


def time_limit_validator(earliest: datetime.time | None, latest: datetime.time | None):
    """Refuses times outside [earliest, latest]; an earliest after the latest time
    means a window across midnight (22:00 to 06:00).

    Messages show the limits as "09:00", the way applicants are asked to type times.
    """

    def show_limit(value: datetime.time) -> str:
        return value.isoformat(timespec="minutes")

    def validate(value: datetime.time) -> None:
        if earliest is not None and latest is not None:
            if earliest <= latest:
                inside = earliest <= value <= latest
            else:
                inside = value >= earliest or value <= latest
            if not inside:
                raise ValidationError(
                    _("Enter a time between %(earliest)s and %(latest)s."),
                    code="outside_hours",
                    params={"earliest": show_limit(earliest), "latest": show_limit(latest)},
                )
        elif earliest is not None and value < earliest:
            raise ValidationError(
                _("Enter a time at or after %(time)s."),
                code="too_early",
                params={"time": show_limit(earliest)},
            )
        elif latest is not None and value > latest:
            raise ValidationError(
                _("Enter a time at or before %(time)s."),
                code="too_late",
                params={"time": show_limit(latest)},
            )

    return validate


@register
class TimeField(FieldType):
    type_id = "time"
    time_of_day = True
    label = _("Time")
    icon = "time"
    form_field_class = forms.TimeField

    def option_blocks(self):
        return [
            ("earliest", ISOTimeBlock(label=_("Earliest time"), required=False)),
            (
                "latest",
                ISOTimeBlock(
                    label=_("Latest time"),
                    required=False,
                    help_text=_(
                        "If the latest time is before the earliest time, the period runs "
                        "across midnight, e.g. from 22:00 to 06:00."
                    ),
                ),
            ),
        ]

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        options = field.get("options", {})
        earliest, latest = (
            datetime.time.fromisoformat(options[key]) if options.get(key) else None
            for key in ("earliest", "latest")
        )
        attrs = {"type": "time"}
        # A window across midnight cannot be told to the browser's time picker.
        across_midnight = earliest is not None and latest is not None and earliest > latest
        if earliest is not None and not across_midnight:
            attrs["min"] = earliest.isoformat(timespec="minutes")
        if latest is not None and not across_midnight:
            attrs["max"] = latest.isoformat(timespec="minutes")
        kwargs["widget"] = forms.TimeInput(attrs=attrs, format="%H:%M")
        kwargs["input_formats"] = TIME_INPUT_FORMATS
        kwargs["error_messages"] = {"invalid": _("Enter a time like 14:30.")}
        kwargs["validators"] = [time_limit_validator(earliest, latest)]
        return kwargs

    def to_json(self, value, field):
        return value.isoformat(timespec="minutes") if value else None

    def from_json(self, value, field):
        return datetime.time.fromisoformat(value) if value else None

    def display(self, value, field):
        return show_time(datetime.time.fromisoformat(value)) if value else ""

    def export(self, value, field):
        return value or ""

    def sample_value(self, field):
        earliest = field.get("options", {}).get("earliest")
        return earliest[:5] if earliest else "14:30"


class DateRangeWidget(LabelledMultiWidget):
    def __init__(self, earliest=None, latest=None, attrs=None):
        super().__init__(
            {
                "start": (_("Start date"), date_input(earliest, latest), False),
                "end": (_("End date"), date_input(earliest, latest), False),
            },
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("start"), value.get("end")]
        if isinstance(value, str) and value.count("/") == 1:
            # A period in ISO 8601 notation, as in a prefill link: 2025-06-01/2025-06-03.
            return value.split("/")
        return [None, None]


class DateRangeFormField(forms.MultiValueField):
    """A start and an end date; cleans to ``{"start": date, "end": date}``."""

    default_error_messages = {"required": _("Enter the start date and the end date.")}

    def __init__(
        self, *, earliest=None, latest=None, max_days=None, too_early_message="", **kwargs
    ):
        self.max_days = max_days

        def part(incomplete, too_early, too_late):
            # The editor's own message for a start before the lead time, if any.
            too_early = too_early_message or too_early
            return forms.DateField(
                input_formats=DATE_INPUT_FORMATS,
                error_messages={"incomplete": incomplete},
                validators=[date_limit_validator(earliest, latest, too_early, too_late)],
            )

        fields = (
            part(
                _("Enter the start date."),
                _("Enter a start date on or after %(date)s."),
                _("Enter a start date on or before %(date)s."),
            ),
            part(
                _("Enter the end date."),
                _("Enter an end date on or after %(date)s."),
                _("Enter an end date on or before %(date)s."),
            ),
        )
        kwargs.setdefault("widget", DateRangeWidget(earliest, latest))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        start, end = data_list
        if end < start:
            raise ValidationError(
                _("Enter an end date that is the same as or after the start date."),
                code="end_before_start",
            )
        if self.max_days and (end - start).days + 1 > self.max_days:
            raise ValidationError(
                ngettext(
                    "The period can be at most %(days)d day long.",
                    "The period can be at most %(days)d days long.",
                    self.max_days,
                ),
                code="too_long",
                params={"days": self.max_days},
            )
        return {"start": start, "end": end}


@register
class DateRangeField(FieldType):
    """A start and an end date. A lead time (:func:`lead_time_blocks`) counts for the
    start: the period may not start before it (or starts late, when the editor accepts
    that)."""

    type_id = "date_range"
    label = _("Period (from ... to ...)")
    icon = "calendar-alt"
    form_field_class = DateRangeFormField
    formula_options = ("lead_time_formula",)

    def option_blocks(self):
        return (
            date_limit_blocks()
            + lead_time_blocks()
            + [
                (
                    "max_days",
                    blocks.IntegerBlock(
                        label=_("Maximum length (days)"),
                        required=False,
                        min_value=1,
                        help_text=_(
                            "Counting the first and the last day. Leave empty for no limit."
                        ),
                    ),
                )
            ]
        )

    def get_form_field(self, field, earlier_values=None):
        return self.form_field_class(**self.get_form_field_kwargs(field, earlier_values))

    def get_form_field_kwargs(self, field, earlier_values=None):
        kwargs = super().get_form_field_kwargs(field)
        options = field.get("options", {})
        kwargs["earliest"], kwargs["latest"] = date_limits(
            options, earlier_values, lead_time=not accepts_late(options)
        )
        kwargs["max_days"] = options.get("max_days")
        kwargs["too_early_message"] = too_early_text(options, "")
        return kwargs

    def can_be_late(self, field):
        return accepts_late(field.get("options") or {})

    def is_late(self, value, field, earlier_values):
        options = field.get("options") or {}
        if not accepts_late(options) or not isinstance(value, dict):
            return False
        lead = lead_time_date(options, earlier_values)
        try:
            return lead is not None and datetime.date.fromisoformat(value["start"]) < lead
        except (KeyError, TypeError, ValueError):
            return False

    def to_json(self, value, field):
        if not value:
            return None
        return {"start": value["start"].isoformat(), "end": value["end"].isoformat()}

    def from_json(self, value, field):
        if not value:
            return None
        return {key: datetime.date.fromisoformat(value[key]) for key in ("start", "end")}

    def period(self, value, field):
        if not isinstance(value, dict):
            return None
        return tuple(datetime.date.fromisoformat(value[key]) for key in ("start", "end"))

    def display(self, value, field):
        if not value:
            return ""
        start, end = (datetime.date.fromisoformat(value[key]) for key in ("start", "end"))
        return gettext("%(start)s to %(end)s") % {"start": show_date(start), "end": show_date(end)}

    def export(self, value, field):
        # ISO 8601 notation of a period.
        return f"{value['start']}/{value['end']}" if value else ""

    def sample_value(self, field):
        options = field.get("options", {})
        earliest, latest = date_limits(options)
        start = max(earliest or timezone.localdate(), timezone.localdate())
        end = start + datetime.timedelta(days=min(2, (options.get("max_days") or 3) - 1))
        if latest is not None:
            start, end = min(start, latest), min(end, latest)
        return {"start": start.isoformat(), "end": end.isoformat()}
