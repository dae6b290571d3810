"""The Belgian national register number (rijksregisternummer): a sensitive answer.

python-stdnum (``stdnum.be.nn``) checks it: the date of birth in its first six digits
and the two check digits, also for people born in 2000 or later (the check counts a
"2" before the number then). It is stored compact ("85073003328"), shown the way it is
printed on an identity card ("85.07.30-033.28"), and masked ("••.••.••-•••.28") for
everyone who may not read it in full: officers without the permission to see
sensitive answers, exports, the status page and the receipt (see
:meth:`~forms_builder.fields.base.FieldType.shown`). The applicant sees it in full
while filling in the form and on the check page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from stdnum.be import nn

from .belgian import StandardNumberField
from .registry import register

#: What replaces each hidden digit.
MASK = "•"


@register
class NationalRegisterNumberField(StandardNumberField):
    type_id = "national_register_number"
    label = _("National register number")
    icon = "user"
    sensitive = True
    #: Every person's number is their own.
    takes_default = False
    input_attrs = {"inputmode": "numeric", "autocomplete": "off"}

    def validate_number(self, field):
        return nn.validate

    def error_messages(self, field):
        return {
            "invalid": _(
                "Enter a national register number of 11 digits, like 85.07.30-033.28. "
                "You find it on the back of your identity card."
            ),
            "checksum": _(
                "This national register number is not correct. Check the number and try again."
            ),
        }

    def display(self, value, field):
        if not value:
            return ""
        try:
            return nn.format(value)
        except (TypeError, ValueError):
            return str(value)  # stored by an older version in another shape

    def masked(self, value, field):
        """Only the check digits stay: "••.••.••-•••.28"."""
        if not value:
            return ""
        shown = self.display(value, field)
        return "".join(MASK if char.isdigit() else char for char in shown[:-2]) + shown[-2:]

    def sample_value(self, field):
        return "85073003328"
