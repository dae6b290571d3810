"""The applicant's form wizard against a plain Django form view.

Measures GET and POST of step 3 of a 5-step, 30-field form (six fields per step, a mix
of every registered field type except uploads and content blocks) next to
:mod:`tests.bench.plain_form` (the same six kinds of field as that step, the same base
template and field component), in interleaved rounds of one process. Then counts the
queries of one step GET and POST on that form, on a 10-step, 60-field form (step 3 and
step 8) and with 1,000 extra dossiers and drafts in the database: the count must be the
same everywhere.

Figures: ``wizard_step_ratio`` (wizard step time / plain form time, the GET and POST
ratios averaged; target at most 2) and ``wizard_step_queries`` (queries of one step
request, the larger of GET and POST). The form pages, drafts, dossiers and snapshots it
creates are deleted at the end; the home page, site and team it needs stay.
"""

from __future__ import annotations

import cProfile
import datetime
import io
import pstats
import re
from html.parser import HTMLParser
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from .plain_form import CHOICES, VALID_DATA
from .runner import Context, Outcome
from .timing import measure

NAME = "Form wizard"

#: The timing target: a wizard step costs at most this many times the plain form view.
TARGET_RATIO = 2.0
FIELDS_PER_STEP = 6
#: The step that is measured: it has steps before and after it.
MEASURED_STEP = 3
EXTRA_DOSSIERS = 1_000

#: The measured step: the same six kinds of question as the plain form.
MEASURED_STEP_TYPES = ["short_text", "email", "integer", "date", "single_choice", "yes_no"]

#: Settings of the types that need some (anything else takes the block defaults).
OPTIONS: dict[str, dict[str, Any]] = {
    "short_text": {"max_length": 200},
    "long_text": {"max_length": 2000},
    "integer": {"min_value": 1, "max_value": 500},
    "single_choice": {"choices": CHOICES, "widget": "radio"},
    "multiple_choice": {"choices": ["Tafels", "Stoelen", "Parasols", "Windschermen"]},
}

#: A valid answer per type, as a form's initial value; rendered and read back like a
#: browser would (see :func:`browser_data`). Types not listed try their sample value.
ANSWERS: dict[str, Any] = {
    "short_text": VALID_DATA["naam"],
    "long_text": "Een terras van tien tafels op het plein,\nvan april tot oktober.",
    "email": VALID_DATA["email"],
    "integer": VALID_DATA["aantal"],
    "decimal": "12,5",
    "amount": "1250,00",
    "date": VALID_DATA["datum"],
    "time": "14:30",
    "date_range": {"start": "2030-06-01", "end": "2030-09-30"},
    "single_choice": VALID_DATA["plaats"],
    "yes_no": VALID_DATA["overdekt"],
    "multiple_choice": ["Tafels", "Parasols"],
    "consent": True,
    "phone": "+32 470 12 34 56",
    "enterprise_number": "0403.170.701",
    "vat_number": "BE 0403.170.701",
    "iban": "BE71 0961 2345 6769",
    "address": {
        "street": "Kerkstraat",
        "number": "12",
        "box": "",
        "postcode": "9000",
        "municipality": "Gent",
    },
}


# --- building the forms -------------------------------------------------------------


