"""The kinds of template: how a page becomes a document, and a document a page again.

One class per kind (an application form, a service page), registered in :data:`kinds`
under the id a :class:`~cms.library.models.LibraryTemplate` stores. Each kind:

- ``read(page)``: the page's content as editors last saved it (its latest revision), as
  a JSON document. A version freezes this document;
- ``create(document, parent, ...)``: a new draft page from a document (adopting);
- ``update(page, document, ...)``: a new draft revision of an existing page (accepting
  or merging a newer version); the live page does not change;
- ``items(document)`` and ``rebuild(items, like)``: the document as a flat list of
  :class:`Item` (a setting, a step, a question, a calculation ...), the units the
  library's changes are shown and merged in (:mod:`cms.library.changes`), and back.

What stays local to each municipality is never in the items: a form's address and
reference prefix, its team and procedure; a service page's address, its form,
appointments and related services.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from core.registry import Registry
from forms_builder import transfer
from forms_builder.models import ApplicationFormPage

from ..models.services import RICH_TEXT_FEATURES, SERVICE_SECTIONS, ServicePage


@dataclass(frozen=True)
class Item:
    """One unit of a document: a setting, a step, a question, a calculation, ..."""

    #: Stable across versions: the setting's name or the block's id.
    key: str
    #: What editors read, e.g. "Stap “Uw terras”, vraag “Oppervlakte”".
    label: str
    value: Any
    #: The key of the item this one sits in (a question's step), or "".
    parent: str = ""


def _text(value: Any) -> str:
    return " ".join(strip_tags(str(value or "")).split())


def _block_name(raw: dict) -> str:
    value = raw.get("value") if isinstance(raw, dict) else None
    if not isinstance(value, dict):
        return ""
    for name in ("title", "label", "name", "message", "question"):
        if value.get(name):
            return _text(value[name])
    return ""


def _block_key(prefix: str, raw: dict, index: int) -> str:
    block_id = raw.get("id") if isinstance(raw, dict) else None
    return f"{prefix}:{block_id or index}"


class TemplateKind:
    """A kind of page the library offers (see the module docstring)."""

    #: The id stored on templates (cms.library.models.TemplateKindChoice).
    kind_id = ""
    #: The page type this kind reads and makes.
    page_model: type[Page] = Page

    def read(self, page: Page) -> dict:
        raise NotImplementedError

    def create(self, document: dict, parent: Page, *, user=None, **local) -> Page:
        raise NotImplementedError

    def update(self, page: Page, document: dict, *, user=None) -> Revision:
        raise NotImplementedError

    def items(self, document: dict) -> list[Item]:
        raise NotImplementedError

    def rebuild(self, items: list[Item], like: dict) -> dict:
        raise NotImplementedError

    def local_settings(self, page: Page) -> dict[str, Any]:
        """The page's own settings an adopting editor chose (shown in the library)."""
        return {}


kinds: Registry[TemplateKind] = Registry("template kind", id_attribute="kind_id")


def kind_for_page(page: Page) -> TemplateKind | None:
    """The kind of template ``page`` can be, or None."""
    page_class = page.specific_class or Page
    for kind in kinds.all():
        if issubclass(page_class, kind.page_model):
            return kind
    return None


# --- application forms ----------------------------------------------------------------------


#: The parts of a form document that are lists of blocks, each block one item.
FORM_SECTIONS = {
    "calculations": "calculation",
    "rules": "rule",
    "outcomes": "outcome",
}


@kinds.register
class FormKind(TemplateKind):
    """An application form, as the transfer format of :mod:`forms_builder.transfer`."""

    kind_id = "form"
    page_model = ApplicationFormPage

    def read(self, page: Page) -> dict:
        document = transfer.export_form(page)
        # Not content: when it was read, and the library's own part (origin).
        return {
            key: value
            for key, value in document.items()
            if key not in ("exported_at", *transfer.document_parts.ids())
        }

    def create(self, document: dict, parent: Page, *, user=None, **local) -> Page:
        document = copy.deepcopy(document)
        if local.get("reference_prefix"):
            document["form"]["reference_prefix"] = local["reference_prefix"]
        return transfer.import_form(document, parent, user=user)

    def update(self, page: Page, document: dict, *, user=None) -> Revision:
        return transfer.update_form(page.specific, document, user=user)

    def local_settings(self, page: Page) -> dict[str, Any]:
        return {"reference_prefix": page.specific.reference_prefix}

    def items(self, document: dict) -> list[Item]:
        found = []
        form = document.get("form") or {}
        for name in transfer.FORM_FIELDS:
            if name in transfer.LOCAL_FORM_FIELDS:
                continue
            verbose = ApplicationFormPage._meta.get_field(name).verbose_name
            found.append(
                Item(f"form.{name}", _("Setting “%(name)s”") % {"name": verbose}, form.get(name))
            )
        for index, step in enumerate(document.get("steps") or []):
            step_key = _block_key("step", step, index)
            value = dict(step.get("value") or {})
            fields = value.pop("fields", []) or []
            step_label = _("Step “%(title)s”") % {"title": _text(value.get("title"))}
            head = {"type": step.get("type"), "value": value, "id": step.get("id")}
            found.append(Item(step_key, step_label, head))
            for field_index, field in enumerate(fields):
                found.append(
                    Item(
                        f"{step_key}/{_block_key('field', field, field_index)}",
                        _("%(step)s, question “%(label)s”")
                        % {"step": step_label, "label": _block_name(field)},
                        field,
                        parent=step_key,
                    )
                )
        labels = {
            "calculation": _("Calculation “%(name)s”"),
            "rule": _("Rule “%(name)s”"),
            "outcome": _("Outcome “%(name)s”"),
        }
        for section, prefix in FORM_SECTIONS.items():
            for index, block in enumerate(document.get(section) or []):
                found.append(
                    Item(
                        _block_key(prefix, block, index),
                        labels[prefix] % {"name": _block_name(block)},
                        block,
                    )
                )
        return found

    def rebuild(self, items: list[Item], like: dict) -> dict:
        document = {key: value for key, value in like.items() if key in ("format", "version")}
        form = {name: (like.get("form") or {}).get(name) for name in transfer.LOCAL_FORM_FIELDS}
        steps: dict[str, dict] = {}
        sections: dict[str, list] = {section: [] for section in FORM_SECTIONS}
        prefixes = {prefix: section for section, prefix in FORM_SECTIONS.items()}
        for item in items:
            if item.key.startswith("form."):
                form[item.key.removeprefix("form.")] = item.value
            elif item.parent:
                if item.parent in steps:
                    steps[item.parent]["value"]["fields"].append(copy.deepcopy(item.value))
            elif item.key.startswith("step:"):
                head = copy.deepcopy(item.value)
                step = {
                    "type": head.get("type") or "step",
                    "value": {**head["value"], "fields": []},
                }
                if head.get("id"):
                    step["id"] = head["id"]
                steps[item.key] = step
            else:
                sections[prefixes[item.key.split(":", 1)[0]]].append(copy.deepcopy(item.value))
        document.update(form=form, steps=list(steps.values()), **sections)
        return document


