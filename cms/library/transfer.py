"""A library template travels to another installation's library as one file.

``export_template`` writes the template (its uid, kind and title) with every published
version (number, change note, content, date): a JSON document of format
:data:`FORMAT_NAME`. ``import_template`` reads it into this installation's library:
the template keeps its uid, so forms adopted from it in one installation and exported
(cms.library.origin) are linked to it in the other too, and its versions keep their
numbers and notes. Importing a newer export of a template that is already here adds
the versions it lacks; a version that exists here with other content is refused (two
libraries published different things under one number). The imported template has
no page in this library: municipalities adopt it from its newest version; the library's
editors publish a next version from a page after they adopt it into the library site.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .kinds import kinds
from .models import LibraryTemplate, LibraryVersion

FORMAT_NAME = "loket-library-template"
FORMAT_VERSION = 1
#: The largest file accepted (a form with many steps is a few hundred kB).
MAX_BYTES = 5 * 1024 * 1024


def export_template(template: LibraryTemplate) -> dict[str, Any]:
    """The template with all its versions, oldest first."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "template": {"uid": str(template.uid), "kind": template.kind, "title": template.title},
        "versions": [
            {
                "number": version.number,
                "change_note": version.change_note,
                "published_at": version.published_at.isoformat(),
                "content": version.content,
            }
            for version in template.versions.order_by("number")
        ],
    }


def export_filename(template: LibraryTemplate) -> str:
    from django.utils.text import slugify

    return f"bibliotheek-{slugify(template.title) or template.kind}.json"


def read_file(data: bytes) -> dict[str, Any]:
    """The document in an uploaded file; ValidationError (Dutch) when it is none."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("This file is too large for a library template."))
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(_("This file is not a library template of Loket.")) from None
    if not isinstance(document, dict):
        raise ValidationError(_("This file is not a library template of Loket."))
    return document


@transaction.atomic
def import_template(document: dict[str, Any]) -> tuple[LibraryTemplate, int]:
    """The template of ``document`` in this library, and how many versions were added.
    Raises ValidationError (Dutch) for a document that is not a template export, of a
    newer format, of a kind this installation does not offer, or whose version clashes
    with one here; nothing is saved then."""
    if document.get("format") != FORMAT_NAME:
        raise ValidationError(_("This file is not a library template of Loket."))
    if not isinstance(document.get("version"), int) or document["version"] > FORMAT_VERSION:
        raise ValidationError(
            _("This template was exported by a newer Loket. Update this installation first.")
        )
    head = document.get("template")
    versions = document.get("versions")
    if not isinstance(head, dict) or not isinstance(versions, list) or not versions:
        raise ValidationError(_("This file holds no template with versions."))
    try:
        uid = uuid.UUID(str(head.get("uid")))
    except ValueError:
        raise ValidationError(_("This file holds no template with versions.")) from None
    kind = kinds.get(str(head.get("kind")))
    if kind is None:
        raise ValidationError(_("This installation does not offer this kind of template."))
    title = str(head.get("title") or "").strip()[:255]
    if not title:
        raise ValidationError(_("This file holds no template with versions."))

    template, _created = LibraryTemplate.objects.get_or_create(
        uid=uid, defaults={"kind": kind.kind_id, "title": title}
    )
    template = LibraryTemplate.objects.select_for_update().get(pk=template.pk)
    if template.kind != kind.kind_id:
        raise ValidationError(_("A template of another kind has this identity here."))
    here = {version.number: version for version in template.versions.all()}
    added = 0
    for raw in sorted(versions, key=_number):
        number = _number(raw)
        content = raw.get("content")
        if number < 1 or not isinstance(content, dict):
            raise ValidationError(
                _("Version %(number)s in this file is damaged.") % {"number": number}
            )
        existing = here.get(number)
        if existing is not None:
            if existing.content != content:
                raise ValidationError(
                    _(
                        "Version %(number)s of “%(title)s” is different here. The two "
                        "libraries published different versions under one number."
                    )
                    % {"number": number, "title": template.title}
                )
            continue
        version = LibraryVersion.objects.create(
            template=template,
            number=number,
            change_note=str(raw.get("change_note") or "").strip() or "—",
            content=content,
        )
        published = parse_datetime(str(raw.get("published_at") or ""))
        if isinstance(published, datetime.datetime):
            # auto_now_add set the import's moment: keep the library's own date.
            LibraryVersion.objects.filter(pk=version.pk).update(published_at=published)
        added += 1
    if added and template.latest_version.number == max(_number(raw) for raw in versions):
        template.title = title
        template.save(update_fields=["title"])
    return template, added


def _number(raw: Any) -> int:
    number = raw.get("number") if isinstance(raw, dict) else None
    return number if isinstance(number, int) else 0
