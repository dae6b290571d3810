"""The applicant's payment request as a PDF, behind the dossier's secret link:
``/dossier/<id>/<key>/betaling/``. A wrong link, or a dossier without a payment
request, is the 404 page."""

from __future__ import annotations

import io

from django.http import Http404

from dossiers.applicant.downloads import download_response
from dossiers.applicant.views import dossier_or_404, link_limit
from dossiers.payments import document


@link_limit
def payment_request_pdf(request, public_id, key):
    dossier = dossier_or_404(public_id, key)
    pdf = document.payment_request_pdf(dossier)
    if pdf is None:
        raise Http404
    return download_response(
        io.BytesIO(pdf),
        filename=document.payment_request_filename(dossier),
        content_type="application/pdf",
    )
