"""Save and resume: the wizard's state lives in a Draft row, not in the session.

:class:`DraftStorage` is a django-formtools storage backed by :class:`Draft`. The
session only remembers which draft belongs to which form, so a draft survives the
browser being closed, and its secret resume link opens it on another device.
A draft row is written only once the applicant completed a step (or asked to save),
so visitors who only look at a form leave nothing behind.

A draft's files go with it: however a draft row is deleted (expired, erased, or with its
form page, by cascade), :func:`delete_files_of_deleted_draft` deletes its files once the
deletion is committed. :class:`DraftFiles` tells the nightly storage reconciliation
(:mod:`core.reconcile`) which files live drafts still refer to.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from formtools.wizard.storage.base import BaseStorage

from core import uploads
from core.reconcile import FileReferences, file_references

from .models.draft import Draft, new_resume_key
from .statistics import counts
from .submission import get_submit_handler

logger = logging.getLogger(__name__)

SESSION_KEY = "loket-drafts"


def _session_entry(request, page) -> tuple[str, str | None] | None:
    """What the session keeps for ``page``: the draft's id and its holder key.

    Sessions written before drafts had holder keys keep the id alone (holder None).
    """
    entry = request.session.get(SESSION_KEY, {}).get(str(page.pk))
    if not entry:
        return None
    if isinstance(entry, str):
        return entry, None
    try:
        draft_id, holder = entry
    except (TypeError, ValueError):
        return None
    return str(draft_id), str(holder)


def session_draft_id(request, page) -> str | None:
    """The id of the draft of ``page`` this browser session works on, as the session
    remembers it (not checked against the database: see :func:`current_draft`)."""
    entry = _session_entry(request, page)
    return entry[0] if entry else None


def _held_draft(request, page, *, submitted: bool | None) -> Draft | None:
    """The unexpired draft of ``page`` this session holds: submitted or not as
    ``submitted`` says, or either when it is None.

    A session holds a draft while the holder key it keeps is the draft's: opening the
    draft's resume link elsewhere replaces the key, and the draft leaves this session.
    A session from before holder keys holds its draft until a resume link is used.
    """
    entry = _session_entry(request, page)
    if entry is None:
        return None
    draft_id, holder = entry
    drafts = Draft.objects.select_related("snapshot").filter(
        pk=draft_id, page_id=page.pk, expires_at__gt=timezone.now()
    )
    if submitted is not None:
        drafts = drafts.filter(submitted_dossier_id__isnull=not submitted)
    # One row at most (the primary key): no ORDER BY, unlike first().
    draft = next(iter(drafts[:1]), None)
    if draft is None:
        return None
    if holder is None:
        return draft if draft.resume_link_used_at is None else None
    return draft if hmac.compare_digest(draft.holder_key.encode(), holder.encode()) else None


def held_draft(request, page) -> Draft | None:
    """The unexpired draft of ``page`` this session holds, submitted meanwhile or not
    (one query for what :func:`submitted_draft` and :func:`current_draft` ask)."""
    return _held_draft(request, page, submitted=None)


def current_draft(request, page) -> Draft | None:
    """The unfinished, unexpired draft of ``page`` that this browser session holds."""
    return _held_draft(request, page, submitted=False)


def submitted_draft(request, page) -> Draft | None:
    """The draft of ``page`` this session held that was submitted meanwhile, or None.

    The submission and the draft's ``submitted_dossier_id`` commit together; when the
    response after that commit never reached the browser (a crash, a lost connection),
    the session still points at the draft, and the next request shows the confirmation
    instead of a new, empty form.
    """
    return _held_draft(request, page, submitted=True)


def remember_draft(request, page, draft: Draft | None) -> None:
    """Bind ``draft`` to this session for ``page`` (None forgets it)."""
    drafts = dict(request.session.get(SESSION_KEY, {}))
    if draft is None:
        drafts.pop(str(page.pk), None)
    else:
        drafts[str(page.pk)] = [str(draft.pk), draft.holder_key]
    request.session[SESSION_KEY] = drafts


#: What opening a resume link did (see :func:`open_resume_link`).
RESUMED, SUBMITTED, USED, INVALID = "resumed", "submitted", "used", "invalid"


def open_resume_link(page, draft_id, key: str) -> tuple[str, Draft | None]:
    """Use a resume link up; what happened and the draft.

    - ``RESUMED``: the link was good; the draft has a new resume key (the link no
      longer works) and a new holder key, so it leaves the session that held it.
      The caller binds it to the opener's session.
    - ``SUBMITTED``: the same, for a draft that was submitted meanwhile: the caller
      shows the confirmation.
    - ``USED``: the draft exists but its key is another: the link was used already, or
      a newer link replaced it. The draft is not given.
    - ``INVALID``: no such draft (expired, deleted, or the link is incomplete).

    Of two requests with one link at the same moment, one conditional UPDATE succeeds.
    The key is compared in constant time.
    """
    draft = (
        Draft.objects.filter(pk=draft_id, page=page, expires_at__gt=timezone.now())
        .select_related("snapshot")
        .first()
    )
    if draft is None:
        return INVALID, None
    if not hmac.compare_digest(draft.resume_key.encode(), str(key).encode()):
        return USED, None
    now = timezone.now()
    new_key, new_holder = new_resume_key(), new_resume_key()
    moved = Draft.objects.filter(pk=draft.pk, resume_key=draft.resume_key).update(
        resume_key=new_key, holder_key=new_holder, resume_link_used_at=now
    )
    if moved != 1:
        return USED, None
    draft.resume_key, draft.holder_key, draft.resume_link_used_at = new_key, new_holder, now
    return (SUBMITTED if draft.submitted_dossier_id is not None else RESUMED), draft


def renew_resume_link(draft: Draft) -> None:
    """Give ``draft`` a new resume key before a link is e-mailed: every link works once,
    and only the newest one."""
    draft.resume_key = new_resume_key()


def _as_list(infos) -> list[dict]:
    return infos if isinstance(infos, list) else [infos]


def _field_lists(files):
    if files is None:
        return []
    if isinstance(files, MultiValueDict):
        return list(files.lists())
    return [(field, _as_list(items)) for field, items in files.items()]


def draft_file_names_from_data(data: dict | None) -> list[str]:
    step_files = (data or {}).get(BaseStorage.step_files_key, {})
    return [
        info["tmp_name"]
        for fields in step_files.values()
        for infos in fields.values()
        for info in _as_list(infos)
    ]


def draft_file_names(draft: Draft) -> list[str]:
    """Every stored file name the draft refers to."""
    return draft_file_names_from_data(draft.data)


def delete_files_of_deleted_draft(sender, instance: Draft, **kwargs) -> None:
    """``post_delete`` of :class:`Draft` (connected in ``FormsBuilderConfig.ready()``):
    its files are deleted once the deletion is committed, so a deletion that is rolled
    back keeps them. Covers every way a draft goes, the cascade of its form page too."""
    names = draft_file_names(instance)
    if names:
        transaction.on_commit(lambda: uploads.delete_held(names))


def delete_draft(draft: Draft) -> None:
    """Delete a draft; its files follow (:func:`delete_files_of_deleted_draft`)."""
    draft.delete()


@file_references.register
class DraftFiles(FileReferences):
    """The files of every draft still in the database (expired ones too: their own
    task deletes them with their files)."""

    source_id = "drafts"

    def names(self):
        for data in Draft.objects.values_list("data", flat=True).iterator():
            yield from draft_file_names_from_data(data)


def delete_expired_drafts() -> int:
    """Delete every expired, unsubmitted draft with its files; returns how many."""
    count = 0
    for draft in Draft.objects.filter(expires_at__lte=timezone.now()).iterator():
        delete_draft(draft)
        count += 1
    return count


def _signed_in_email(request) -> str:
    """The e-mail address of the applicant signed in to "Mijn loket" (or ""), so that a
    draft they start is listed there without asking for a resume link first.

    The account belongs to the app that takes the submissions, so its submit handler
    answers (:meth:`~forms_builder.submission.SubmitHandler.applicant_email`).
    """
    if request is None:
        return ""
    return get_submit_handler().applicant_email(request) or ""


def _canonical(data) -> str:
    """The wizard data as JSON text with sorted keys: equal text, equal draft."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


