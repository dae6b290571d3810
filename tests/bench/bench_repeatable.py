"""A wizard step with a 20-item repeatable part and 10 calculations (issue #15).

The form: step 1 asks a name and a rate; step 2 is a repeatable part "dagen" of up to
20 items (a date, a number of visitors, two times); 10 calculations use the items (count,
sum, max, if/then, the rate); step 3 is the six-field step of the wizard benchmark (the
same kinds of question as :mod:`tests.bench.plain_form`).

Figures: ``repeatable_step_queries`` (queries of one request of step 2 with 20 items,
the larger of GET and POST; the count must be the same with 1, 10 and 20 items, or the
run fails), ``repeatable_step_get_ms`` / ``repeatable_step_post_ms`` (step 2 with 20
items), and ``logic_step_ratio``: step 3 of this form against the plain form, measured
as ``wizard_step_ratio`` is (the mean of the GET and POST ratios; target at most 2, as
for the wizard: the items and calculations before a step must not make it slower).
The form page and what it creates are deleted at the end.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re

from django.test import Client

from .bench_wizard import (
    MEASURED_STEP_TYPES,
    PLAIN_KEEPING_URL,
    TARGET_RATIO,
    count_queries,
    field_definition,
    plain_get,
    plain_post,
    step_post_data,
    usable_types,
)
from .runner import Context, Outcome
from .timing import measure

NAME = "Repeatable part and calculations"

ITEMS = 20
#: Item counts whose step 2 requests must cost the same number of queries.
ITEM_COUNTS = (1, 10, ITEMS)

#: The 10 calculations over the items and the rate: (name, formula).
CALCULATIONS = [
    ("aantal_dagen", "count(dagen)"),
    ("bezoekers", "sum(dagen.bezoekers)"),
    ("drukste_dag", "max(dagen.bezoekers)"),
    ("grote_dagen", "count(dagen.bezoekers > 500)"),
    ("laat", 'any(dagen.tot > "22:00")'),
    ("klein", "all(dagen.bezoekers <= 2000)"),
    ("gemiddeld", "round(bezoekers / aantal_dagen, 0)"),
    ("kost", "tarief * aantal_dagen"),
    ("toeslag", "25 if laat else 0"),
    ("totaal", "max(kost + toeslag, 30)"),
]


def item(type_id: str, label: str, name: str) -> dict:
    return {"type": type_id, "value": {"label": label, "name": name, "required": True}}


def steps_blocks() -> list[dict]:
    third = []
    for position, type_id in enumerate(MEASURED_STEP_TYPES, start=1):
        definition = field_definition(type_id, f"s3_{position}_{type_id}")
        value = {key: definition[key] for key in ("label", "name", "help_text", "required")}
        third.append({"type": type_id, "value": {**value, **definition["options"]}})
    return [
        {
            "type": "step",
            "value": {
                "title": "Het evenement",
                "intro": "",
                "fields": [
                    item("short_text", "Naam", "naam"),
                    item("integer", "Tarief per dag", "tarief"),
                ],
            },
        },
        {
            "type": "step",
            "value": {
                "title": "De dagen",
                "intro": "",
                "fields": [
                    {
                        "type": "repeatable",
                        "value": {
                            "label": "Dagen",
                            "name": "dagen",
                            "help_text": "",
                            "item_name": "dag",
                            "min_items": 1,
                            "max_items": ITEMS,
                            "fields": [
                                item("date", "Datum", "datum"),
                                item("integer", "Bezoekers", "bezoekers"),
                                item("time", "Van", "van"),
                                item("time", "Tot", "tot"),
                            ],
                        },
                    }
                ],
            },
        },
        {"type": "step", "value": {"title": "Uw terras", "intro": "", "fields": third}},
    ]


def calculation_blocks() -> list[dict]:
    return [
        {
            "type": "calculation",
            "value": {
                "label": name.replace("_", " ").capitalize(),
                "name": name,
                "formula": formula,
                "show": True,
                "is_fee": name == "totaal",
                "breakdown": "",
            },
        }
        for name, formula in CALCULATIONS
    ]


class LogicForm:
    """The benchmark's form page, with valid POST data for each step."""

    def __init__(self, home, team):
        from forms_builder.models import ApplicationFormPage

        self.page = home.add_child(
            instance=ApplicationFormPage(
                title="Benchmark herhaalbaar deel",
                slug="bench-repeatable",
                steps=steps_blocks(),
                calculations=calculation_blocks(),
                reference_prefix="BRP",
                team=team,
            )
        )
        self.schema = self.page.get_schema()
        self.third = step_post_data(self.schema["steps"][2], "3")

    def url(self, number: int) -> str:
        return f"{self.page.url}stap/{number}/"

    def data(self, number: int, items: int = ITEMS, variant: int = 0) -> dict:
        management = {f"loket-form-{self.page.pk}-current_step": str(number)}
        if number == 1:
            return {**management, "1-naam": f"Kermis {variant}", "1-tarief": "40"}
        if number == 2:
            data = {**management, "2-dagen": str(items)}
            for index in range(items):
                data.update(
                    {
                        f"2-dagen-{index}-datum": f"2031-07-{index + 1:02d}",
                        f"2-dagen-{index}-bezoekers": str(100 * (index + 1) + variant),
                        f"2-dagen-{index}-van": "10:00",
                        f"2-dagen-{index}-tot": "23:00" if index % 5 == 0 else "18:00",
                    }
                )
            return data
        data = {**self.third, **management}
        if variant:
            key = next(key for key in data if key.endswith("_short_text"))
            data[key] = [f"{data[key][0]} {variant}"]
        return data

    def post(self, client: Client, number: int, items: int = ITEMS, variant: int = 0):
        response = client.post(self.url(number), self.data(number, items, variant))
        expected = self.url(number + 1) if number < 3 else "/controleren/"
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

    def client_before(self, number: int, items: int = ITEMS) -> Client:
        client = Client()
        for done in range(1, number):
            self.post(client, done, items)
        return client

    def delete(self) -> None:
        from dossiers.models import Dossier
        from forms_builder.models import Draft, FormSnapshot

        Dossier.objects.filter(form_page=self.page).delete()
        Draft.objects.filter(page=self.page).delete()
        FormSnapshot.objects.filter(page=self.page).delete()
        self.page.delete()


