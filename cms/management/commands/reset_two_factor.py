"""``manage.py reset_two_factor USERNAME``: remove someone's two-factor devices."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cms.two_factor import services


class Command(BaseCommand):
    help = (
        "Remove the authenticator app and the backup codes of a user (e.g. after a lost "
        "phone). When LOKET_ADMIN_2FA_REQUIRED is on, they set up a new app at their next "
        "admin page. See docs/OPERATIONS.md, 'Two-factor authentication'."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the user's login name")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f'There is no user "{username}".') from None
        removed = services.reset(user)
        if removed:
            self.stdout.write(
                f"Two-factor authentication of {username} is reset ({removed} device(s) removed)."
            )
        else:
            self.stdout.write(f"{username} had not set up two-factor authentication.")
