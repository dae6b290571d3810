"""Every step of every demo form, in a real browser, checked by axe-core.

For each live ApplicationFormPage of the demo the applicant's whole way is walked in
Chromium: every step as first shown, the same step submitted empty (its error state),
then filled in with valid answers; the check-your-answers page (also with the
declaration left unticked); the confirmation page; the status page. axe-core (WCAG 2.1
A and AA) runs on each of them and the test fails on any violation.

Answers are made generically from the form's schema: each field type's
``sample_value`` gives a valid stored answer, adjusted to the editor's limits (earliest
date, minimum amount, ...) and, where a condition of the form refers to the field, to
the answer that shows the step or field behind it, so that as many steps as possible
are seen. Only fields the browser shows are filled in.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from cms.demo import content, load_demo
from forms_builder import conditions
from forms_builder.fields import get_field_type
from forms_builder.fields.date import date_limits
from forms_builder.models import ApplicationFormPage
from tests import files

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: The demo's forms, known before the database exists so that each is its own test.
DEMO_FORM_SLUGS = sorted(spec["slug"] for spec in content.FORMS.values())

STEP_URL = re.compile(r"/stap/(?P<key>[^/]+)/(#.*)?$")
CHECK_URL = re.compile(r"/controleren/(#.*)?$")
CONFIRMATION_URL = re.compile(r"/bevestiging/(#.*)?$")

#: Small files whose first bytes are what their extension says (the upload field checks).
SAMPLE_FILES = {
    "pdf": (
        "application/pdf",
        files.PDF,
    ),
    "png": (
        "image/png",
        files.PNG,
    ),
}

#: For a step where nothing is required: an answer its field type refuses.
INVALID_TEXT = {
    "email": "geen-e-mailadres",
    "phone": "12",
    "enterprise_number": "123",
    "vat_number": "123",
    "iban": "123",
    "decimal": "veel",
    "amount": "veel",
}


# --- answers from the schema ---------------------------------------------------------


def rules_by_field(schema: dict) -> dict[str, list[dict]]:
    """Every condition rule of the form (on steps and on fields), by the field it reads."""
    found: dict[str, list[dict]] = {}
    for step in schema["steps"]:
        holders = [step] + list(step["fields"])
        for holder in holders:
            for rule in (holder.get("condition") or {}).get("rules", []):
                found.setdefault(rule.get("field"), []).append(rule)
    return found


def _wanted_choice(field: dict, rules: list[dict]) -> str | None:
    """The option some condition of the form waits for, if any."""
    choices = field.get("options", {}).get("choices") or []
    for rule in rules:
        if rule.get("operator") == conditions.EQUALS and rule.get("value") in choices:
            return rule["value"]
        if rule.get("operator") == conditions.ONE_OF:
            for line in (rule.get("value") or "").splitlines():
                if line.strip() in choices:
                    return line.strip()
    return None


def _wanted_number(rules: list[dict]) -> Decimal | None:
    for rule in rules:
        try:
            limit = Decimal(str(rule.get("value")).strip().replace(",", "."))
        except ArithmeticError:
            continue
        if rule.get("operator") == conditions.GREATER_THAN:
            return limit + 1
        if rule.get("operator") == conditions.LESS_THAN:
            return limit - 1
        if rule.get("operator") == conditions.EQUALS:
            return limit
    return None


def _within(value: Decimal, options: dict) -> Decimal:
    minimum, maximum = options.get("min_value"), options.get("max_value")
    if minimum is not None and value < Decimal(str(minimum)):
        value = Decimal(str(minimum))
    if maximum is not None and value > Decimal(str(maximum)):
        value = Decimal(str(maximum))
    return value


def _allowed_date(options: dict, days_later: int = 0) -> datetime.date:
    earliest, latest = date_limits(options)
    day = max(timezone.localdate(), earliest or datetime.date.min)
    day += datetime.timedelta(days=days_later)
    if latest is not None and day > latest:
        day = latest
    return day


def valid_answer(field: dict, rules: list[dict]):
    """What to enter for ``field``: str, bool, list (tick boxes), dict (parts), or for an
    upload the extension of a sample file."""
    type_id = field["type"]
    options = field.get("options", {})
    sample = get_field_type(type_id).sample_value(field)
    if type_id in ("single_choice", "multiple_choice"):
        wanted = _wanted_choice(field, rules)
        if wanted is not None:
            return [wanted] if type_id == "multiple_choice" else wanted
        return sample
    if type_id == "yes_no":
        for rule in rules:
            word = str(rule.get("value", "")).strip().lower()
            if rule.get("operator") == conditions.EQUALS and word in {"no", "nee", "false"}:
                return False
        return True
    if type_id in ("integer", "decimal", "amount"):
        number = _wanted_number(rules)
        number = _within(Decimal(str(sample)) if number is None else number, options)
        if type_id == "integer":
            return str(int(number))
        places = 2 if type_id == "amount" else options.get("decimal_places", 2)
        # Written the Belgian way, with a decimal comma.
        return f"{number:.{places}f}".replace(".", ",")
    if type_id == "date" and options.get("date_style") == "known":
        day = _allowed_date(options)
        return {"day": day.day, "month": day.month, "year": day.year}
    if type_id == "date":
        return _allowed_date(options).isoformat()
    if type_id == "date_range":
        start = _allowed_date(options)
        return {"start": start.isoformat(), "end": _allowed_date(options, 2).isoformat()}
    if type_id == "time":
        earliest, latest = options.get("earliest"), options.get("latest")
        inside = (not earliest or sample >= earliest) and (not latest or sample <= latest)
        if earliest and latest and earliest > latest:  # across midnight
            inside = sample >= earliest or sample <= latest
        return sample if inside else (earliest or latest)
    if type_id == "location":
        # Typed, as without a mouse: a zone's corners, an address and a description.
        zone = "50.8500, 4.3500; 50.8500, 4.3502; 50.8502, 4.3502; 50.8502, 4.3500"
        return {
            "points": "50.8500, 4.3500" if options.get("shape") == "point" else zone,
            "address": "Markt 1",
            "description": "Voor de ingang",
        }
    if type_id == "file_upload":
        allowed = options.get("allowed_types") or ["pdf", "jpg", "jpeg", "png"]
        for extension in SAMPLE_FILES:
            if extension in allowed:
                return extension
        pytest.fail(f"no sample file for the upload field {field['name']!r} ({allowed})")
    return sample


# --- the browser ---------------------------------------------------------------------


def next_button(page):
    # Not "save for later", not a repeatable part's add and remove buttons, not the
    # company lookup, not the hidden copy of "next" that Enter uses.
    return page.locator(
        "main form button[type=submit]:not([name=save_draft]):not([aria-hidden=true])"
        ":not([name$='-add']):not([name$='-remove'])"
        ":not([name=lookup_company]):not(.visually-hidden)"
    )


def submit(page, locator) -> None:
    """Click ``locator`` and wait for the page it leads to, which must not be an error."""
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.status < 400, (
        f"{response.request.method} {response.url} answered HTTP {response.status}"
        if response
        else "no response"
    )


def field_group(page, field: dict):
    return page.locator(f"main form .form-group[data-field-name='{field['name']}']")


def shown(page, field: dict) -> bool:
    """Whether the step shows ``field`` now (earlier answers and this step's own
    answers can hide it)."""
    group = field_group(page, field)
    return group.count() == 1 and group.is_visible()


def enter(page, html_name: str, field: dict, value) -> None:
    """Put ``value`` into the inputs of ``field``, whatever kind of inputs they are."""
    group = field_group(page, field)
    inputs = group.locator(f"[name='{html_name}']")
    if inputs.count() == 0:  # several inputs, named <name>_<part> (a dict widget's keys)
        assert isinstance(value, dict), f"{html_name}: no input takes {value!r}"
        for part, part_value in value.items():
            part_input = group.locator(f"[name='{html_name}_{part}']")
            # An address "only in this municipality" asks no postcode: it comes from
            # the register.
            if part_input.count():
                part_input.fill(str(part_value or ""))
        return
    first = inputs.first
    kind = first.get_attribute("type") or first.evaluate("el => el.tagName.toLowerCase()")
    if kind == "file":
        content_type, data = SAMPLE_FILES[value]
        first.set_input_files(
            {"name": f"bijlage-{field['name']}.{value}", "mimeType": content_type, "buffer": data}
        )
    elif kind == "radio":
        wanted = {True: "yes", False: "no"}.get(value, value)
        values = [inputs.nth(i).get_attribute("value") for i in range(inputs.count())]
        inputs.nth(values.index(wanted) if wanted in values else 0).check()
    elif kind == "checkbox":
        if inputs.count() == 1 and not isinstance(value, list):
            first.check()
            return
        values = [inputs.nth(i).get_attribute("value") for i in range(inputs.count())]
        wanted = [v for v in (value or []) if v in values] or values[:1]
        for choice in wanted:
            inputs.nth(values.index(choice)).check()
    elif kind == "select":
        options = first.locator("option").evaluate_all("els => els.map((o) => o.value)")
        first.select_option(value if value in options else [o for o in options if o][0])
    else:
        first.fill(str(value))


def error_summary(page) -> str:
    summary = page.locator(".error-summary")
    return summary.inner_text() if summary.count() else ""


def walk_step(page, axe, title: str, key: str, step: dict, rules: dict) -> None:
    """On step ``key``: axe, the error state, axe, fill in valid answers, next."""
    where = f"{title}, step {key} “{step['title']}”"
    axe(page, where)
    step_url = page.url
    fields = [field for field in step["fields"] if get_field_type(field["type"]).has_input]

    # The error state: submitted empty, or with a refused answer if nothing is required.
    if any(field["required"] and shown(page, field) for field in fields):
        submit(page, next_button(page))
    else:
        refusable = [f for f in fields if f["type"] in INVALID_TEXT and shown(page, f)]
        assert refusable, f"{where}: nothing is required and no answer can be refused"
        field = refusable[0]
        enter(page, f"{key}-{field['name']}", field, INVALID_TEXT[field["type"]])
        submit(page, next_button(page))
    assert page.url == step_url, f"{where}: the step with errors moved on to {page.url}"
    assert page.locator(".error-summary a").count() >= 1, f"{where}: no error summary"
    axe(page, f"{where}, with errors")

    for field in fields:
        # In order: an answer can show the fields after it (conditions.js).
        if not shown(page, field):
            continue
        if getattr(get_field_type(field["type"]), "repeats", False):
            # A repeatable part shows its first item: fill in each of its questions.
            for child in field["options"]["fields"]:
                html_name = f"{key}-{field['name']}-0-{child['name']}"
                enter(page, html_name, child, valid_answer(child, []))
            continue
        enter(page, f"{key}-{field['name']}", field, valid_answer(field, rules[field["name"]]))
    if page.locator("main form .form-group[data-condition]").count():
        axe(page, f"{where}, filled in, with the questions its answers show")
    submit(page, next_button(page))
    problems = error_summary(page)
    assert not problems, f"{where}: the generic valid answers were refused:\n{problems}"


def test_the_parametrized_forms_are_the_demo_forms(live_server):
    load_demo()
    live = sorted(ApplicationFormPage.objects.live().values_list("slug", flat=True))
    assert live == DEMO_FORM_SLUGS, "the demo's forms changed: every one must be walked"


@pytest.mark.parametrize("slug", DEMO_FORM_SLUGS)
def test_every_step_of_the_form_is_accessible(slug, live_server, new_page, axe):
    load_demo()
    form = ApplicationFormPage.objects.live().get(slug=slug)
    schema = form.get_schema()
    all_rules = rules_by_field(schema)
    rules = {
        field["name"]: all_rules.get(field["name"], [])
        for step in schema["steps"]
        for field in step["fields"]
        if field.get("name")
    }
    title = form.title
    page = new_page()

    response = page.goto(live_server.url + form.url)
    assert response is not None and response.status == 200, response and response.status
    seen = []
    while match := STEP_URL.search(page.url):
        key = match["key"]
        assert key not in seen, f"{title}: step {key} came back after {seen}"
        seen.append(key)
        walk_step(page, axe, title, key, schema["steps"][int(key) - 1], rules)

    assert CHECK_URL.search(page.url), f"{title}: the last step led to {page.url}"
    every_step = [str(index + 1) for index in range(len(schema["steps"]))]
    assert seen == every_step, f"{title}: steps {seen} were shown, of {every_step}"
    unanswered = [
        row.locator(".summary-list__key").inner_text()
        for row in page.locator(".summary-list__row").all()
        if row.locator(".summary-list__value").inner_text().strip() in ("", "–")
    ]
    assert not unanswered, f"{title}: shown but not answered: {unanswered}"
    axe(page, f"{title}, check your answers")

    declaration = page.locator("main form input[name=accept]")
    if declaration.count():
        submit(page, page.locator("main form button[type=submit]"))
        assert CHECK_URL.search(page.url)
        assert page.locator(".error-summary a").count() == 1
        axe(page, f"{title}, check your answers without the declaration")
        page.locator("main form input[name=accept]").check()
    submit(page, page.locator("main form button[type=submit]"))

    assert CONFIRMATION_URL.search(page.url), f"{title}: submitting led to {page.url}"
    reference = page.locator(".reference").inner_text().strip()
    assert re.fullmatch(rf"{form.reference_prefix}-\d{{4}}-\d{{5}}", reference), reference
    axe(page, f"{title}, confirmation")

    submit(page, page.locator("main a[href*='/dossier']"))
    assert reference in page.locator("h1").inner_text()
    axe(page, f"{title}, status page")
