"""Instructions per wizard step request, counted by valgrind's callgrind: a figure that
does not move with the machine's load (CPU time on a shared 2-core machine swings by
20 % or more from run to run).

Run against a database with the demo loaded (``manage.py load_demo``), with the
production settings of the reliability tests and Redis as cache, as the side-by-side
script serves Loket::

    export DJANGO_SETTINGS_MODULE=tests.reliability.settings DATABASE_URL=postgres://... \\
        CACHE_URL=redis://127.0.0.1:6379/13 LOKET_TEST_STATIC_MANIFEST=0 \\
        LOKET_RATE_LIMITS="public_post_per_client=10000000/60,form_post_per_draft=10000000/60"
    STEP_REQUEST=POST valgrind --tool=callgrind --instr-atstart=no \\
        --callgrind-out-file=var/bench/step.post.cg python -m tests.bench.step_instructions
    grep ^totals var/bench/step.post.cg     # divide by STEP_REQUESTS (default 20)

It opens step 1 of the demo's terrace form with a fresh session, fills it in as
``loket_vs_anchor.sh`` does and posts it once, warms up, then switches callgrind's
counting on (``callgrind_control -i on``) for ``STEP_REQUESTS`` requests of one kind:
``STEP_REQUEST=GET`` (the step page) or ``POST`` (the same valid answers again: a
redirect, the draft unchanged). Without valgrind it prints the CPU milliseconds per
request instead.
"""

import os
import subprocess
import time
from urllib.parse import urlencode

import django

FORM = "/vergunningen/terrasvergunning/aanvraag-terras/"


def fill_in(client):
    from bs4 import BeautifulSoup

    response = client.get(FORM, follow=True)
    step_url = response.redirect_chain[-1][0] if response.redirect_chain else FORM
    form = BeautifulSoup(response.content, "html.parser").find("form", attrs={"method": "post"})
    data = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name, kind = element.get("name"), element.get("type")
        if not name or kind == "submit":
            continue
        if name.endswith("email"):
            data[name] = "pieter@bakkerijvandamme.be"
        elif element.get("value"):
            data[name] = element.get("value")
        else:
            data[name] = "Bakkerij Van Damme" if kind in ("text", None) else "x"
    return step_url, urlencode(data)


def main() -> None:
    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    step_url, body = fill_in(client)
    kind = os.environ.get("STEP_REQUEST", "POST").upper()
    count = int(os.environ.get("STEP_REQUESTS", 20))

    def one():
        if kind == "GET":
            assert client.get(step_url).status_code == 200
        else:
            response = client.post(step_url, body, content_type="application/x-www-form-urlencoded")
            assert response.status_code == 302, response.status_code

    for _ in range(5):
        one()
    # valgrind preloads its own library into the program it runs.
    under_valgrind = "vgpreload" in os.environ.get("LD_PRELOAD", "")
    counting = ["callgrind_control", "-i"]
    if under_valgrind:
        subprocess.run([*counting, "on", str(os.getpid())], capture_output=True, check=True)
    started = time.process_time()
    for _ in range(count):
        one()
    cpu_ms = (time.process_time() - started) / count * 1000
    if under_valgrind:
        subprocess.run([*counting, "off", str(os.getpid())], capture_output=True, check=True)
    else:
        print(f"{kind} {step_url}: {cpu_ms:.2f} CPU ms per request")


if __name__ == "__main__":
    main()
