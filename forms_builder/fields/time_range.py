"""A time range on one day (from ... to ...): the opening hours of an event day."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .base import FieldType
from .datetime_types import TIME_INPUT_FORMATS, show_time
from .registry import register
from .widgets import LabelledMultiWidget


class TimeRangeWidget(LabelledMultiWidget):
    def __init__(self, attrs=None):
        def time_input():
            return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

        super().__init__(
            {
                "start": (_("Start time"), time_input(), False),
                "end": (_("End time"), time_input(), False),
            },
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("start"), value.get("end")]
        if isinstance(value, str) and value.count("-") == 1:
            # As in an export or a prefill link: 14:00-18:00.
            return value.split("-")
        return [None, None]


class TimeRangeFormField(forms.MultiValueField):
    """A start and an end time on one day; cleans to ``{"start": time, "end": time}``."""

    default_error_messages = {"required": _("Enter the start time and the end time.")}

    def __init__(self, **kwargs):
        def part(incomplete):
            return forms.TimeField(
                input_formats=TIME_INPUT_FORMATS,
                error_messages={"incomplete": incomplete, "invalid": _("Enter a time like 14:30.")},
            )

        fields = (part(_("Enter the start time.")), part(_("Enter the end time.")))
        kwargs.setdefault("widget", TimeRangeWidget())
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        start, end = data_list
        if end <= start:
            raise ValidationError(
                _("Enter an end time that is after the start time."), code="end_before_start"
            )
        return {"start": start, "end": end}


@register
class TimeRangeField(FieldType):
    """From ... to ... on one day (opening hours of an event day). The end must be
    after the start: a period across midnight is two answers (or a date range).

    In formulas the answer is its length in hours (14:00 to 18:30 gives 4.5), e.g.
    for a rate per hour.
    """

    type_id = "time_range"
    label = _("Time range (from ... to ...)")
    icon = "time"
    form_field_class = TimeRangeFormField

    def to_json(self, value, field):
        if not value:
            return None
        return {key: value[key].isoformat(timespec="minutes") for key in ("start", "end")}

    def from_json(self, value, field):
        if not isinstance(value, dict):
            return None
        return {key: datetime.time.fromisoformat(value[key]) for key in ("start", "end")}

    def formula_value(self, value, field):
        if not isinstance(value, dict):
            return None
        start, end = (datetime.time.fromisoformat(value[key]) for key in ("start", "end"))
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        return Decimal(minutes) / Decimal(60)

    def display(self, value, field):
        if not value:
            return ""
        start, end = (datetime.time.fromisoformat(value[key]) for key in ("start", "end"))
        return gettext("%(start)s to %(end)s") % {"start": show_time(start), "end": show_time(end)}

    def export(self, value, field):
        return f"{value['start']}-{value['end']}" if value else ""

    def sample_value(self, field):
        return {"start": "14:00", "end": "18:00"}
