"""Structured logs: one line per request and per Celery task, and no personal data.

- :class:`RequestLogMiddleware` writes one record per request to the ``loket.request``
  logger: method, path (never the query string, secret link segments redacted), status,
  duration, request id (the proxy's ``X-Request-ID`` when it is a sane token, else a new
  one; always returned in the ``X-Request-ID`` response header), the id of a signed-in
  back-office user, and the dossier reference when the request was about one dossier.
- :func:`connect_task_signals` (called by ``cms.celery``) does the same per Celery task
  on ``loket.task``: task name, id, final state, duration and dossier reference.
- Which dossier a request or task was about is learnt without asking the views: every
  Dossier loaded or saved while it runs is noted (:func:`log_references_of`); when that is
  exactly one dossier, its reference is logged. A list of dossiers logs none.
- :class:`JsonFormatter` (production) writes each record as one JSON object on one
  line; :class:`RedactingFormatter` (development) writes plain readable lines. Both pass
  every text they write (messages, tracebacks) through :func:`redact`, which removes
  e-mail addresses, query strings, passwords in URLs and the secret segments of status,
  resume and sign-in links: a safety net under code that should not log such things in
  the first place.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import time
import uuid
from dataclasses import dataclass, field

request_logger = logging.getLogger("loket.request")
task_logger = logging.getLogger("loket.task")

REDACTED = "[redacted]"

_UUID = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
#: What :func:`redact` removes, in order.
REDACTIONS: list[tuple[re.Pattern, str]] = [
    # A password in a URL (redis://:secret@host, postgres://user:secret@host).
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s/:@]*):[^\s/@]*@", re.I), rf"\1:{REDACTED}@"),
    # The secret after a UUID: /dossier/<uuid>/<key>/ (status page and everything under
    # it), .../hervatten/<uuid>/<key>/ (resume link of a draft).
    (re.compile(rf"(/{_UUID}/)[^/?#\s\"'<>]+"), rf"\1{REDACTED}"),
    # The one-time sign-in token of Mijn loket: /mijn-loket/aanmelden/<token>/, and the
    # one-time link that proves an application's e-mail address: .../bevestigen/<token>/.
    (re.compile(r"(/aanmelden/|/bevestigen/)[^/?#\s\"'<>]+"), rf"\1{REDACTED}"),
    # The query string of a path or URL (search words, next=..., tokens).
    (re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]+"), rf"\1?{REDACTED}"),
    # E-mail addresses.
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"), "[e-mail]"),
]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def redact(text: str) -> str:
    """``text`` without personal data or secrets that may slip into a log line."""
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


# --- what is being worked on ------------------------------------------------------------


@dataclass
class Scope:
    """One request or one task: its id and the dossiers it touched."""

    request_id: str | None = None
    references: set[str] = field(default_factory=set)

    @property
    def dossier(self) -> str | None:
        """The reference of the one dossier this scope was about, if it was one."""
        return next(iter(self.references)) if len(self.references) == 1 else None


_scope: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("loket_scope", default=None)


def current_request_id() -> str | None:
    scope = _scope.get()
    return scope.request_id if scope else None


def note_dossier(reference: str) -> None:
    """Record that the current request or task is about the dossier ``reference``."""
    scope = _scope.get()
    # Two distinct references are enough to know it was not about one dossier.
    if scope is not None and reference and len(scope.references) < 2:
        scope.references.add(reference)


def _reference_seen(sender, instance, **_kwargs) -> None:
    # Only a reference already loaded: reading a deferred field would query.
    reference = instance.__dict__.get("reference")
    if reference:
        note_dossier(reference)


def log_references_of(model) -> None:
    """Note every instance of ``model`` (one with a ``reference``) loaded or saved in the
    current request or task. The dossiers app calls it for its Dossier from
    ``DossiersConfig.ready``: core knows no other app."""
    from django.db.models.signals import post_init, post_save

    uid = f"loket-log-{model._meta.label_lower}"
    post_init.connect(_reference_seen, sender=model, dispatch_uid=f"{uid}-init")
    post_save.connect(_reference_seen, sender=model, dispatch_uid=f"{uid}-save")


# --- requests ---------------------------------------------------------------------------


def request_id_for(request) -> str:
    """The proxy's X-Request-ID when it looks like an id, else a new one."""
    incoming = request.headers.get("X-Request-ID", "")
    return incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex


def _user_id(request) -> int | None:
    """The id of a signed-in Django user: in Loket, always back-office staff
    (applicants are an identity in the session, never a user)."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    try:
        return user.pk if user.is_authenticated else None
    except Exception:  # noqa: BLE001 - the session store may be what failed
        return None


class RequestLogMiddleware:
    """Logs one line per request (place it near the top of ``MIDDLEWARE``, so that it
    sees every answer, redirects to HTTPS and error pages included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        scope = Scope(request_id=request.request_id)
        token = _scope.set(scope)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            path = redact(request.path)
            request_logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "event": "request",
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "request_id": request.request_id,
                    "user_id": _user_id(request),
                    "dossier": scope.dossier,
                },
            )
            return response
        finally:
            _scope.reset(token)


# --- Celery tasks -----------------------------------------------------------------------

_running: dict[str, tuple[float, contextvars.Token, Scope]] = {}


def _task_started(task_id=None, task=None, **_kwargs) -> None:
    parent = _scope.get()
    scope = Scope(request_id=parent.request_id if parent else None)
    _running[task_id] = (time.monotonic(), _scope.set(scope), scope)


def _task_ended(task_id=None, task=None, state=None, **_kwargs) -> None:
    started, token, scope = _running.pop(task_id, (None, None, None))
    if token is not None:
        try:
            _scope.reset(token)
        except ValueError:  # set in another context: nothing to restore there
            _scope.set(None)
    name = getattr(task, "name", "?")
    task_logger.info(
        "task %s %s",
        name,
        state,
        extra={
            "event": "task",
            "task": name,
            "task_id": task_id,
            "state": state,
            "duration_ms": round((time.monotonic() - started) * 1000, 1) if started else None,
            "request_id": scope.request_id if scope else None,
            "dossier": scope.dossier if scope else None,
        },
    )


def connect_task_signals() -> None:
    """Log one line per task run (called by ``cms.celery``; also for eager tasks)."""
    from celery import signals

    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="loket-task-started")
    signals.task_postrun.connect(_task_ended, weak=False, dispatch_uid="loket-task-ended")


# --- formatters -------------------------------------------------------------------------

#: Attributes that the lines above (or anyone) may add with ``extra=``; nothing else from
#: a record is written, so an object passed along (Django adds the request) never is.
FIELDS = (
    "event",
    "method",
    "path",
    "status",
    "duration_ms",
    "request_id",
    "user_id",
    "dossier",
    "task",
    "task_id",
    "state",
)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the :data:`FIELDS`
    the record has; the traceback, if any, as ``exc``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = redact(value) if isinstance(value, str) else value
        if "request_id" not in entry and (request_id := current_request_id()):
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        elif record.stack_info:
            entry["exc"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class RedactingFormatter(logging.Formatter):
    """Plain text lines with :func:`redact` applied (development), followed by the
    :data:`PLAIN_FIELDS` the record has, e.g. ``... 200 (duration_ms=12.5 dossier=...)``."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = [
            f"{name}={value}"
            for name in PLAIN_FIELDS
            if (value := getattr(record, name, None)) is not None
        ]
        return redact(f"{line} ({' '.join(extras)})" if extras else line)


#: The :data:`FIELDS` that plain lines add (the others are in their message already).
PLAIN_FIELDS = ("duration_ms", "dossier", "user_id", "task_id")
