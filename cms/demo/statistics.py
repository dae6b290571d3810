"""Sample statistics for the demo forms: twelve weeks of applications started, sent and
left at each step, so that an editor opening a form's statistics sees what they show.

Only counts are written (what :mod:`forms_builder.statistics.counts` keeps for real
applications): no drafts, no dossiers. The numbers are drawn from a random generator
with a fixed seed per form, so every demo shows the same figures.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from forms_builder.models import ApplicationFormPage, CompletionTime, StepCount

#: How many days of samples, ending yesterday.
DAYS = 12 * 7


def ensure_sample_statistics(forms: dict[str, ApplicationFormPage]) -> None:
    """Counts for the past :data:`DAYS` days of every demo form that has none yet."""
    today = timezone.localdate()
    first = today - datetime.timedelta(days=DAYS)
    for form in forms.values():
        if StepCount.objects.filter(page=form, day__lt=today).exists():
            continue
        steps = len(form.get_schema()["steps"])
        generator = random.Random(f"loket-demo-{form.slug}")
        step_counts, times = [], {}
        for offset in range(DAYS):
            day = first + datetime.timedelta(days=offset)
            weekday = day.weekday() < 5
            started = generator.randint(1, 6) if weekday else generator.randint(0, 2)
            left = [0] * (steps + 1)
            sent = 0
            for _application in range(started):
                # Most applicants finish; some stop, more often early on.
                if generator.random() < 0.7:
                    sent += 1
                    minutes = round(generator.lognormvariate(2.6, 0.5))
                    times[(day, minutes)] = times.get((day, minutes), 0) + 1
                else:
                    left[min(steps, int(generator.triangular(0, steps + 1, 1)))] += 1
            step_counts.extend(
                StepCount(page=form, day=day, step=step, left=count)
                for step, count in enumerate(left)
                if count and step != steps
            )
            if left[steps] or sent:
                step_counts.append(
                    StepCount(page=form, day=day, step=steps, left=left[steps], sent=sent)
                )
        StepCount.objects.bulk_create(step_counts)
        CompletionTime.objects.bulk_create(
            CompletionTime(page=form, day=day, minutes=minutes, count=count)
            for (day, minutes), count in times.items()
        )
