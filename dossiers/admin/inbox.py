"""The inbox for a day with many dossiers: the default view, saved views, bulk actions,
and previous/next from one dossier to the next of the list the officer came from.

- The menu opens the **default view**: the open dossiers of the officer's teams (the
  inbox shows no other), the earliest decision date first.
- An officer **saves** a filtered, searched and sorted inbox under a name; only the
  inbox's own parameters are kept (:func:`clean_query`), so a saved view shows nothing
  the inbox would not.
- **Bulk actions** take, assign or export the ticked dossiers. Each dossier goes
  through the same service and permission check as on its own page; what is refused is
  reported by reference, and nothing else changes.
- The inbox remembers the references of the page it showed (in the session, only when
  they change); the dossier view offers the previous and next dossier of that list.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dossiers import export, permissions, services
from dossiers.exceptions import ActionRefused
from dossiers.models import SavedInboxView

#: The session key of the list the inbox showed last.
SESSION_KEY = "loket_inbox_list"
#: Parameters of the inbox that are not filters: search, sort, page.
OWN_PARAMETERS = ("q", "o", "p")
#: The most saved views an officer keeps (the list above the inbox stays short).
MAX_SAVED_VIEWS = 20
#: The most dossiers one bulk action handles (the inbox's page size is 50).
MAX_BULK = 100


def allowed_parameters(model_admin) -> set[str]:
    names = set(OWN_PARAMETERS)
    for spec in model_admin.list_filter:
        if hasattr(spec, "parameter_name"):
            names.add(spec.parameter_name)
        names.update(getattr(spec, "parameters", ()))
    return names


def clean_query(query: QueryDict, model_admin) -> str:
    """The inbox's own parameters of ``query`` (no page number), as a query string."""
    allowed = allowed_parameters(model_admin) - {"p"}
    kept = [
        (name, value[:100])
        for name in sorted(allowed)
        for value in query.getlist(name)[:1]
        if value
    ]
    return urlencode(kept)[:500]


def default_query(model_admin) -> str:
    """The default view: open dossiers, the earliest decision date first."""
    due_column = list(model_admin.list_display).index("due_column")
    return urlencode({"o": str(due_column), "status": "open"})  # as clean_query orders


def index_url(model_admin, query: str = "") -> str:
    url = model_admin.url_helper.index_url
    return f"{url}?{query}" if query else url


def context(request, model_admin) -> dict:
    """What the inbox template shows around the list (one query for the saved views,
    one for the officers a dossier can be given to)."""
    current = clean_query(request.GET, model_admin)
    saved = list(SavedInboxView.objects.filter(user=request.user))
    default = default_query(model_admin)
    teams = permissions.visible_teams(request.user)
    officers = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__team__in=teams) | Q(groups__led_team__in=teams))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return {
        "default_view_url": index_url(model_admin, default),
        "is_default_view": current == default,
        "saved_views": [
            {
                "view": each,
                "url": index_url(model_admin, each.query),
                "current": each.query == current,
                "delete_url": model_admin.url_helper.get_action_url("delete_inbox_view", each.pk),
            }
            for each in saved
        ],
        "current_query": current,
        "save_view_url": model_admin.url_helper.get_action_url("save_inbox_view"),
        "bulk_url": model_admin.url_helper.get_action_url("bulk"),
        "bulk_officers": [(user.pk, services.person_name(user)) for user in officers],
        "export_formats": [(each.format_id, each.label) for each in export.all_formats()],
    }


def remember_list(request, object_list, query: str) -> None:
    """Keep the page's dossier ids for previous/next (written only when they change)."""
    ids = [dossier.pk for dossier in object_list]
    stored = request.session.get(SESSION_KEY)
    if stored != {"ids": ids, "query": query}:
        request.session[SESSION_KEY] = {"ids": ids, "query": query}


def neighbours(request, model_admin, dossier) -> dict | None:
    """Previous and next of the list the officer came from, or None when the dossier
    is not on it (opened from a link, a search elsewhere, the dashboard)."""
    stored = request.session.get(SESSION_KEY) or {}
    ids = stored.get("ids") or []
    if dossier.pk not in ids:
        return None
    position = ids.index(dossier.pk)
    helper = model_admin.url_helper
    return {
        "position": position + 1,
        "count": len(ids),
        "previous_url": helper.get_action_url("inspect", ids[position - 1]) if position else "",
        "next_url": helper.get_action_url("inspect", ids[position + 1])
        if position + 1 < len(ids)
        else "",
        "list_url": index_url(model_admin, stored.get("query", "")),
    }


