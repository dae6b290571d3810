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


class UnitInputMixin:
    """An input followed by its unit ("m²", "dagen"), which screen readers read with
    the question: the unit's element is added to the input's ``aria-describedby``."""

    template_name = "forms_builder/widgets/unit_input.html"
    #: The unit shown after the input.
    unit: str = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if self.unit and widget_attrs.get("id"):
            unit_id = f"{widget_attrs['id']}_unit"
            described = widget_attrs.get("aria-describedby", "")
            widget_attrs["aria-describedby"] = f"{described} {unit_id}".strip()
            context["widget"]["unit_id"] = unit_id
        context["widget"]["unit"] = self.unit
        return context


class UnitTextInput(UnitInputMixin, forms.TextInput):
    pass


class UnitNumberInput(UnitInputMixin, forms.NumberInput):
    pass


def unit_of(field: dict) -> str:
    """The unit an editor gave a number question, stripped ("" for none)."""
    return str(field.get("options", {}).get("unit") or "").strip()


def with_unit(text: str, field: dict) -> str:
    """A shown number followed by the question's unit: "24 m²"."""
    unit = unit_of(field)
    return f"{text} {unit}" if text and unit else text


def label_with_unit(label: str, field: dict) -> str:
    """A question as an export's column heading: "Oppervlakte (m²)"."""
    unit = unit_of(field)
    return f"{label} ({unit})" if unit else label
