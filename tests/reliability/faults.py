"""Faults the reliability tests switch on in the processes they start, through the
environment (see tests/reliability/settings.py). Never part of the product's settings.
"""

from __future__ import annotations

import os
import signal


class DieAfterSubmit:
    """Kill this worker process once an application was sent and committed, before the
    answer leaves: a crash between the commit and the response.

    The wizard commits the dossier inside the view and answers the check page with a
    redirect to the confirmation page. This middleware is the innermost one, so it sees
    that answer before the session middleware saves the session on the way out: as in
    a real crash, neither the answer nor the session change reaches anyone. It fires
    once per marker file (``LOKET_TEST_DIE_AFTER_SUBMIT``, a path): the retry is served.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and request.path.endswith("/controleren/")
            and response.status_code == 302
            and response.get("Location", "").endswith("/bevestiging/")
        ):
            marker = os.environ["LOKET_TEST_DIE_AFTER_SUBMIT"]
            if not os.path.exists(marker):
                with open(marker, "w") as handle:
                    handle.write(str(os.getpid()))
                os.kill(os.getpid(), signal.SIGKILL)
        return response
