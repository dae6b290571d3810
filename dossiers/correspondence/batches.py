"""Print batches of the letters waiting on paper, per municipality (issue #22).

Officers with the permission "Can print paper letters" work for municipalities: those
the teams they are in serve (:func:`print_sites`), as finance staff do for payout
batches (:mod:`dossiers.payments.access`). They see the waiting letters of those (and
give one without an address its address, :func:`set_address`), make one batch per
municipality (:func:`make_batches`), download it as one tagged PDF (:mod:`.batch_pdf`)
and mark it sent after posting (:func:`mark_sent`). A dossier without a site is of the
default site. Each step is written to the delivery history (:mod:`.history`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from dossiers.models import DeliveryResult, LetterChannel, PostedLetter, PrintBatch

from . import history

_CACHE_ATTRIBUTE = "_loket_print_sites"


def print_sites(user) -> frozenset[int] | None:
    """The ids of the municipalities whose paper letters ``user`` prints: those the
    user's teams serve; None for every one (administrators; anyone with the permission
    on an installation of one municipality)."""
    from dossiers.permissions import membership

    cached = getattr(user, _CACHE_ATTRIBUTE, False)
    if cached is not False:
        return cached
    member = membership(user)
    if member.is_admin:
        result = None
    elif member.site_ids:
        result = frozenset(member.site_ids)
    elif Site.objects.count() <= 1:
        result = None
    else:
        result = frozenset()
    setattr(user, _CACHE_ATTRIBUTE, result)
    return result


def _default_site_id() -> int | None:
    return Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()


def _letters_of_sites(queryset: QuerySet, sites) -> QuerySet:
    """``queryset`` of posted letters narrowed to the municipalities ``sites`` (a
    dossier without a site is of the default site)."""
    if sites is None:
        return queryset
    condition = Q(dossier__site_id__in=sorted(sites))
    if _default_site_id() in sites:
        condition |= Q(dossier__site__isnull=True)
    return queryset.filter(condition)


def waiting_paper_letters(user=None) -> QuerySet:
    """The paper letters not yet in a batch (of the municipalities of ``user``)."""
    waiting = PostedLetter.objects.filter(
        channel=LetterChannel.PAPER, batch=None, sent_at=None
    ).select_related("dossier", "attachment", "notification")
    return waiting if user is None else _letters_of_sites(waiting, print_sites(user))


def visible_batches(user) -> QuerySet:
    """The print batches of the municipalities of ``user``."""
    sites = print_sites(user)
    batches = PrintBatch.objects.all()
    return batches if sites is None else batches.filter(site_id__in=sorted(sites))


def visible_letter(user, pk) -> PostedLetter | None:
    return waiting_paper_letters(user).filter(pk=pk).first()


@transaction.atomic
def set_address(letter: PostedLetter, address: str) -> bool:
    """Give a waiting paper letter its address (one whose recipient gave none); False
    when it is in a batch already."""
    return bool(
        PostedLetter.objects.filter(pk=letter.pk, batch=None, sent_at=None).update(
            recipient=address.strip()
        )
    )


@transaction.atomic
def make_batches(user) -> list[PrintBatch]:
    """One batch per municipality of every paper letter of ``user``'s municipalities
    that waits now and has an address; [] when none waits. Locks the letters, so two
    officers at once never put a letter in two batches."""
    waiting = _letters_of_sites(
        PostedLetter.objects.select_for_update(of=("self",)).filter(
            channel=LetterChannel.PAPER, batch=None, sent_at=None
        ),
        print_sites(user),
    ).exclude(recipient="")
    per_site: dict[int | None, list[PostedLetter]] = {}
    default = _default_site_id()
    for letter in waiting.select_related("dossier").order_by("created_at", "pk"):
        per_site.setdefault(letter.dossier.site_id or default, []).append(letter)
    made = []
    for site_id in sorted(per_site, key=lambda key: (key is None, key or 0)):
        letters = per_site[site_id]
        batch = PrintBatch.objects.create(created_by=user, site_id=site_id)
        PostedLetter.objects.filter(pk__in=[letter.pk for letter in letters]).update(batch=batch)
        history.record_letters(
            letters,
            result=DeliveryResult.IN_BATCH,
            detail=_("Print batch %(batch)s") % {"batch": batch.pk},
            batch=batch,
        )
        made.append(batch)
    return made


@transaction.atomic
def mark_sent(batch: PrintBatch, user) -> bool:
    """Mark the batch and its letters sent; False when it was already."""
    updated = PrintBatch.objects.filter(pk=batch.pk, sent_at=None).update(
        sent_at=timezone.now(), sent_by=user
    )
    if updated:
        letters = list(PostedLetter.objects.filter(batch=batch, sent_at=None))
        PostedLetter.objects.filter(pk__in=[letter.pk for letter in letters]).update(
            sent_at=timezone.now()
        )
        history.record_letters(
            letters,
            result=DeliveryResult.POSTED,
            detail=_("Print batch %(batch)s") % {"batch": batch.pk},
            batch=batch,
        )
    return bool(updated)
