"""Widgets shared by field types that ask for one answer in several inputs."""

from __future__ import annotations

from django import forms


class LabelledMultiWidget(forms.MultiWidget):
    """Several inputs answering one question (a period, an address), each with its
    own visible label.

    ``use_fieldset`` is True, so ``theme/components/field.html`` wraps the inputs in a
    fieldset whose legend is the question.
    """

    template_name = "forms_builder/widgets/labelled_parts.html"

    def __init__(self, parts: dict[str, tuple[str, forms.Widget, bool]], attrs=None):
        """``parts`` maps each part's name to (label, widget, optional)."""
        self.part_labels = [(label, optional) for label, _widget, optional in parts.values()]
        widgets = {name: widget for name, (_label, widget, _optional) in parts.items()}
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (label, optional) in zip(
            context["widget"]["subwidgets"], self.part_labels, strict=True
        ):
            subwidget["part_label"] = label
            subwidget["part_optional"] = optional
        return context

    def id_for_label(self, id_):
        # The first input, so that the error summary's link lands on it.
        return f"{id_}_0" if id_ else ""
