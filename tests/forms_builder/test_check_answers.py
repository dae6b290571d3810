"""The check-your-answers page: a change link per answer, the declaration last."""

import re

import pytest

from .test_wizard import COMPANY, TERRACE, Applicant

pytestmark = pytest.mark.django_db


def test_every_answer_has_a_change_link_naming_its_question(client, form_page):
    form_page.declaration_text = "<p>Ik verklaar dat alles klopt.</p>"
    form_page.save()
    applicant = Applicant(client, form_page)
    applicant.fill_in_everything()
    content = applicant.response.content.decode()
    links = re.findall(
        r'<a href="([^"]+)">Wijzigen<span class="visually-hidden"> het antwoord op ([^<]+)</span>',
        content,
    )
    labels = [label for _url, label in links]
    assert len(labels) == len(COMPANY) + len(TERRACE)
    url, _label = links[0]
    assert url.startswith(form_page.url + "stap/1/#id_1-")
    # The link leads to the question, and the field carries that id.
    step = client.get(url.split("#")[0]).content.decode()
    assert f'id="{url.split("#")[1]}"' in step

    # The declaration stands right before the submit button, after every answer.
    declaration = content.index("Ik verklaar dat alles klopt.")
    button = content.index("Aanvraag indienen")
    last_answer = content.rindex("summary-list__row")
    assert last_answer < declaration < button
    between = content[declaration:button]
    assert "summary-list" not in between
