"""Simulated applicants: many at once fill in and submit a 5-step form over HTTP.

:func:`build_form` makes the form: five steps of six questions of every field type that
takes an answer (the form of ``make bench BENCH_ARGS=wizard``), with the applicant's
name and e-mail address marked, so every dossier sends the applicant a confirmation
and the team's mailbox a notice. :func:`run_load` lets ``applicants`` simulated
applicants (asyncio and httpx, each with a cookie jar of its own) go through it again
and again for ``seconds``: open step 1, post each step and follow the redirect, post
the check page, read the reference number on the confirmation page. Every response
is recorded; a journey that meets anything unexpected stops and is reported.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.bench.bench_wizard import step_post_data, steps_blocks, usable_types
from tests.reliability import pages

STEP_COUNT = 5
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE_IN_SUBJECT = re.compile(r"BEL-\d{4}-\d{5}")
#: A request that takes longer than this counts as a failure (nothing may hang).
REQUEST_TIMEOUT = 30
#: How long the journeys under way at the end of the run may take to finish.
FINISH_TIMEOUT = 120
#: The simulated applicants arrive over this many seconds (50 of them: one every 0.2 s).
RAMP_UP_SECONDS = 10


@dataclass
class LoadForm:
    """The form page and the valid answers of each step (by POST name)."""

    page: object
    url: str
    data: dict[int, dict[str, list[str]]]
    #: The POST name of the field that holds the applicant's e-mail address.
    email_key: tuple[int, str]

    def step_url(self, number: int) -> str:
        return f"{self.url}stap/{number}/"

    def step_data(self, number: int, applicant: str) -> dict[str, list[str]]:
        data = {**self.data[number], f"loket-form-{self.page.pk}-current_step": [str(number)]}
        step, key = self.email_key
        if step == number:
            data[key] = [applicant]
        return data


def build_form(home, team, slug: str = "belasting") -> LoadForm:
    """The 5-step, 30-field form under ``home``, handled by ``team``."""
    from forms_builder.models import ApplicationFormPage

    blocks = steps_blocks(STEP_COUNT, usable_types()[0])
    marked = {}
    for step in blocks:
        for each in step["value"]["fields"]:
            maps_to = {"email": "applicant_email", "short_text": "applicant_name"}.get(each["type"])
            if maps_to and maps_to not in marked:
                each["value"]["maps_to"] = maps_to
                marked[maps_to] = each["value"]["name"]
    page = home.add_child(
        instance=ApplicationFormPage(
            title="Aanvraag onder belasting",
            slug=slug,
            steps=blocks,
            reference_prefix="BEL",
            team=team,
        )
    )
    schema = page.get_schema()
    data = {
        number: step_post_data(step, str(number))
        for number, step in enumerate(schema["steps"], start=1)
    }
    email_key = next(
        (number, key)
        for number, step_data in data.items()
        for key in step_data
        if key == f"{number}-{marked['applicant_email']}"
    )
    return LoadForm(page=page, url=page.url, data=data, email_key=email_key)


@dataclass
class Submission:
    reference: str
    applicant: str
    #: When the check page was posted, when that POST was answered (the dossier is
    #: saved) and when the confirmation page came (time.monotonic()).
    started: float
    submitted: float
    confirmed: float


@dataclass
class LoadResult:
    seconds: float = 0.0
    #: Seconds of each valid step POST (the POST alone, not the redirect it leads to).
    step_posts: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    submissions: list[Submission] = field(default_factory=list)
    #: What went wrong: "METHOD URL: what" (server errors, unexpected answers, errors).
    failures: list[str] = field(default_factory=list)
    server_errors: int = 0
    journeys_started: int = 0

    def count(self, status: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500:
            self.server_errors += 1

    def percentile_ms(self, percent: float) -> float:
        values = sorted(self.step_posts)
        if not values:
            return math.nan
        index = min(len(values) - 1, max(0, math.ceil(percent / 100 * len(values)) - 1))
        return values[index] * 1000

    def summary(self) -> str:
        return (
            f"{len(self.submissions)} submissions in {self.seconds:.0f} s, "
            f"{len(self.step_posts)} step POSTs (p50 {self.percentile_ms(50):.0f} ms, "
            f"p95 {self.percentile_ms(95):.0f} ms), "
            f"statuses {dict(sorted(self.statuses.items()))}, {len(self.failures)} failures"
        )


class JourneyFailed(Exception):
    pass


async def _request(client, result: LoadResult, method: str, url: str, expect: int, **kwargs):
    started = time.monotonic()
    try:
        response = await client.request(method, url, **kwargs)
    except Exception as error:  # noqa: BLE001 - every transport error is a failure
        took = time.monotonic() - started
        raise JourneyFailed(f"{method} {url}: {type(error).__name__} after {took:.1f} s") from error
    result.count(response.status_code)
    if response.status_code != expect:
        raise JourneyFailed(
            f"{method} {url}: HTTP {response.status_code} (expected {expect}) "
            + " ".join(response.text[:300].split())
        )
    return response, time.monotonic() - started


async def journey(base_url: str, form: LoadForm, applicant: str, result: LoadResult) -> None:
    """One applicant, one form: from step 1 to the confirmation page."""
    import httpx

    result.journeys_started += 1
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        response, _ = await _request(client, result, "GET", form.step_url(1), 200)
        token = CSRF_RE.search(response.text).group(1)
        for number in range(1, STEP_COUNT + 1):
            data = {**form.step_data(number, applicant), "csrfmiddlewaretoken": [token]}
            response, took = await _request(
                client, result, "POST", form.step_url(number), 302, data=data
            )
            result.step_posts.append(took)
            await _request(client, result, "GET", response.headers["Location"], 200)
        check_url = form.url + "controleren/"
        started = time.monotonic()
        response, _ = await _request(
            client, result, "POST", check_url, 302, data={"csrfmiddlewaretoken": token}
        )
        submitted = time.monotonic()
        response, _ = await _request(client, result, "GET", response.headers["Location"], 200)
        reference = pages.reference(response.text)
        result.submissions.append(
            Submission(reference, applicant, started, submitted, time.monotonic())
        )


async def _applicant(number: int, of: int, base_url: str, form: LoadForm, deadline: float, result):
    # Applicants arrive one after the other over the first seconds, not all at once.
    await asyncio.sleep(RAMP_UP_SECONDS * (number - 1) / of)
    journeys = 0
    while time.monotonic() < deadline:
        journeys += 1
        applicant = f"aanvrager{number}-{journeys}@voorbeeld.be"
        try:
            await journey(base_url, form, applicant, result)
        except JourneyFailed as failure:
            result.failures.append(str(failure))


async def _run(base_url, form, applicants, seconds, during):
    result = LoadResult()
    started = time.monotonic()
    deadline = started + seconds
    tasks = [
        asyncio.create_task(_applicant(number, applicants, base_url, form, deadline, result))
        for number in range(1, applicants + 1)
    ]
    if during is not None:
        # Something that happens meanwhile (stopping Redis), off the event loop.
        await asyncio.to_thread(during, started, result)
    # Journeys under way at the deadline are finished, within a bound.
    done, running = await asyncio.wait(tasks, timeout=deadline + FINISH_TIMEOUT - time.monotonic())
    for task in running:
        task.cancel()
        result.failures.append(f"a journey was still running {FINISH_TIMEOUT} s after the end")
    for task in done:
        if task.exception() is not None:
            result.failures.append(f"a simulated applicant crashed: {task.exception()!r}")
    result.seconds = time.monotonic() - started
    return result


def run_load(base_url: str, form: LoadForm, *, applicants: int, seconds: float, during=None):
    """``applicants`` simulated applicants for ``seconds``; ``during(started, result)``
    runs in a thread meanwhile (``result`` fills up as the applicants go). Returns the
    :class:`LoadResult`."""
    return asyncio.run(_run(base_url, form, applicants, seconds, during))


# --- the outbox after the load ---------------------------------------------------------------


def wait_until_sent(references: list[str], timeout: float, worker) -> None:
    """Wait until every notification of the dossiers ``references`` is sent."""
    from dossiers.constants import NotificationStatus
    from dossiers.models import Notification
    from tests.reliability.harness import wait_until

    def all_sent():
        rows = Notification.objects.filter(dossier__reference__in=references)
        return rows.exists() and not rows.exclude(status=NotificationStatus.SENT).exists()

    wait_until(all_sent, timeout, "waiting for every e-mail to be sent", process=worker)


def outbox_and_sink(references: list[str], sink) -> tuple[Counter, Counter]:
    """(recipient, subject) of every sent notification of the dossiers ``references``,
    and of every message at the SMTP sink about them, counted."""
    from dossiers.constants import NotificationStatus
    from dossiers.models import Notification

    wanted = set(references)

    def about(message) -> bool:
        found = REFERENCE_IN_SUBJECT.search(message.subject)
        return found is not None and found.group(0) in wanted

    rows = Notification.objects.filter(
        dossier__reference__in=references, status=NotificationStatus.SENT
    )
    outbox = Counter(rows.values_list("recipient", "subject"))
    at_sink = Counter(
        (recipient, message.subject)
        for message in sink.received()
        if about(message)
        for recipient in message.recipients
    )
    return outbox, at_sink
