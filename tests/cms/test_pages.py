"""The pages of the public site: what applicants see on each of them."""

import pytest

from cms.models import SERVICE_SECTIONS, ContactPage, SiteBranding
from tests.conftest import make_form_page

from .builders import make_finder, make_service, make_topic

pytestmark = pytest.mark.django_db


def get_html(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


class TestServicePage:
    def test_every_filled_section_is_a_heading_in_a_fixed_order(self, client, home_page):
        service = make_service(
            home_page,
            cost="<p>€ 20 per m².</p>",
            what_it_is="<p>Tafels op de stoep.</p>",
            legal_basis="<p>Politiereglement.</p>",
        )
        html = get_html(client, service)

        assert [s.field_name for s in SERVICE_SECTIONS][:4] == [
            "what_it_is",
            "audience",
            "conditions",
            "cost",
        ]
        assert html.index('<h2 id="what-it-is">') < html.index('<h2 id="cost">')
        assert html.index('<h2 id="cost">') < html.index('<h2 id="legal-basis">')
        assert "Tafels op de stoep." in html and "€ 20 per m²." in html
        assert 'id="audience"' not in html  # left empty
        assert 'href="#cost"' in html  # table of contents

    def test_the_call_to_action_leads_to_the_live_form(self, client, home_page, team):
        service = make_service(home_page, call_to_action="Terras aanvragen")
        form = make_form_page(service, team=team)
        service.form_page = form
        service.save()

        html = get_html(client, service)

        assert f'<a class="button button--start" href="{form.url}">Terras aanvragen' in html

    def test_without_a_live_form_the_call_to_action_is_the_external_link(
        self, client, home_page, team
    ):
        service = make_service(home_page, external_url="https://e-loket.example/terras")
        form = make_form_page(service, team=team)
        service.form_page = form
        service.save()
        form.unpublish()

        service.refresh_from_db()
        html = get_html(client, service)

        assert 'href="https://e-loket.example/terras"' in html
        assert service.applies_elsewhere

    def test_faq_and_related_services(self, client, home_page):
        other = make_service(home_page, "Reclame plaatsen", slug="reclame")
        hidden = make_service(home_page, "Oude dienst", slug="oud")
        hidden.unpublish()
        service = make_service(
            home_page,
            faq=[
                {
                    "type": "item",
                    "value": {
                        "question": "Moet ik elk jaar aanvragen?",
                        "answer": "<p>Nee, 5 jaar.</p>",
                    },
                }
            ],
            related_services=[
                {"type": "service", "value": other.pk},
                {"type": "service", "value": hidden.pk},
            ],
        )

        html = get_html(client, service)

        assert '<summary class="faq__question">Moet ik elk jaar aanvragen?</summary>' in html
        assert "Nee, 5 jaar." in html
        assert f'href="{other.url}"' in html
        assert "Oude dienst" not in html

    def test_breadcrumbs_lead_back_to_the_topic_and_home(self, client, home_page):
        topic = make_topic(home_page)
        service = make_service(topic)

        html = get_html(client, service)

        assert 'class="breadcrumbs"' in html
        assert f'href="{topic.url}"' in html and 'href="/"' in html
        assert f'aria-current="page">{service.title}</li>' in html


class TestTopicPage:
    def test_lists_its_own_services_and_those_it_borrows(self, client, home_page):
        permits = make_topic(home_page, "Vergunningen")
        centre = make_topic(home_page, "Ondernemen in het centrum", slug="centrum")
        terrace = make_service(permits, "Terrasvergunning aanvragen")
        own = make_service(centre, "Startpremie", slug="startpremie")
        centre.also_services = [{"type": "service", "value": terrace.pk}]
        centre.save()

        html = get_html(client, centre)

        assert html.index("Startpremie") < html.index("Terrasvergunning aanvragen")
        assert f'href="{terrace.url}"' in html and f'href="{own.url}"' in html


class TestHomePage:
    def test_search_topics_services_finder_desk_and_news(self, client, home_page):
        topic = make_topic(home_page)
        service = make_service(topic)
        make_service(topic, "Minder gebruikt", slug="minder")
        finder = make_finder(home_page)
        contact = home_page.add_child(instance=ContactPage(title="Contact", slug="contact"))
        branding = SiteBranding.for_site(home_page.get_site())
        branding.phone = "09 123 45 67"
        branding.contact_page = contact
        branding.opening_hours = [
            {"type": "hours", "value": {"days": "Maandag", "hours": "9 tot 12 uur"}}
        ]
        branding.save()
        home_page.most_used_services = [{"type": "service", "value": service.pk}]
        home_page.announcements = [
            {
                "type": "announcement",
                "value": {
                    "title": "Werken aan de Markt",
                    "date": "2026-09-01",
                    "text": "Van januari.",
                    "link": None,
                },
            }
        ]
        home_page.save()

        html = get_html(client, home_page)

        assert 'action="/zoeken/"' in html
        assert f'href="{topic.url}"' in html
        assert f'href="{service.url}"' in html and "Minder gebruikt" not in html
        assert f'href="{finder.url}"' in html
        assert "09 123 45 67" in html and '<th scope="row">Maandag</th>' in html
        assert "Werken aan de Markt" in html and 'datetime="2026-09-01"' in html


class TestContactPage:
    def test_shows_the_desk_and_how_to_make_an_appointment(self, client, home_page):
        question = make_service(home_page, "Vraag stellen", slug="vraag")
        contact = home_page.add_child(
            instance=ContactPage(
                title="Contact en afspraak",
                slug="contact",
                appointment_text="<p>Een afspraak duurt een halfuur.</p>",
                appointment_page=question,
                appointment_link_text="Afspraak maken",
            )
        )
        branding = SiteBranding.for_site(home_page.get_site())
        branding.address = "Markt 1\n9999 Voorbeeld"
        branding.save()

        html = get_html(client, contact)

        assert "Markt 1<br>9999 Voorbeeld" in html
        assert "Een afspraak duurt een halfuur." in html
        assert f'href="{question.url}">Afspraak maken</a>' in html


def test_favicon_answers_so_pages_do_not_log_a_404(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=86400" in response["Cache-Control"]
