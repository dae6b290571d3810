"""Fuzzing the form wizard with hypothesis: random forms, random and hostile answers.

Each example builds a random application form as an editor could save it: one to three
steps of fields of every registered field type (``forms_builder.fields``) with random
settings, and conditions on steps and fields that use earlier answers. An applicant
then walks through it with the Django test client, posting for every step a mix of
valid answers and hostile ones: wrong types, huge and empty values, unicode, NUL
characters, formulas, several values for one field, files, missing and extra fields,
forged step names and management forms, posts to steps that do not exist.

Never a server error. Every submission that is accepted is stored, shown on the
applicant's status page and in the officer's dossier view, and exported to CSV and
XLSX without an error.

Bounded: ``LOKET_FUZZ_EXAMPLES`` examples (default 40), no deadline per example, and in
CI (``CI`` set) derandomized, so a run is repeatable, and without shrinking.
"""

from __future__ import annotations

import io
import os
import string
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st
from wagtail import blocks

from cms.demo import ensure_team
from dossiers import export
from dossiers.models import Dossier
from forms_builder import conditions
from forms_builder.blocks import FieldsBlock
from forms_builder.fields import all_field_types, get_field_type
from forms_builder.fields.base import MAPS_TO_CHOICES
from forms_builder.forms import StepForm
from forms_builder.models import ApplicationFormPage
from tests.bench.bench_wizard import browser_data
from tests.factories import UserFactory
from tests.files import PDF

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EXAMPLES = int(os.environ.get("LOKET_FUZZ_EXAMPLES", "40"))
IN_CI = bool(os.environ.get("CI"))
#: At most this many requests per example (steps, goes back, forged posts).
MAX_REQUESTS = 12
TYPE_IDS = [field_type.type_id for field_type in all_field_types()]
#: Simple question types for the items of a repeatable part.
ITEM_TYPE_IDS = ["short_text", "integer", "date", "time", "yes_no"]

# --- random forms ------------------------------------------------------------------------

words = st.text(alphabet=string.ascii_letters + "éëèçà ’-", min_size=1, max_size=20).filter(
    str.strip
)
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)


def option_value(block: blocks.Block) -> st.SearchStrategy:
    """A random value an editor could give a field type's setting ``block``."""
    if isinstance(block, blocks.BooleanBlock):
        return st.booleans()
    if isinstance(block, blocks.IntegerBlock):
        return st.none() | st.integers(-30, 400)
    if isinstance(block, blocks.FloatBlock):
        return st.none() | st.floats(-100, 5000, allow_nan=False).map(lambda x: round(x, 2))
    if isinstance(block, blocks.MultipleChoiceBlock):
        choices = [value for value, _label in block.field.choices if value]
        return st.lists(st.sampled_from(choices), min_size=1, unique=True)
    if isinstance(block, blocks.ChoiceBlock):
        return st.sampled_from([value for value, _label in block.field.choices if value])
    if isinstance(block, blocks.ListBlock) and isinstance(block.child_block, blocks.StructBlock):
        return st.just([])  # options on a condition: drawn in form_steps, from the choices
    if isinstance(block, blocks.ListBlock):
        return st.lists(words, min_size=1, max_size=5, unique=True)
    if isinstance(block, blocks.RichTextBlock):
        return words.map(lambda text: f"<p>{text}</p>")
    if isinstance(block, blocks.DateBlock):
        return st.none() | st.dates().map(lambda day: day.isoformat())
    if isinstance(block, blocks.TimeBlock):
        return st.none() | st.times().map(lambda t: t.isoformat(timespec="minutes"))
    if isinstance(block, blocks.CharBlock | blocks.TextBlock):
        return words
    if isinstance(block, blocks.StreamBlock):  # the questions of a repeatable part's items
        return st.lists(
            st.tuples(st.sampled_from(ITEM_TYPE_IDS), st.booleans()), min_size=1, max_size=3
        ).map(
            lambda questions: [
                {
                    "type": type_id,
                    "value": {"label": f"Vraag {i}", "name": f"q{i}", "required": required},
                }
                for i, (type_id, required) in enumerate(questions)
            ]
        )
    raise AssertionError(f"no strategy for the setting block {type(block).__name__}")


@st.composite
def condition_on(draw, names: list[tuple[str, str, list]]) -> dict:
    """A condition whose rules use the earlier questions ``names`` ((name, type, its
    options)), maybe with a group of rules. A rule on a question with options names
    options of it, as the editor's save requires (a value that is none of them is
    refused); times of day are compared on time questions, counts on tick boxes and
    repeatable parts only."""
    condition = {"combinator": draw(st.sampled_from(["all", "any"])), "rules": []}
    for _ in range(draw(st.integers(1, 2))):
        condition["rules"].append(draw(rule_on(names)))
    if draw(st.integers(0, 2)) == 0:
        group_rules = draw(st.lists(rule_on(names), min_size=1, max_size=2))
        group = {"combinator": draw(st.sampled_from(["all", "any"])), "rules": group_rules}
        condition["groups"] = [group]
    return condition


