"""Number field types with decimals: a decimal number and an amount in euro.

Answers are stored as strings with a dot ("1234.50"), so no precision is lost in JSON.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import FieldType
from .number import unit_block
from .registry import register
from .widgets import UnitTextInput, label_with_unit, unit_of, with_unit

_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def _decimal_mark(text: str) -> str | None:
    """Which separator in ``text`` (spaces removed) marks the decimals, if any."""
    if "," in text and "." in text:
        return "," if text.rfind(",") > text.rfind(".") else "."
    for mark in (",", "."):
        if text.count(mark) > 1:
            return None  # used more than once: it separates thousands
    if "," in text:
        return ","
    if "." in text:
        decimals = text.rsplit(".", 1)[1]
        if len(decimals) == 3 and formats.get_format("DECIMAL_SEPARATOR") == ",":
            return None  # "1.500" is fifteen hundred in Dutch
        return "."
    return None


def parse_decimal(text: str) -> Decimal:
    """The number an applicant typed, written the Belgian or the English way.

    "1.234,50", "1234,50", "1 234,50", "1,234.50" and "€ 1234.5" all give 1234.5. With
    both separators the last one marks the decimals; a separator used more than once
    separates thousands (in groups of three); a lone one marks the decimals, except a
    dot before exactly three digits in a language that writes decimals with a comma.
    Django's localized parsing only knows the active language's separators, and
    applicants use both. Raises ``ValueError``.
    """
    text = re.sub(r"[\s\u00a0\u202f'€]", "", text)
    mark = _decimal_mark(text)
    whole, fraction = text.rsplit(mark, 1) if mark else (text, None)
    thousands = "." if mark == "," else ","
    if mark is None and "." in whole:
        thousands = "."
    if thousands in whole:
        if not re.fullmatch(rf"[+-]?\d{{1,3}}({re.escape(thousands)}\d{{3}})+", whole):
            raise ValueError(text)
        whole = whole.replace(thousands, "")
    number = whole if fraction is None else f"{whole}.{fraction}"
    if len(number) > 30 or not _PLAIN_NUMBER.fullmatch(number):
        raise ValueError(text)
    try:
        return Decimal(number)
    except InvalidOperation as error:
        raise ValueError(text) from error


class DecimalNumberFormField(forms.DecimalField):
    """A DecimalField that reads numbers as :func:`parse_decimal` does."""

    default_error_messages = {"invalid": _("Enter a number, like 12.5.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class DecimalNumberField(FieldType):
    """Shared behaviour of the decimal number types; not registered itself."""

    form_field_class = DecimalNumberFormField
    #: Messages for the editor's limits; they take ``%(limit)s``.
    too_small_message = _("Enter a number of at least %(limit)s.")
    too_large_message = _("Enter a number of at most %(limit)s.")

    def limit_blocks(self) -> list[tuple[str, blocks.Block]]:
        return [
            ("min_value", blocks.FloatBlock(label=_("Minimum"), required=False)),
            ("max_value", blocks.FloatBlock(label=_("Maximum"), required=False)),
        ]

    def decimal_places(self, field: dict) -> int:
        """How many decimals an answer may have."""
        raise NotImplementedError

    def limits(self, field: dict) -> tuple[Decimal | None, Decimal | None]:
        options = field.get("options", {})
        return tuple(
            None if options.get(key) is None else Decimal(str(options[key]))
            for key in ("min_value", "max_value")
        )

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        places = self.decimal_places(field)
        minimum, maximum = self.limits(field)
        kwargs["widget"] = forms.TextInput(attrs={"inputmode": "decimal"})
        kwargs["localize"] = True  # show the applicant's earlier answer as "1234,50"
        kwargs["decimal_places"] = places
        kwargs["error_messages"] = {"max_decimal_places": self.decimal_places_message(places)}
        kwargs["validators"] = [self.limit_validator(minimum, maximum)]
        return kwargs

    def decimal_places_message(self, places: int) -> str:
        if places == 0:
            return gettext("Enter a whole number, without decimals.")
        return ngettext(
            "Enter a number with at most one decimal.",
            "Enter a number with at most %(count)d decimals.",
            places,
        ) % {"count": places}

    def limit_validator(self, minimum: Decimal | None, maximum: Decimal | None):
        def validate(value: Decimal) -> None:
            if minimum is not None and value < minimum:
                raise ValidationError(
                    self.too_small_message, code="min_value", params={"limit": self.show(minimum)}
                )
            if maximum is not None and value > maximum:
                raise ValidationError(
                    self.too_large_message, code="max_value", params={"limit": self.show(maximum)}
                )

        return validate

    def show(self, value: Decimal) -> str:
        """A number as people read it in the active language: "1.234,5" in Dutch."""
        return formats.number_format(value, force_grouping=True)

    def to_json(self, value, field):
        return None if value is None else format(value, "f")

    def from_json(self, value, field):
        return None if value in (None, "") else Decimal(value)

    def formula_value(self, value, field):
        return None if value in (None, "") else Decimal(value)

    def display(self, value, field):
        return "" if value in (None, "") else self.show(Decimal(value))

    def export(self, value, field):
        return "" if value in (None, "") else value


@register
class DecimalField(DecimalNumberField):
    type_id = "decimal"
    #: A number cell in typed exports (XLSX).
    export_kind = "number"
    label = _("Number with decimals")
    icon = "decimal"

    def option_blocks(self):
        return self.limit_blocks() + [
            ("unit", unit_block()),
            (
                "decimal_places",
                blocks.IntegerBlock(
                    label=_("Decimals"),
                    required=False,
                    min_value=0,
                    max_value=6,
                    help_text=_("How many digits after the comma an answer may have. Default: 2."),
                ),
            ),
        ]

    def decimal_places(self, field):
        places = field.get("options", {}).get("decimal_places")
        return 2 if places is None else places

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        kwargs["widget"] = UnitTextInput(attrs={"inputmode": "decimal"})
        kwargs["widget"].unit = unit_of(field)
        return kwargs

    def display(self, value, field):
        return with_unit(super().display(value, field), field)

    def export_heading(self, field):
        return label_with_unit(super().export_heading(field), field)

    def sample_value(self, field):
        return "12.50"


@register
class AmountField(DecimalNumberField):
    type_id = "amount"
    #: An amount in euro in typed exports (XLSX).
    export_kind = "amount"
    label = _("Amount in euro")
    icon = "decimal"
    too_small_message = _("Enter an amount of at least %(limit)s.")
    too_large_message = _("Enter an amount of at most %(limit)s.")

    def option_blocks(self):
        return [
            (
                "min_value",
                blocks.FloatBlock(
                    label=_("Minimum amount"),
                    required=False,
                    help_text=_("Leave empty to accept any amount from € 0."),
                ),
            ),
            ("max_value", blocks.FloatBlock(label=_("Maximum amount"), required=False)),
        ]

    def decimal_places(self, field):
        return 2

    def limits(self, field):
        minimum, maximum = super().limits(field)
        return (Decimal(0) if minimum is None else minimum), maximum

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        kwargs["error_messages"] = {
            "invalid": _("Enter an amount in euro, like 1,234.50."),
            "max_decimal_places": _("Enter an amount with at most 2 decimals, like 1,234.50."),
        }
        return kwargs

    def show(self, value):
        return "€ " + formats.number_format(value, decimal_pos=2, force_grouping=True)

    def to_json(self, value, field):
        return None if value is None else format(value.quantize(Decimal("0.01")), "f")

    def sample_value(self, field):
        return "1250.00"