@require_POST
def save_view(request, model_admin):
    """Save the inbox the officer is looking at under a name."""
    query = clean_query(QueryDict(request.POST.get("query", "")), model_admin)
    name = " ".join(request.POST.get("name", "").split())[:80]
    back = index_url(model_admin, query)
    if not name:
        messages.error(request, _("Give the view a name."))
        return redirect(back)
    views = SavedInboxView.objects.filter(user=request.user)
    if views.count() >= MAX_SAVED_VIEWS and not views.filter(name=name).exists():
        messages.error(
            request,
            _("You can keep at most %(count)s views. Delete one first.")
            % {"count": MAX_SAVED_VIEWS},
        )
        return redirect(back)
    try:
        with transaction.atomic():
            SavedInboxView.objects.update_or_create(
                user=request.user, name=name, defaults={"query": query}
            )
    except IntegrityError:  # the same name saved twice at the same moment
        pass
    messages.success(request, _("The view “%(name)s” is saved.") % {"name": name})
    return redirect(back)


@require_POST
def delete_view(request, model_admin, instance_pk):
    """Delete one of the officer's own saved views (another's is not found)."""
    view = get_object_or_404(SavedInboxView, pk=instance_pk, user=request.user)
    view.delete()
    messages.success(request, _("The view “%(name)s” is deleted.") % {"name": view.name})
    return redirect(index_url(model_admin, view.query))


def chosen_dossiers(request, model_admin):
    """The ticked dossiers the officer may see, in the order of the references."""
    ids = [int(raw) for raw in request.POST.getlist("dossier")[:MAX_BULK] if raw.isdigit()]
    return list(
        permissions.visible_dossiers(request.user)
        .filter(pk__in=ids)
        .select_related("team", "assigned_to")
        .order_by("reference")
    )


@require_POST
def bulk_view(request, model_admin):
    """Take, assign or export the ticked dossiers."""
    back = index_url(
        model_admin, clean_query(QueryDict(request.POST.get("query", "")), model_admin)
    )
    dossiers = chosen_dossiers(request, model_admin)
    if not dossiers:
        messages.error(request, _("Tick at least one dossier first."))
        return redirect(back)
    action = request.POST.get("action", "")
    if action.startswith("export:"):
        format_id = action.removeprefix("export:")
        if format_id not in {each.format_id for each in export.all_formats()}:
            messages.error(request, _("Choose what to do with the ticked dossiers."))
            return redirect(back)
        queryset = permissions.visible_dossiers(request.user).filter(
            pk__in=[dossier.pk for dossier in dossiers]
        )
        return export.export_response(
            queryset.order_by("reference"),
            export.get_format(format_id),
            with_answers=len({dossier.form_page_id for dossier in dossiers}) == 1,
            reveal_sensitive=permissions.can_see_sensitive(request.user),
        )
    if action == "take":
        assignee = request.user
    elif action == "assign":
        raw = request.POST.get("assignee", "")
        assignee = get_user_model().objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if assignee is None:
            messages.error(request, _("Choose an officer of the team."))
            return redirect(back)
    else:
        messages.error(request, _("Choose what to do with the ticked dossiers."))
        return redirect(back)
    done, refused = [], []
    for dossier in dossiers:
        try:
            with transaction.atomic():
                services.assign(dossier, assignee, actor=request.user)
        except ActionRefused as exc:
            refused.append(f"{dossier.reference}: {exc}")
        else:
            done.append(dossier.reference)
    if done:
        messages.success(
            request,
            ngettext(
                "%(officer)s handles %(count)s dossier now: %(references)s.",
                "%(officer)s handles %(count)s dossiers now: %(references)s.",
                len(done),
            )
            % {
                "officer": services.person_name(assignee),
                "count": len(done),
                "references": ", ".join(done),
            },
        )
    for reason in refused:
        messages.error(request, reason)
    return redirect(back)
