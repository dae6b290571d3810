"""The Dutch admin reads as Dutch: Wagtail's slips corrected, names and messages in Dutch."""

import re
from pathlib import Path

import pytest
import wagtail
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page, Workflow

from cms.wagtail_dutch import WAGTAIL_CORRECTIONS
from cms.wagtail_hooks import say_published_after_approval

PLACEHOLDER = r"(?:%\([a-z_]+\)[sd]|%[sd])"
GLUED = re.compile(rf"{PLACEHOLDER}(?=[A-Za-zÀ-ÿ%])|(?<=[A-Za-zÀ-ÿ]){PLACEHOLDER}")


def po_entries(path: Path):
    """(msgid, msgid_plural, [msgstr...]) of a .po file, without a parser package."""
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        if block.lstrip().startswith("#~"):
            continue

        def field(name, block=block):
            match = re.search(rf"^{name} ((?:\".*\"\n?)+)", block + "\n", re.M)
            if not match:
                return None
            return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1)))

        msgid = field("msgid")
        if msgid:
            strs = [field("msgstr")] + [field(rf"msgstr\[{n}\]") for n in range(2)]
            yield msgid, field("msgid_plural"), [s for s in strs if s is not None]


def glued(text: str) -> int:
    return len(GLUED.findall(text))


def test_every_glued_placeholder_in_wagtails_dutch_is_corrected_by_the_project():
    ours = {
        msgid: strs for msgid, _plural, strs in po_entries(Path("locale/nl/LC_MESSAGES/django.po"))
    }
    slips = []
    for po in Path(wagtail.__file__).parent.glob("**/locale/nl/LC_MESSAGES/django.po"):
        for msgid, _plural, strs in po_entries(po):
            if "\\n" in "".join(strs):
                continue  # a line break in HTML reads as a space
            if any(glued(s) > glued(msgid) for s in strs if s):
                slips.append(msgid)
    assert slips, "the scan finds Wagtail's known slips (else the test proves nothing)"
    uncorrected = [
        msgid
        for msgid in slips
        if msgid not in ours
        or any(glued(s) > glued(msgid) for s in ours[msgid])
        or not all(ours[msgid])
    ]
    assert uncorrected == []


@pytest.mark.parametrize(
    "msgid, words",
    [
        ("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s", "1-4 van 4 pagina's"),
        ('%(editor)s has updated comments on "%(title)s".', "Jan heeft opmerkingen op"),
    ],
)
def test_the_corrections_win_over_wagtails_catalogue(msgid, words):
    values = {
        "start_index": 1,
        "end_index": 4,
        "items_count": 4,
        "model_name": "pagina's",
        "editor": "Jan",
        "title": "Terras",
    }
    with translation.override("nl"):
        assert words in translation.gettext(msgid) % values
    assert any(str(entry) for entry in WAGTAIL_CORRECTIONS)


@pytest.mark.django_db
def test_the_default_workflow_has_a_dutch_name():
    names = set(Workflow.objects.values_list("name", flat=True))
    assert "Goedkeuring door de moderatoren" in names
    assert "Moderators approval" not in names


@pytest.mark.django_db
def test_the_approval_that_publishes_says_published_not_updated(home_page):
    moderator = get_user_model().objects.create_superuser("mod", "mod@example.org", "x")
    workflow = Workflow.objects.get(name="Goedkeuring door de moderatoren")
    home_page.title = "Welkom bij de gemeente"
    home_page.save_revision(user=moderator)
    workflow.start(home_page, moderator)
    home_page.refresh_from_db()
    page = Page.objects.get(pk=home_page.pk)
    page.current_workflow_task.on_action(page.current_workflow_task_state, moderator, "approve")

    request = RequestFactory().post("/", {"workflow-action-name": "approve"})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    with translation.override("nl"):
        from django.contrib import messages

        messages.success(
            request,
            translation.gettext("Page '%(page_title)s' has been updated.")
            % {"page_title": "Welkom bij de gemeente"},
        )
        say_published_after_approval(request, page)
        texts = [str(m.message) for m in get_messages(request)]

    assert texts == ["Pagina 'Welkom bij de gemeente' is goedgekeurd en gepubliceerd."]


@pytest.mark.django_db
def test_a_save_that_is_no_approval_keeps_wagtails_message(home_page):
    request = RequestFactory().post("/", {"action-publish": "1"})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    from django.contrib import messages

    messages.success(request, "Page 'Home' has been updated.")
    say_published_after_approval(request, home_page)
    assert [str(m.message) for m in get_messages(request)] == ["Page 'Home' has been updated."]
