"""Export a form to one JSON document and import it elsewhere, so municipalities can share forms.

The document is self-contained and versioned::

    {
        "format": "loket-application-form",
        "version": 1,
        "exported_at": "2026-05-01T10:00:00+02:00",
        "form": {"title", "slug", "intro", "reference_prefix", "decision_term_days",
                 "declaration_text", "confirmation_text", "closed_text",
                 "draft_retention_days", "opens_at", "closes_at", "max_dossiers"},
        "steps": [<the StreamField JSON of the steps: {"type": "step", "value", "id"}>],
        "calculations": [<the StreamField JSON of the calculations>],
        "rules": [<the StreamField JSON of the rules between answers>],
        "outcomes": [<the StreamField JSON of the outcomes>],
    }

Documents without ``calculations``, ``rules`` or ``outcomes`` (exported before forms
had them) import without. Other apps add parts of their own through
:data:`document_parts` (the shared library adds ``"origin"``: the template and version
a form was adopted from).

This module is longer than 400 lines because export and import are the two halves of
one document format, with the checks that keep them in step.

Reusable steps are inlined as plain steps (their published version), and links to
pages become ordinary web addresses, because neither exists in the other
installation. The team is left out: it is local to each municipality.

:func:`import_form` checks the whole document (format, version, every field type
against the registry, every block) before it creates anything, and creates the form
as a draft, so an editor reviews it before it goes live.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.blocks import (
    BaseStreamBlock,
    Block,
    ListBlock,
    RichTextBlock,
    StreamBlockValidationError,
    StructBlock,
)
from wagtail.coreutils import find_available_slug
from wagtail.fields import RichTextField
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.rich_text.rewriters import LinkRewriter

from core.registry import Registry

from .document import MAX_DOCUMENT_BYTES, nesting_depth, read_document  # noqa: F401 (re-exported)
from .fields import get_field_type
from .library import expanded_raw_steps
from .models import ApplicationFormPage

FORMAT_NAME = "loket-application-form"
FORMAT_VERSION = 1

#: The form's own settings that travel with it (the team stays behind: it is local).
FORM_FIELDS = (
    "title",
    "slug",
    "intro",
    "reference_prefix",
    "decision_term_days",
    "declaration_text",
    "confirmation_text",
    "closed_text",
    "draft_retention_days",
    "opens_at",
    "closes_at",
    "max_dossiers",
    # The English texts (core.translation); older documents have none.
    "title_en",
    "intro_en",
    "declaration_text_en",
    "confirmation_text_en",
    "closed_text_en",
)
#: Settings a document must have; the others fall back to the model's defaults.
REQUIRED_FORM_FIELDS = ("title", "reference_prefix")
#: Settings that stay as they are when a form is updated from a document: its address
#: and its numbering belong to the municipality's own copy.
LOCAL_FORM_FIELDS = ("slug", "reference_prefix")


class DocumentPart:
    """A part of the document that another app adds and reads back (an extension point).

    Registered with ``@document_parts.register``; its ``key`` is its key in the document.
    """

    #: The part's key in the document, e.g. ``"origin"``.
    key = ""

    def export(self, page: ApplicationFormPage) -> Any:
        """The part's JSON value for ``page``, or ``None`` to leave it out."""
        raise NotImplementedError

    def imported(self, page: ApplicationFormPage, value: Any) -> None:
        """Called in the import's transaction, after ``page`` was created from a
        document holding the part (``value`` is untrusted input: check it)."""
        raise NotImplementedError


document_parts: Registry[DocumentPart] = Registry("document part", id_attribute="key")


# --- export ------------------------------------------------------------------------------


def export_form(page: ApplicationFormPage) -> dict:
    """The form as a self-contained document (see the module docstring).

    Exports the page as editors last saved it (its latest revision, read from the
    database), with every reusable step in its published version.
    """
    page = ApplicationFormPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    form: dict[str, Any] = {}
    for name in FORM_FIELDS:
        value = getattr(page, name)
        if isinstance(value, datetime.datetime):
            value = value.isoformat()
        form[name] = value
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "form": form,
        "steps": expanded_raw_steps(page.steps),
        "calculations": [child.get_prep_value() for child in page.calculations],
        "rules": [child.get_prep_value() for child in page.rules],
        "outcomes": [child.get_prep_value() for child in page.outcomes],
    }
    for part in document_parts.all():
        value = part.export(page)
        if value is not None:
            document[part.key] = value
    return portable(document)


