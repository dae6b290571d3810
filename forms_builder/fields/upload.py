"""File upload: one or several documents, checked on size, extension and real content.

This field is the one way files come in: the wizard's file fields, the documents of an
answer to a question (``dossiers.information.forms``) and the files of a message
(``dossiers.messages.services``, both sides) all use it. Each new file is checked in this order:
extension, not empty, size, real content (its first bytes must match the extension,
and the whole file must be what the extension says: :func:`core.uploads.check_container`),
and, when ``LOKET_CLAMAV`` is on, a virus scan (:mod:`core.virusscan`). A file that
passes carries the content type its bytes show, not the one the browser sent; an image
is drawn again (:func:`core.uploads.reencoded_image`), so nothing appended to it stays.

Files never get a public URL. While the form is being filled in they live in the
draft's private storage (see :mod:`forms_builder.drafts`); at submission the dossier
service moves them to the dossier's attachments.

This module is longer than 400 lines because it is the one place every incoming file
is checked: splitting the checks from the editor's settings would split the rules.
"""

from __future__ import annotations

import os

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core import uploads, virusscan
from core.uploads import detected_content_type

from .base import FieldType
from .file_types import DEFAULT_TYPES, KNOWN_FILE_TYPES, stored_content_type, type_choices
from .registry import register


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True
    template_name = "forms_builder/widgets/upload.html"

    def __init__(self, attrs=None, multiple=False):
        super().__init__(attrs)
        self.multiple = multiple

    def value_from_datadict(self, data, files, name):
        return files.getlist(name) if hasattr(files, "getlist") else files.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in files and f"{name}-keep" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # A boolean attribute: present means several files, whatever its value.
        if self.multiple:
            context["widget"]["attrs"]["multiple"] = True
        else:
            context["widget"]["attrs"].pop("multiple", None)
        context["widget"]["existing"] = getattr(self, "existing", [])
        context["widget"]["keep_name"] = f"{name}-keep"
        context["widget"]["limits"] = getattr(self, "limits", "")
        context["widget"]["remove_name"] = getattr(self, "remove_name", "")
        return context


