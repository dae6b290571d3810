"""The inbox's filters. Each narrows the dossiers the officer may see already.

They are Django list filters (which wagtail-modeladmin renders), with short query
parameters so that a filtered inbox is a link an officer can keep: ``?status=open``,
``?assigned=me``, ``?overdue=yes``, ``?form=12``, ``?team=3``,
``?submitted_from=2026-01-01&submitted_to=2026-01-31``.
"""

from __future__ import annotations

import datetime

from django.contrib.admin import ListFilter, SimpleListFilter
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.constants import Status
from dossiers.models import Dossier

from .. import permissions


class StatusFilter(SimpleListFilter):
    title = _("status")
    parameter_name = "status"
    #: Every status in which the dossier still needs work.
    OPEN = "open"
    #: Sent and not taken by anyone yet: the number the menu item shows.
    NEW = "new"

    def lookups(self, request, model_admin):
        # Officers never see an application that waits for its fee (not sent yet).
        shown = [choice for choice in Status.choices if choice[0] not in permissions.NEVER_SENT]
        return [
            (self.OPEN, _("Open (not decided yet)")),
            (self.NEW, _("New (nobody has taken it yet)")),
            *shown,
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.OPEN:
            return queryset.open()
        if value == self.NEW:
            return queryset.new()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


class AssignedFilter(SimpleListFilter):
    title = _("officer")
    parameter_name = "assigned"
    ME = "me"
    NOBODY = "nobody"

    def lookups(self, request, model_admin):
        return [(self.ME, _("Assigned to me")), (self.NOBODY, _("Not assigned yet"))]

    def queryset(self, request, queryset):
        if self.value() == self.ME:
            return queryset.filter(assigned_to=request.user.pk)
        if self.value() == self.NOBODY:
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class OverdueFilter(SimpleListFilter):
    title = _("decision date")
    parameter_name = "overdue"
    YES = "yes"

    def lookups(self, request, model_admin):
        return [(self.YES, _("Too late"))]

    def queryset(self, request, queryset):
        if self.value() == self.YES:
            return queryset.overdue()
        return queryset


class _IdFilter(SimpleListFilter):
    """A filter on a related record by id; the choices are what the officer may see.

    The choices are read once per request (the inbox builds its filters twice).
    """

    #: The dossier's column the id is compared with.
    field_name = ""

    def get_choices(self, request) -> list[tuple[int, str]]:
        raise NotImplementedError

    def lookups(self, request, model_admin):
        cache = request.__dict__.setdefault("_loket_filter_choices", {})
        if self.parameter_name not in cache:
            cache[self.parameter_name] = [
                (str(pk), label) for pk, label in self.get_choices(request)
            ]
        return cache[self.parameter_name]

    def has_output(self):
        # Also when the chosen id is not among the choices (a form moved to another
        # team): the filter must still apply.
        return bool(self.lookup_choices) or self.value() is not None

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{self.field_name: int(value)})
        return queryset


class TeamFilter(_IdFilter):
    title = _("team")
    parameter_name = "team"
    field_name = "team_id"

    def get_choices(self, request):
        return permissions.visible_teams(request.user).values_list("pk", "name")


class MunicipalityFilter(_IdFilter):
    """For a regional desk: the dossiers of one of the municipalities it serves."""

    title = _("municipality")
    parameter_name = "site"
    field_name = "site_id"

    def get_choices(self, request):
        member = permissions.membership(request.user)
        if not member.is_admin and len(member.site_ids) < 2:
            return []  # one municipality: nothing to choose (and no query)
        return (
            permissions.visible_sites(request.user)
            .order_by("site_name")
            .values_list("pk", "site_name")
        )

    def has_output(self):
        # Only worth a filter when the officer sees more than one municipality.
        return len(self.lookup_choices) > 1 or self.value() is not None


class FormFilter(_IdFilter):
    title = _("form")
    parameter_name = "form"
    field_name = "form_page_id"

    def get_choices(self, request):
        form_model = Dossier._meta.get_field("form_page").related_model
        forms = form_model.objects.order_by("title")
        member = permissions.membership(request.user)
        if not member.is_admin:
            # EXISTS, not a join: the join read every dossier of the forms (a second at a
            # million dossiers) to keep one row per form.
            seen = Dossier.objects.filter(form_page_id=OuterRef("pk"), site_id__in=member.site_ids)
            forms = forms.filter(Exists(seen), team__in=member.team_ids)
        return forms.values_list("pk", "title")


class SubmittedBetweenFilter(ListFilter):
    """Dossiers submitted from one day up to and including another (either may be empty).

    Rendered as a small GET form with two date fields, so it works without JavaScript;
    the other filters of the inbox are kept as hidden fields.
    """

    title = _("submitted between")
    template = "dossiers/admin/date_range_filter.html"
    from_parameter = "submitted_from"
    to_parameter = "submitted_to"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in self.expected_parameters():
            if name in params:
                value = params.pop(name)
                self.used_parameters[name] = value[-1] if isinstance(value, list) else value

    def expected_parameters(self):
        return [self.from_parameter, self.to_parameter]

    def has_output(self):
        return True

    def day(self, name) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(self.used_parameters.get(name, ""))
        except ValueError:
            return None

    def queryset(self, request, queryset):
        start, end = self.day(self.from_parameter), self.day(self.to_parameter)
        # Local midnights as moments, so the index on submitted_at serves the filter.
        if start:
            queryset = queryset.filter(submitted_at__gte=_start_of(start))
        if end:
            queryset = queryset.filter(submitted_at__lt=_start_of(end + datetime.timedelta(1)))
        return queryset

    def choices(self, changelist):
        kept = [
            (key, value)
            for key, values in changelist.params.lists()
            if key not in self.expected_parameters()
            for value in values
        ]
        yield {
            "from_name": self.from_parameter,
            "to_name": self.to_parameter,
            "from_value": self.day(self.from_parameter) or "",
            "to_value": self.day(self.to_parameter) or "",
            "kept": kept,
            "selected": bool(self.used_parameters),
            "clear_url": changelist.get_query_string(remove=self.expected_parameters()),
        }


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
