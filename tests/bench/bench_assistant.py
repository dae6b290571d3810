"""The assistant (cms/assistant): how often it is right, and how fast, at the demo's size
and at 1,000 service pages.

Loads the demo when the database has none, then asks every question of the golden set
(tests/cms/assistant_golden.py): ``assistant_recall_at_3`` is the share of answerable
questions with a right page in the top 3, ``assistant_refusal_rate`` the share of
out-of-scope questions refused (targets 0.85 and 0.90: a miss is a failure of the run).
Then times ``answer_question`` over the golden questions, warm, at the demo's size and
after adding synthetic service pages up to 1,000 (Dutch words drawn from a fixed list,
with sections and FAQ items like real ones): ``assistant_p95_ms_demo`` and
``assistant_p95_ms_1000`` (target 300 ms, only reported: the machine is shared), and
``assistant_index_build_ms_1000``, the time to build the index again after a publish.
The synthetic pages are deleted at the end; the demo stays.
"""

from __future__ import annotations

import random
import time

from cms.assistant.indexes import forget_indexes, site_index
from cms.assistant.services import answer_question
from cms.models import HomePage, ServicePage, TopicPage, UnansweredQuestion
from tests.cms.assistant_golden import ANSWERABLE, OUT_OF_SCOPE

from .runner import Context, Outcome
from .timing import Timing

NAME = "Assistant"

MIN_RECALL_AT_3 = 0.85
MIN_REFUSAL_RATE = 0.90
TARGET_P95_MS = 300.0
SERVICE_PAGES = 1_000
SYNTHETIC_SLUG = "bench-assistent"

#: Words synthetic services are written with: the municipal vocabulary real pages use.
WORDS = """
aanvraag vergunning premie subsidie melding toelating attest uittreksel register
inschrijving aangifte belasting retributie heffing bijdrage tegemoetkoming toelage
afval container park plein straat voetpad fietspad parkeerplaats laadzone markt
kermis braderie wandeling concert festival sport zwembad sporthal bibliotheek museum
school kinderopvang jeugd senioren zorg woning huur koop renovatie isolatie dak
zonnepanelen warmtepomp regenwater riolering boom haag tuin gevel raam deur verlichting
camera alarm brandveiligheid keuring controle inspectie termijn beslissing bezwaar
beroep college raad schepen burgemeester loket afspraak formulier bijlage document
bewijs kopie identiteit adres nummer handelaar ondernemer zelfstandige vennootschap
horeca winkel kapper bakker slager apotheek garage drukkerij atelier kantoor loods
bedrijf personeel student vrijwilliger vereniging club jeugdbeweging school buurt wijk
dorp centrum rand industrie zone landbouw dier hond kat paard kip bij natuur bos water
energie klimaat mobiliteit bus tram trein fiets auto vrachtwagen taxi deelwagen
""".split()


def sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


def add_synthetic_services(home: HomePage, count: int) -> TopicPage:
    """``count`` service pages under one topic, each with four sections and two FAQ items."""
    rng = random.Random(24)
    topic = home.add_child(
        instance=TopicPage(title="Benchmark van de assistent", slug=SYNTHETIC_SLUG)
    )
    for number in range(count):
        title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {number}"
        topic.add_child(
            instance=ServicePage(
                title=title,
                slug=f"dienst-{number}",
                intro=sentence(rng, 14),
                keywords=", ".join(rng.sample(WORDS, 4)),
                what_it_is=f"<p>{sentence(rng, 30)}</p>",
                conditions=f"<ul><li>{sentence(rng, 12)}</li><li>{sentence(rng, 12)}</li></ul>",
                cost=f"<p>{sentence(rng, 15)}</p>",
                how_to_apply=f"<p>{sentence(rng, 25)}</p>",
                faq=[
                    {
                        "type": "item",
                        "value": {"question": sentence(rng, 8), "answer": sentence(rng, 20)},
                    }
                    for _ in range(2)
                ],
            )
        )
    return topic