class _FormReader(HTMLParser):
    """Reads the values a browser would send for the inputs in a piece of HTML."""

    def __init__(self):
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in attributes:
                    self.pairs.append((name, attributes.get("value") or "on"))
            elif kind not in ("submit", "button", "file"):
                self.pairs.append((name, attributes.get("value") or ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.pairs.append((self._select, attributes.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.pairs.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def browser_data(form) -> dict[str, list[str]]:
    """What a browser posts for ``form`` as rendered with its initial values."""
    reader = _FormReader()
    for bound_field in form:
        reader.feed(str(bound_field))
    data: dict[str, list[str]] = {}
    for name, value in reader.pairs:
        data.setdefault(name, []).append(value)
    return data


def field_definition(type_id: str, name: str) -> dict:
    """A schema field definition, as :func:`forms_builder.schema.build_schema` makes."""
    return {
        "id": name,
        "type": type_id,
        "name": name,
        "label": name.replace("_", " ").capitalize(),
        "help_text": "",
        "required": True,
        "maps_to": "",
        "condition": None,
        "prefill": False,
        "options": OPTIONS.get(type_id, {}),
    }


def answer_for(type_id: str) -> Any:
    from forms_builder.fields import get_field_type

    if type_id in ANSWERS:
        return ANSWERS[type_id]
    field_type = get_field_type(type_id)
    definition = field_definition(type_id, "probe")
    return field_type.from_json(field_type.sample_value(definition), definition)


def step_post_data(step: dict, key: str) -> dict[str, list[str]]:
    """Valid POST data (without the management field) for a schema step."""
    from forms_builder.forms import StepForm

    initial = {field["name"]: answer_for(field["type"]) for field in step["fields"]}
    form = StepForm(step=step, prefix=key, initial=initial)
    data = browser_data(form)
    check = StepForm(data=MultiValueDict(data), step=step, prefix=key)
    if not check.is_valid():
        errors = "; ".join(f"{name}: {' '.join(e)}" for name, e in check.errors.items())
        raise AssertionError(f"answer not valid ({errors})")
    return data


def usable_types() -> tuple[list[str], list[str]]:
    """The input types the benchmark can fill in, and why others are left out."""
    from forms_builder.fields import all_field_types

    usable, skipped = [], []
    for field_type in all_field_types():
        type_id = field_type.type_id
        if not field_type.has_input:
            skipped.append(f"{type_id} (no input)")
            continue
        if getattr(field_type, "takes_files", False):
            skipped.append(f"{type_id} (file upload)")
            continue
        if getattr(field_type, "repeats", False):
            skipped.append(f"{type_id} (a repeatable part: its questions are other types)")
            continue
        try:
            step_post_data({"fields": [field_definition(type_id, "probe")]}, "1")
        except Exception as error:  # noqa: BLE001 - a type we cannot fill in is reported
            skipped.append(f"{type_id} ({' '.join(str(error).split())[:100]})")
            continue
        usable.append(type_id)
    return usable, skipped


def steps_blocks(step_count: int, types: list[str]) -> list[dict]:
    """StreamField data of ``step_count`` steps of six fields; step 3 mirrors the plain
    form, the others cycle through every usable type."""
    others = [type_id for type_id in types if type_id not in MEASURED_STEP_TYPES] + [
        type_id for type_id in types if type_id in MEASURED_STEP_TYPES
    ]
    cycle = iter(others * (step_count * FIELDS_PER_STEP))
    blocks = []
    for number in range(1, step_count + 1):
        if number == MEASURED_STEP:
            step_types = [t for t in MEASURED_STEP_TYPES if t in types]
            step_types += [next(cycle) for _ in range(FIELDS_PER_STEP - len(step_types))]
        else:
            step_types = [next(cycle) for _ in range(FIELDS_PER_STEP)]
        fields = []
        for position, type_id in enumerate(step_types, start=1):
            definition = field_definition(type_id, f"s{number}_{position}_{type_id}")
            value = {key: definition[key] for key in ("label", "name", "help_text", "required")}
            fields.append({"type": type_id, "value": {**value, **definition["options"]}})
        blocks.append(
            {
                "type": "step",
                "value": {"title": f"Stap {number}", "intro": "", "fields": fields},
            }
        )
    return blocks


class BenchForm:
    """One form page of the benchmark with valid POST data for every step."""

    def __init__(self, home, team, step_count: int, types: list[str]):
        from forms_builder.models import ApplicationFormPage

        self.page = home.add_child(
            instance=ApplicationFormPage(
                title=f"Benchmark {step_count} stappen",
                slug=f"bench-wizard-{step_count}",
                steps=steps_blocks(step_count, types),
                reference_prefix="BEN",
                team=team,
            )
        )
        self.schema = self.page.get_schema()
        self.step_count = step_count
        self.field_count = sum(len(step["fields"]) for step in self.schema["steps"])
        self.data = {
            number: step_post_data(step, str(number))
            for number, step in enumerate(self.schema["steps"], start=1)
        }

    def url(self, number: int) -> str:
        return f"{self.page.url}stap/{number}/"

    def post(self, client: Client, number: int, variant: int = 0):
        """POST step ``number``; ``variant`` changes one answer, so that every POST of a
        series really changes the draft (as an applicant's would)."""
        data = {**self.data[number], f"loket-form-{self.page.pk}-current_step": str(number)}
        if variant:
            key = next(key for key in data if key.endswith("_short_text"))
            data[key] = [f"{data[key][0]} {variant}"]
        response = client.post(self.url(number), data)
        expected = self.url(number + 1) if number < self.step_count else "/controleren/"
        if response.status_code != 302 or not response["Location"].endswith(expected):
            raise AssertionError(
                f"POST {self.url(number)}: {response.status_code} "
                f"{response.get('Location', '')} (expected a redirect to {expected})"
            )
        return response

    def get(self, client: Client, number: int):
        response = client.get(self.url(number))
        if response.status_code != 200:
            raise AssertionError(f"GET {self.url(number)}: {response.status_code}")
        return response

    def client_before(self, number: int) -> Client:
        """A browser whose draft holds the steps before ``number``."""
        client = Client()
        for done in range(1, number):
            self.post(client, done)
        return client


# --- the plain form -------------------------------------------------------------------

PLAIN_URL = "/bench/plain-form/"
#: The yardstick for POST: the plain view keeps the valid answers in the session.
PLAIN_KEEPING_URL = PLAIN_URL + "?bewaren=1"


def plain_get(client: Client):
    response = client.get(PLAIN_URL)
    if response.status_code != 200:
        raise AssertionError(f"GET {PLAIN_URL}: {response.status_code}")
    return response


def plain_post(client: Client, variant: int = 0, url: str = PLAIN_URL):
    data = {**VALID_DATA, "naam": f"{VALID_DATA['naam']} {variant}"} if variant else VALID_DATA
    response = client.post(url, data)
    if response.status_code != 302:
        raise AssertionError(f"POST {url}: {response.status_code} (expected a redirect)")
    return response


# --- query counts ---------------------------------------------------------------------


def count_queries(call) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries), [query["sql"] for query in captured]


def add_dossiers_and_drafts(form: BenchForm, count: int) -> None:
    """``count`` submitted dossiers and ``count`` other applicants' drafts of the form."""
    from dossiers.models import Dossier
    from forms_builder.models import Draft
    from forms_builder.schema import freeze_schema

    snapshot = freeze_schema(form.schema, page=form.page)
    now = timezone.now()
    Dossier.objects.bulk_create(
        Dossier(
            reference=f"BEN-2030-{number:06d}",
            form_page=form.page,
            form_title=form.page.title,
            snapshot=snapshot,
            answers={"step": {"naam": f"Aanvrager {number}"}},
            applicant_name=f"Aanvrager {number}",
            applicant_email=f"aanvrager{number}@voorbeeld.be",
            team=form.page.team,
            submitted_at=now - datetime.timedelta(minutes=number),
        )
        for number in range(count)
    )
    Draft.objects.bulk_create(
        Draft(
            page=form.page,
            snapshot=snapshot,
            data={"step": "2", "step_data": {}, "step_files": {}, "extra_data": {}},
            expires_at=now + datetime.timedelta(days=30),
        )
        for _number in range(count)
    )


def clean_up(forms: list[BenchForm]) -> None:
    from dossiers.models import Dossier
    from forms_builder.models import Draft, FormSnapshot

    pages = [form.page for form in forms]
    Dossier.objects.filter(form_page__in=pages).delete()
    Draft.objects.filter(page__in=pages).delete()
    FormSnapshot.objects.filter(page__in=pages).delete()
    for page in pages:
        page.delete()


# --- the benchmark --------------------------------------------------------------------


#: Where a step request spends its time: (file, function) → what it is.
BREAKDOWN = [
    ("django/test/client.py", "__call__", "the whole request (Django's handler)"),
    ("wagtail/views.py", "serve", "Wagtail serve: routing, privacy check, the wizard"),
    ("wagtail/models/pages.py", "route_for_request", "  Wagtail routing: site and page tree"),
    ("wagtail/models/pages.py", "get_view_restrictions", "  Wagtail privacy check"),
    ("forms_builder/views.py", "wizard_view", "  forms_builder.views.wizard_view"),
    ("forms_builder/wizard.py", "for_request", "    ApplicationWizard.for_request"),
    ("forms_builder/drafts.py", "current_draft", "      drafts.current_draft"),
    ("django/contrib/sessions/backends/db.py", "load", "      session load"),
    ("formtools/wizard/views.py", "get_initkwargs", "      WizardView.get_initkwargs"),
    ("forms_builder/wizard.py", "get_form_kwargs", "    wizard.get_form_kwargs"),
    ("forms_builder/wizard.py", "__init__", "    StepForm.__init__"),
    ("django/forms/forms.py", "full_clean", "    form validation (full_clean)"),
    ("forms_builder/drafts.py", "save", "    DraftStorage.save (draft write)"),
    ("django/template/response.py", "render", "template rendering"),
    ("django/db/models/sql/compiler.py", "execute_sql", "all ORM queries (compile + run)"),
    ("django/db/backends/utils.py", "execute", "  database cursor execute"),
]


def breakdown(stats: pstats.Stats, rounds: int) -> list[str]:
    """Milliseconds per request in the functions of :data:`BREAKDOWN`."""
    lines = []
    for suffix, function, label in BREAKDOWN:
        total = sum(
            cumulative
            for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in (
                stats.stats.items()  # type: ignore[attr-defined]
            )
            if name == function and filename.replace("\\", "/").endswith(suffix)
        )
        if total:
            lines.append(f"  {label:<56} {total / rounds * 1000:7.2f} ms")
    return lines


def profile(context: Context, small: BenchForm, rounds: int = 100) -> None:
    """cProfile of ``rounds`` step GETs and POSTs: where the time goes, top functions."""
    get_client = small.client_before(MEASURED_STEP)
    post_client = small.client_before(MEASURED_STEP)
    combined = None
    for method in ("GET", "POST"):
        profiler = cProfile.Profile()
        for index in range(rounds):
            profiler.enable()
            if method == "GET":
                small.get(get_client, MEASURED_STEP)
            else:
                small.post(post_client, MEASURED_STEP, variant=index % 2 + 1)
            profiler.disable()
        stats = pstats.Stats(profiler, stream=io.StringIO())
        context.say(
            f"\n--- cProfile of {rounds} wizard {method}s of step 3: ms per request "
            "(profiler overhead included) ---"
        )
        for line in breakdown(stats, rounds):
            context.say(line)
        if combined is None:
            combined = stats
        else:
            combined.add(stats)
    out = io.StringIO()
    combined.stream = out
    combined.strip_dirs().sort_stats("tottime").print_stats(25)
    context.say(f"\n--- cProfile, {rounds} GETs + {rounds} POSTs, top functions by own time ---")
    context.say(out.getvalue().split("\n", 4)[-1].rstrip())


def run(context: Context) -> Outcome:
    from cms.demo import ensure_home_page, ensure_team

    outcome = Outcome()
    say = context.say
    home = ensure_home_page()
    team = ensure_team("Benchmark", "bench@voorbeeld.be")
    types, skipped = usable_types()
    say(f"Field types used ({len(types)}): {', '.join(types)}")
    if skipped:
        say(f"Left out: {', '.join(skipped)}")
    missing = [type_id for type_id in MEASURED_STEP_TYPES if type_id not in types]
    if missing:
        outcome.failures.append(f"field types of the measured step missing: {missing}")
        return outcome

    small = BenchForm(home, team, 5, types)
    large = BenchForm(home, team, 10, types)
    forms = [small, large]
    try:
        say(
            f"Form: {small.step_count} steps, {small.field_count} fields; measured: step "
            f"{MEASURED_STEP} ({', '.join(f['type'] for f in small.schema['steps'][2]['fields'])})"
        )
        say("Plain form: django.forms.Form of the same six kinds of field, same templates.")
        timing_outcome(context, small, outcome)
        queries_outcome(context, small, large, outcome)
        if context.profile:
            profile(context, small)
    finally:
        clean_up(forms)
    return outcome


def timing_outcome(context: Context, small: BenchForm, outcome: Outcome) -> None:
    say = context.say
    get_client = small.client_before(MEASURED_STEP)  # step 3 not answered yet
    post_client = small.client_before(MEASURED_STEP + 1)  # step 3 answered once
    plain_client = Client()
    session_client = Client()
    variant = {"wizard": 0, "plain": 0, "session": 0}

    def next_variant(name: str) -> int:
        variant[name] = variant[name] % 2 + 1
        return variant[name]

    cases = {
        "wizard GET step 3": lambda: small.get(get_client, MEASURED_STEP),
        "plain GET": lambda: plain_get(plain_client),
        "wizard POST step 3 (valid, redirects)": lambda: small.post(
            post_client, MEASURED_STEP, next_variant("wizard")
        ),
        "plain POST (valid, keeps the answers, redirects)": lambda: plain_post(
            session_client, next_variant("session"), PLAIN_KEEPING_URL
        ),
        # Not in the ratio: for the report only.
        "wizard GET step 3 again (answers stored)": lambda: small.get(post_client, MEASURED_STEP),
        "plain POST that throws the answers away": lambda: plain_post(
            plain_client, next_variant("plain")
        ),
    }
    timings = measure(
        cases,
        iterations=context.iterations,
        warmup=context.warmup,
        budget_seconds=context.budget_seconds,
    )
    say()
    for timing in timings.values():
        say(timing.line())
    wizard_get, plain_get_, wizard_post, plain_post_, _again, plain_discarding = timings.values()
    get_ratio = wizard_get.mean / plain_get_.mean
    post_ratio = wizard_post.mean / plain_post_.mean
    ratio = (get_ratio + post_ratio) / 2
    say()
    say(f"Ratio wizard / plain (mean latency): GET {get_ratio:.2f}x, POST {post_ratio:.2f}x")
    say(
        "For context, the wizard POST against a plain POST that keeps nothing: "
        f"{wizard_post.mean / plain_discarding.mean:.2f}x"
    )
    say(
        "Ratio on medians (less sensitive to a busy machine): "
        f"GET {wizard_get.median / plain_get_.median:.2f}x, "
        f"POST {wizard_post.median / plain_post_.median:.2f}x"
    )
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    say(
        f"{verdict} wizard_step_ratio = {ratio:.2f} (target <= {TARGET_RATIO:g}; reported, "
        "not a gate)"
    )
    outcome.figures.update(
        wizard_step_ratio=round(ratio, 3),
        wizard_step_get_ratio=round(get_ratio, 3),
        wizard_step_post_ratio=round(post_ratio, 3),
        wizard_step_get_ms=round(wizard_get.mean, 3),
        wizard_step_post_ms=round(wizard_post.mean, 3),
        plain_form_get_ms=round(plain_get_.mean, 3),
        plain_form_post_ms=round(plain_post_.mean, 3),
    )


def queries_outcome(context: Context, small: BenchForm, large: BenchForm, outcome: Outcome):
    say = context.say
    counts: dict[str, tuple[int, int]] = {}
    sql: dict[str, list[str]] = {}

    def step_counts(label: str, form: BenchForm, number: int) -> None:
        # Another applicant sends the step first: the day's counters of the step (form
        # statistics, one row per step per day) exist then, as on any day but its first.
        warm_client = form.client_before(number)
        form.get(warm_client, number)
        form.post(warm_client, number)
        get_client = form.client_before(number)
        post_client = form.client_before(number)
        form.get(post_client, number)  # the usual path: the step is shown, then sent
        get_count, get_sql = count_queries(lambda: form.get(get_client, number))
        post_count, post_sql = count_queries(lambda: form.post(post_client, number))
        counts[label] = (get_count, post_count)
        sql[label] = ["GET:", *get_sql, "POST:", *post_sql]

    step_counts(f"{small.step_count} steps / {small.field_count} fields, step 3", small, 3)
    step_counts(f"{large.step_count} steps / {large.field_count} fields, step 3", large, 3)
    step_counts(f"{large.step_count} steps / {large.field_count} fields, step 8", large, 8)
    add_dossiers_and_drafts(small, EXTRA_DOSSIERS)
    step_counts(
        f"{small.step_count} steps, + {EXTRA_DOSSIERS:,} dossiers and drafts, step 3", small, 3
    )
    plain_client = Client()
    plain_get(plain_client)
    plain_counts = (
        count_queries(lambda: plain_get(plain_client))[0],
        count_queries(lambda: plain_post(plain_client, url=PLAIN_KEEPING_URL))[0],
    )

    say("\nQueries per request:                                         GET  POST")
    for label, (get_count, post_count) in counts.items():
        say(f"  wizard, {label:<52} {get_count:>3}  {post_count:>4}")
    say(f"  {'plain form':<60} {plain_counts[0]:>3}  {plain_counts[1]:>4}")
    if context.verbose:
        first = next(iter(sql))
        say(f"\nSQL of one wizard GET and POST ({first}):")
        for line in sql[first]:
            say(f"  {re.sub(r'^SELECT .*? FROM ', 'SELECT … FROM ', line)[:200]}")

    small_get, small_post = next(iter(counts.values()))
    outcome.figures["wizard_step_queries"] = max(small_get, small_post)
    if len(set(counts.values())) == 1:
        say(f"PASS wizard_step_queries = {max(small_get, small_post)}, the same in every case")
    else:
        line = "query count per step is not constant: " + ", ".join(
            f"{label}: GET {g} / POST {p}" for label, (g, p) in counts.items()
        )
        say(f"FAIL {line}")
        outcome.failures.append(line)
