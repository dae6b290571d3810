"""Views of the public site that are not pages: the search."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from wagtail.models import Site

from . import search as site_search
from .forms import SearchForm

RESULTS_PER_PAGE = 10


@require_safe
def search(request):
    """Search the services and topics of the Site that was asked for."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    site = Site.find_for_request(request)
    root = site.root_page if site else None
    context = {"form": form, "query": query}
    if query:
        paginator = Paginator(site_search.search_services(root, query), RESULTS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("pagina"))
        context.update(
            page_obj=page_obj,
            services=site_search.service_hits(page_obj.object_list, query),
            topics=site_search.search_topics(root, query) if page_obj.number == 1 else [],
            result_count=paginator.count,
            query_string=urlencode({"q": query}),
        )
    return TemplateResponse(request, "cms/search_results.html", context)
