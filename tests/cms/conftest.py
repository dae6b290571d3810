"""Fixtures of the public site's tests."""

import pytest

from cms.demo import load_demo


@pytest.fixture
def demo(db):
    """The whole demo municipality (a few seconds: use it where the content matters)."""
    load_demo()
