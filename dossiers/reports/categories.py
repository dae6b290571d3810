"""The report categories editors manage, offered to the question "category of the
report" (:mod:`forms_builder.report_categories`); registered on import
(DossiersConfig.ready())."""

from __future__ import annotations

from django.db.models import Q

from dossiers.models import ReportCategory
from forms_builder import report_categories


def offered():
    """The active categories of the municipality whose form is served, and the shared
    ones (outside a form: the shared ones only)."""
    site_id = report_categories.current_site_id()
    return ReportCategory.objects.filter(Q(site__isnull=True) | Q(site=site_id), active=True)


@report_categories.register
class ManagedCategories(report_categories.CategorySource):
    source_id = "managed"

    def grouped_choices(self):
        categories = list(offered().select_related("parent"))
        mains = [each for each in categories if each.parent_id is None]
        groups = []
        for main in mains:
            subs = [each for each in categories if each.parent_id == main.pk]
            options = [(str(sub.pk), sub.name) for sub in subs] or [(str(main.pk), main.name)]
            groups.append((main.name, options))
        return groups

    def label(self, category_id):
        if not str(category_id).isdigit():
            return ""
        category = offered().filter(pk=category_id).select_related("parent").first()
        if category is None or category.subcategories.filter(active=True).exists():
            return ""
        return category.full_name
