"""Belgian identifiers and addresses: enterprise number, VAT number, IBAN, postal address.

python-stdnum checks the numbers (format and check digits); this module turns its
exceptions into messages applicants understand. Numbers are stored compact
("0403170701", "BE0403170701", "BE71096123456769") and shown the way people write them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from stdnum import iban

# python-stdnum has no module of its own for the enterprise number (KBO/BCE): it is the
# same number as the Belgian VAT number, which stdnum.be.vat checks.
from stdnum.be import vat as enterprise_number
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, InvalidFormat
from stdnum.exceptions import ValidationError as StdnumError
from wagtail import blocks

from . import postcodes
from .base import FieldType
from .local_address import LocalAddressOption
from .registry import register
from .widgets import LabelledMultiWidget


class StandardNumberFormField(forms.CharField):
    """A number checked by a python-stdnum ``validate`` function, cleaned compact.

    ``error_messages``: "invalid" for a number that is not written like one,
    "checksum" for one whose check digits do not match (a typing error).
    """

    default_error_messages = {
        "checksum": _("This number is not correct. Check it and try again."),
    }

    def __init__(self, *, validate_number: Callable[[str], str], **kwargs):
        self.validate_number = validate_number
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return self.empty_value
        try:
            return self.validate_number(value)
        except InvalidChecksum:
            raise ValidationError(self.error_messages["checksum"], code="checksum") from None
        except StdnumError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def format_enterprise_number(number: str) -> str:
    """An enterprise number the way people write it: 0403.170.701."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


class StandardNumberField(FieldType):
    """Shared behaviour of the types that hold one standard number; not registered."""

    form_field_class = StandardNumberFormField
    #: Extra attributes of the text input.
    input_attrs: dict[str, str] = {}

    def validate_number(self, field: dict) -> Callable[[str], str]:
        """The function that checks an answer and returns it compact."""
        raise NotImplementedError

    def error_messages(self, field: dict) -> dict[str, str]:
        return {}

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        kwargs["validate_number"] = self.validate_number(field)
        kwargs["error_messages"] = self.error_messages(field)
        kwargs["widget"] = forms.TextInput(
            attrs={"spellcheck": "false", "autocapitalize": "characters", **self.input_attrs}
        )
        kwargs["max_length"] = 50
        return kwargs

    def to_json(self, value, field):
        return value or None

    def from_json(self, value, field):
        return self.display(value, field)

    def export(self, value, field):
        return value or ""


@register
class EnterpriseNumberField(StandardNumberField):
    type_id = "enterprise_number"
    label = _("Enterprise number (KBO)")
    icon = "site"
    profile_detail = "enterprise_number"
    input_attrs = {"inputmode": "numeric"}

    def option_blocks(self):
        def target(label):
            return blocks.CharBlock(
                label=label,
                required=False,
                max_length=100,
                help_text=_("The machine name of a question on the same step; empty: none."),
            )

        return [
            (
                "company_lookup",
                blocks.BooleanBlock(
                    label=_("Look the company up in the register"),
                    required=False,
                    help_text=_(
                        'Shows a "Look up" button: the questions named below get the '
                        "company's data from the register (KBO). Applicants can change them."
                    ),
                ),
            ),
            ("lookup_name_field", target(_("Question for the company name"))),
            ("lookup_legal_form_field", target(_("Question for the legal form"))),
            (
                "lookup_address_field",
                target(_("Question for the seat address (an address question)")),
            ),
            ("lookup_establishments_field", target(_("Question for the establishments"))),
        ]

    def get_form_field(self, field, earlier_values=None):
        form_field = super().get_form_field(field, earlier_values)
        #: The step template shows the "Look up" button next to the field.
        form_field.company_lookup = bool(field.get("options", {}).get("company_lookup"))
        return form_field

    def validate_number(self, field):
        return enterprise_number.validate

    def error_messages(self, field):
        return {
            "invalid": _("Enter a Belgian enterprise number like 0123.456.789."),
            "checksum": _("This enterprise number is not correct. Check the number and try again."),
        }

    def display(self, value, field):
        return format_enterprise_number(value) if value else ""

    def sample_value(self, field):
        return "0403170701"


@register
class VATNumberField(StandardNumberField):
    type_id = "vat_number"
    label = _("VAT number")
    icon = "site"

    def option_blocks(self):
        return [
            (
                "belgian_only",
                blocks.BooleanBlock(
                    label=_("Only Belgian VAT numbers"),
                    required=False,
                    help_text=_("Otherwise VAT numbers of every EU country are accepted."),
                ),
            )
        ]

    def validate_number(self, field):
        belgian_only = field.get("options", {}).get("belgian_only")

        def validate(value: str) -> str:
            number = re.sub(r"[\s.\-/]", "", value).upper()
            if number[:1].isdigit():
                number = "BE" + number  # without a country code: a Belgian number
            if belgian_only and not number.startswith("BE"):
                raise ValidationError(
                    _("Enter a Belgian VAT number, like BE 0123.456.789."), code="not_belgian"
                )
            if number[:2].lower() not in eu_vat.MEMBER_STATES | {"el"}:
                raise ValidationError(
                    _(
                        "Enter a VAT number of a country of the European Union, starting "
                        "with the country code, like BE or NL."
                    ),
                    code="unknown_country",
                )
            return eu_vat.validate(number)

        return validate

    def error_messages(self, field):
        return {
            "invalid": _("Enter a VAT number like BE 0123.456.789."),
            "checksum": _("This VAT number is not correct. Check the number and try again."),
        }

    def display(self, value, field):
        if not value:
            return ""
        if value.startswith("BE"):
            return f"BE {format_enterprise_number(value[2:])}"
        return value

    def sample_value(self, field):
        return "BE0403170701"


