"""StreamField blocks of an application form: steps holding fields of every type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .conditions import ConditionBlock
from .fields import all_field_types


class FieldsBlock(blocks.StreamBlock):
    """The ordered fields of one step; one child block per registered field type."""

    def __init__(self, local_blocks=None, **kwargs):
        local_blocks = [(ft.type_id, ft.get_block()) for ft in all_field_types()]
        super().__init__(local_blocks, **kwargs)

    class Meta:
        #: A saved step's questions open as headings naming the question (a question
        #: added now opens): a form of twenty questions stays one screen long.
        collapsed = True


class StepBlock(blocks.StructBlock):
    """One page of the form the applicant sees at a time."""

    title = blocks.CharBlock(label=_("Title"), max_length=255)
    intro = blocks.RichTextBlock(
        label=_("Introduction"),
        required=False,
        features=["bold", "italic", "link", "ol", "ul"],
    )
    fields = FieldsBlock(label=_("Fields"))
    condition = ConditionBlock(label=_("Show this step only when"))
    #: For visitors who chose English (forms_builder.translation); empty: Dutch.
    title_en = blocks.CharBlock(label=_("Title in English"), max_length=255, required=False)
    intro_en = blocks.RichTextBlock(
        label=_("Introduction in English"),
        required=False,
        features=["bold", "italic", "link", "ol", "ul"],
    )

    class Meta:
        icon = "list-ul"
        label = _("Step")
        form_classname = "loket-step-block"