TIME_OPERATORS = (conditions.TIME_BEFORE, conditions.TIME_AFTER)
COUNT_OPERATORS = (conditions.COUNT_AT_LEAST, conditions.COUNT_AT_MOST)
COUNTABLE_TYPES = ("multiple_choice", "repeatable")


@st.composite
def rule_on(draw, names: list[tuple[str, str, list]]) -> dict:
    """One rule of :func:`condition_on`."""
    name, type_id, options = draw(st.sampled_from(names))
    operator = draw(
        st.sampled_from(
            [
                value
                for value, _label in conditions.OPERATOR_CHOICES
                if (value not in TIME_OPERATORS or type_id == "time")
                and (value not in COUNT_OPERATORS or type_id in COUNTABLE_TYPES)
            ]
        )
    )
    if operator in conditions.VALUELESS_OPERATORS:
        value = ""
    elif operator in (conditions.GREATER_THAN, conditions.LESS_THAN):
        value = str(draw(st.integers(-5, 500)))
    elif operator in (conditions.BEFORE, conditions.AFTER):
        value = draw(st.dates()).isoformat()
    elif operator in TIME_OPERATORS:
        value = draw(st.times()).isoformat(timespec="minutes")
    elif operator in COUNT_OPERATORS:
        value = str(draw(st.integers(0, 5)))
    elif options and operator == conditions.ONE_OF:
        value = "\n".join(draw(st.lists(st.sampled_from(options), min_size=1, max_size=3)))
    elif options and operator in (conditions.EQUALS, conditions.NOT_EQUALS):
        value = draw(st.sampled_from(options))
    elif operator == conditions.ONE_OF:
        value = "\n".join(draw(st.lists(words, min_size=1, max_size=3)))
    elif type_id == "yes_no":
        value = draw(st.sampled_from(["yes", "no"]))
    else:
        value = draw(words)
    return {"field": name, "operator": operator, "value": value}


@st.composite
def form_steps(draw) -> list[dict]:
    """StreamField data of a random form: steps of fields of every type, conditions."""
    type_blocks = dict(FieldsBlock().child_blocks)
    earlier: list[tuple[str, str, list]] = []
    steps = []
    for step_number in range(draw(st.integers(1, 3))):
        before_this_step = list(earlier)
        fields = []
        for field_number in range(draw(st.integers(1, 4))):
            type_id = draw(st.sampled_from(TYPE_IDS))
            field_type = get_field_type(type_id)
            settings_blocks = dict(type_blocks[type_id].child_blocks)
            value = {
                name: draw(option_value(settings_blocks[name]))
                for name in field_type.option_names()
            }
            if field_type.has_input:
                name = f"v{step_number}_{field_number}_{type_id}"
                value.update(
                    label=draw(words),
                    name=name,
                    help_text=draw(st.just("") | words),
                    required=draw(st.booleans()),
                    prefill=draw(st.booleans()),
                    maps_to=draw(st.sampled_from([value for value, _label in MAPS_TO_CHOICES])),
                )
                if earlier and draw(st.integers(0, 3)) == 0:
                    value["condition"] = draw(condition_on(earlier))
                options = value.get("choices") if isinstance(value.get("choices"), list) else []
                if "option_conditions" in value and earlier and options:
                    value["option_conditions"] = [
                        {"option": draw(st.sampled_from(options)), "condition": condition}
                        for condition in draw(st.lists(condition_on(earlier), max_size=2))
                    ]
                earlier.append((name, type_id, options))
            fields.append({"type": type_id, "value": value})
        step = {"title": draw(words), "intro": "", "fields": fields}
        if before_this_step and draw(st.integers(0, 3)) == 0:
            step["condition"] = draw(condition_on(before_this_step))
        steps.append({"type": "step", "value": step})
    return steps


# --- random and hostile answers ---------------------------------------------------------------

HOSTILE_WORDS = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "-Infinity",
    "2030-02-30",
    "31/12/9999",
    "0000-00-00",
    "25:61",
    "yes",
    "ja",
    "null",
    "[]",
    '{"a": 1}',
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "@SUM(1+1)",
    "../../etc/passwd",
    "\x00",
    "nul\x00in the middle",
    "\u202eRTL",
    "😀" * 20,
    "BE71 0961 2345 6769",
    "0403.170.701",
    "+32 470 12 34 56",
]

