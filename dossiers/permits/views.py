"""The permit's public pages: the verification page behind the QR code
(``/vergunning/<token>/``) and the applicant's download behind the dossier's secret
link (``/dossier/<id>/<key>/vergunning/``).

The verification page shows only what someone checking the permit on the spot needs:
valid, expired or withdrawn, the kind of permit, the period and the place; never a
name, an address of the holder or a reference. It is not indexed and not kept by shared
caches; an unknown token is the 404 page. Every request is rate-limited per client.
"""

from __future__ import annotations

import io

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from core.ratelimit import ratelimit
from dossiers.applicant.downloads import download_response
from dossiers.applicant.views import dossier_or_404, link_limit
from dossiers.permits import document, services


@require_safe
@ratelimit("dossier_link_per_client", methods=("GET", "HEAD"))
def verification(request, token):
    shown = services.verify(token)
    if shown is None:
        raise Http404
    response = TemplateResponse(request, "dossiers/permits/verification.html", {"permit": shown})
    # The state can change (withdrawn, expired): a browser may keep it briefly, a shared
    # cache never; search engines leave it alone.
    response["Cache-Control"] = "private, max-age=60"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


@link_limit
def permit_pdf(request, public_id, key):
    dossier = dossier_or_404(public_id, key)
    pdf = document.permit_pdf(dossier)
    if pdf is None:
        raise Http404
    return download_response(
        io.BytesIO(pdf), filename=document.permit_filename(dossier), content_type="application/pdf"
    )
