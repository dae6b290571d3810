"""The report categories editors manage, offered to the question "category of the
report" (:mod:`forms_builder.report_categories`); registered on import
(DossiersConfig.ready())."""

from __future__ import annotations

from dossiers.models import ReportCategory
from forms_builder import report_categories


@report_categories.register
class ManagedCategories(report_categories.CategorySource):
    source_id = "managed"

    def grouped_choices(self):
        categories = list(ReportCategory.objects.filter(active=True).select_related("parent"))
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
        category = (
            ReportCategory.objects.filter(pk=category_id, active=True)
            .select_related("parent")
            .first()
        )
        if category is None or category.subcategories.filter(active=True).exists():
            return ""
        return category.full_name
