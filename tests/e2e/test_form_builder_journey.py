"""The form builder, end to end in a real browser: built in Wagtail, filled in by an applicant.

An editor (``redacteur``) composes a three-step form in the Wagtail admin: a yes/no
question and an e-mail address (used as the applicant's address) on step 1, a PDF
upload on step 2 that is only asked when the answer was yes, a required short text on
step 3. Everything goes through the admin UI: the StreamField's block choosers, the
form settings tab and the condition editor, which offers the earlier questions as a
list (names derived from the labels by the script, before the page was ever saved).
Editors may add pages but not publish them, so the editor submits the form to the
demo site's moderation workflow and ``admin`` approves and publishes it.

An applicant then fills the form in: answers yes, trips over the missing upload,
uploads a PDF, saves on step 3 and continues on another device through the e-mailed
link, changes the e-mail address from the check-your-answers page and submits. The
dossier holds the changed answer and the uploaded file. axe-core checks every step,
the error state, the check-your-answers page and the other public pages on the way.

Both admin users get English as their admin language for the test: the Dutch labels
of our own blocks come from a compiled catalogue (``*.mo`` is not in git), so English
locators are the ones that do not depend on ``make compilemessages``. The public side
is located by editor content, field names and structure, never by translated text.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail

from cms.demo import load_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FORM_TITLE = "Aanvraag proefproject"
REFERENCE_RE = re.compile(r"TST-\d{4}-\d{5}")
FIRST_EMAIL = "an.peeters@voorbeeld.be"
CHANGED_EMAIL = "an@peeters-bouw.be"
PROJECT_NAME = "Groene gevel Marktstraat"
RESUME_URL_RE = re.compile(r"https?://\S+/hervatten/[0-9a-f-]{36}/[\w-]+/")


def small_pdf() -> bytes:
    """A tiny but well-formed one-page PDF (real magic bytes: %PDF-1.4)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- helpers -----------------------------------------------------------------------------