def golden_scores(root) -> tuple[float, float, list[str]]:
    misses = []
    for question, slugs in ANSWERABLE:
        found = [page.page.slug for page in answer_question(question=question, root=root).pages]
        if not slugs & set(found[:3]):
            misses.append(f"{question!r} → {found[:3]}")
    answered = [q for q in OUT_OF_SCOPE if answer_question(question=q, root=root).known]
    recall = 1 - len(misses) / len(ANSWERABLE)
    refusal = 1 - len(answered) / len(OUT_OF_SCOPE)
    return recall, refusal, misses + [f"answered {q!r}" for q in answered]


def time_questions(context: Context, root, name: str) -> Timing:
    """Every golden question in turn, warm, until the budget or the iterations are spent."""
    questions = [question for question, _slugs in ANSWERABLE] + OUT_OF_SCOPE
    for question in questions[: context.warmup]:
        answer_question(question=question, root=root)
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < max(context.iterations, len(questions)):
        question = questions[len(samples) % len(questions)]
        before = time.perf_counter()
        answer_question(question=question, root=root)
        samples.append((time.perf_counter() - before) * 1000)
        if time.perf_counter() - started > context.budget_seconds and len(samples) >= 20:
            break
    return Timing(name, samples)


def run(context: Context) -> Outcome:
    outcome = Outcome()
    if not HomePage.objects.exists():
        from cms.demo import load_demo

        context.say("Loading the demo...")
        load_demo()
    home = HomePage.objects.order_by("path").first()
    forget_indexes()

    from cms.assistant import postgres

    backend = "PostgreSQL full-text search" if postgres.available() else "in-process ranking"
    context.say(f"retrieval: {backend}")
    recall, refusal, wrong = golden_scores(home)
    context.say(f"golden set: {len(ANSWERABLE)} answerable, {len(OUT_OF_SCOPE)} out of scope")
    context.say(f"assistant_recall_at_3   {recall:.3f} (target ≥ {MIN_RECALL_AT_3})")
    context.say(f"assistant_refusal_rate  {refusal:.3f} (target ≥ {MIN_REFUSAL_RATE})")
    if context.verbose:
        for line in wrong:
            context.say(f"  {line}")
    outcome.figures["assistant_recall_at_3"] = round(recall, 3)
    outcome.figures["assistant_refusal_rate"] = round(refusal, 3)
    if recall < MIN_RECALL_AT_3:
        outcome.failures.append(f"assistant_recall_at_3 {recall:.3f} < {MIN_RECALL_AT_3}")
    if refusal < MIN_REFUSAL_RATE:
        outcome.failures.append(f"assistant_refusal_rate {refusal:.3f} < {MIN_REFUSAL_RATE}")

    demo_pages = ServicePage.objects.live().count()
    demo = time_questions(context, home, f"answer a question ({demo_pages} services)")
    context.say(demo.line())
    outcome.figures["assistant_p95_ms_demo"] = round(demo.p95, 1)

    extra = max(0, SERVICE_PAGES - demo_pages)
    context.say(f"Adding {extra} synthetic service pages...")
    topic = add_synthetic_services(home, extra)
    try:
        forget_indexes()
        before = time.perf_counter()
        site_index(home)
        build_ms = (time.perf_counter() - before) * 1000
        context.say(
            f"{'build the index (' + str(SERVICE_PAGES) + ' services)':<44} {build_ms:8.1f} ms"
        )
        outcome.figures["assistant_index_build_ms_1000"] = round(build_ms, 1)
        large = time_questions(context, home, f"answer a question ({SERVICE_PAGES} services)")
        context.say(large.line())
        outcome.figures["assistant_p95_ms_1000"] = round(large.p95, 1)
        verdict = "PASS" if large.p95 <= TARGET_P95_MS else "FAIL (reported only)"
        context.say(f"p95 at {SERVICE_PAGES} services ≤ {TARGET_P95_MS:.0f} ms: {verdict}")
    finally:
        topic.get_descendants(inclusive=True).delete()
        UnansweredQuestion.objects.all().delete()
        forget_indexes()
    return outcome
