"""The applicant's answer to a question of the municipality, as Django forms.

Built from what the question asks (see :mod:`dossiers.information`) with the form
builder's own pieces, so an answer is checked exactly like the form was:

- :class:`AnswerForm`: the text and one upload per requested document, each the
  ``file_upload`` field type's form field (allowed types, size, real content);
- one :class:`~forms_builder.forms.StepForm` per step with answers to correct, holding
  only the asked fields, prefilled with the current answers;
- :class:`AnswerForms` ties them together for the view and the error summary.

Files that passed their checks are held in private storage while other mistakes are
put right (:class:`HeldFiles`), so the applicant does not choose them again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from itertools import chain

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import ErrorList
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import uploads
from core.storage import private_storage
from dossiers.information import services as information
from dossiers.models import InformationRequest
from forms_builder.fields import get_field_type
from forms_builder.forms import StepForm

logger = logging.getLogger(__name__)

#: The field type every requested document is uploaded with.
UPLOAD_TYPE = "file_upload"
#: Its settings for a requested document (the type's defaults for the rest).
UPLOAD_OPTIONS = {"multiple": True}


class AnswerForm(forms.Form):
    """The written answer and one upload per document asked for."""

    answer = forms.CharField(
        label=_("Your answer"),
        max_length=information.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, information_request: InformationRequest, held=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.information_request = information_request
        field = self.fields["answer"]
        if information_request.documents or information_request.fields:
            field.required = False
            field.help_text = _("Anything you want to tell us with your documents or answers.")
        else:
            field.error_messages["required"] = _("Write your answer.")
        upload_type = get_field_type(UPLOAD_TYPE)
        for document in information_request.documents:
            definition = {
                "name": document["key"],
                "label": document["label"],
                "help_text": "",
                "required": bool(document.get("required")),
                "options": UPLOAD_OPTIONS,
            }
            form_field = upload_type.get_form_field(definition)
            stored = (held or {}).get(document["key"], [])
            keep = None
            if self.is_bound and f"{document['key']}-keep" in self.data:
                keep = [name for name in self.data.getlist(f"{document['key']}-keep") if name]
            form_field.set_existing(stored, keep)
            self.fields[document["key"]] = form_field

    def show_held(self, held: dict[str, list]) -> None:
        """Show the files held now (after :meth:`HeldFiles.keep`) as kept uploads."""
        for document in self.information_request.documents:
            self.fields[document["key"]].set_existing(held.get(document["key"], []), None)

    def document_fields(self):
        return [self[document["key"]] for document in self.information_request.documents]

    def files_by_document(self) -> dict[str, list]:
        return {
            document["key"]: self.cleaned_data.get(document["key"]) or []
            for document in self.information_request.documents
        }


def correction_forms(
    information_request: InformationRequest, data=None, files=None
) -> list[StepForm]:
    """One form per step with answers to correct, prefilled with the current answers.

    The officer chose these fields, so they are asked whatever their condition was.
    """
    answers = information_request.dossier.answers
    by_step: dict[str, dict] = {}
    for each in information.requested_fields(information_request):
        step = by_step.setdefault(
            each.step_id, {"id": each.step_id, "title": each.step_title, "fields": []}
        )
        step["fields"].append({**each.field, "condition": None})
    built = []
    for index, step in enumerate(by_step.values(), start=1):
        stored = answers.get(step["id"], {})
        initial = {
            field["name"]: get_field_type(field["type"]).from_json(stored.get(field["name"]), field)
            for field in step["fields"]
            if field["name"] in stored
        }
        built.append(StepForm(data, files, step=step, prefix=f"correct-{index}", initial=initial))
    return built


class AnswerForms:
    """The answer form and the correction forms as one, for the view and for the
    error summary component (which reads ``errors``, ``non_field_errors`` and the
    bound fields)."""

    def __init__(self, information_request, data=None, files=None, *, held=None):
        self.information_request = information_request
        self.answer = AnswerForm(data, files, information_request=information_request, held=held)
        self.corrections = correction_forms(information_request, data, files)
        self._non_field_errors = ErrorList()

    @property
    def all_forms(self):
        return [self.answer, *self.corrections]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.all_forms])

    @property
    def errors(self) -> bool:
        return bool(self._non_field_errors) or any(form.errors for form in self.all_forms)

    def non_field_errors(self) -> ErrorList:
        return ErrorList(
            chain(self._non_field_errors, *(form.non_field_errors() for form in self.all_forms))
        )

    def add_error(self, message: str) -> None:
        self._non_field_errors.append(message)

    def __iter__(self) -> Iterator[forms.BoundField]:
        for form in self.all_forms:
            yield from form

    def corrected_values(self) -> dict[tuple[str, str], object]:
        return {
            (form.step["id"], name): value
            for form in self.corrections
            for name, value in form.answers().items()
        }


class HeldFiles:
    """Valid uploads kept in private storage while the applicant puts other mistakes
    right. Which files belong to whom is kept in the session (never in the page), so
    nobody can point the form at a file that is not theirs."""

    SESSION_KEY = "loket-information-files"
    #: Where held files wait in the private storage (one random folder per file).
    FOLDER = "information/held"

    def __init__(self, request, information_request: InformationRequest):
        self.request = request
        self.slot = str(information_request.pk)

    def _infos(self) -> dict[str, list[dict]]:
        return self.request.session.get(self.SESSION_KEY, {}).get(self.slot, {})

    def files(self, *, opened: bool = True) -> dict[str, list[UploadedFile]]:
        """The held files by document key, each with ``loket_tmp_name``; not
        ``opened`` when only their names and sizes are shown."""
        held: dict[str, list[UploadedFile]] = {}
        for key, infos in self._infos().items():
            for info in infos:
                uploaded = uploads.reopen(info, opened=opened)
                if uploaded is not None:
                    held.setdefault(key, []).append(uploaded)
        return held

    def keep(self, form: AnswerForm) -> None:
        """Hold the files of every document upload that passed its checks (also when
        another file of the same document was refused)."""
        before = {info["tmp_name"] for infos in self._infos().values() for info in infos}
        kept: dict[str, list[dict]] = {}
        for bound in form.document_fields():
            field = bound.field
            files = list(field.existing)
            if bound.name not in form.errors:
                files += [f for f in form.cleaned_data.get(bound.name) or [] if f not in files]
            else:
                # Another file of this document was refused: the good ones stay.
                files += field.accepted_uploads()
            infos = [uploads.hold(uploaded, self.FOLDER) for uploaded in files]
            if infos:
                kept[bound.name] = infos
        now_held = {info["tmp_name"] for infos in kept.values() for info in infos}
        uploads.delete_held(before - now_held)
        slots = dict(self.request.session.get(self.SESSION_KEY, {}))
        if kept:
            slots[self.slot] = kept
        else:
            slots.pop(self.slot, None)
        self.request.session[self.SESSION_KEY] = slots

    def release(self) -> None:
        """Forget the held files and delete them (after they were stored for good)."""
        infos = self._infos()
        if not infos:
            return
        uploads.delete_held({info["tmp_name"] for items in infos.values() for info in items})
        slots = dict(self.request.session.get(self.SESSION_KEY, {}))
        slots.pop(self.slot, None)
        self.request.session[self.SESSION_KEY] = slots


def delete_stale_held_files(max_age: timedelta = timedelta(days=1)) -> int:
    """Delete held files older than ``max_age``: the applicant went away without
    sending the answer. Returns how many files were deleted."""
    storage = private_storage()
    cutoff = timezone.now() - max_age
    deleted = 0
    try:
        folders, _files = storage.listdir(HeldFiles.FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    for folder in folders:
        path = f"{HeldFiles.FOLDER}/{folder}"
        for name in storage.listdir(path)[1]:
            try:
                if storage.get_modified_time(f"{path}/{name}") < cutoff:
                    storage.delete(f"{path}/{name}")
                    deleted += 1
            except OSError:
                logger.warning("Could not delete held file %s/%s", path, name)
    return deleted
