"""Forms of the public site (plain Django forms, rendered with the theme's components)."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class FinderAnswerForm(forms.Form):
    """The answer to one question of the guided finder."""

    antwoord = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer.")},
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["antwoord"]
        field.label = question.text
        field.help_text = question.hint
        # "nl" on the Dutch texts an English visitor reads (core.translation).
        field.loket_lang = {"label": question.text_lang, "help": question.hint_lang}
        field.choices = [
            (
                index,
                format_html('<span lang="{}">{}</span>', answer.label_lang, answer.label)
                if answer.label_lang
                else answer.label,
            )
            for index, answer in enumerate(question.answers)
        ]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
