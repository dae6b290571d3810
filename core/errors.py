"""The server error page, and a 503 instead of it while the database cannot be reached.

Django hands every exception that escapes a view or a middleware to ``handler500``
(see cms/urls.py). When that exception says the database cannot be reached or the
connection broke (``OperationalError``, ``InterfaceError``: the server is down or
restarting, a connection was cut, a deadlock or serialisation failure that a retry
solves), :func:`server_error` answers 503 "Temporarily unavailable" with a
``Retry-After`` header instead of 500: nothing is wrong with what the visitor did, and
trying again soon works. Load balancers and monitoring see the difference too.

The page is rendered like 500.html: without a request context and without the
database, in the language the visitor chose (the language cookie; Dutch by default).
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

#: Exceptions that mean: the database cannot be used right now.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
#: What the 503 tells clients about when to try again, in seconds.
RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: the 503 page for a database that is down, else Django's own."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    return django_server_error(request, template_name)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page (503.html), with ``Retry-After``; never cached."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        html = loader.get_template("503.html").render()
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
