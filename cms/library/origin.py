"""The origin of an adopted form travels with its export (forms_builder.transfer).

The document gets ``"origin": {"template", "title", "version", "base"}``: the template's
uid (the same in every installation), its version, and the content the page had right
after it took that version. Imported where that template and version exist (the same
library), the new form is linked to them, with the municipality's own changes still
told apart from the library's; elsewhere it is a plain copy.
"""

from __future__ import annotations

import uuid
from typing import Any

from forms_builder import transfer
from forms_builder.models import ApplicationFormPage

from .kinds import kinds
from .models import AdoptedPage, LibraryVersion


@transfer.document_parts.register
class OriginPart(transfer.DocumentPart):
    key = "origin"

    def export(self, page: ApplicationFormPage) -> Any:
        origin = (
            AdoptedPage.objects.select_related("template", "version")
            .filter(page_id=page.pk)
            .first()
        )
        if origin is None:
            return None
        return {
            "template": str(origin.template.uid),
            "title": origin.template.title,
            "version": origin.version.number,
            "base": origin.adopted_content,
        }

    def imported(self, page: ApplicationFormPage, value: Any) -> None:
        if not isinstance(value, dict) or not isinstance(value.get("version"), int):
            return
        try:
            template_uid = uuid.UUID(str(value.get("template")))
        except ValueError:
            return
        version = (
            LibraryVersion.objects.select_related("template")
            .filter(template__uid=template_uid, template__kind="form", number=value["version"])
            .first()
        )
        if version is None:
            return
        base = value.get("base")
        if not isinstance(base, dict) or base.get("format") != transfer.FORMAT_NAME:
            base = kinds.get("form").read(page)
        AdoptedPage.objects.create(
            page=page, template=version.template, version=version, adopted_content=base
        )
