"""The municipality's streets and addresses, from the Flemish address register.

importer.py (manage.py import_addresses, the admin screen), register.py (the register
for address questions "only in this municipality"), admin_views.py (Settings → Address
register). The models are in ``dossiers/models/place.py``.
"""