class DraftStorage(BaseStorage):
    """A formtools storage that keeps the wizard's data in a :class:`Draft`.

    ``page`` and ``snapshot`` say which form version a new draft is started on;
    ``draft`` is the draft being continued (None for a fresh start).
    """

    def __init__(self, prefix, request=None, file_storage=None, *, page, snapshot, draft=None):
        super().__init__(prefix, request, file_storage)
        self.page = page
        self.snapshot = snapshot
        self.draft = draft
        #: What the draft held when loaded (as canonical JSON), so an unchanged draft is
        #: not written again. JSON text, not a deep copy: ten times cheaper per request.
        self._loaded = _canonical(draft.data) if draft is not None else None
        # A private copy of the stored data (a JSON round trip is the cheap deep copy).
        self.data = json.loads(self._loaded) if draft is not None and draft.data else None
        if not self.data:
            self.init_data()
        #: Set when the draft must be written even without completed steps (save).
        self.force_save = False

    # Files: formtools keeps one file per field; Loket keeps a list per field, so a
    # step can hold several documents and the applicant can remove one again.

    def get_step_files(self, step):
        """The stored files of ``step`` as a MultiValueDict of UploadedFile objects.

        Each file carries ``loket_tmp_name``, its name in the private storage, so the
        form can tell files stored earlier from new uploads.
        """
        files = MultiValueDict()
        for field, infos in self.data[self.step_files_key].get(step, {}).items():
            for info in _as_list(infos):
                key = (step, field, info["tmp_name"])
                if key not in self._files:
                    uploaded = uploads.reopen(info)
                    if uploaded is None:
                        continue
                    self._files[key] = uploaded
                files.appendlist(field, self._files[key])
        return files or None

    def set_step_files(self, step, files):
        """Store the files of ``step``: a mapping of field to a list of files.

        New uploads are held in the private storage under an unguessable name
        (:func:`core.uploads.hold`); files stored before keep theirs;
        stored files that are no longer listed are deleted after the response.
        """
        before = {
            info["tmp_name"]
            for infos in self.data[self.step_files_key].get(step, {}).values()
            for info in _as_list(infos)
        }
        stored = {}
        for field, items in _field_lists(files):
            infos = [uploads.hold(uploaded, "drafts") for uploaded in items]
            stored[field] = infos
        self.data[self.step_files_key][step] = stored
        kept = {info["tmp_name"] for infos in stored.values() for info in infos}
        self._tmp_files.extend(before - kept)

    def reset(self):
        self._tmp_files.extend(draft_file_names_from_data(self.data))
        self.init_data()

    def has_content(self) -> bool:
        return bool(self.data[self.step_data_key]) or self.force_save

    def furthest_step(self) -> int:
        """The number of the furthest step with stored data (the wizard's step keys are
        "1", "2", ...); a step skipped by a condition has none, going back keeps it."""
        return max(
            (int(key) for key in self.data[self.step_data_key] if str(key).isdigit()),
            default=0,
        )

    def save(self) -> Draft | None:
        """Write the wizard data to the draft, creating the draft when worth it."""
        if self.draft is None:
            if not self.has_content():
                return None
            self.draft = Draft.objects.create(
                page=self.page,
                snapshot=self.snapshot,
                data=self.data,
                email=_signed_in_email(self.request),
                furthest_step=self.furthest_step(),
            )
            counts.draft_started(self.draft)
            self._loaded = _canonical(self.data)
            remember_draft(self.request, self.page, self.draft)
        elif (current := _canonical(self.data)) != self._loaded:
            before = self.draft.furthest_step
            furthest = max(before, self.furthest_step())
            Draft.objects.filter(pk=self.draft.pk).update(
                data=self.data, updated_at=timezone.now(), furthest_step=furthest
            )
            self.draft.furthest_step = furthest
            counts.draft_moved(self.draft, before)
            self._loaded = current
        return self.draft

    def update_response(self, response):
        super().update_response(response)
        self.save()