#: Two letters, two check digits, then the account: the shape of every IBAN.
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}")


@register
class IBANField(StandardNumberField):
    type_id = "iban"
    label = _("Bank account number (IBAN)")
    icon = "key"

    def option_blocks(self):
        return [
            (
                "belgian_only",
                blocks.BooleanBlock(
                    label=_("Only Belgian bank accounts"),
                    required=False,
                    help_text=_("Otherwise accounts in every IBAN country are accepted."),
                ),
            )
        ]

    def validate_number(self, field):
        belgian_only = field.get("options", {}).get("belgian_only")

        def validate(value: str) -> str:
            # Only the IBAN's own check digits: stdnum's list of Belgian bank codes ages
            # between releases, and refusing a real account is worse than a typo that
            # slipped through the mod-97 check.
            if not _IBAN_SHAPE.fullmatch(iban.compact(value)):
                raise InvalidFormat()
            number = iban.validate(value, check_country=False)
            if belgian_only and not number.startswith("BE"):
                raise ValidationError(
                    _("Enter a Belgian account number, starting with BE."), code="not_belgian"
                )
            return number

        return validate

    def error_messages(self, field):
        return {
            "invalid": _("Enter an IBAN like BE71 0961 2345 6769."),
            "checksum": _("This account number is not correct. Check the number and try again."),
        }

    def display(self, value, field):
        """In groups of four: "BE71 0961 2345 6769"."""
        return iban.format(value) if value else ""

    def sample_value(self, field):
        return "BE68539007547034"


# --- postal address -------------------------------------------------------------------

#: The parts of an address, in the order applicants fill them in.
ADDRESS_PARTS = ("street", "number", "box", "postcode", "municipality")


class AddressWidget(LabelledMultiWidget):
    def __init__(self, attrs=None):
        # Browsers have no autocomplete token for a street without its number, so only
        # the postcode and the municipality are offered for autofill.
        super().__init__(
            {
                "street": (_("Street"), forms.TextInput(), False),
                "number": (_("Number"), forms.TextInput(), False),
                "box": (_("Box"), forms.TextInput(), True),
                "postcode": (
                    _("Postcode"),
                    forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
                    False,
                ),
                "municipality": (
                    _("Municipality"),
                    forms.TextInput(attrs={"autocomplete": "address-level2"}),
                    False,
                ),
            },
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get(part) for part in ADDRESS_PARTS]
        return [None] * len(ADDRESS_PARTS)


def validate_postcode_exists(value: str) -> None:
    """Refuse a postcode of four digits that Belgium does not have (9999)."""
    if value and re.fullmatch(r"[1-9][0-9]{3}", value) and not postcodes.exists(value):
        raise ValidationError(
            gettext("Postcode %(postcode)s does not exist in Belgium. Check the postcode.")
            % {"postcode": value},
            code="unknown_postcode",
        )


class AddressFormField(forms.MultiValueField):
    """A Belgian postal address; cleans to a dict with the keys of ADDRESS_PARTS."""

    default_error_messages = {"required": _("Enter the address.")}

    def __init__(self, **kwargs):
        fields = (
            forms.CharField(max_length=200, error_messages={"incomplete": _("Enter the street.")}),
            forms.CharField(
                max_length=20, error_messages={"incomplete": _("Enter the house number.")}
            ),
            forms.CharField(max_length=20, required=False),
            forms.CharField(
                validators=[
                    RegexValidator(
                        r"^[1-9][0-9]{3}$",
                        message=_("Enter a Belgian postcode of 4 digits, like 9000."),
                    ),
                    validate_postcode_exists,
                ],
                error_messages={"incomplete": _("Enter the postcode.")},
            ),
            forms.CharField(
                max_length=100, error_messages={"incomplete": _("Enter the municipality.")}
            ),
        )
        kwargs.setdefault("widget", AddressWidget())
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        address = dict(zip(ADDRESS_PARTS, data_list, strict=True))
        if not postcodes.fits(address["postcode"], address["municipality"]):
            raise ValidationError(
                gettext(
                    "Postcode %(postcode)s belongs to %(own)s, not to %(typed)s. "
                    "Check the postcode and the municipality."
                )
                % {
                    "postcode": address["postcode"],
                    "own": postcodes.name_of(address["postcode"]),
                    "typed": address["municipality"],
                },
                code="postcode_municipality",
            )
        return address


@register
class AddressField(LocalAddressOption, FieldType):
    type_id = "address"
    label = _("Address in Belgium")
    icon = "home"
    profile_detail = "address"
    form_field_class = AddressFormField
    takes_default = False

    def to_json(self, value, field):
        return dict(value) if value else None

    def from_json(self, value, field):
        return value or None

    def display(self, value, field):
        """On one line, as on an envelope: "Kerkstraat 12 bus 3, 9000 Gent"."""
        if not value:
            return ""
        house = f"{value['street']} {value['number']}"
        if value.get("box"):
            house += " " + gettext("box %(box)s") % {"box": value["box"]}
        return f"{house}, {value['postcode']} {value['municipality']}"

    def sample_value(self, field):
        return {
            "street": "Markt",
            "number": "1",
            "box": "",
            "postcode": "9000",
            "municipality": "Gent",
        }