def wait_for_mail(predicate, timeout: float = 5.0) -> list:
    """The messages in the outbox that match ``predicate``, waiting a little for them:
    they are sent after commit, in the live server's thread."""
    deadline = time.monotonic() + timeout
    while True:
        found = [message for message in mail.outbox if predicate(message)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def click_and_load(page, locator) -> None:
    """Click ``locator`` and wait for the page it leads to, which must not be an error."""
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.status < 400, (
        f"{response.request.method} {response.url} answered HTTP {response.status}"
    )


def use_english_admin(*usernames: str) -> None:
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    for user in get_user_model().objects.filter(username__in=usernames):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()


def admin_login(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    click_and_load(page, page.locator("form button[type=submit]"))
    page.wait_for_url(base + "/admin/")


# Wagtail's StreamField: every block's inputs are named after their place in the
# stream (steps-0-value-fields-1-value-label), and each stream has a hidden
# "<prefix>-count" input right before its container. The "+" button after the last
# child (the container's last div) appends a block; it opens a searchable chooser.
# The editor's sticky footer grows when autosave reports something ("Autosave is
# paused" while the required reference prefix is still empty), so buttons are brought
# to the middle of the window before they are clicked.


def click_centred(locator) -> None:
    locator.evaluate("element => element.scrollIntoView({block: 'center'})")
    locator.click()


def append_block(page, stream_prefix: str, block_label: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    container = page.locator(
        f"[name='{stream_prefix}-count'] + [data-streamfield-stream-container]"
    )
    button = container.locator(":scope > div:last-child > button.c-sf-add-button")
    search = page.locator("[data-tippy-root] .tippy-box[data-state=visible] [role=combobox]")
    for _attempt in range(3):
        if button.get_attribute("aria-expanded") != "true":
            click_centred(button)
        try:
            search.wait_for(timeout=3_000)
            break
        except PlaywrightTimeoutError:
            continue
    search.fill(block_label)
    chooser = page.locator("[data-tippy-root] .tippy-box[data-state=visible]")
    chooser.get_by_role("option", name=block_label, exact=True).click()


def add_step(page, index: int, title: str) -> str:
    append_block(page, "steps", "Step")
    prefix = f"steps-{index}-value-"
    page.locator(f"[name='{prefix}title']").fill(title)
    return prefix


def add_field(page, step: int, index: int, type_label: str, question: str) -> str:
    append_block(page, f"steps-{step}-value-fields", type_label)
    prefix = f"steps-{step}-value-fields-{index}-value-"
    page.locator(f"[name='{prefix}label']").fill(question)
    return prefix


def open_settings(page, prefix: str) -> None:
    """Open the "Settings" of the question at ``prefix`` (its machine name, what the
    answer is used as, its condition ...), which the editor keeps behind a toggle."""
    panel = page.locator("section[data-panel]", has=page.locator(f"[name='{prefix}label']")).last
    toggle = panel.locator(":scope > .w-panel__header button[aria-controls$='-settings']")
    if toggle.get_attribute("aria-expanded") != "true":
        click_centred(toggle)


def next_button(page):
    return page.locator("main form button[type=submit]:not([name=save_draft])")


def step_heading(page) -> str:
    return page.locator("main h1").inner_text().strip()


# --- the journey -------------------------------------------------------------------------


def test_editor_builds_a_form_and_an_applicant_completes_it(live_server, new_page, axe):
    from wagtail.models import Site

    from dossiers.models import Dossier, Team
    from forms_builder.models import ApplicationFormPage

    load_demo()
    use_english_admin("redacteur", "admin")
    base = live_server.url
    # The municipality's site (the demo also has the province's library site).
    home = Site.objects.get(is_default_site=True).root_page.specific
    team = Team.objects.get(name="Lokale economie")

    # --- the editor builds the form ----------------------------------------------------
    editor = new_page()
    admin_login(editor, base, "redacteur", "loket-redacteur")
    editor.get_by_role("button", name="Pages", exact=True).click()  # the sidebar's explorer
    click_and_load(editor, editor.get_by_role("link", name=home.title, exact=True))
    editor.wait_for_url(f"{base}/admin/pages/{home.pk}/")
    click_and_load(editor, editor.get_by_role("link", name="Add child page", exact=True))
    click_and_load(editor, editor.get_by_role("link", name="Application form", exact=True))
    editor.wait_for_url(re.compile(r"/admin/pages/add/forms_builder/applicationformpage/\d+/$"))

    editor.locator("[name=title]").fill(FORM_TITLE)

    add_step(editor, 0, "Uw gegevens")
    add_field(editor, 0, 0, "Yes/no", "Heeft u al een bouwplan?")
    email = add_field(editor, 0, 1, "E-mail address", "Uw e-mailadres")
    open_settings(editor, email)
    editor.locator(f"[name='{email}maps_to']").select_option("applicant_email")

    step_2 = add_step(editor, 1, "Uw bouwplan")
    upload = add_field(editor, 1, 0, "File upload", "Het bouwplan")
    # The allowed types are tick boxes: only PDF.
    type_boxes = editor.locator(f"[name='{upload}allowed_types']")
    for index in range(type_boxes.count()):
        box = type_boxes.nth(index)
        box.set_checked(box.get_attribute("value") == "pdf")

    # The step's condition: a collapsed panel with a list of rules.
    click_centred(editor.locator(f"button[aria-controls='block_group-{step_2}condition-content']"))
    click_centred(
        editor.locator(
            f"[name='{step_2}condition-rules-count'] + [data-streamfield-list-container]"
            " > button[data-streamfield-list-add]"
        )
    )
    rule = f"{step_2}condition-rules-0-value-"
    # condition-editor.js hides the machine-name input behind a list of the questions
    # of the earlier steps, named as the server will name them (derived from the label).
    question = editor.locator(f"[data-loket-condition-field]:has([name='{rule}field']) select")
    question.focus()
    offered = question.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert offered == ["", "heeft_u_al_een_bouwplan", "uw_e_mailadres"], offered
    question.select_option(label="Heeft u al een bouwplan? (heeft_u_al_een_bouwplan)")
    assert editor.locator(f"[name='{rule}field']").input_value() == "heeft_u_al_een_bouwplan"
    editor.locator(f"[name='{rule}operator']").select_option("equals")
    # ...and the value from the question's options (the text box behind it gets it).
    editor.locator(f"[id='{rule}value-choice']").select_option("yes")
    assert editor.locator(f"[name='{rule}value']").input_value() == "yes"

    add_step(editor, 2, "Uw project")
    add_field(editor, 2, 0, "Short text", "Naam van het project")

    editor.get_by_role("tab", name="Form settings").click()
    editor.locator("[name=reference_prefix]").fill("TST")
    editor.locator("[name=team]").select_option(value=str(team.pk))

    click_and_load(editor, editor.get_by_role("button", name="Save draft"))
    editor.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    form_page = ApplicationFormPage.objects.get(title=FORM_TITLE)
    # Saving gave every field its machine name; it stays when the label changes.
    assert editor.locator("[name='steps-0-value-fields-0-value-name']").input_value() == (
        "heeft_u_al_een_bouwplan"
    )
    assert editor.locator(f"[name='{rule}field']").input_value() == "heeft_u_al_een_bouwplan"

    # Editors may not publish: the demo's moderation workflow takes the form to admin.
    editor.get_by_role("button", name="More actions").click()
    click_and_load(editor, editor.locator("button[name=action-submit]"))
    form_page.refresh_from_db()
    assert not form_page.live

    moderator = new_page()
    admin_login(moderator, base, "admin", "loket-admin")
    click_and_load(
        moderator, moderator.locator(f"main a[href='/admin/pages/{form_page.pk}/edit/']").first
    )
    moderator.get_by_role("button", name="More actions").click()
    click_and_load(moderator, moderator.get_by_role("button", name="Approve and Publish"))
    form_page.refresh_from_db()
    assert form_page.live, "approving the last task of the workflow publishes the form"
    schema = form_page.get_schema()
    assert [step["title"] for step in schema["steps"]] == [
        "Uw gegevens",
        "Uw bouwplan",
        "Uw project",
    ]
    assert schema["steps"][1]["condition"] == {
        "combinator": "all",
        "rules": [{"field": "heeft_u_al_een_bouwplan", "operator": "equals", "value": "yes"}],
    }
    assert schema["steps"][1]["fields"][0]["options"]["allowed_types"] == ["pdf"]
    step_ids = [step["id"] for step in schema["steps"]]

    # --- the applicant fills it in ------------------------------------------------------
    applicant = new_page()
    response = applicant.goto(base + form_page.url)
    assert response is not None and response.status == 200
    applicant.wait_for_url(re.compile(r"/stap/1/$"))
    assert step_heading(applicant) == "Uw gegevens"
    axe(applicant, "step 1")

    applicant.locator("input[name$='-heeft_u_al_een_bouwplan'][value=yes]").check()
    applicant.get_by_label("Uw e-mailadres").fill(FIRST_EMAIL)
    click_and_load(applicant, next_button(applicant))

    # The conditional step is there, because the answer was yes.
    applicant.wait_for_url(re.compile(r"/stap/2/$"))
    assert step_heading(applicant) == "Uw bouwplan"
    assert re.search(r"\b2\D+3\b", applicant.locator(".step-indicator").inner_text())
    axe(applicant, "step 2 (conditional, with an upload)")

    click_and_load(applicant, next_button(applicant))
    summary = applicant.locator(".error-summary")
    summary.wait_for()
    assert "Voeg het bouwplan toe." in summary.inner_text()  # phrased for the question
    upload_input = applicant.get_by_label("Het bouwplan")
    upload_id = upload_input.get_attribute("id")
    assert summary.locator(f"a[href='#{upload_id}']").count() == 1
    assert step_heading(applicant) == "Uw bouwplan"
    axe(applicant, "step 2 with a validation error")

    upload_input.set_input_files(
        files=[{"name": "bouwplan.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    click_and_load(applicant, next_button(applicant))

    applicant.wait_for_url(re.compile(r"/stap/3/$"))
    assert step_heading(applicant) == "Uw project"
    axe(applicant, "step 3")
    applicant.get_by_label("Naam van het project").fill(PROJECT_NAME)
    click_and_load(applicant, applicant.locator("main form button[name=save_draft]"))

    applicant.wait_for_url(re.compile(r"/bewaren/$"))
    address = applicant.locator("main form input[name=email]")
    assert address.input_value() == FIRST_EMAIL, "the address comes from the mapped answer"
    axe(applicant, "save and continue later")
    click_and_load(applicant, applicant.locator("main form button[type=submit]"))
    axe(applicant, "link sent")

    sent = wait_for_mail(lambda m: FIRST_EMAIL in m.to and RESUME_URL_RE.search(m.body))
    assert len(sent) == 1, [(m.to, m.subject) for m in mail.outbox]
    # The link carries the configured site address; here it must reach the live server.
    resume_path = urlsplit(RESUME_URL_RE.search(sent[0].body).group(0)).path
    assert resume_path.startswith(form_page.url), resume_path

    # --- ...and continues on another device ----------------------------------------------
    other_device = new_page()
    response = other_device.goto(base + resume_path)
    assert response is not None and response.status == 200
    other_device.wait_for_url(re.compile(r"/stap/3/$"))
    assert other_device.get_by_label("Naam van het project").input_value() == PROJECT_NAME
    click_and_load(other_device, next_button(other_device))

    other_device.wait_for_url(re.compile(r"/controleren/$"))
    check_text = other_device.locator("main").inner_text()
    assert FIRST_EMAIL in check_text and "bouwplan.pdf" in check_text and PROJECT_NAME in check_text
    axe(other_device, "check your answers")

    first_section = other_device.locator(
        "section.summary-section", has=other_device.get_by_role("heading", name="Uw gegevens")
    )
    click_and_load(other_device, first_section.locator("a[href$='/stap/1/']"))
    other_device.wait_for_url(re.compile(r"/stap/1/$"))
    email_input = other_device.get_by_label("Uw e-mailadres")
    assert email_input.input_value() == FIRST_EMAIL
    axe(other_device, "step 1, changing an answer")
    email_input.fill(CHANGED_EMAIL)
    click_and_load(other_device, next_button(other_device))

    other_device.wait_for_url(re.compile(r"/controleren/$"))
    check_text = other_device.locator("main").inner_text()
    assert CHANGED_EMAIL in check_text and FIRST_EMAIL not in check_text
    assert "bouwplan.pdf" in check_text, "the upload survived the change"
    axe(other_device, "check your answers after the change")
    click_and_load(other_device, other_device.locator("main form button[type=submit]"))

    other_device.wait_for_url(re.compile(r"/bevestiging/$"))
    reference = other_device.locator(".reference").inner_text().strip()
    assert REFERENCE_RE.fullmatch(reference), reference
    axe(other_device, "confirmation")

    # --- what was submitted ---------------------------------------------------------------
    dossier = Dossier.objects.get(reference=reference)
    assert dossier.form_page_id == form_page.pk
    assert dossier.team_id == team.pk
    assert dossier.applicant_email == CHANGED_EMAIL
    assert dossier.answers[step_ids[0]] == {
        "heeft_u_al_een_bouwplan": True,
        "uw_e_mailadres": CHANGED_EMAIL,
    }
    assert dossier.answers[step_ids[2]] == {"naam_van_het_project": PROJECT_NAME}
    attachments = list(dossier.attachments.all())
    assert [(a.original_name, a.field_name, a.step_id) for a in attachments] == [
        ("bouwplan.pdf", "het_bouwplan", step_ids[1])
    ]
    with attachments[0].file.open("rb") as stored:
        assert stored.read() == small_pdf()
    # Not signed in: the e-mail that asks to prove the address comes too (not counted).
    confirmed = wait_for_mail(
        lambda m: (
            CHANGED_EMAIL in m.to
            and reference in m.subject + m.body
            and "/bevestigen/" not in m.body
        )
    )
    assert len(confirmed) == 1, [(m.to, m.subject) for m in mail.outbox]
