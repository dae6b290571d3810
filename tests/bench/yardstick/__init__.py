"""The HTTP benchmark's yardstick: a tiny Django + Wagtail project on Loket's database.

What a developer would write in an afternoon with Wagtail's project template: its
middleware, a plain Wagtail page (``wagtailcore.Page``, served by Wagtail's own view), a
bare Django form of ten fields whose valid POST stores the answers (in the session, one
row) and redirects. ``tests/bench/bench_http.py`` serves it with the same gunicorn flags
as Loket and compares. It is a measuring rod, not part of the product.
"""