def run(context: Context) -> Outcome:
    from cms.demo import ensure_home_page, ensure_team

    outcome = Outcome()
    types, _skipped = usable_types()
    missing = [type_id for type_id in MEASURED_STEP_TYPES if type_id not in types]
    if missing:
        outcome.failures.append(f"field types of the measured step missing: {missing}")
        return outcome
    form = LogicForm(ensure_home_page(), ensure_team("Benchmark", "bench@voorbeeld.be"))
    try:
        context.say(
            f"Form: step 2 a repeatable part of up to {ITEMS} items (4 questions each), "
            f"{len(CALCULATIONS)} calculations over it; step 3 the six kinds of question of "
            "the plain form."
        )
        queries_outcome(context, form, outcome)
        timing_outcome(context, form, outcome)
        if context.profile:
            profile(context, form)
    finally:
        form.delete()
    return outcome


def queries_outcome(context: Context, form: LogicForm, outcome: Outcome) -> None:
    say = context.say
    counts: dict[str, tuple[int, int]] = {}
    warm = form.client_before(4)  # the first GET of a process fills its caches
    form.get(warm, 2)
    form.get(warm, 3)
    for items in ITEM_COUNTS:
        # The items stored, the step opened again (that GET moves the draft's current
        # step back: a write), then shown and sent: the usual path of a revisit.
        client = form.client_before(3, items)
        form.get(client, 2)
        get_count, get_sql = count_queries(lambda c=client: form.get(c, 2))
        if context.verbose and items == ITEMS:
            say(f"\nSQL of one GET of step 2 with {items} items:")
            for line in get_sql:
                say(f"  {re.sub(r'^SELECT .*? FROM ', 'SELECT … FROM ', line)[:160]}")
        post_count = count_queries(lambda c=client, n=items: form.post(c, 2, n))[0]
        counts[f"step 2 with {items} items"] = (get_count, post_count)
    third: dict[str, tuple[int, int]] = {}
    for items in (1, ITEMS):
        client = form.client_before(3, items)
        form.get(client, 3)
        third[f"step 3 after {items} items"] = (
            count_queries(lambda c=client: form.get(c, 3))[0],
            count_queries(lambda c=client: form.post(c, 3))[0],
        )
    say("\nQueries per request:                          GET  POST")
    for label, (get_count, post_count) in {**counts, **third}.items():
        say(f"  {label:<44} {get_count:>3}  {post_count:>4}")
    outcome.figures["repeatable_step_queries"] = max(counts[f"step 2 with {ITEMS} items"])
    for name, group in (("step 2", counts), ("step 3", third)):
        if len(set(group.values())) == 1:
            say(f"PASS {name}: the same query count with any number of items")
        else:
            line = f"{name}: query count grows with the items: " + ", ".join(
                f"{label}: GET {g} / POST {p}" for label, (g, p) in group.items()
            )
            say(f"FAIL {line}")
            outcome.failures.append(line)


