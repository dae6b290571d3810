"""The officers' back office in the Wagtail admin, built with wagtail-modeladmin.

All use of wagtail-modeladmin lives in this package (registered in
dossiers/wagtail_hooks.py), so the rest of the code does not depend on it:

- options.py    the modeladmin classes (inbox columns, URLs), permission and button helpers
- filters.py    the inbox's filters
- views.py      the inbox, the dossier view and the actions on a dossier
- dashboard.py  the menu items and the panel on the admin home
- appointments.py  the read-only list of appointments
"""

from dossiers.admin.appointments import AppointmentAdmin
from dossiers.admin.dashboard import DossierDashboardPanel, MyDossiersMenuItem
from dossiers.admin.options import DossierAdmin, TeamAdmin

__all__ = [
    "AppointmentAdmin",
    "DossierAdmin",
    "DossierDashboardPanel",
    "MyDossiersMenuItem",
    "TeamAdmin",
]
