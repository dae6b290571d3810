"""The address question's option "only in this municipality".

With the option on (and an address register that knows the municipality, see
:mod:`forms_builder.streets`), the applicant gives a street of the municipality, a house
number and perhaps a box number; the postcode and municipality come from the register.

- The street: a text box. With JavaScript it suggests the municipality's streets as one
  types (``forms_builder/js/streets.js``, asking :func:`forms_builder.street_views.
  street_suggestions`). Without it, a name that is not exactly a street's gives, on
  sending the step, a list of the streets that match to choose from: a plain search and
  select on the server.
- The house number is looked up in the register. An unknown number is not refused: the
  applicant reads a warning, and a box "I confirm this address" appears; ticked, the
  address is taken as typed, with the postcode of the street's nearest number.

The answer keeps the register's identifiers: ``address_id`` (empty for a confirmed
unknown number, then ``confirmed`` is true) and ``street_id``. Officers see the address
id under the answer (:meth:`LocalAddressOption.register_reference`); exports add it.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .. import streets

#: The parts of the address the applicant fills in, in order.
LOCAL_PARTS = ("street", "number", "box", "confirmed")


class LocalAddressWidget(forms.MultiWidget):
    """Street, number, box; the confirmation box only after the warning."""

    template_name = "forms_builder/widgets/local_address.html"

    def __init__(self, *, municipality: str = "", suggestions_url: str = "", attrs=None):
        self.municipality = municipality
        #: Set by the field when the number is not in the register: show the box.
        self.ask_confirmation = False
        street_attrs = {"autocomplete": "off", "spellcheck": "false"}
        if suggestions_url:
            street_attrs["data-street-suggestions"] = suggestions_url
        widgets = {
            "street": forms.TextInput(attrs=street_attrs),
            "number": forms.TextInput(attrs={"class": "input--short"}),
            "box": forms.TextInput(attrs={"class": "input--short"}),
            "confirmed": forms.CheckboxInput(),
        }
        super().__init__(widgets, attrs)

    def offer_streets(self, names: list[str]) -> None:
        """Show the street part as a list to choose from (no JavaScript needed)."""
        choices = [(name, name) for name in names]
        choices.append(("", gettext("None of these: type the street again")))
        self.widgets[0] = forms.Select(choices=choices)

    def decompress(self, value):
        if isinstance(value, dict):
            return [
                value.get("street"),
                value.get("number"),
                value.get("box"),
                value.get("confirmed"),
            ]
        return [None, None, None, None]

    def value_from_datadict(self, data, files, name):
        street, number, box, confirmed = super().value_from_datadict(data, files, name)
        # An unticked box is "no value", so an optional question left empty stays empty.
        return [street, number, box, confirmed or None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = [_("Street"), _("Number"), _("Box"), _("I confirm this address")]
        for subwidget, part, label in zip(
            context["widget"]["subwidgets"], LOCAL_PARTS, labels, strict=True
        ):
            subwidget["part"] = part
            subwidget["part_label"] = label
        confirmed = value[3] if isinstance(value, list) and len(value) == 4 else None
        context["widget"]["show_confirmation"] = self.ask_confirmation or bool(confirmed)
        context["widget"]["municipality"] = self.municipality
        return context

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""


class LocalAddressFormField(forms.MultiValueField):
    """An address in one municipality, checked against an address register; cleans to
    the dict described in the module's docstring."""

    default_error_messages = {"required": _("Enter the address.")}

    def __init__(
        self, *, register: streets.AddressRegister, nis_code: str, municipality: str, **kwargs
    ):
        self.register = register
        self.nis_code = nis_code
        self.municipality = municipality
        fields = (
            forms.CharField(max_length=200, error_messages={"incomplete": _("Enter the street.")}),
            forms.CharField(
                max_length=20, error_messages={"incomplete": _("Enter the house number.")}
            ),
            forms.CharField(max_length=40, required=False),
            forms.BooleanField(required=False),
        )
        kwargs.setdefault("widget", LocalAddressWidget(municipality=municipality))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list[:3]):
            return None
        street_text, number, box, confirmed = data_list
        street = self.register.street_named(street_text, self.nis_code)
        if street is None:
            found = self.register.search_streets(street_text, self.nis_code, streets.SEARCH_LIMIT)
            if found:
                self.widget.offer_streets([candidate.name for candidate in found])
                raise ValidationError(
                    gettext("Choose your street in %(municipality)s from the list.")
                    % {"municipality": self.municipality},
                    code="choose_street",
                )
            raise ValidationError(
                gettext(
                    "We do not find the street “%(street)s” in %(municipality)s. Check the "
                    "name: this question only takes addresses in %(municipality)s."
                )
                % {"street": street_text, "municipality": self.municipality},
                code="unknown_street",
            )
        address = self.register.find_address(street, number, box)
        if address is not None:
            return {
                "street": street.name,
                "number": address.number,
                "box": address.box,
                "postcode": address.postcode,
                "municipality": street.municipality,
                "address_id": address.address_id,
                "street_id": street.street_id,
            }
        if not confirmed:
            self.widget.ask_confirmation = True
            house = f"{street.name} {number}" + (f" {gettext('box')} {box}" if box else "")
            raise ValidationError(
                gettext(
                    "We do not find %(house)s in the address register of %(municipality)s. "
                    "Check the house number. Is the address right? Then tick “I confirm "
                    "this address”."
                )
                % {"house": house, "municipality": self.municipality},
                code="unknown_number",
            )
        return {
            "street": street.name,
            "number": number,
            "box": box,
            "postcode": self.register.postcode_near(street, number),
            "municipality": street.municipality,
            "address_id": "",
            "street_id": street.street_id,
            "confirmed": True,
        }


def _suggestions_url(nis_code: str) -> str:
    try:
        return f"{reverse('street_suggestions')}?gemeente={nis_code}"
    except NoReverseMatch:
        return ""


class LocalAddressOption:
    """What the option adds to the address field type (mixed into ``AddressField``)."""

    def option_blocks(self):
        return [
            (
                "local_only",
                blocks.BooleanBlock(
                    label=_("Only in this municipality"),
                    required=False,
                    help_text=_(
                        "The street is chosen from the municipality's list and the house "
                        "number is checked in the address register; postcode and "
                        "municipality are filled in. Needs the imported address register."
                    ),
                ),
            ),
            (
                "municipality_nis",
                blocks.CharBlock(
                    label=_("Municipality (NIS code)"),
                    required=False,
                    help_text=_(
                        "5 digits, like 44021. Empty: the municipality of the imported "
                        "address register."
                    ),
                ),
            ),
        ]

    def get_form_field(self, field, earlier_values=None):
        local = streets.municipality_of(field)
        if local is None:
            return super().get_form_field(field, earlier_values)
        register, nis_code, municipality = local
        kwargs = self.get_form_field_kwargs(field)
        kwargs.pop("widget", None)
        kwargs["widget"] = LocalAddressWidget(
            municipality=municipality, suggestions_url=_suggestions_url(nis_code)
        )
        return LocalAddressFormField(
            register=register, nis_code=nis_code, municipality=municipality, **kwargs
        )

    def register_reference(self, value, field) -> str:
        if not isinstance(value, dict) or "street_id" not in value:
            return ""
        if value.get("address_id"):
            return gettext("Address register: address %(id)s") % {"id": value["address_id"]}
        return gettext("Not in the address register; the applicant confirmed the address.")

    def export(self, value, field):
        text = self.display(value, field)
        reference = self.register_reference(value, field)
        return f"{text} ({reference})" if text and reference else text
