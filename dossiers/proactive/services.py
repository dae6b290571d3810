"""Proactive services, the officer's side. The rules run in :mod:`.running` (the daily
task), an approved invitation is sent by :mod:`.sending`.

- :func:`decide` is the officer's review: approve or reject, one or many at once, only
  invitations of the municipalities the officer's teams serve. Approving queues
  :func:`.sending.send_invitation` after commit; nothing is sent without that approval, and who
  decided and when is kept.
- :func:`visible_invitations`: what an officer sees, scoped like dossiers (Team.sites).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.background import queue
from dossiers import permissions
from dossiers.models import InvitationStatus, ProactiveInvitation

from .tasks import send_invitation_task


def reviewable_sites(user) -> frozenset[int] | None:
    """The municipalities whose invitations ``user`` reviews: those their teams serve;
    None for an administrator (every one)."""
    member = permissions.membership(user)
    if member.is_admin:
        return None
    return member.site_ids


def visible_invitations(user, invitations: QuerySet | None = None) -> QuerySet:
    """``invitations`` (default: all) narrowed to what ``user`` reviews."""
    invitations = ProactiveInvitation.objects.all() if invitations is None else invitations
    if not permissions.membership(user).is_officer:
        return invitations.none()
    sites = reviewable_sites(user)
    return invitations if sites is None else invitations.filter(site_id__in=sorted(sites))


def decide(user, invitation_ids: Iterable[int], *, approve: bool) -> int:
    """Approve or reject the invitations ``invitation_ids`` that wait for review and that
    ``user`` may review; the others are left as they are. Approved ones are sent after
    commit. Returns how many were decided."""
    ids = sorted({int(pk) for pk in invitation_ids})
    now = timezone.now()
    with transaction.atomic():
        chosen = list(
            visible_invitations(user)
            .select_for_update()
            .filter(pk__in=ids, status=InvitationStatus.PROPOSED)
            .values_list("pk", flat=True)
        )
        ProactiveInvitation.objects.filter(pk__in=chosen).update(
            status=InvitationStatus.APPROVED if approve else InvitationStatus.REJECTED,
            decided_by=user,
            decided_at=now,
        )
        if approve and chosen:
            transaction.on_commit(
                lambda: [queue(send_invitation_task, pk, run_here_if_down=True) for pk in chosen]
            )
    return len(chosen)


def describe(count: int, *, approve: bool) -> str:
    """The message an officer reads after a review."""
    if approve:
        return _("%(count)s invitation(s) approved; they are being sent.") % {"count": count}
    return _("%(count)s invitation(s) rejected.") % {"count": count}
