"""Over HTTP: gunicorn and wrk against the demo, next to a yardstick project.

What a visitor's browser meets: Loket with its production settings
(``tests/reliability/settings.py``: production on plain HTTP) on the configured database
kind, served by gunicorn (sync, 2 workers, persistent connections), with Redis as cache
when ``redis-server`` is installed; and beside it, served the same way from the same
database, the yardstick of ``tests/bench/yardstick/`` (Wagtail's project template: a
plain Wagtail page, a bare ten-field Django form). ``wrk -t1 -c8`` per case, cases in
interleaved rounds, so a busy machine slows both sides alike.

Cases: Loket's demo service page and home page as an anonymous visitor; step 1 of the
demo terrace form, GET and a valid POST (which redirects), with the session of an
applicant who has begun; the yardstick's plain page, its bare form GET, and a valid POST
that stores the answers and redirects.

Written to ``results.json`` (time ratios, Loket / yardstick, from the median req/s of
the rounds; below 1 means Loket is faster): ``service_page_ratio``, ``home_ratio``
(both against the plain Wagtail page; target at most 0.5), ``wizard_get_ratio``
(bare form GET; target at most 2) and ``wizard_post_ratio`` (bare form POST; target at
most 3), and the req/s of every case as ``http_<case>_rps``.

Own databases: PostgreSQL ``<bench database>_http`` or ``var/bench/http.sqlite3``,
created, migrated and filled with the demo, dropped at the end. Needs ``wrk`` (Debian:
``apt-get install wrk``); without it the benchmark prints SKIPPED. ``BENCH_HTTP_DUR``
(default ``10s``), ``BENCH_HTTP_REPS`` (default 3) and ``BENCH_HTTP_CONNS`` (default 8)
set the measurement.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode, urljoin

from django.db import connection

from tests.reliability import harness

from .runner import Context, Outcome

NAME = "HTTP: gunicorn and wrk, Loket next to a yardstick"

YARDSTICK_HOST = "yardstick.test"
SERVICE = "/vergunningen/terrasvergunning/"
FORM = "/vergunningen/terrasvergunning/aanvraag-terras/"
#: Every limit so high that no request is refused, but every counter is still kept.
RATE_LIMITS = ",".join(
    f"{name}=1000000000/60"
    for name in (
        "public_post_per_client",
        "form_post_per_draft",
        "form_submit_per_client",
        "form_submit_per_address",
    )
)

WRK_SCRIPT = r"""
local body_file = os.getenv("WRK_BODY_FILE")
local cookie = os.getenv("WRK_COOKIE")
local host = os.getenv("WRK_HOST")
if host and host ~= "" then wrk.headers["Host"] = host end
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "r")); wrk.method = "POST"; wrk.body = f:read("*a"); f:close()
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
done = function(summary, latency, requests)
  io.write(string.format('WRKJSON {"requests":%d,"rps":%.2f,"mean_ms":%.2f,"p50_ms":%.2f,'
    .. '"non2xx3xx":%d,"errors":%d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6), latency.mean / 1000,
    latency:percentile(50) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""

#: (figure, Loket case, yardstick case, target) — time ratio = yardstick req/s / Loket req/s.
RATIOS = [
    ("service_page_ratio", "loket_service_page", "yardstick_wagtail_page", 0.5),
    ("home_ratio", "loket_home", "yardstick_wagtail_page", 0.5),
    ("wizard_get_ratio", "loket_step_get", "yardstick_form_get", 2.0),
    ("wizard_post_ratio", "loket_step_post", "yardstick_form_post", 3.0),
]


def _database(folder: Path) -> tuple[str, callable]:
    """The URL of this benchmark's own database, and how to drop it."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        name = f"{settings['NAME']}_http"
        user = settings.get("USER") or "postgres"
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        address = f"{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}"
        server = f"postgres://{user}{password}@{address}"
        harness.drop_database(f"{server}/postgres", name)
        harness.psql(f"{server}/postgres", f'CREATE DATABASE "{name}"')
        return f"{server}/{name}", lambda: harness.drop_database(f"{server}/postgres", name)
    path = Path(settings["NAME"]).with_name("http.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)


def _prepare_wizard(port: int, folder: Path) -> tuple[str, str, Path]:
    """Begin the terrace form as an applicant: (step URL, cookie header, POST body file)."""
    import httpx
    from bs4 import BeautifulSoup

    base = f"http://127.0.0.1:{port}"
    jar: dict[str, str] = {}

    def call(method, url, **kwargs):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}
        response = httpx.request(method, url, headers=headers, timeout=30, **kwargs)
        jar.update({cookie.name: cookie.value for cookie in response.cookies.jar})
        return response

    response = call("GET", base + FORM)
    url = base + FORM
    while response.status_code in (301, 302):
        url = urljoin(url, response.headers["Location"])
        response = call("GET", url)
    form = BeautifulSoup(response.text, "html.parser").find("form", attrs={"method": "post"})
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name, kind = field.get("name"), field.get("type")
        if not name or kind == "submit":
            continue
        if name.endswith("email"):
            data[name] = "pieter@bakkerijvandamme.be"
        elif field.get("value"):
            data[name] = field.get("value")
        else:
            data[name] = "Bakkerij Van Damme" if kind in ("text", None) else "x"
    answered = call("POST", url, data=data)
    if answered.status_code != 302:
        raise RuntimeError(f"the step POST did not redirect: {answered.status_code}")
    body = folder / "loket_body.txt"
    body.write_text(urlencode(data))
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    return url.removeprefix(base), cookie, body


def _yardstick_body(port: int, folder: Path) -> tuple[str, Path]:
    """The yardstick form's CSRF cookie and a valid POST body."""
    import httpx
    from bs4 import BeautifulSoup

    response = httpx.get(
        f"http://127.0.0.1:{port}/bare/form/", headers={"Host": YARDSTICK_HOST}, timeout=30
    )
    token = BeautifulSoup(response.text, "html.parser").find(
        "input", attrs={"name": "csrfmiddlewaretoken"}
    )["value"]
    cookie = f"csrftoken={response.cookies['csrftoken']}"
    data = {
        "csrfmiddlewaretoken": token,
        "full_name": "Pieter Van Damme",
        "email": "pieter@bakkerijvandamme.be",
        "birth_date": "1980-04-01",
        "municipality": "Brugge",
        "motivation": "Een terras voor de bakkerij.",
        "agree": "on",
        "household_size": "3",
        "contact": "mail",
        "interests": "Gent",
    }
    body = folder / "yardstick_body.txt"
    body.write_text(urlencode(data))
    return cookie, body


def _wrk(case: tuple, duration: str, script: Path, conns: int) -> dict:
    name, port, path, body, cookie, host = case
    env = {**os.environ, "WRK_BODY_FILE": str(body or ""), "WRK_COOKIE": cookie, "WRK_HOST": host}
    result = subprocess.run(
        ["wrk", "-t1", f"-c{conns}", f"-d{duration}", "--timeout", "10s", "-s", str(script)]
        + [f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    for line in result.stdout.splitlines():
        if line.startswith("WRKJSON "):
            return json.loads(line.removeprefix("WRKJSON "))
    raise RuntimeError(f"wrk gave no figures for {name}: {result.stdout} {result.stderr}")


def run(context: Context) -> Outcome:
    if not shutil.which("wrk"):
        context.say("SKIPPED: wrk is not installed (Debian: apt-get install wrk).")
        return Outcome()
    duration = os.environ.get("BENCH_HTTP_DUR", "10s")
    reps = int(os.environ.get("BENCH_HTTP_REPS", "3"))
    conns = int(os.environ.get("BENCH_HTTP_CONNS", "8"))
    outcome = Outcome()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="loket-http-")))
        logbook = harness.LogBook(folder / "logs")
        cache_url = broker_url = ""
        if harness.redis_binary():
            redis = stack.enter_context(harness.redis_server(logbook))
            cache_url, broker_url = redis.url(1), redis.url(2)
        database_url, drop = _database(folder)
        stack.callback(drop)
        loket_port, yard_port = harness.free_port(), harness.free_port()
        env = harness.app_env(
            database_url=database_url,
            folder=folder,
            cache_url=cache_url,
            broker_url=broker_url,
            base_url=f"http://127.0.0.1:{loket_port}",
            CONN_MAX_AGE="60",
            LOKET_TEST_STATIC_MANIFEST="0",
            LOKET_RATE_LIMITS=RATE_LIMITS,
            LOKET_ADMIN_2FA_REQUIRED="false",
            LOG_FORMAT="json",
        )
        context.say(f"Database {database_url.rsplit('/', 1)[-1]}: migrating, loading the demo...")
        harness.manage(env, "migrate", "--noinput", logbook=logbook)
        harness.manage(env, "load_demo", logbook=logbook)
        yard_env = {**env, "DJANGO_SETTINGS_MODULE": "tests.bench.yardstick.settings"}
        subprocess.run(
            [sys.executable, "-m", "tests.bench.yardstick.prepare"],
            cwd=harness.REPO_ROOT,
            env=yard_env,
            check=True,
        )
        gunicorn = [sys.executable, "-m", "gunicorn", "-k", "sync", "-w", "2"]
        for name, app, port, process_env in (
            ("loket", "cms.wsgi:application", loket_port, env),
            ("yardstick", "tests.bench.yardstick.wsgi:application", yard_port, yard_env),
        ):
            command = [*gunicorn, "-b", f"127.0.0.1:{port}", "--log-level", "warning", app]
            process = harness.Process(f"gunicorn-{name}", command, process_env, logbook).start()
            stack.callback(process.stop)
            harness.wait_until(lambda p=port: harness.port_answers(p), 60, name, process=process)
        step, cookie, loket_body = _prepare_wizard(loket_port, folder)
        yard_cookie, yard_body = _yardstick_body(yard_port, folder)
        yard = YARDSTICK_HOST
        cases = [
            ("yardstick_form_get", yard_port, "/bare/form/", None, "", yard),
            ("loket_step_get", loket_port, step, None, cookie, ""),
            ("yardstick_form_post", yard_port, "/bare/form/", yard_body, yard_cookie, yard),
            ("loket_step_post", loket_port, step, loket_body, cookie, ""),
            ("yardstick_wagtail_page", yard_port, "/", None, "", YARDSTICK_HOST),
            ("loket_service_page", loket_port, SERVICE, None, "", ""),
            ("loket_home", loket_port, "/", None, "", ""),
        ]
        script = folder / "wrk.lua"
        script.write_text(WRK_SCRIPT)
        load = Path("/proc/loadavg").read_text().split()[:3]
        context.say(f"wrk -t1 -c{conns}, {duration} a case, {reps} round(s); load {' '.join(load)}")
        for case in cases:
            _wrk(case, "2s", script, conns)  # warm-up: caches, connections, imports
        runs: dict[str, list[dict]] = {case[0]: [] for case in cases}
        for _round in range(reps):
            for case in cases:
                runs[case[0]].append(_wrk(case, duration, script, conns))
        load = Path("/proc/loadavg").read_text().split()[:3]
    rps = {name: statistics.median(r["rps"] for r in results) for name, results in runs.items()}
    context.say(f"{'case':<26} {'req/s':>8} {'mean ms':>9} {'non-2xx/3xx':>12} {'errors':>7}")
    for name, results in runs.items():
        mean_ms = statistics.median(r["mean_ms"] for r in results)
        bad = sum(r["non2xx3xx"] for r in results)
        errors = sum(r["errors"] for r in results)
        context.say(f"{name:<26} {rps[name]:>8.1f} {mean_ms:>9.2f} {bad:>12} {errors:>7}")
        outcome.figures[f"http_{name}_rps"] = round(rps[name], 1)
        if bad or errors:
            outcome.failures.append(f"{name}: {bad} error responses, {errors} failed requests")
    context.say(f"load at the end: {' '.join(load)}")
    context.say("time ratios (Loket / yardstick; below 1: Loket is faster):")
    for figure, loket, yardstick, target in RATIOS:
        ratio = rps[yardstick] / rps[loket] if rps[loket] else float("inf")
        verdict = "PASS" if ratio <= target else "FAIL"
        context.say(f"  {figure:<20} {ratio:6.2f}  (target at most {target}: {verdict})")
        if ratio != float("inf"):
            outcome.figures[figure] = round(ratio, 2)
    return outcome