# --- service pages --------------------------------------------------------------------------

SERVICE_FORMAT = "loket-service-page"
#: The texts of a service page that travel with it (its form, appointments and related
#: services are local: they point at the municipality's own pages and desk).
SERVICE_FIELDS = (
    "title",
    "intro",
    "keywords",
    "call_to_action",
    "external_url",
    *(section.field_name for section in SERVICE_SECTIONS),
)


@kinds.register
class ServiceKind(TemplateKind):
    """A service page: its texts and frequently asked questions."""

    kind_id = "service"
    page_model = ServicePage

    def read(self, page: Page) -> dict:
        page = ServicePage.objects.get(pk=page.pk).get_latest_revision_as_object()
        return transfer.portable(
            {
                "format": SERVICE_FORMAT,
                "version": 1,
                "page": {"slug": page.slug}
                | {name: getattr(page, name) for name in SERVICE_FIELDS},
                "faq": [child.get_prep_value() for child in page.faq],
            }
        )

    def _values(self, document: dict) -> dict[str, Any]:
        if document.get("format") != SERVICE_FORMAT or not isinstance(document.get("page"), dict):
            raise ValidationError(_("The template is not a service page."))
        values = {}
        for name in SERVICE_FIELDS:
            value = document["page"].get(name) or ""
            if not isinstance(value, str):
                raise ValidationError(
                    _("The template's text “%(name)s” cannot be read.") % {"name": name}
                )
            if name in {section.field_name for section in SERVICE_SECTIONS}:
                value = transfer.safe_html(value, RICH_TEXT_FEATURES)
            values[name] = value
        stream_block = ServicePage._meta.get_field("faq").stream_block
        try:
            faq = stream_block.clean(stream_block.to_python(document.get("faq") or []))
        except (ValidationError, TypeError, ValueError, KeyError, AttributeError) as error:
            raise ValidationError(_("The template's questions cannot be read.")) from error
        values["faq"] = transfer.safe_rich_text(stream_block, faq)
        return values

    def create(self, document: dict, parent: Page, *, user=None, **local) -> Page:
        parent = parent.specific
        if not ServicePage.can_create_at(parent):
            raise ValidationError(
                _("A service page cannot be placed under “%(title)s”.") % {"title": parent.title}
            )
        values = self._values(document)
        slug = slugify(document["page"].get("slug") or values["title"]) or "dienst"
        page = ServicePage(
            **values,
            slug=find_available_slug(parent, slug),
            live=False,
            has_unpublished_changes=True,
            owner=user,
            locale_id=parent.locale_id,
        )
        with transaction.atomic():
            parent.add_child(instance=page)
            page.save_revision(user=user, log_action=False)
            log(instance=page, action="wagtail.create", user=user)
        return page

    def update(self, page: Page, document: dict, *, user=None) -> Revision:
        values = self._values(document)
        draft = ServicePage.objects.get(pk=page.pk).get_latest_revision_as_object()
        for name, value in values.items():
            setattr(draft, name, value)
        draft.full_clean()
        return draft.save_revision(user=user)

    def items(self, document: dict) -> list[Item]:
        page = document.get("page") or {}
        found = [
            Item(
                f"page.{name}",
                _("Text “%(name)s”") % {"name": ServicePage._meta.get_field(name).verbose_name},
                page.get(name),
            )
            for name in SERVICE_FIELDS
        ]
        for index, block in enumerate(document.get("faq") or []):
            found.append(
                Item(
                    _block_key("faq", block, index),
                    _("Question “%(name)s”") % {"name": _block_name(block)},
                    block,
                )
            )
        return found

    def rebuild(self, items: list[Item], like: dict) -> dict:
        page = {"slug": (like.get("page") or {}).get("slug", "")}
        faq = []
        for item in items:
            if item.key.startswith("page."):
                page[item.key.removeprefix("page.")] = item.value
            else:
                faq.append(copy.deepcopy(item.value))
        return {"format": SERVICE_FORMAT, "version": 1, "page": page, "faq": faq}
