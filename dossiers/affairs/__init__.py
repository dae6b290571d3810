"""Ongoing affairs ("lopende zaken") in the Flemish portals (issue #23).

Mijn Burgerprofiel and the Ondernemingsprofiel show a person or an enterprise the
applications they have running. Every public status change of a dossier is published
as an "ongoing affair" through an adapter (:mod:`dossiers.affairs.adapters`), chosen by
the setting ``LOKET_ONGOING_AFFAIRS_ADAPTER``; empty (the default) publishes nothing.
Connecting the real endpoint after the onboarding is configuration: the adapter, the
URL and the name of the environment variable that holds the token.

The event is built when the status changes (:mod:`dossiers.affairs.events`, a receiver
of Event's ``post_save`` next to the webhooks) and sent after commit by a Celery task
(:mod:`dossiers.affairs.tasks`) that retries with backoff. Nothing here ever fails the
transition: a broker that is down or an endpoint that refuses is logged.
"""
