"""Withdrawal and feedback: what the applicant can do at the end of a dossier.

- **Withdraw** (:func:`withdraw`): before a decision, the applicant withdraws the
  application from the status page, with an optional reason. It is the workflow's
  ``withdraw`` transition; the officer side gets an e-mail (:class:`ApplicationWithdrawn`).
- **Rate the service** (:func:`rate`): once the municipality has decided (approved or
  rejected) or closed the dossier, the status page asks for a score from 1 to 5 and a
  comment. One rating per dossier; it cannot be changed. The dossier's timeline gets an
  internal ``rated`` event.
- **Ratings per form** (:func:`ratings_per_form`): the admin report. Administrators see
  every form; team leads see the ratings of their teams' dossiers (they answer for the
  service of their team); other officers and editors do not see ratings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from dossiers import permissions, workflow
from dossiers.constants import APPLICANT, EventType, Status
from dossiers.exceptions import ActionRefused
from dossiers.feedback.forms import MAX_TEXT_LENGTH
from dossiers.models import Dossier, Event, Rating

#: Statuses in which the applicant is asked to rate the service.
RATING_STATUSES = (Status.APPROVED, Status.REJECTED, Status.CLOSED)

#: How many of the latest comments the report shows per form.
LATEST_COMMENTS = 5


# --- withdrawal --------------------------------------------------------------------------


def can_withdraw(dossier: Dossier) -> bool:
    """Whether the applicant can still withdraw (before a decision)."""
    return any(t.name == "withdraw" for t in workflow.available_transitions(dossier, APPLICANT))


def withdraw(dossier: Dossier, reason: str = "") -> Dossier:
    """The applicant withdraws the application. Raises ``InvalidTransition`` when that
    is no longer possible (decided, closed or withdrawn already)."""
    reason = (reason or "").strip()[:MAX_TEXT_LENGTH]
    return workflow.transition(dossier, "withdraw", actor_kind=APPLICANT, data={"reason": reason})


# --- rating ------------------------------------------------------------------------------


def can_rate(dossier: Dossier) -> bool:
    """Whether the status page asks for a rating now (a rating given stays either way)."""
    return dossier.status in RATING_STATUSES


def rate(dossier: Dossier, score: int, comment: str = "") -> tuple[Rating, bool]:
    """Store the applicant's rating; returns it and whether it is new.

    A dossier that was rated before keeps its rating: the earlier one is returned and
    nothing changes (a form posted twice, or a second tab).
    """
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ActionRefused(_("Choose a score from 1 to 5."))
    comment = (comment or "").strip()[:MAX_TEXT_LENGTH]
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        existing = Rating.objects.filter(dossier=locked).first()
        if existing is not None:
            return existing, False
        if not can_rate(locked):
            raise ActionRefused(_("You can rate our service once we have decided."))
        try:
            with transaction.atomic():
                rating = Rating.objects.create(dossier=locked, score=score, comment=comment)
        except IntegrityError:  # rated at the same moment elsewhere (no row lock on SQLite)
            return Rating.objects.get(dossier=locked), False
        Event.objects.create(
            dossier=locked, type=EventType.RATED, public=False, data={"score": score}
        )
    return rating, True


# --- the report --------------------------------------------------------------------------


def can_see_ratings(user) -> bool:
    """Administrators and team leads see the ratings report."""
    member = permissions.membership(user)
    return member.is_admin or bool(member.lead_team_ids)


def visible_ratings(user) -> QuerySet[Rating]:
    """The ratings ``user`` may see: all for administrators, their teams' for leads."""
    member = permissions.membership(user)
    if member.is_admin:
        return Rating.objects.all()
    led = permissions.visible_dossiers(user).filter(team_id__in=member.lead_team_ids)
    return Rating.objects.filter(dossier__in=led)


@dataclass
class FormRatings:
    """The ratings of one form."""

    title: str
    count: int
    average: float
    #: Score → how many gave it, for 1 to 5.
    distribution: dict[int, int]
    #: The latest comments: (date, score, text).
    comments: list = field(default_factory=list)

    @property
    def bars(self) -> list[tuple[int, int, int]]:
        """(score, count, percentage of all ratings), highest score first."""
        return [
            (score, n, round(100 * n / self.count) if self.count else 0)
            for score, n in sorted(self.distribution.items(), reverse=True)
        ]


def ratings_per_form(ratings: QuerySet[Rating]) -> list[FormRatings]:
    """Count, average, distribution and latest comments per form, most rated first.

    One query for the figures, and one per form for its latest comments.
    """
    scores = {score: Count("pk", filter=Q(score=score)) for score in range(1, 6)}
    rows = (
        ratings.values("dossier__form_page_id")
        .annotate(
            count=Count("pk"),
            average=Avg("score"),
            title=Max("dossier__form_title"),
            **{f"score_{score}": expression for score, expression in scores.items()},
        )
        .order_by("-count", "title")
    )
    report = {
        row["dossier__form_page_id"]: FormRatings(
            title=row["title"],
            count=row["count"],
            average=round(row["average"] or 0, 1),
            distribution={score: row[f"score_{score}"] for score in range(1, 6)},
        )
        for row in rows
    }
    for form_id, entry in report.items():
        entry.comments = list(
            ratings.filter(dossier__form_page_id=form_id)
            .exclude(comment="")
            .order_by("-created_at", "-pk")
            .values_list("created_at", "score", "comment")[:LATEST_COMMENTS]
        )
    return list(report.values())