class UploadFormField(forms.Field):
    """A list of uploaded files. Files stored earlier come in as ``existing`` and stay
    unless the applicant unticks them (``<name>-keep``)."""

    default_error_messages = {
        "required": _("Add a file."),
        "extension": _('"%(name)s" is not an allowed type of file. Use %(allowed)s.'),
        "content": _('"%(name)s" is not really a %(ext)s file. Choose another file.'),
        # Why the whole file was refused (core.uploads.ContentRefused.reason).
        "pdf": _('"%(name)s" is not a PDF file that opens. Choose another file.'),
        "pdf_html": _(
            '"%(name)s" contains web page code and is not a normal PDF file. Choose another file.'
        ),
        "pdf_password": _('"%(name)s" is protected with a password. Upload it without a password.'),
        "office": _(
            '"%(name)s" is not a complete %(ext)s document. Save it again in your program '
            "and choose the new file."
        ),
        "image": _('"%(name)s" is not an image that opens. Choose another file.'),
        "empty": _('"%(name)s" is empty.'),
        "size": _('"%(name)s" is larger than %(max)s.'),
        "total": _("Together, the files are larger than %(max)s."),
        "virus": _(
            '"%(name)s" contains a virus or other harmful content. We did not save it. '
            "Choose another file."
        ),
        "scanner": _(
            'We cannot check "%(name)s" for viruses right now. Please try again in a few minutes.'
        ),
    }

    def __init__(
        self,
        *,
        allowed,
        max_file_bytes,
        max_total_bytes,
        max_files,
        multiple,
        min_files=None,
        **kwargs,
    ):
        self.allowed = allowed
        self.max_file_bytes = max_file_bytes
        self.max_total_bytes = max_total_bytes
        self.max_files = max_files if multiple else 1
        #: The fewest files an answer has ("at least 2 photos"); None: no minimum.
        self.min_files = min(min_files, self.max_files) if min_files and multiple else None
        self.existing: list = []
        self._accepted: list = []
        kwargs.setdefault("widget", MultipleFileInput(multiple=multiple))
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(f".{ext}" for ext in allowed)
        self.widget.limits = gettext("Allowed: %(types)s. At most %(size)s per file.") % {
            "types": ", ".join(f".{ext}" for ext in allowed),
            "size": filesizeformat(max_file_bytes),
        }

    def bound_data(self, data, initial):
        return data

    def set_existing(self, files: list, keep: list[str] | None) -> None:
        """Files stored before; ``keep`` lists the names the applicant kept (None: all)."""
        self.existing = [f for f in files if keep is None or f.loket_tmp_name in keep]
        self.widget.existing = [
            {"tmp_name": f.loket_tmp_name, "name": f.name, "size": filesizeformat(f.size)}
            for f in files
        ]

    def to_python(self, data):
        # Stored files come back through ``data`` too when a step is validated again;
        # they are already in ``existing``.
        uploads = [
            f
            for f in (data or [])
            if getattr(f, "name", None) and not getattr(f, "loket_tmp_name", None)
        ]
        if uploads and self.max_files == 1:
            return uploads  # a new file replaces the one file stored before
        return list(self.existing) + uploads

    def accepted_uploads(self) -> list:
        """The new files of the last validation that passed every check of their own
        (as they are stored), also when another file of the field was refused: they
        can be held, so the applicant does not have to choose them again."""
        room = max(self.max_files - len(self.existing), 0) if self.max_files > 1 else 1
        return [self._stored_form(uploaded) for uploaded in self._accepted[:room]]

    def files_to_hold(self) -> list:
        """The files kept from before and :meth:`accepted_uploads` (a new file of a
        one-file field replaces the old one)."""
        accepted = self.accepted_uploads()
        if accepted and self.max_files == 1:
            return accepted
        return list(self.existing) + accepted

    def validate(self, value):
        if not value and self.required and not self.min_files:
            raise ValidationError(self.error_messages["required"], code="required")
        # Without files an optional question stays unanswered; a required one, or an
        # answer with some files, needs the minimum.
        if self.min_files and (value or self.required) and len(value) < self.min_files:
            raise ValidationError(
                ngettext(
                    "Add at least %(count)d file.",
                    "Add at least %(count)d files.",
                    self.min_files,
                )
                % {"count": self.min_files},
                code="too_few",
            )

    def clean(self, value):
        files = super().clean(value)
        # Images are stored drawn again: whatever was appended or hidden goes.
        return [self._stored_form(uploaded) for uploaded in files]

    @staticmethod
    def _stored_form(uploaded):
        ext = os.path.splitext(uploaded.name or "")[1].lower().lstrip(".")
        if getattr(uploaded, "loket_tmp_name", None) or not uploads.is_image(ext):
            return uploaded
        return uploads.reencoded_image(uploaded, ext)

    def run_validators(self, value):
        errors = []
        self._accepted = []
        if len(value) > self.max_files:
            errors.append(
                ValidationError(
                    ngettext(
                        "Add at most %(count)d file.",
                        "Add at most %(count)d files.",
                        self.max_files,
                    )
                    % {"count": self.max_files},
                    code="count",
                )
            )
        allowed_text = ", ".join(f".{ext}" for ext in self.allowed)
        for uploaded in value:
            if getattr(uploaded, "loket_tmp_name", None):
                continue  # checked when it was uploaded
            name = os.path.basename(uploaded.name)
            ext = os.path.splitext(name)[1].lower().lstrip(".")
            params = {
                "name": name,
                "allowed": allowed_text,
                "ext": ext.upper(),
                "max": filesizeformat(self.max_file_bytes),
            }
            if ext not in self.allowed:
                errors.append(
                    ValidationError(
                        self.error_messages["extension"], code="extension", params=params
                    )
                )
                continue
            if not uploaded.size:
                errors.append(
                    ValidationError(self.error_messages["empty"], code="empty", params=params)
                )
                continue
            if uploaded.size > self.max_file_bytes:
                errors.append(
                    ValidationError(self.error_messages["size"], code="size", params=params)
                )
                continue
            detected = detected_content_type(uploaded)
            if detected not in KNOWN_FILE_TYPES[ext][1]:
                errors.append(
                    ValidationError(self.error_messages["content"], code="content", params=params)
                )
                continue
            try:
                uploads.check_container(uploaded, ext)
            except uploads.ContentRefused as refused:
                code = refused.reason if refused.reason in self.error_messages else "content"
                errors.append(ValidationError(self.error_messages[code], code=code, params=params))
                continue
            try:
                signature = virusscan.scan_upload(uploaded, detected)
            except virusscan.ScannerUnavailable:
                errors.append(
                    ValidationError(self.error_messages["scanner"], code="scanner", params=params)
                )
                continue
            if signature is not None:
                errors.append(
                    ValidationError(self.error_messages["virus"], code="virus", params=params)
                )
                continue
            # What the content is, not what the browser said: it is stored with the file
            # and sent back as its type when the file is downloaded.
            uploaded.content_type = stored_content_type(ext, detected)
            self._accepted.append(uploaded)
        # One file has one limit: its own size (a second message about the total of one
        # file would only repeat it).
        if self.max_files > 1 and sum(f.size or 0 for f in value) > self.max_total_bytes:
            errors.append(
                ValidationError(
                    self.error_messages["total"],
                    code="total",
                    params={"max": filesizeformat(self.max_total_bytes)},
                )
            )
        if errors:
            raise ValidationError(errors)


