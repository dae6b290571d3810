"""What became of one form's submissions in a period, for the form's statistics.

The form side (:mod:`forms_builder.statistics`) asks this through the submit handler
(:meth:`dossiers.services.DossierSubmitHandler.form_figures`). Five aggregate queries,
whatever the number of dossiers; nothing personal leaves this module except the
applicants' own rating comments, which they wrote for the service.
"""

from __future__ import annotations

import statistics

from django.db.models import Avg, Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from dossiers.constants import Status
from dossiers.models import Dossier, Rating
from forms_builder.statistics.figures import DossierFigures, Period, week_of

#: How many of the latest rating comments the statistics show.
LATEST_COMMENTS = 20


def form_figures(form_page, period: Period) -> DossierFigures:
    """Statuses, decisions and ratings of the dossiers of ``form_page`` submitted in
    ``period``."""
    first, after = period.bounds()
    dossiers = Dossier.objects.filter(
        form_page=form_page, submitted_at__gte=first, submitted_at__lt=after
    )
    counts = dict(
        dossiers.values_list("status").annotate(count=Count("pk")).values_list("status", "count")
    )
    per_status = [(status.label, counts.get(status.value, 0)) for status in Status]

    per_week = {
        week_of(row["week"]): row["count"]
        for row in dossiers.annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(count=Count("pk"))
        .order_by()
    }

    days, late = [], 0
    for submitted_at, decided_at, due in dossiers.filter(decided_at__isnull=False).values_list(
        "submitted_at", "decided_at", "decision_due"
    ):
        days.append((decided_at - submitted_at).total_seconds() / 86400)
        if due is not None and timezone.localtime(decided_at).date() > due:
            late += 1

    ratings = Rating.objects.filter(dossier__in=dossiers)
    summary = ratings.aggregate(count=Count("pk"), average=Avg("score"))
    spread = dict(ratings.values_list("score").annotate(n=Count("pk")).values_list("score", "n"))
    comments = [
        (timezone.localtime(created_at).date(), score, comment)
        for created_at, score, comment in ratings.exclude(comment="")
        .order_by("-created_at")
        .values_list("created_at", "score", "comment")[:LATEST_COMMENTS]
    ]
    return DossierFigures(
        per_status=per_status,
        per_week=per_week,
        decided=len(days),
        median_days_to_decision=statistics.median(days) if days else None,
        late_decisions=late,
        ratings=summary["count"],
        average_score=summary["average"],
        scores=[(score, spread.get(score, 0)) for score in range(5, 0, -1)],
        comments=comments,
    )