def dumps_document(document: dict) -> str:
    """The document as pretty-printed JSON text, readable in a diff."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _page_link(attrs: dict) -> str:
    page = Page.objects.filter(pk=attrs.get("id")).first()
    url = page.specific_deferred.full_url if page is not None else None
    return f'<a href="{escape(url)}">' if url else "<a>"


#: Internal links point at ids of this installation: turn them into web addresses.
#: Link types without a rule (documents, ...) become plain text.
_portable_links = LinkRewriter(rules={"page": _page_link})


def portable(value: Any) -> Any:
    """``value`` (JSON) with its internal page links turned into web addresses."""
    if isinstance(value, str):
        return _portable_links(value) if 'linktype="' in value else value
    if isinstance(value, dict):
        return {key: portable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [portable(item) for item in value]
    return value


# --- import ------------------------------------------------------------------------------


def import_form(
    document: dict,
    parent_page: Page,
    *,
    slug: str | None = None,
    user=None,
) -> ApplicationFormPage:
    """Create a draft form under ``parent_page`` from an exported document.

    Raises ``ValidationError`` listing every problem (wrong format or version, missing
    settings, unknown field types, invalid blocks) and then creates nothing. The slug
    is ``slug``, or the document's, made unique among ``parent_page``'s children.
    """
    parent_page = parent_page.specific
    if not ApplicationFormPage.can_create_at(parent_page):
        raise ValidationError(
            _("An application form cannot be placed under “%(title)s”.")
            % {"title": parent_page.title}
        )
    values = _form_values(document)
    steps = _steps_value(document)
    calculations = _calculations_value(document)
    rules = _stream_value(document, "rules", _("The rules in the file cannot be read."))
    outcomes = _stream_value(document, "outcomes", _("The outcomes in the file cannot be read."))
    document_slug = values.pop("slug", "")
    requested_slug = slugify(slug or document_slug or values["title"]) or "formulier"
    page = ApplicationFormPage(
        **values,
        steps=steps,
        calculations=calculations,
        rules=rules,
        outcomes=outcomes,
        slug=find_available_slug(parent_page, requested_slug),
        live=False,
        has_unpublished_changes=True,
        owner=user,
        locale_id=parent_page.locale_id,
    )
    try:
        with transaction.atomic():
            parent_page.add_child(instance=page)
            page.save_revision(user=user, log_action=False)
            log(instance=page, action="wagtail.create", user=user)
            for part in document_parts.all():
                if part.key in document:
                    part.imported(page, document[part.key])
    except ValidationError as error:
        raise ValidationError(list(_page_errors(error))) from error
    return page


def update_form(
    page: ApplicationFormPage, document: dict, *, user=None, log_action: str | bool = True
):
    """Save the form's content and settings from ``document`` as a new draft revision.

    Checks the document as :func:`import_form` does (``ValidationError``, nothing saved).
    Its slug and reference prefix stay (:data:`LOCAL_FORM_FIELDS`), and what a document
    does not carry (the team, routing, the procedure) stays as the page has it. The live
    form does not change: an editor publishes the revision. Returns the revision.
    """
    values = _form_values(document)
    draft = ApplicationFormPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    for name in FORM_FIELDS:
        if name not in LOCAL_FORM_FIELDS:
            setattr(draft, name, values.get(name, _empty(name)))
    draft.steps = _steps_value(document)
    draft.calculations = _calculations_value(document)
    draft.rules = _stream_value(document, "rules", _("The rules in the file cannot be read."))
    draft.outcomes = _stream_value(
        document, "outcomes", _("The outcomes in the file cannot be read.")
    )
    try:
        draft.full_clean()
    except ValidationError as error:
        raise ValidationError(list(_page_errors(error))) from error
    return draft.save_revision(user=user, log_action=log_action)


def _empty(name: str) -> Any:
    """The value a setting takes when a document leaves it out."""
    model_field = ApplicationFormPage._meta.get_field(name)
    if model_field.has_default():
        return model_field.get_default()
    return None if model_field.null else ""


def _page_errors(error: ValidationError) -> Iterator[str]:
    """The page's own validation errors, each named after its setting."""
    if not hasattr(error, "error_dict"):
        yield from error.messages
        return
    for name, field_errors in error.error_dict.items():
        try:
            where = str(ApplicationFormPage._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # NON_FIELD_ERRORS
            where = ""
        for field_error in field_errors:
            for message in field_error.messages:
                yield f"{where}: {message}" if where else message


def _form_values(document: dict) -> dict[str, Any]:
    if document.get("format") != FORMAT_NAME:
        raise ValidationError(_("The file is not a form exported from Loket."))
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValidationError(_("The file does not say which version of the format it uses."))
    if version > FORMAT_VERSION:
        raise ValidationError(
            _(
                "The file was made by a newer version of Loket (format version %(version)s). "
                "Update this installation first."
            )
            % {"version": version}
        )
    form = document.get("form")
    if not isinstance(form, dict):
        raise ValidationError(_("The file has no form settings."))
    if not isinstance(document.get("steps"), list):
        raise ValidationError(_("The file has no steps."))

    errors: list[str] = []
    values: dict[str, Any] = {}
    for name in FORM_FIELDS:
        model_field = ApplicationFormPage._meta.get_field(name)
        params = {"setting": model_field.verbose_name}
        raw = form.get(name)
        if raw is not None and model_field.get_internal_type() in ("CharField", "TextField"):
            if not isinstance(raw, str):
                params["error"] = _("expected text")
                errors.append(_("The form setting “%(setting)s” is not valid: %(error)s") % params)
                continue
        try:
            value = model_field.to_python(raw)
        except (ValidationError, TypeError, ValueError) as error:
            params["error"] = " ".join(getattr(error, "messages", [str(error)]))
            errors.append(_("The form setting “%(setting)s” is not valid: %(error)s") % params)
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            if name in REQUIRED_FORM_FIELDS:
                errors.append(_("The form setting “%(setting)s” is missing.") % params)
            continue
        if isinstance(value, datetime.datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value)
        if isinstance(model_field, RichTextField):
            value = safe_html(value, model_field.features)
        values[name] = value
    if errors:
        raise ValidationError(errors)
    return values


def _steps_value(document: dict):
    """The steps as a StreamValue, after checking their structure and every block."""
    raw_steps = document["steps"]
    errors: list[str] = []
    for number, step in enumerate(raw_steps, start=1):
        errors += _structure_errors(number, step)
    if errors:
        raise ValidationError(errors)

    stream_block = ApplicationFormPage._meta.get_field("steps").stream_block
    steps = [
        {"type": step["type"], "value": step["value"]}
        | ({"id": step["id"]} if isinstance(step.get("id"), str) else {})
        for step in raw_steps
    ]
    try:
        value = stream_block.clean(stream_block.to_python(steps))
        return safe_rich_text(stream_block, value)
    except StreamBlockValidationError as error:
        raise ValidationError(list(_block_errors(raw_steps, error.as_json_data()))) from error
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise ValidationError(_("The steps in the file cannot be read.")) from error


def _calculations_value(document: dict):
    """The calculations as a StreamValue (none when the document has none)."""
    raw = document.get("calculations") or []
    stream_block = ApplicationFormPage._meta.get_field("calculations").stream_block
    try:
        if not all(item.get("type") == "calculation" for item in raw):
            raise ValueError("not a calculation")
        return stream_block.clean(stream_block.to_python(raw))
    except (ValidationError, TypeError, ValueError, KeyError, AttributeError) as error:
        raise ValidationError(_("The calculations in the file cannot be read.")) from error


def _stream_value(document: dict, name: str, unreadable: str):
    """The page's StreamField ``name`` from the document (empty when it has none), its
    rich text cleaned as the editor would store it."""
    raw = document.get(name) or []
    stream_block = ApplicationFormPage._meta.get_field(name).stream_block
    try:
        if not isinstance(raw, list) or not all(
            isinstance(item, dict) and item.get("type") in stream_block.child_blocks for item in raw
        ):
            raise ValueError("an unknown block")
        value = stream_block.clean(stream_block.to_python(raw))
        return safe_rich_text(stream_block, value)
    except (ValidationError, TypeError, ValueError, KeyError, AttributeError) as error:
        raise ValidationError(unreadable) from error


def safe_html(html: str, features: list[str] | None) -> str:
    """Rich text as the editor would store it: only the tags its features allow."""
    return EditorHTMLConverter(features).to_database_format(html)


def safe_rich_text(block: Block, value: Any) -> Any:
    """Clean every rich text inside a block value (see :func:`safe_html`).

    A document from elsewhere is not trusted to hold only what Wagtail's editor would
    have stored: no scripts or event handlers may reach the public site through it.
    """
    if isinstance(block, RichTextBlock):
        return RichText(safe_html(value.source, block.features)) if value else value
    if isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            if name in value:
                value[name] = safe_rich_text(child_block, value[name])
    elif isinstance(block, BaseStreamBlock):
        for child in value:
            child.value = safe_rich_text(child.block, child.value)
    elif isinstance(block, ListBlock):
        for index, item in enumerate(value):
            cleaned = safe_rich_text(block.child_block, item)
            if cleaned is not item:
                value[index] = cleaned
    return value


def _step_name(number: int, step: Any) -> str:
    value = step.get("value") if isinstance(step, dict) else None
    title = value.get("title") if isinstance(value, dict) else None
    if isinstance(title, str) and title.strip():
        return _("Step %(number)s (“%(title)s”)") % {"number": number, "title": title}
    return _("Step %(number)s") % {"number": number}


def _structure_errors(number: int, step: Any) -> list[str]:
    where = _step_name(number, step)
    if not isinstance(step, dict) or not isinstance(step.get("value"), dict):
        return [_("%(where)s cannot be read.") % {"where": where}]
    if step.get("type") != "step":
        return [
            _("%(where)s has the unknown type “%(type)s”.")
            % {"where": where, "type": step.get("type")}
        ]
    fields = step["value"].get("fields", [])
    if not isinstance(fields, list):
        return [_("%(where)s: its fields cannot be read.") % {"where": where}]
    errors = []
    for field_number, field in enumerate(fields, start=1):
        if not isinstance(field, dict) or not isinstance(field.get("value"), dict):
            errors.append(
                _("%(where)s, field %(number)s cannot be read.")
                % {"where": where, "number": field_number}
            )
            continue
        try:
            get_field_type(str(field.get("type")))
        except KeyError:
            errors.append(
                _(
                    "%(where)s, field %(number)s (“%(label)s”) has the field type “%(type)s”, "
                    "which this installation does not know."
                )
                % {
                    "where": where,
                    "number": field_number,
                    "label": field["value"].get("label") or "",
                    "type": field.get("type"),
                }
            )
    return errors


def _block_errors(raw_steps: list, errors: dict) -> Iterator[str]:
    """Readable messages from the nested errors of the steps' StreamBlock."""
    stream_block = ApplicationFormPage._meta.get_field("steps").stream_block
    step_block = stream_block.child_blocks.get("step")
    yield from errors.get("messages", [])
    for index, step_errors in errors.get("blockErrors", {}).items():
        index = int(index)
        where = _step_name(index + 1, raw_steps[index])
        for message in step_errors.get("messages", []):
            yield f"{where}: {message}"
        for name, child_errors in step_errors.get("blockErrors", {}).items():
            if name != "fields":
                label = step_block.child_blocks[name].label if step_block else name
                for message in _messages(child_errors):
                    yield f"{where}, {label}: {message}"
                continue
            fields = raw_steps[index]["value"].get("fields", [])
            for message in child_errors.get("messages", []):
                yield f"{where}: {message}"
            for field_index, field_errors in child_errors.get("blockErrors", {}).items():
                field_index = int(field_index)
                label = fields[field_index]["value"].get("label") or ""
                field_where = _("%(where)s, field %(number)s (“%(label)s”)") % {
                    "where": where,
                    "number": field_index + 1,
                    "label": label,
                }
                for message in _messages(field_errors):
                    yield f"{field_where}: {message}"


def _messages(errors: dict) -> Iterator[str]:
    yield from errors.get("messages", [])
    for child in errors.get("blockErrors", {}).values():
        yield from _messages(child)
