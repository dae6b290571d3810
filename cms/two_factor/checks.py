"""``manage.py check --deploy`` warns when the admin is open with a password alone."""

from django.core.checks import Tags, Warning, register

from . import services


@register(Tags.security, deploy=True)
def two_factor_required(app_configs, **kwargs):
    if services.is_required():
        return []
    return [
        Warning(
            "Two-factor authentication for the admin is off (LOKET_ADMIN_2FA_REQUIRED).",
            hint=(
                "Set LOKET_ADMIN_2FA_REQUIRED=true (the default of cms.settings.production), "
                "so that officers and editors sign in with a code from their phone as well "
                "as their password. See docs/OPERATIONS.md."
            ),
            id="loket.W001",
        )
    ]