@register
class FileUploadField(FieldType):
    type_id = "file_upload"
    answer_kind = "upload"
    label = _("File upload")
    icon = "doc-full-inverse"
    #: Tells the wizard to keep this field's files in the draft's private storage.
    takes_files = True
    takes_default = False

    def option_blocks(self):
        return [
            ("multiple", blocks.BooleanBlock(label=_("Several files allowed"), required=False)),
            (
                "allowed_types",
                blocks.MultipleChoiceBlock(
                    label=_("Allowed types of file"),
                    choices=type_choices,
                    default=DEFAULT_TYPES,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                ),
            ),
            (
                "max_file_mb",
                blocks.IntegerBlock(
                    label=_("Maximum size per file (MB)"), default=10, min_value=1, max_value=50
                ),
            ),
            (
                "max_total_mb",
                blocks.IntegerBlock(
                    label=_("Maximum size of all files (MB)"),
                    default=20,
                    min_value=1,
                    max_value=100,
                    help_text=_("Only when several files are allowed."),
                ),
            ),
            (
                "max_files",
                blocks.IntegerBlock(
                    label=_("Maximum number of files"), default=5, min_value=1, max_value=20
                ),
            ),
            (
                "min_files",
                blocks.IntegerBlock(
                    label=_("Minimum number of files"),
                    required=False,
                    min_value=1,
                    max_value=20,
                    help_text=_("E.g. 2 for “at least 2 photos”. Only with several files allowed."),
                ),
            ),
            (
                "camera",
                blocks.BooleanBlock(
                    label=_("Photo from the phone's camera"),
                    required=False,
                    help_text=_(
                        "On a phone, the camera opens at once (a report with a photo). "
                        "Choose image types above."
                    ),
                ),
            ),
        ]

    def option_errors(self, value) -> dict[str, str]:
        """Limits that would refuse every upload, or that have no effect, are refused
        when the form is saved, at the setting to change."""
        errors = {}
        max_files, min_files = value.get("max_files"), value.get("min_files")
        if min_files and not value.get("multiple") and min_files > 1:
            errors["min_files"] = gettext(
                "A minimum of more than one file needs “Several files allowed”."
            )
        elif min_files and max_files and min_files > max_files:
            errors["min_files"] = gettext(
                "The minimum number of files is more than the maximum (%(max)s)."
            ) % {"max": max_files}
        per_file, total = value.get("max_file_mb"), value.get("max_total_mb")
        if value.get("multiple") and per_file and total and total < per_file:
            errors["max_total_mb"] = gettext(
                "The size of all files together must be at least the size per file (%(size)s MB)."
            ) % {"size": per_file}
        return errors

    def get_form_field(self, field, earlier_values=None):
        options = field.get("options", {})
        allowed = [
            ext
            for ext in (options.get("allowed_types") or DEFAULT_TYPES)
            if ext in KNOWN_FILE_TYPES
        ]
        kwargs = super().get_form_field_kwargs(field)
        kwargs.pop("widget", None)
        form_field = UploadFormField(
            allowed=allowed or DEFAULT_TYPES,
            max_file_bytes=(options.get("max_file_mb") or 10) * 1024 * 1024,
            max_total_bytes=(options.get("max_total_mb") or 20) * 1024 * 1024,
            max_files=options.get("max_files") or 5,
            multiple=bool(options.get("multiple")),
            min_files=options.get("min_files"),
            **kwargs,
        )
        if options.get("camera"):
            # Phones open the camera (the back one); the server checks types as ever.
            form_field.widget.attrs.update(accept="image/*", capture="environment")
        return form_field

    def to_json(self, value, field):
        return [
            {
                "name": os.path.basename(f.name),
                "size": f.size,
                "content_type": getattr(f, "content_type", "") or "",
            }
            for f in (value or [])
        ]

    def from_json(self, value, field):
        return None  # files cannot be put back into a form field; drafts keep them

    def display(self, value, field):
        if not value:
            return ""
        return ", ".join(
            f"{item.get('name', '')} ({filesizeformat(item.get('size') or 0)})"
            for item in value
            if isinstance(item, dict)
        )

    def export(self, value, field):
        if not value:
            return ""
        return "; ".join(item.get("name", "") for item in value if isinstance(item, dict))

    def sample_value(self, field):
        return [{"name": "document.pdf", "size": 125_000, "content_type": "application/pdf"}]
