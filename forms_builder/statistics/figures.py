"""The numbers of one form in a period.

Started and completed applications come from the counts per form, day and step
(:class:`~forms_builder.models.step_counts.StepCount`, kept by :mod:`.counts` as drafts
are saved and sent) and the times to complete from
:class:`~forms_builder.models.step_counts.CompletionTime`. Drafts are deleted after the
form's retention period; the counts are not, so older periods are counted in full.

What became of the submitted applications (statuses, decisions, ratings) is asked of
the submit handler (:class:`DossierFigures`). Every function here runs a fixed number
of aggregate queries, whatever the number of drafts or dossiers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from ..models import ApplicationFormPage, FormSnapshot
from ..models.step_counts import CompletionTime, StepCount
from ..submission import get_submit_handler

#: The period shown when the editor chooses none: the last twelve weeks.
DEFAULT_WEEKS = 12


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included (local dates)."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(
            start=today - datetime.timedelta(weeks=DEFAULT_WEEKS) + datetime.timedelta(1), end=today
        )

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware datetimes: [start 00:00, the day after end 00:00)."""
        zone = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return first, after

    def weeks(self) -> list[datetime.date]:
        """The Mondays of the weeks the period touches."""
        monday = self.start - datetime.timedelta(days=self.start.weekday())
        found = []
        while monday <= self.end:
            found.append(monday)
            monday += datetime.timedelta(weeks=1)
        return found


@dataclass
class DossierFigures:
    """What became of a form's submissions in a period (submitted in the period)."""

    #: ``[(status label, count)]`` in the order of the statuses.
    per_status: list[tuple[str, int]] = field(default_factory=list)
    #: Dossiers submitted per week: ``{monday: count}``.
    per_week: dict[datetime.date, int] = field(default_factory=dict)
    decided: int = 0
    #: Median days from submission to decision; None without decisions.
    median_days_to_decision: float | None = None
    #: Decided after the date they had to be decided by.
    late_decisions: int = 0
    ratings: int = 0
    average_score: float | None = None
    #: ``[(score, count)]`` for scores 5 to 1.
    scores: list[tuple[int, int]] = field(default_factory=list)
    #: The latest comments: ``[(rated on, score, comment)]``.
    comments: list[tuple[datetime.date, int, str]] = field(default_factory=list)


@dataclass
class StepDropOff:
    """Unsent applications whose furthest completed step is step ``completed`` (0: none;
    a step skipped by a condition is never anyone's furthest)."""

    completed: int
    #: The title of that step; "" for 0.
    title: str
    left: int
    #: The form's last step: these applicants stopped on the check page.
    last: bool = False


@dataclass
class FormStatistics:
    period: Period
    started: int
    submitted: int
    #: Median minutes from the first completed step to sending; None without any.
    median_minutes_to_complete: float | None
    drop_off: list[StepDropOff]
    #: ``[(monday, started, submitted, dossiers)]``.
    weeks: list[tuple[datetime.date, int, int, int]]
    dossiers: DossierFigures | None

    @property
    def completion_rate(self) -> int | None:
        """Percentage of the started applications that were sent."""
        return round(100 * self.submitted / self.started) if self.started else None


def weighted_median(counts: list[tuple[float, int]]) -> float | None:
    """The median of values given as ``[(value, how many times)]``."""
    pairs = sorted((value, n) for value, n in counts if n > 0)
    total = sum(n for _value, n in pairs)
    if not total:
        return None

    def nth(index: int) -> float:  # the index-th value (0-based) of the expanded list
        for value, n in pairs:
            if index < n:
                return value
            index -= n
        raise IndexError(index)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def step_titles(page: ApplicationFormPage) -> list[str]:
    """The titles of the steps of the form's latest version (one query)."""
    snapshot = FormSnapshot.objects.filter(page=page).order_by("-created_at", "-pk").first()
    if snapshot is None:
        return []
    return [step.get("title", "") for step in snapshot.schema.get("steps", [])]


def week_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    day = timezone.localtime(moment).date() if isinstance(moment, datetime.datetime) else moment
    return day - datetime.timedelta(days=day.weekday())


def form_statistics(page: ApplicationFormPage, period: Period) -> FormStatistics:
    """The statistics of ``page`` for applications started in ``period``.

    Three queries for the counts and the step titles, plus the submit handler's fixed
    number for the dossiers.
    """
    rows = list(
        StepCount.objects.filter(page=page, day__gte=period.start, day__lte=period.end)
        .values_list("day", "step")
        .annotate(left_=Sum("left"), sent_=Sum("sent"))
        .values_list("day", "step", "left_", "sent_")
        .order_by()
    )
    started = sum(left + sent for _day, _step, left, sent in rows)
    submitted = sum(sent for _day, _step, _left, sent in rows)
    times = (
        CompletionTime.objects.filter(page=page, day__gte=period.start, day__lte=period.end)
        .values_list("minutes")
        .annotate(n=Sum("count"))
        .values_list("minutes", "n")
        .order_by()
    )

    titles = step_titles(page)
    left: dict[int, int] = {}
    for _day, step, count, _sent in rows:
        left[step] = left.get(step, 0) + count
    drop_off = [StepDropOff(completed=0, title="", left=left.get(0, 0))]
    for number, title in enumerate(titles, 1):
        last = number == len(titles)
        # Drafts of an older version with more steps count as having completed them all.
        count = sum(n for furthest, n in left.items() if furthest >= number) if last else 0
        drop_off.append(
            StepDropOff(number, title, count if last else left.get(number, 0), last=last)
        )

    weekly: dict[datetime.date, tuple[int, int]] = {}
    for day, _step, count, sent in rows:
        week_started, week_sent = weekly.get(week_of(day), (0, 0))
        weekly[week_of(day)] = (week_started + count + sent, week_sent + sent)
    dossiers = get_submit_handler().form_figures(page, period)
    per_week_dossiers = dossiers.per_week if dossiers else {}
    weeks = [
        (monday, *weekly.get(monday, (0, 0)), per_week_dossiers.get(monday, 0))
        for monday in period.weeks()
    ]
    return FormStatistics(
        period=period,
        started=started,
        submitted=submitted,
        median_minutes_to_complete=weighted_median(list(times)),
        drop_off=drop_off,
        weeks=weeks,
        dossiers=dossiers,
    )
