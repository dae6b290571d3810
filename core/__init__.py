"""Platform code that every app of Loket uses: storage and uploads, security headers,
rate limits, virus scanning, sanitising, logging, health, backups, the cache, colours
and the one generic :class:`core.registry.Registry`.

``core`` imports no other app of the project (``tests/test_architecture.py`` checks it):
``core`` ← ``forms_builder`` ← ``dossiers``, with ``cms`` wiring them together.
"""
