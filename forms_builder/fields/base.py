"""The base class of a field type: one place for everything a kind of field does.

A field type knows its StreamField block (what editors fill in), the Django form field
it becomes for applicants, how its cleaned value is stored as JSON, and how a stored
value is shown (summary, status page, officer view) and exported (CSV).

A *field definition* is the plain dict that :mod:`forms_builder.schema` produces for one
field of a form: ``{"id", "type", "name", "label", "help_text", "required",
"maps_to", "options": {...}}``. ``options`` holds the type's own settings.

This module is longer than 400 lines because it is the one contract every field type
implements (editor, applicant, storage, display, export), with a docstring per
extension point; splitting it would spread one class over several files.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import BlockGroup
from wagtail.blocks.struct_block import StructBlockValidationError

from ..condition_blocks import ConditionBlock
from . import names
from .asking import AUTOCOMPLETE_CHOICES

#: Dossier attributes an editor can fill from a field ("this field is the applicant's
#: e-mail address").
MAPS_TO_CHOICES = [
    ("", _("Nothing")),
    ("applicant_name", _("Name of the applicant")),
    ("applicant_email", _("E-mail address of the applicant")),
    ("applicant_phone", _("Phone number of the applicant")),
    ("company_name", _("Name of the company")),
    ("enterprise_number", _("Enterprise number")),
    # The name on the account a premium is paid to (dossiers.payments.grants).
    ("account_holder", _("Name of the account holder (for a payout)")),
    # Prefill the permit's details (dossiers.permits.prefill): a period or a start date,
    # and an address or a place.
    ("permit_period", _("Period of the permit")),
    ("permit_place", _("Place of the permit")),
]


#: The settings of a question most forms never change: the editor shows them behind the
#: block's "Settings" toggle (Wagtail's BlockGroup settings), so an opened question shows
#: what it asks first (:class:`QuestionBlock`).
ADVANCED_SETTINGS = frozenset(
    {
        "name",
        "prefill",
        "maps_to",
        "condition",
        "required_message",
        "autocomplete",
        "default_kind",
        "default_value",
        # The English texts (:mod:`forms_builder.translation`).
        "label_en",
        "help_text_en",
        "required_message_en",
    }
)


class QuestionBlock(blocks.StructBlock):
    """The StructBlock of a question: the :data:`ADVANCED_SETTINGS` among its children
    sit behind the block's "Settings" toggle. Where a value is stored does not change.
    The collapsed block's heading shows the first child's text (the question)."""

    def get_form_layout(self) -> BlockGroup:
        # Computed from the children (not a Meta option), so that migrations, which
        # cannot serialise a BlockGroup, only see the children.
        names = list(self.child_blocks)
        return BlockGroup(
            children=[name for name in names if name not in ADVANCED_SETTINGS],
            settings=[name for name in names if name in ADVANCED_SETTINGS],
        )

    def clean(self, value):
        value = super().clean(value)
        # Set after construction (see FieldType.get_block), so not part of migrations.
        check = getattr(self, "options_check", None)
        errors = check(value) if check is not None else {}
        from ..translation import english_errors

        errors = {**english_errors(value), **errors}
        if errors:
            raise StructBlockValidationError(
                block_errors={name: ValidationError(message) for name, message in errors.items()}
            )
        return value


def default_kinds(with_today: bool) -> list[tuple[str, str]]:
    """The default answers editors can choose: a fixed answer, today (dates), and the
    details prefill sources offer (e.g. the signed-in applicant's e-mail address)."""
    from ..prefill import source_default_choices

    kinds = [("fixed", _("A fixed answer"))]
    if with_today:
        kinds.append(("today", _("Today (the day the applicant fills in the form)")))
    return kinds + source_default_choices()


class FieldType:
    """One kind of form field. Subclasses are registered with ``@register``."""

    #: Stable identifier; the StreamField block name and the ``type`` in schemas.
    type_id: ClassVar[str] = ""
    #: Name editors see when they add a field.
    label: ClassVar[str] = ""
    #: Wagtail admin icon of the block.
    icon: ClassVar[str] = "form"
    #: False for blocks that only show content (no answer is stored).
    has_input: ClassVar[bool] = True
    #: The Django form field class used by the default :meth:`get_form_field`.
    form_field_class: ClassVar[type[forms.Field]] = forms.CharField
    #: The widget class used by the default :meth:`get_form_field` (None: the field's own).
    widget_class: ClassVar[type[forms.Widget] | None] = None
    #: Options of this type that hold a formula over earlier answers; checked when the
    #: form is saved (:func:`forms_builder.calculation_checks.validate_formula_options`).
    formula_options: ClassVar[tuple[str, ...]] = ()
    #: The applicant's detail an answer of this type is, whatever the question asks
    #: ("enterprise_number", "address"). Mijn loket reads it from an applicant's earlier
    #: dossiers and fills it into unmapped fields of this type (dossiers.portal). Empty
    #: for types whose answer may be somebody else's (an e-mail address or phone number
    #: may be an accountant's).
    profile_detail: ClassVar[str] = ""
    #: True when an answer holds several values (tick boxes): a prefill link may then
    #: repeat its parameter (``?x=a&x=b``); other types take its first value.
    many_values: ClassVar[bool] = False
    #: True when an answer is a time of day: conditions can compare it with "is before
    #: (time of day)" and "is after (time of day)" (:mod:`forms_builder.conditions`).
    time_of_day: ClassVar[bool] = False
    #: True for answers only the applicant and the officers allowed to see them may
    #: read in full (a national register number): everyone else sees :meth:`masked`
    #: (dossier view, exports, status page, receipt; see ``display_answers``).
    sensitive: ClassVar[bool] = False
    #: What an exported answer of this type is for formats with typed cells (XLSX):
    #: "text", "day" (ISO date), "number" or "amount" (see dossiers.export).
    export_kind: ClassVar[str] = "text"
    #: Whether editors can give questions of this type a default answer
    #: (:meth:`default_blocks`); False for types no text can answer (uploads).
    takes_default: ClassVar[bool] = True
    #: Whether "today" is one of the default answers (dates).
    default_today: ClassVar[bool] = False
    #: The browser's autofill token of an answer of this type ("email", "tel"); "" when
    #: the type cannot know (a short text may be anything). See :mod:`.asking`.
    autocomplete: ClassVar[str] = ""
    #: Options of this type whose text editors can translate into English: each gets a
    #: block ``<name>_en`` of the same kind (:meth:`english_blocks`). Their English
    #: texts go under the field's ``en`` in the schema, never under ``options``.
    translatable_options: ClassVar[tuple[str, ...]] = ()
    #: How an unanswered question of this type is asked for: "enter", "choose",
    #: "upload" or "tick" (:data:`.asking.REQUIRED_MESSAGES`).
    answer_kind: ClassVar[str] = "enter"

    # --- editors ---------------------------------------------------------------------

    def common_blocks(self) -> list[tuple[str, blocks.Block]]:
        """The settings every input field has: label, name, help text, required."""
        return [
            ("label", blocks.CharBlock(label=_("Question"), max_length=255)),
            (
                "name",
                blocks.CharBlock(
                    label=_("Machine name"),
                    required=False,
                    max_length=names.MAX_LENGTH,
                    validators=[names.validate_machine_name],
                    help_text=_(
                        "Used in exports and links. Leave empty to derive it from the question. "
                        "Small letters (a-z), digits and _, starting with a letter."
                    ),
                ),
            ),
            ("help_text", blocks.TextBlock(label=_("Help text"), required=False)),
            ("required", blocks.BooleanBlock(label=_("Required"), required=False, default=True)),
            (
                "prefill",
                blocks.BooleanBlock(
                    label=_("Can be filled in from a link"),
                    required=False,
                    help_text=_(
                        "A link to the form can give this field a value, e.g. "
                        "?machine_name=value. Applicants can still change it."
                    ),
                ),
            ),
            (
                "maps_to",
                blocks.ChoiceBlock(
                    label=_("Use the answer as"),
                    choices=MAPS_TO_CHOICES,
                    required=False,
                ),
            ),
            ("condition", ConditionBlock(label=_("Show this question only when"))),
            (
                "required_message",
                blocks.CharBlock(
                    label=_("Message when not answered"),
                    required=False,
                    max_length=255,
                    help_text=_(
                        "What the applicant reads when they leave this question empty, "
                        "e.g. “Vul uw naam in”. Leave empty for a message made from "
                        "the question."
                    ),
                ),
            ),
            (
                "autocomplete",
                blocks.ChoiceBlock(
                    label=_("Browser may fill in"),
                    choices=AUTOCOMPLETE_CHOICES,
                    required=False,
                    help_text=_(
                        "Which of the applicant's own details this question asks for, so "
                        "the browser can fill it in (required for accessibility). "
                        "Automatic works for e-mail, phone and the answers used as "
                        "applicant or company details."
                    ),
                ),
            ),
        ]

    def option_blocks(self) -> list[tuple[str, blocks.Block]]:
        """The type's own settings, stored under ``options`` in the schema."""
        return []

    def default_blocks(self) -> list[tuple[str, blocks.Block]]:
        """The default answer: none, a fixed answer or (dates) today. Stored under
        ``options`` (``default_kind``, ``default_value``); see :meth:`default_initial`."""
        if not (self.has_input and self.takes_default):
            return []
        return [
            (
                "default_kind",
                blocks.ChoiceBlock(
                    label=_("Default answer"),
                    choices=functools.partial(default_kinds, self.default_today),
                    required=False,
                    default="",
                    help_text=_(
                        "The answer the question starts with; applicants can change it. "
                        "A value from a link or from Mijn loket comes first."
                    ),
                ),
            ),
            (
                "default_value",
                blocks.CharBlock(
                    label=_("Fixed answer"),
                    required=False,
                    default="",
                    max_length=255,
                    help_text=_(
                        "Written as in a link to the form: 2026-06-30 for a date, yes or "
                        "no, or the exact text of an option."
                    ),
                ),
            ),
        ]

    def english_blocks(self) -> list[tuple[str, blocks.Block]]:
        """The question's texts in English, for visitors who chose English; empty ones
        stay Dutch (:mod:`forms_builder.translation`)."""
        from ..translation import english_blocks

        return english_blocks(self)

    def get_block(self) -> blocks.StructBlock:
        """The StreamField block editors use to add a field of this type."""
        children = (
            (self.common_blocks() if self.has_input else [])
            + self.option_blocks()
            + self.default_blocks()
            + self.english_blocks()
        )
        if not self.has_input:
            children.append(("condition", ConditionBlock(label=_("Show this only when"))))
        block = QuestionBlock(children, label=self.label, icon=self.icon)
        block.options_check = self.option_errors
        return block

    def option_errors(self, value) -> dict[str, str]:
        """Messages for settings of a question that cannot work together, by the name
        of the setting they belong to, when the editor saves the form; none by default."""
        return {}

    def option_names(self) -> list[str]:
        return [name for name, _block in self.option_blocks() + self.default_blocks()]

    # --- applicants ------------------------------------------------------------------

    def get_form_field_kwargs(self, field: dict) -> dict[str, Any]:
        """Keyword arguments for the Django form field; extend in subclasses."""
        kwargs: dict[str, Any] = {
            "label": field["label"],
            "help_text": field.get("help_text", ""),
            "required": field.get("required", True),
        }
        if self.widget_class is not None:
            kwargs["widget"] = self.widget_class()
        return kwargs

    def get_form_field(self, field: dict, earlier_values: dict | None = None) -> forms.Field:
        """The Django form field for this definition.

        ``earlier_values`` are the answers of earlier steps and the calculations on
        them, as formulas see them (:func:`forms_builder.calculations.formula_values`),
        for types whose limits depend on them (a lead time); None outside the wizard.
        """
        return self.form_field_class(**self.get_form_field_kwargs(field))

    def default_initial(self, field: dict, today: datetime.date) -> Any:
        """The initial value of the editor's default answer, or None for none.

        A fixed answer is handed to the form field as text, the way a value from a link
        is (:mod:`forms_builder.prefill`): the field shows it, and checks it like a
        typed answer when the step is sent.
        """
        options = field.get("options") or {}
        kind = options.get("default_kind")
        if kind == "today" and self.default_today:
            return today
        if kind == "fixed" and str(options.get("default_value") or "").strip():
            value = str(options["default_value"]).strip()
            return [value] if self.many_values else value
        return None

    def can_be_late(self, field: dict) -> bool:
        """Whether an answer to this question can make the application late: it has a
        lead time that accepts late answers (:mod:`forms_builder.procedure`)."""
        return False

    def is_late(self, value: Any, field: dict, earlier_values: dict) -> bool:
        """Whether the stored ``value`` is earlier than the lead time allows, counted
        from ``earlier_values`` (as in :meth:`get_form_field`)."""
        return False

    def posted_names(self, field: dict) -> list[str]:
        """The names this field's inputs are posted under (without the step's prefix).

        One per input: ``<name>`` for most types; a question answered in several inputs
        (a period, an address) posts ``<name>_start``, ``<name>_end``... A form must not
        have two fields posting under one name (see ApplicationFormPage.clean).
        """
        widget = self.get_form_field(field).widget
        if isinstance(widget, forms.MultiWidget):
            return [field["name"] + suffix for suffix in widget.widgets_names]
        return [field["name"]]

    # --- storage, display and export -------------------------------------------------

    def to_json(self, value: Any, field: dict) -> Any:
        """Turn a cleaned form value into what is stored in the dossier's answers."""
        return value

    def from_json(self, value: Any, field: dict) -> Any:
        """Turn a stored answer back into a form's initial value (resume, corrections)."""
        return value

    def formula_value(self, value: Any, field: dict) -> Any:
        """A stored answer as calculations see it (:mod:`forms_builder.logic`).

        Numbers become Decimal (never float, so amounts add up exactly); text, yes/no
        and lists stay as they are. Types with another shape override this.
        """
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int | float):
            return Decimal(str(value))
        if isinstance(value, list):
            return tuple(value)
        return value

    def sample_value(self, field: dict) -> Any:
        """A plausible stored answer, for the editor's preview of the check page."""
        return str(_("Example answer"))

    def display(self, value: Any, field: dict) -> str:
        """The answer as a person reads it, on summaries, status pages and officer views."""
        if value in (None, "", []):
            return ""
        return str(value)

    def map_geometry(self, value: Any, field: dict) -> dict | None:
        """The answer's place as a GeoJSON geometry (WGS84) for a map next to the text,
        or None: only types that ask for a place have one."""
        return None

    def period(self, value: Any, field: dict) -> tuple[datetime.date, datetime.date] | None:
        """The first and last day an answer covers (a date range), or None: with a
        place (:meth:`map_geometry`) it makes an occupation of the public domain, which
        dossiers.occupancy compares with the others."""
        return None

    def export(self, value: Any, field: dict) -> str:
        """The answer as one CSV cell."""
        return self.display(value, field)

    def register_reference(self, value: Any, field: dict) -> str:
        """Which record of a public register the answer was checked against (an
        address's id in the address register), for officers under the answer; "" none."""
        return ""

    def export_heading(self, field: dict) -> str:
        """The heading of this question's column in an export."""
        return field.get("label") or field.get("name", "")

    def masked(self, value: Any, field: dict) -> str:
        """A sensitive answer for someone who may not read it in full; "" when empty.

        Only types with ``sensitive`` use it; their override shows just enough to tell
        two answers apart (e.g. the last two digits).
        """
        return self.display(value, field)

    def shown(self, value: Any, field: dict, *, reveal_sensitive: bool) -> str:
        """The answer as :meth:`display` shows it, masked when the type is sensitive and
        the reader may not see it in full."""
        if self.sensitive and not reveal_sensitive:
            return self.masked(value, field)
        return self.display(value, field)

    def exported(self, value: Any, field: dict, *, reveal_sensitive: bool) -> str:
        """The answer as :meth:`export` writes it, masked as in :meth:`shown`."""
        if self.sensitive and not reveal_sensitive:
            return self.masked(value, field)
        return self.export(value, field)
