from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Website")

    def ready(self):
        from . import page_cache, sites
        from .library import origin  # noqa: F401 - registers the form export's origin
        from .two_factor import checks  # noqa: F401 - registers the deploy check

        sites.connect_signals()
        page_cache.connect_signals()
        from .assistant import postgres

        postgres.connect_signals()
        # Wagtail's widgets start without inline scripts (CSP; cms/admin_scripts.py).
        from .admin_scripts import patch_chooser_widgets

        patch_chooser_widgets()
