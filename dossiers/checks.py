"""``manage.py check --database default`` (and ``migrate``): data that runs, but wrongly.

A form outside the page tree of every Site has no municipality of its own: its dossiers
go to the default Site (:func:`dossiers.models.municipality.site_of_form`), with that Site's
reference code, sender, account and teams. That is right for one municipality and a
surprise with several, so it is said out loud here instead of silently
(docs/gemeenten.md). Checks tagged ``database`` run only when Django is asked to look
at a database: ``check --database default`` and ``migrate``.
"""

from __future__ import annotations

from django.core.checks import Tags, Warning, register


def forms_outside_every_site():
    """The live forms whose page lies under no Site's home page."""
    from django.db.models import Q
    from wagtail.models import Site

    from forms_builder.models import ApplicationFormPage

    roots = list(Site.objects.values_list("root_page__path", flat=True))
    inside = Q(pk__in=[])
    for root in roots:
        inside |= Q(path__startswith=root)
    return ApplicationFormPage.objects.live().exclude(inside).order_by("path")


@register(Tags.database)
def forms_belong_to_a_site(app_configs=None, databases=None, **kwargs) -> list[Warning]:
    if not databases:
        return []
    from django.db import DatabaseError

    try:
        forms = list(forms_outside_every_site())
    except DatabaseError:  # not migrated yet: nothing to say
        return []
    return [
        Warning(
            f"The form “{form.title}” (page {form.pk}) lies outside the page tree of every "
            "site: its dossiers belong to the default site.",
            hint="Move the form under the home page of its municipality "
            "(docs/gemeenten.md, “Een formulier buiten elke gemeente”).",
            obj=form,
            id="loket.W201",
        )
        for form in forms
    ]
