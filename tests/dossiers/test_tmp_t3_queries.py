import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dossiers.test_inbox import INDEX_URL
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def test_dump(officer_client, economy, officer):
    DossierFactory(team=economy, assigned_to=officer)
    url = reverse(INDEX_URL)
    officer_client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        officer_client.get(url)
    with open("/tmp/t3_queries.txt", "w") as out:
        for q in ctx.captured_queries:
            out.write(q["sql"][:400] + "\n")
