"""Turn an ApplicationFormPage into a plain JSON schema, and freeze it.

The schema is what the wizard, the dossier and every display of answers work from::

    {
        "version": 1,
        "title": "Terrasvergunning",
        "reference_prefix": "TER",
        "steps": [
            {"id": "<block uuid>", "title": "...", "intro": "<p>...</p>",
             "condition": {...} | None,
             "fields": [{"id", "type", "name", "label", "help_text", "required",
                         "maps_to", "condition": {...} | None, "options": {...},
                         "required_message", "autocomplete"}]},
        ],
        "calculations": [{"name", "label", "formula", "show", "is_fee", "breakdown"}],
        "rules": [{"formula", "field", "message"}],
        "outcomes": [{"id", "title", "text", "condition"}],
    }

A repeatable part ("add another", :mod:`forms_builder.repeatable`) is a field whose
``options["fields"]`` are field definitions of this same shape (the questions of each
item); its answer is a list with one dict per item.

A condition is ``{"combinator": "all" | "any", "rules": [{"field", "operator",
"value"}]}`` (see :mod:`forms_builder.conditions`); ``None`` means always shown.

Calculations (formulas over the answers, one of them maybe the fee) are described in
:mod:`forms_builder.calculations`, rules between answers in :mod:`forms_builder.rules`
and outcomes (pages that end the form) in :mod:`forms_builder.outcomes`; schemas frozen
before they existed have none. Content blocks (information texts, headings) carry a
``condition`` too, and a single choice question may show some of its options only on
a condition (``options["option_conditions"]``: ``[{"option", "condition"}]``, left out
when there are none).

A step or field may carry its English texts under ``"en"`` (only when it has some;
:mod:`forms_builder.translation`).

A dossier keeps the frozen schema it was submitted against (see
:func:`freeze_schema`), so editing a live form never changes an existing dossier.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext

from .calculations import applicant_rows, calculation_to_schema
from .conditions import (
    OPTION_CONDITIONS,
    answers_by_name,
    condition_to_schema,
    option_conditions_to_schema,
    visible_steps,
)
from .fields import get_field_type, names
from .outcomes import outcome_to_schema
from .rules import rule_to_schema
from .translation import field_english, step_english

SCHEMA_VERSION = 1


def machine_name(label: str) -> str:
    """A field name derived from its label (see :mod:`forms_builder.fields.names`)."""
    return names.from_label(label)


def _plain(value: Any) -> Any:
    """Block values (rich text, lists, struct values) as JSON-compatible data."""
    if hasattr(value, "source"):  # RichText
        return value.source
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple) or type(value).__name__ == "ListValue":
        return [_plain(item) for item in value]
    return value


def field_to_schema(field_block) -> dict[str, Any]:
    """The field definition of one field block (a StreamField child). The questions of
    a repeatable part (its type's ``child_fields_option``) become field definitions
    too."""
    field_type = get_field_type(field_block.block_type)
    value = field_block.value
    children = getattr(field_type, "child_fields_option", "")
    options: dict[str, Any] = {}
    for name in field_type.option_names():
        if name == children:
            options[name] = [field_to_schema(child) for child in value.get(name) or []]
        elif name == OPTION_CONDITIONS:
            # Only when set, so choice questions without them keep their schema (and hash).
            if option_conditions := option_conditions_to_schema(value.get(name)):
                options[name] = option_conditions
        else:
            options[name] = _plain(value.get(name))
    field: dict[str, Any] = {"id": field_block.id, "type": field_type.type_id, "options": options}
    if field_type.has_input:
        field.update(
            name=value.get("name") or machine_name(value.get("label", "")),
            label=value.get("label", ""),
            help_text=value.get("help_text") or "",
            required=bool(value.get("required")),
            maps_to=value.get("maps_to") or "",
            condition=condition_to_schema(value.get("condition")),
            prefill=bool(value.get("prefill")),
        )
        # Only when set, so forms without them keep their schema (and its hash).
        for setting in ("required_message", "autocomplete"):
            if (value.get(setting) or "").strip():
                field[setting] = value[setting].strip()
    else:
        # Content blocks (information texts) can be shown on a condition too.
        field["condition"] = condition_to_schema(value.get("condition"))
    # Only when there are some, so forms without English keep their schema (and hash).
    if english := field_english(field_type, value):
        field["en"] = english
    return field


def build_schema(page) -> dict:
    """The plain schema of an ApplicationFormPage (of its current, in-memory content)."""
    from .library import expanded_steps

    steps = []
    for step in expanded_steps(page.steps):
        fields = [field_to_schema(field_block) for field_block in step.value["fields"]]
        steps.append(
            {
                "id": step.id,
                "title": step.value["title"],
                "intro": _plain(step.value.get("intro")) or "",
                "condition": condition_to_schema(step.value.get("condition")),
                "fields": fields,
            }
        )
        if english := step_english(step.value):
            steps[-1]["en"] = english
    return {
        "version": SCHEMA_VERSION,
        "title": page.title,
        "reference_prefix": page.reference_prefix,
        "steps": steps,
        # Pages built without calculations (snippet previews, tests) have none.
        "calculations": [
            calculation_to_schema(item.value) for item in getattr(page, "calculations", None) or []
        ],
        "rules": [rule_to_schema(item) for item in getattr(page, "rules", None) or []],
        "outcomes": [outcome_to_schema(item) for item in getattr(page, "outcomes", None) or []],
    }


#: How many page contents :func:`current_snapshot` remembers per process.
_BUILT_SCHEMAS_MAX = 128
_built_schemas: OrderedDict[str, tuple[dict, str]] = OrderedDict()
#: Threaded servers (runserver, gthread workers) share the memo between requests.
_built_schemas_lock = threading.Lock()


class _Touched(Exception):
    """A StreamField's blocks were turned into values: its stored JSON may be stale."""


def _raw(value: Any) -> Any:
    """A StreamField's stored JSON without turning it into block values (cheap).

    Only for a StreamValue none of whose blocks were read yet (as loaded from the
    database or the cache): once a block is a value, code may change that value in
    place and Wagtail's raw data would no longer say so (``_Touched``)."""
    if not hasattr(value, "raw_data"):
        return value
    if any(block is not None for block in getattr(value, "_bound_blocks", [object()])):
        raise _Touched
    return list(value.raw_data)


def _included_snippets(raw_steps: list) -> list:
    """(pk, stored JSON) of the published reusable steps that ``raw_steps`` include."""
    from .library import REUSABLE_STEP_BLOCK, ReusableStep

    ids = {
        child["value"].get("step")
        for child in raw_steps
        if child.get("type") == REUSABLE_STEP_BLOCK and isinstance(child.get("value"), dict)
    } - {None}
    if not ids:
        return []
    rows = ReusableStep.objects.filter(pk__in=ids, live=True).order_by("pk")
    return [(pk, _raw(content)) for pk, content in rows.values_list("pk", "content")]


def _content_key(page) -> tuple[str, list, list] | None:
    """A digest of everything :func:`build_schema` reads from ``page`` and from the
    published reusable steps it includes (with the page's stored steps and those
    steps' rows), or None when it cannot tell (a page of another shape, or blocks
    already read: see :func:`_raw`)."""
    steps = getattr(page, "steps", None)
    if page.pk is None or getattr(steps, "raw_data", None) is None:
        return None
    try:
        raw_steps = _raw(steps)
        own = [
            page.pk,
            page.title,
            page.reference_prefix,
            raw_steps,
            *(_raw(getattr(page, name, None)) for name in ("calculations", "rules", "outcomes")),
        ]
    except _Touched:
        return None
    snippets = _included_snippets(raw_steps)
    encoded = json.dumps([own, snippets], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest(), raw_steps, snippets


def current_snapshot(page):
    """``freeze_schema(page.get_schema(), page=page)``, or None when the page has no
    steps: the FormSnapshot an applicant starts on.

    Building the schema turns every block of the form into Python values (most of a
    first step's work). The process remembers the schema it built per content digest
    (:func:`_content_key`: the page's stored blocks and the published reusable steps it
    includes), so the next applicant of an unchanged form only pays for the digest and
    the snapshot's lookup. Any change to what goes into the schema changes the digest;
    the snapshot itself is always read from the database (one query)."""
    content = _content_key(page)
    key = content[0] if content is not None else None
    with _built_schemas_lock:
        built = _built_schemas.get(key) if key is not None else None
        if built is not None:
            _built_schemas.move_to_end(key)
    if built is None:
        schema = page.get_schema()
        built = (schema, schema_hash(schema))
        # Kept only when no reusable step was published while the schema was built.
        if content is not None and _included_snippets(content[1]) == content[2]:
            with _built_schemas_lock:
                _built_schemas[key] = built
                while len(_built_schemas) > _BUILT_SCHEMAS_MAX:
                    _built_schemas.popitem(last=False)
    schema, digest = built
    if not schema["steps"]:
        return None
    from .models.snapshot import FormSnapshot

    # A copy: the remembered schema must not be changed by whoever uses the new row.
    snapshot, _created = FormSnapshot.objects.get_or_create(
        hash=digest, defaults={"schema": copy.deepcopy(schema), "page": page}
    )
    return snapshot


def schema_hash(schema: dict) -> str:
    """A stable SHA-256 of the schema, independent of key order."""
    encoded = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def freeze_schema(schema: dict, page=None):
    """The FormSnapshot holding exactly this schema; created once per distinct schema."""
    from .models.snapshot import FormSnapshot

    digest = schema_hash(schema)
    snapshot, _created = FormSnapshot.objects.get_or_create(
        hash=digest, defaults={"schema": schema, "page": page}
    )
    return snapshot


def input_fields(schema: dict) -> Iterator[tuple[dict, dict]]:
    """Every (step, field) pair of the schema that takes an answer."""
    for step in schema["steps"]:
        for field in step["fields"]:
            if get_field_type(field["type"]).has_input:
                yield step, field


def display_answers(schema: dict, answers: dict, *, reveal_sensitive: bool = False) -> list[dict]:
    """Answers grouped per step, each with its label and its type's display text.

    Steps without any answer (skipped by a condition) are left out. Sensitive answers
    (a national register number) are masked unless ``reveal_sensitive``: the applicant
    on the check page, an officer allowed to see them, the person's own data export.
    """
    sections = []
    for step in schema["steps"]:
        step_answers = answers.get(step["id"])
        if step_answers is None:
            continue
        rows = []
        for field in step["fields"]:
            field_type = get_field_type(field["type"])
            if not field_type.has_input or field["name"] not in step_answers:
                continue
            row = {
                "name": field["name"],
                "label": field["label"],
                "value": field_type.shown(
                    step_answers[field["name"]], field, reveal_sensitive=reveal_sensitive
                ),
                "reference": field_type.register_reference(step_answers[field["name"]], field),
            }
            # Texts an English check page shows in Dutch (forms_builder.translation).
            if field.get("label_lang"):
                row["label_lang"] = field["label_lang"]
            if field.get("choices_lang"):
                row["value_lang"] = field["choices_lang"]
            place = field_type.map_geometry(step_answers[field["name"]], field)
            if place:
                # For a small map next to the text (the officer's dossier view).
                row["geometry"] = json.dumps(place)
            rows.append(row)
        section = {"id": step["id"], "title": step["title"], "rows": rows}
        if step.get("title_lang"):
            section["title_lang"] = step["title_lang"]
        sections.append(section)
    return sections


def stored_calculation_sections(schema: dict, stored: dict, answers: dict) -> list[dict]:
    """The section of calculations the applicant sees (those the editor marked to show
    and the fee, with its breakdown) of a submitted application: ``stored`` are the
    values computed when it was sent, ``answers`` its answers (for the breakdown). In
    the shape of :func:`display_answers`; [] when there is none. The receipt and the
    status page show it, as the check page did."""
    known = answers_by_name(schema, answers, visible_steps(schema, answers))
    rows = applicant_rows(schema, stored or {}, known)
    if not rows:
        return []
    return [{"id": "berekening", "title": gettext("Costs and calculations"), "rows": rows}]


def mapped_values(schema: dict, answers: dict) -> dict[str, Any]:
    """Answers of fields the editor marked as applicant or company data, by target."""
    values = {}
    for step, field in input_fields(schema):
        target = field.get("maps_to")
        if target:
            value = answers.get(step["id"], {}).get(field["name"])
            if value not in (None, ""):
                values[target] = value
    return values
