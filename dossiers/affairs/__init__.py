"""Ongoing affairs ("lopende zaken") in the Flemish portals (issue #23).

Mijn Burgerprofiel and the Ondernemingsprofiel show a person or an enterprise the
applications they have running. Every public status change of a dossier is published
as an "ongoing affair" through an adapter (:mod:`dossiers.affairs.adapters`), chosen by
the setting ``LOKET_ONGOING_AFFAIRS_ADAPTER``; empty (the default) publishes nothing.
Connecting the real endpoint after the onboarding is configuration: the adapter, the
URL and the name of the environment variable that holds the token.

An affair has an owner: the person or enterprise the sign-in vouched for when the
dossier was submitted (:mod:`dossiers.portal.vouched`); dossiers without one are
skipped (logged). The change writes a delivery row in its own transaction
(:mod:`dossiers.affairs.events`, a receiver of Event's ``post_save`` next to the
webhooks); a Celery task sends it after commit and a periodic sweep sends whatever is
due (:mod:`dossiers.affairs.delivery`, :mod:`dossiers.affairs.tasks`), so a broker or
an endpoint that is down loses nothing. Nothing here ever fails the transition.
"""
