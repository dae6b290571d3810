"""Content blocks of the public site: FAQ items, announcements, links, opening hours and
the questions of the guided finder."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

#: What editors may use in the short rich texts inside blocks.
INLINE_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class FAQBlock(blocks.StructBlock):
    """One frequently asked question with its answer, shown on a service page."""

    question = blocks.CharBlock(label=_("Question"), max_length=255)
    answer = blocks.RichTextBlock(label=_("Answer"), features=INLINE_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question and answer")
        label_format = "{question}"


class LinkStructValue(blocks.StructValue):
    def url(self) -> str:
        page = self.get("page")
        if page is not None:
            return page.url or ""
        return self.get("url") or ""


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to another website."""

    label = blocks.CharBlock(label=_("Text of the link"), max_length=100)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or another website"), required=False)

    class Meta:
        icon = "link"
        label = _("Link")
        label_format = "{label}"
        value_class = LinkStructValue

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choose a page or fill in a website address, not both.")
            raise StructBlockValidationError({"url": ValidationError(message)})
        return value


class AnnouncementBlock(blocks.StructBlock):
    """A piece of news or an announcement on the home page."""

    title = blocks.CharBlock(label=_("Title"), max_length=255)
    date = blocks.DateBlock(label=_("Date"), required=False)
    text = blocks.TextBlock(label=_("Text"))
    link = blocks.PageChooserBlock(label=_("Read more on this page"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Announcement")
        label_format = "{title}"


class OpeningHoursBlock(blocks.StructBlock):
    """One line of opening hours: "Maandag tot vrijdag" – "9.00 tot 12.00 uur"."""

    days = blocks.CharBlock(label=_("Days"), max_length=100)
    hours = blocks.CharBlock(label=_("Hours"), max_length=100)

    class Meta:
        icon = "time"
        label = _("Opening hours")
        label_format = "{days}: {hours}"


class FinderAnswerBlock(blocks.StructBlock):
    """An answer of the guided finder: it leads to another question or to the result."""

    label = blocks.CharBlock(label=_("Answer"), max_length=255)
    next_question = blocks.CharBlock(
        label=_("Next question"),
        required=False,
        max_length=100,
        help_text=_(
            "The short name of the question that comes after this answer. Leave empty to "
            "end here and show the result."
        ),
        # cms/js/finder-editor.js suggests the questions of the page here.
        form_attrs={"data-loket-finder-next": ""},
    )
    services = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="cms.ServicePage"),
        label=_("Recommended services"),
        default=[],
        help_text=_("Services that the result recommends when someone chose this answer."),
    )
    advice = blocks.RichTextBlock(
        label=_("Advice"),
        required=False,
        features=INLINE_FEATURES,
        help_text=_("A short text on the result page, e.g. what else to keep in mind."),
    )
    #: For visitors who chose English (core.translation); empty: the Dutch text.
    label_en = blocks.CharBlock(label=_("Answer in English"), required=False, max_length=255)
    advice_en = blocks.RichTextBlock(
        label=_("Advice in English"), required=False, features=INLINE_FEATURES
    )

    class Meta:
        icon = "arrow-right"
        label = _("Answer")
        label_format = "{label}"


class FinderQuestionBlock(blocks.StructBlock):
    """One screen of the guided finder: a question with its answers."""

    name = blocks.CharBlock(
        label=_("Short name"),
        required=False,
        max_length=100,
        help_text=_(
            "Answers refer to this question by this name. Leave empty to derive it from "
            "the question."
        ),
    )
    question = blocks.CharBlock(label=_("Question"), max_length=255)
    hint = blocks.TextBlock(label=_("Explanation"), required=False)
    answers = blocks.ListBlock(FinderAnswerBlock(), label=_("Answers"), min_num=2)
    #: For visitors who chose English (core.translation); empty: the Dutch text.
    question_en = blocks.CharBlock(label=_("Question in English"), required=False, max_length=255)
    hint_en = blocks.TextBlock(label=_("Explanation in English"), required=False)

    class Meta:
        icon = "help"
        label = _("Question")
        label_format = "{question}"