def timing_outcome(context: Context, form: LogicForm, outcome: Outcome) -> None:
    say = context.say
    items_get = form.client_before(3)
    form.get(items_get, 2)
    items_post = form.client_before(3)
    third_get = form.client_before(3)
    third_post = form.client_before(4)
    plain_client = Client()
    variant = {"items": 0, "third": 0, "plain": 0}

    def next_variant(name: str) -> int:
        variant[name] = variant[name] % 2 + 1
        return variant[name]

    cases = {
        "wizard GET step 3 (after 20 items)": lambda: form.get(third_get, 3),
        "plain GET": lambda: plain_get(plain_client),
        "wizard POST step 3 (after 20 items)": lambda: form.post(
            third_post, 3, variant=next_variant("third")
        ),
        "plain POST (keeps the answers)": lambda: plain_post(
            plain_client, next_variant("plain"), PLAIN_KEEPING_URL
        ),
        f"wizard GET step 2 ({ITEMS} items)": lambda: form.get(items_get, 2),
        f"wizard POST step 2 ({ITEMS} items)": lambda: form.post(
            items_post, 2, variant=next_variant("items")
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
    third_get_t, plain_get_t, third_post_t, plain_post_t, items_get_t, items_post_t = (
        timings.values()
    )
    ratio = (third_get_t.mean / plain_get_t.mean + third_post_t.mean / plain_post_t.mean) / 2
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    say(
        f"{verdict} logic_step_ratio = {ratio:.2f} (step 3 after the items and calculations "
        f"/ plain form; target <= {TARGET_RATIO:g}; reported, not a gate)"
    )
    outcome.figures.update(
        logic_step_ratio=round(ratio, 3),
        repeatable_step_get_ms=round(items_get_t.mean, 3),
        repeatable_step_post_ms=round(items_post_t.mean, 3),
    )


def profile(context: Context, form: LogicForm, rounds: int = 50) -> None:
    """cProfile of ``rounds`` POSTs of step 3 after 20 items: top functions by
    cumulative time."""
    client = form.client_before(4)
    profiler = cProfile.Profile()
    for index in range(rounds):
        profiler.enable()
        form.post(client, 3, variant=index % 2 + 1)
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(40)
    context.say(f"\n--- cProfile, {rounds} POSTs of step 3, by cumulative time ---")
    context.say(out.getvalue().split("\n", 4)[-1].rstrip())
