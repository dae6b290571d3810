from wagtail_modeladmin.options import modeladmin_register

from .admin import DossierAdmin

modeladmin_register(DossierAdmin)
