# ruff: noqa: F811 (the fixtures of test_transfer are imported to be used here)
"""Hostile form imports: whatever the file holds, the import refuses it with a plain
message (a ``ValidationError``), never another exception, and the admin page never
gives a 500 (issue #13)."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms_builder.document import MAX_NESTING_DEPTH, nesting_depth, read_document
from forms_builder.transfer import export_form, import_form
from tests.forms_builder.test_transfer import (  # noqa: F401 (fixtures)
    IMPORT_URL,
    demo_users,
    editor_client,
    other_municipality,
    shared_form,
)

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE_FILES = {
    "deep lists": DEEP,
    "deep objects": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "Infinity": '{"format": "loket-form", "version": 1, "x": Infinity}',
    "NaN": '{"format": "loket-form", "version": NaN}',
    "-Infinity": '{"format": -Infinity}',
    "a number out of range": '{"format": 1e400}',
    "a huge integer": '{"format": ' + "9" * 10_000 + "}",
}


@pytest.mark.parametrize("text", HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_a_hostile_file_is_refused_before_it_is_used(text):
    with pytest.raises(ValidationError):
        read_document(text.encode())


def test_brackets_inside_strings_do_not_count():
    assert nesting_depth('{"a": "[[[[{{{{\\"[[["}') == 1
    read_document('{"a": "' + "[" * 1000 + '"}')


def test_an_exported_form_nests_well_within_the_limit(shared_form):
    text = json.dumps(export_form(shared_form))
    assert nesting_depth(text) < MAX_NESTING_DEPTH / 2


@pytest.mark.parametrize("text", HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_the_admin_page_says_why_in_dutch(editor_client, other_municipality, text):
    response = editor_client.post(
        IMPORT_URL,
        {
            "file": SimpleUploadedFile("f.json", text.encode(), "application/json"),
            "parent": other_municipality.pk,
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Het bestand" in content


# --- fuzzing -------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=30,
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(text=st.text(alphabet='[]{}",:0123456789.eE-+ aINfinityNaNtruefalsenul\\', max_size=300))
def test_read_document_refuses_any_text_with_its_own_message(text):
    try:
        read_document(text)
    except ValidationError:
        pass


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


@FUZZ
@given(data=st.data())
def test_import_of_a_mangled_export_refuses_with_its_own_message(
    data, shared_form, other_municipality
):
    document = copy.deepcopy(export_form(shared_form))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [path for path in _paths(document) if path]
        path = data.draw(st.sampled_from(paths))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = data.draw(JSON_VALUES)
    # What the admin page does: through the file parser, then the import.
    text = json.dumps(document)
    try:
        import_form(read_document(text), other_municipality)
    except ValidationError as error:
        assert error.messages and all(isinstance(m, str) and m for m in error.messages)
