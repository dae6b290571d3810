"""Privacy settings of form pages: forms_builder.models.ApplicationFormPage gets the view
restrictions in one query; they must be exactly Wagtail's, and must still be enforced
on every step of the wizard."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from tests.conftest import make_form_page

pytestmark = pytest.mark.django_db


def wagtails_restrictions(page) -> set[int]:
    return set(Page.get_view_restrictions(page).values_list("pk", flat=True))


def our_restrictions(page) -> set[int]:
    return set(page.get_view_restrictions().values_list("pk", flat=True))


def restrict(page, kind=PageViewRestriction.PASSWORD, **extra):
    return PageViewRestriction.objects.create(page=page, restriction_type=kind, **extra)


def test_no_restrictions(form_page):
    assert our_restrictions(form_page) == wagtails_restrictions(form_page) == set()


def test_restriction_on_the_page_itself(form_page):
    own = restrict(form_page, password="geheim")
    assert our_restrictions(form_page) == wagtails_restrictions(form_page) == {own.pk}


def test_restrictions_on_ancestors_apply_and_those_of_siblings_do_not(form_page, home_page):
    on_home = restrict(home_page, kind=PageViewRestriction.LOGIN)
    sibling = make_form_page(home_page, title="Ander formulier", slug="ander-formulier")
    restrict(sibling, password="anders")
    assert our_restrictions(form_page) == wagtails_restrictions(form_page) == {on_home.pk}


def test_an_alias_has_the_restrictions_of_its_source(form_page, home_page):
    on_source = restrict(form_page, kind=PageViewRestriction.GROUPS)
    on_source.groups.add(Group.objects.create(name="Bevoorrecht"))
    alias = form_page.create_alias(update_slug=f"{form_page.slug}-alias")
    assert our_restrictions(alias) == wagtails_restrictions(alias) == {on_source.pk}


def test_the_query_takes_one_statement(form_page, home_page, django_assert_num_queries):
    restrict(home_page, kind=PageViewRestriction.LOGIN)
    with django_assert_num_queries(1):
        list(form_page.get_view_restrictions())


def test_a_password_on_an_ancestor_guards_every_step(client, form_page, home_page):
    restrict(home_page, password="geheim")
    response = client.get(f"{form_page.url}stap/1/")
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()
    assert 'name="password"' in response.content.decode()
