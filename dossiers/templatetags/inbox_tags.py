"""The inbox's table (modeladmin's ``result_list`` with the rows built in one pass, see
:mod:`dossiers.admin.result_rows`)."""

from django import template
from wagtail_modeladmin.templatetags.modeladmin_tags import result_headers, results

from dossiers.admin.result_rows import result_rows, supports

register = template.Library()


@register.inclusion_tag("dossiers/admin/includes/result_list.html", takes_context=True)
def inbox_result_list(context):
    """What modeladmin's ``{% result_list %}`` shows: the headers, then ``rows`` (whole
    ``<tr>`` elements) or, for a list :mod:`~dossiers.admin.result_rows` cannot draw,
    modeladmin's own ``results``."""
    view = context["view"]
    object_list = context["object_list"]
    headers = list(result_headers(view))
    rows = result_rows(view, object_list) if supports(view) else None
    context.update(
        {
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "rows": rows,
            "results": rows
            if rows is not None
            else list(results(view, object_list, context["request"])),
        }
    )
    return context