hostile_value = st.one_of(
    st.sampled_from(HOSTILE_WORDS),
    st.sampled_from(HOSTILE_WORDS),  # twice: they are the likeliest to break something
    any_text,
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(1_000, 100_000).map(lambda size: "x" * size),
    st.integers(100, 5_000).map(lambda size: "é€😀" * size),
).flatmap(
    # A NUL character in one value in three: the database cannot store it in text or JSON.
    lambda text: st.sampled_from([text, text, text + "\x00"])
)


def a_file(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


hostile_file = st.one_of(
    st.builds(lambda: a_file("bewijs.pdf", PDF, "application/pdf")),
    st.builds(lambda: a_file("plan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")),
    st.builds(lambda: a_file("../../etc/passwd", b"root:x:0:0", "text/plain")),
    st.builds(lambda: a_file("foto.svg", b"<svg onload=alert(1)/>", "image/svg+xml")),
    st.builds(lambda: a_file("leeg.pdf", b"", "application/pdf")),
    st.builds(
        lambda name: a_file(name or "x", b"%PDF-1.4", "application/pdf"), st.text(max_size=300)
    ),
)


def valid_data(form: StepForm) -> dict[str, list[str]]:
    """What a browser posts for ``form`` with each field's sample answer filled in."""
    initial = {}
    for name, definition in form.field_definitions.items():
        field_type = get_field_type(definition["type"])
        try:
            initial[name] = field_type.from_json(field_type.sample_value(definition), definition)
        except Exception:  # noqa: BLE001 - a type without a usable sample stays empty
            continue
    unbound = StepForm(
        step=form.step, earlier_answers=form.earlier_answers, prefix=form.prefix, initial=initial
    )
    data = browser_data(unbound)
    for group in unbound.groups.values():  # the items of repeatable parts
        for item_form in group.forms:
            data.update(browser_data(item_form))
    return data


@st.composite
def step_post(draw, form: StepForm, prefix: str, step: str) -> tuple[dict, dict]:
    """POST data and files for a step: valid answers, each possibly swapped for a hostile
    one, dropped or doubled; extra fields; a forged management form."""
    data = valid_data(form)
    files = {}
    hostility = draw(st.sampled_from([0, 0, 1, 3, 10]))  # in ten: how many answers go bad
    for name in list(form.fields):
        key = form.add_prefix(name)
        definition = form.field_definitions[name]
        if getattr(get_field_type(definition["type"]), "takes_files", False):
            if draw(st.integers(0, 2)):
                files[key] = draw(hostile_file)
            continue
        if name in form.groups and draw(st.integers(0, 2)) == 0:
            # A repeatable part's add or remove button, with a forged index or not.
            button = draw(st.sampled_from(["add", "remove"]))
            data[f"{key}-{button}"] = [
                draw(st.sampled_from(["0", "1", "-1", "99"]) | hostile_value)
            ]
        if draw(st.integers(0, 9)) >= hostility:
            continue
        how = draw(st.sampled_from(["value", "value", "drop", "list", "sub-fields"]))
        sub_keys = [k for k in data if k.startswith(key + "_")] or [key]
        for sub_key in sub_keys:
            if how == "drop":
                data.pop(sub_key, None)
            elif how == "list":
                data[sub_key] = draw(st.lists(hostile_value, min_size=2, max_size=4))
            else:
                data[sub_key] = [draw(hostile_value)]
    if draw(st.booleans()):
        for _ in range(draw(st.integers(1, 5))):
            data[draw(st.sampled_from([f"{prefix}-", "", form.prefix + "-"])) + draw(words)] = [
                draw(hostile_value)
            ]
    current_step = f"{prefix}-current_step"
    data[current_step] = [
        draw(st.sampled_from([step] * 6 + ["", "0", "99", "controleren", "1\x00", "-1"]))
    ]
    if draw(st.integers(0, 9)) == 0:
        data.pop(current_step)
    if draw(st.integers(0, 9)) == 0:
        data["wizard_goto_step"] = [draw(st.sampled_from(["1", "2", "0", "99", "x"]))]
    if draw(st.integers(0, 14)) == 0:
        data["save_draft"] = ["1"]
    return data, files


forged_paths = st.sampled_from(
    ["stap/0/", "stap/99/", "stap/-1/", "stap/%00/", "stap/abc/", "controleren/", "bevestiging/"]
)


# --- the test ----------------------------------------------------------------------------


def no_server_error(response, what: str):
    assert response.status_code < 500, f"{what}: HTTP {response.status_code}"
    return response


def assert_shown_and_exported(dossier: Dossier, applicant: Client, officer: Client) -> None:
    status_page = no_server_error(applicant.get(dossier.get_status_url()), "status page")
    assert status_page.status_code == 200 and dossier.reference in status_page.content.decode()
    url = reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
    inspect = no_server_error(officer.get(url), "dossier view")
    assert inspect.status_code == 200, inspect.status_code
    queryset = Dossier.objects.filter(pk=dossier.pk)
    for export_format in export.all_formats():
        response = export.export_response(queryset, export_format, with_answers=True)
        content = b"".join(
            part if isinstance(part, bytes) else part.encode()
            for part in response.streaming_content
        )
        if export_format.format_id == "xlsx":
            from openpyxl import load_workbook

            rows = list(load_workbook(io.BytesIO(content), read_only=True).active.values)
        else:
            rows = content.decode("utf-8-sig").splitlines()
        assert len(rows) >= 2, export_format.format_id


# Thousands of posts from one address would reach the rate limits, and a 429 would make
# the same example take another path when hypothesis runs it again (the limits have tests
# of their own: tests/cms/test_public_posts.py, tests/forms_builder/test_rate_limits.py).
@override_settings(LOKET_RATELIMIT_ENABLED=False)
def test_random_forms_and_hostile_answers_never_give_a_server_error(home_page):
    team = ensure_team("Fuzz")
    officer = Client()
    officer.force_login(UserFactory(username="fuzz-admin", is_superuser=True, is_staff=True))
    stats = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=IN_CI,
        # Shrinking a failing example can take minutes; CI reports the example as found.
        phases=[phase for phase in Phase if not (IN_CI and phase == Phase.shrink)],
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def example(data):
        stats["examples"] += 1
        page = ApplicationFormPage(
            title="Fuzz",
            slug=f"fuzz-{stats['examples']}",
            steps=data.draw(form_steps(), label="steps"),
            reference_prefix="FUZ",
            team=team,
            declaration_text=data.draw(st.sampled_from(["", "<p>Ik verklaar.</p>"])),
        )
        try:
            home_page.add_child(instance=page)
        except ValidationError:
            reject()  # a form no editor could save
        stats["forms"] += 1
        prefix = f"loket-form-{page.pk}"
        applicant = Client(raise_request_exception=False)
        response = no_server_error(applicant.get(page.url, follow=True), "opening the form")
        for _ in range(MAX_REQUESTS):
            context = response.context or {}
            if "bevestiging/" in response.wsgi_request.path:
                break
            if data.draw(st.integers(0, 9), label="forge") == 0:
                path = page.url + data.draw(forged_paths, label="forged path")
                post = {f"{prefix}-current_step": ["1"], "x": [data.draw(hostile_value)]}
                no_server_error(applicant.post(path, post, follow=True), f"POST {path}")
                response = no_server_error(applicant.get(page.url, follow=True), "back")
                continue
            path = response.wsgi_request.path
            if context.get("sections") is not None:  # check your answers
                post = {}
                if data.draw(st.booleans(), label="declare"):
                    post["accept"] = "on"
                response = no_server_error(applicant.post(path, post, follow=True), "submit")
                continue
            form = context.get("form")
            if not isinstance(form, StepForm):
                break
            step = context["wizard"]["steps"].current
            post, files = data.draw(step_post(form, prefix, step), label=f"step {step}")
            response = no_server_error(
                applicant.post(path, {**post, **files}, follow=True), f"POST {path}"
            )
        if "bevestiging/" not in response.wsgi_request.path:
            return
        dossier = Dossier.objects.get(pk=applicant.session[f"loket-submitted-{page.pk}"])
        stats["submitted"] += 1
        assert_shown_and_exported(dossier, applicant, officer)

    example()
    print(f"\nFuzz: {dict(stats)}")
    assert stats["forms"] >= EXAMPLES // 2, stats
    assert stats["submitted"] >= 1, stats


def test_a_nul_character_anywhere_in_a_step_is_not_a_server_error(client, home_page):
    """Found by the fuzzer: PostgreSQL cannot store a NUL in JSON, and the draft kept
    every posted key of a valid step, so one extra field with a NUL gave a 500."""
    from tests.conftest import make_form_page
    from tests.forms_builder.test_wizard import COMPANY, Applicant

    applicant = Applicant(client, make_form_page(home_page))
    applicant.open()

    response = applicant.answer(COMPANY, **{"extra": "x\x00y", "1-extra": "\x00"})
    assert response.status_code == 200
    assert response.redirect_chain, "the step was valid and the next one shows"
    response = applicant.answer({"adres": "Markt\x00 1"}, save_draft="1")
    assert response.status_code == 200
