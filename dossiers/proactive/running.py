"""Running the proactive rules: one invitation per company or permit a rule finds
(:mod:`.criteria`), in the state "to review". Safe to repeat: the unique constraint
(rule, subject) keeps what was proposed, approved, rejected or sent once."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Site

from dossiers.models import ProactiveInvitation, ProactiveRule

from .criteria import candidates

logger = logging.getLogger(__name__)


def run_rule(rule: ProactiveRule, *, today: datetime.date | None = None) -> int:
    """Propose an invitation for everything ``rule`` finds that it did not propose
    before. Returns how many are new."""
    today = today or timezone.localdate()
    new = 0
    for candidate in candidates(rule, today=today):
        if ProactiveInvitation.objects.filter(
            rule=rule, subject_key=candidate.subject_key
        ).exists():
            continue
        try:
            with transaction.atomic():
                ProactiveInvitation.objects.create(
                    rule=rule,
                    site_id=rule.site_id,
                    subject_key=candidate.subject_key,
                    enterprise_number=candidate.enterprise_number,
                    company_name=candidate.company_name[:320],
                    dossier=candidate.dossier,
                    reason=candidate.reason,
                    ends_on=candidate.ends_on,
                    link=candidate.link[:2000],
                )
        except IntegrityError:
            # Another run proposed it in the meantime: once is enough.
            continue
        new += 1
    ProactiveRule.objects.filter(pk=rule.pk).update(last_run_at=timezone.now())
    return new


def run_rules(*, site: Site | None = None, today: datetime.date | None = None) -> dict[int, int]:
    """Run every active rule (of ``site``, when given), municipality by municipality.
    Returns the number of new invitations per rule id. A rule that fails is logged and
    the others still run."""
    rules = ProactiveRule.objects.filter(active=True).order_by("site_id", "pk")
    if site is not None:
        rules = rules.filter(site=site)
    result = {}
    for rule in rules:
        try:
            result[rule.pk] = run_rule(rule, today=today)
        except Exception:
            logger.exception("Proactive rule %s failed", rule.pk)
    return result
