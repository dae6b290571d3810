"""The days the municipality is closed, for lead times in working days."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


def parse_dates(text: str) -> tuple[list[datetime.date], list[str]]:
    """The dates in ``text`` (one per line, 2026-12-24 or 24/12/2026; text after the
    date is a note) and the lines that are not a date."""
    dates, wrong = [], []
    for line in (text or "").splitlines():
        word = line.strip().split(" ", 1)[0] if line.strip() else ""
        if not word:
            continue
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                dates.append(datetime.datetime.strptime(word, pattern).date())
                break
            except ValueError:
                continue
        else:
            wrong.append(line.strip())
    return dates, wrong


@register_setting(icon="date")
class ClosingDays(BaseGenericSetting):
    """Days the municipality is closed besides weekends and Belgian public holidays.

    Lead times in working days skip them (:mod:`forms_builder.workdays`). Belgian
    public holidays are known already and need not be listed.
    """

    days = models.TextField(
        _("closing days"),
        blank=True,
        help_text=_(
            "One date per line, e.g. 2026-12-24 or 24/12/2026, optionally followed by a "
            "note: 26/12/2026 Tweede kerstdag. Weekends and Belgian public holidays are "
            "counted already."
        ),
    )

    class Meta:
        verbose_name = _("closing days")

    def clean(self):
        super().clean()
        _dates, wrong = parse_dates(self.days)
        if wrong:
            raise ValidationError(
                {"days": _("These lines are not a date: %(lines)s") % {"lines": "; ".join(wrong)}}
            )

    def dates(self) -> frozenset[datetime.date]:
        """The closing days as dates."""
        return frozenset(parse_dates(self.days)[0])
