"""Rewrite machine names that break the rules of forms_builder.fields.names.

Before those rules any text was accepted (``x-keep``, ``__proto__<script>``). This
rewrites, in the raw JSON of every reusable step and every form page (its current
content and its latest revision, so the editor's next draft starts from valid names):
lower case, other characters ``_``, a letter in front when needed, ``_field`` after a
reserved ending, ``_2``... when the name is taken in the form. Conditions that refer
to a renamed field follow it. Dossiers keep their frozen schema and are not touched.

The rules are copied here on purpose: a migration must keep doing what it did when
the rules change later.
"""

import json
import re
import unicodedata

from django.db import migrations

PATTERN = re.compile(r"[a-z][a-z0-9_]*")
RESERVED_SUFFIXES = ("-keep", "_keep")


def is_valid(name):
    return len(name) <= 100 and PATTERN.fullmatch(name) and not name.endswith(RESERVED_SUFFIXES)


def normalise(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9_]", "_", ascii_name.lower()) or "field"
    if not name[0].isalpha():
        name = f"field_{name}"
    name = name[:90]
    if name.endswith(RESERVED_SUFFIXES):
        name = f"{name}_field"
    return name


def unique(base, taken):
    name, counter = base, 2
    while name in taken:
        name, counter = f"{base}_{counter}", counter + 1
    return name


def _items(list_value):
    """The values of a ListBlock's raw data, old (plain list) or new (``{"type": "item"}``)."""
    for item in list_value or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            yield item["value"]
        else:
            yield item


def _rename_step_fields(step_value, taken, renamed):
    """Rename the invalid names of one raw step's fields; record old -> new."""
    for field in step_value.get("fields") or []:
        value = field.get("value")
        if not isinstance(value, dict) or not value.get("name"):
            continue
        name = value["name"]
        if is_valid(name):
            continue
        new = unique(normalise(name), taken)
        taken.add(new)
        renamed[name] = new
        value["name"] = new


def _follow_conditions(step_value, renamed):
    conditions = [step_value.get("condition")] + [
        (field.get("value") or {}).get("condition") for field in step_value.get("fields") or []
    ]
    for condition in conditions:
        if not isinstance(condition, dict):
            continue
        for rule in _items(condition.get("rules")):
            if isinstance(rule, dict) and (rule.get("field") or "").strip() in renamed:
                rule["field"] = renamed[rule["field"].strip()]


def _own_names(stream):
    return {
        (field.get("value") or {}).get("name")
        for step in stream
        if step.get("type") == "step"
        for field in (step.get("value") or {}).get("fields") or []
        if (field.get("value") or {}).get("name")
    }


def rewrite_form_stream(stream, snippet_renames):
    """Rewrite a form's raw steps in place; True when anything changed."""
    before = json.dumps(stream, sort_keys=True)
    taken = {name for name in _own_names(stream) if is_valid(name)}
    taken.update(snippet_renames.values())
    renamed = dict(snippet_renames)
    for step in stream:
        if step.get("type") == "step":
            _rename_step_fields(step.get("value") or {}, taken, renamed)
    for step in stream:
        _follow_conditions(step.get("value") or {}, renamed)
    return json.dumps(stream, sort_keys=True) != before


def _raw(value):
    if isinstance(value, str):
        return json.loads(value or "[]"), True
    return value, False


def _stream(stream_value):
    return list(stream_value.raw_data) if hasattr(stream_value, "raw_data") else stream_value


def forwards(apps, schema_editor):
    ReusableStep = apps.get_model("forms_builder", "ReusableStep")
    ApplicationFormPage = apps.get_model("forms_builder", "ApplicationFormPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    snippet_renames = {}
    for snippet in ReusableStep.objects.all():
        stream = _stream(snippet.content)
        renamed = {}
        for step in stream:
            value = step.get("value") or {}
            valid = {
                (f.get("value") or {}).get("name")
                for f in value.get("fields") or []
                if is_valid((f.get("value") or {}).get("name") or "-")
            }
            _rename_step_fields(value, valid, renamed)
            _follow_conditions(value, renamed)
        if renamed:
            snippet_renames.update(renamed)
            snippet.content = stream
            snippet.save(update_fields=["content"])

    page_type = ContentType.objects.filter(
        app_label="forms_builder", model="applicationformpage"
    ).first()
    for page in ApplicationFormPage.objects.all():
        stream = _stream(page.steps)
        if rewrite_form_stream(stream, snippet_renames):
            page.steps = stream
            page.save(update_fields=["steps"])
        if page_type is None:
            continue
        revision = (
            Revision.objects.filter(content_type=page_type, object_id=str(page.pk))
            .order_by("-created_at", "-id")
            .first()
        )
        if revision is None or not isinstance(revision.content, dict):
            continue
        raw, was_text = _raw(revision.content.get("steps"))
        if isinstance(raw, list) and rewrite_form_stream(raw, snippet_renames):
            revision.content["steps"] = json.dumps(raw) if was_text else raw
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("forms_builder", "0011_machine_name_rules"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
