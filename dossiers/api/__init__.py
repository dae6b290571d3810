"""The REST API for the municipality's other systems, at /api/v1/ (docs/api.md).

authentication.py (a token per client application), permissions.py (scopes),
throttling.py (core.ratelimit per client), problems.py (RFC 9457 errors for every
failure), serializers.py, views.py (one base view logs every call), urls.py, admin.py
(clients, their tokens and the call log in the Wagtail admin).
"""
