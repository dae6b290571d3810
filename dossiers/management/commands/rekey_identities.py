"""``manage.py rekey_identities``: move every dossier's proven identity (the pseudonym
and the sealed national register number, :mod:`dossiers.portal.vouched`) to the current
identity key, after ``LOKET_IDENTITY_KEY`` (or the ``SECRET_KEY``) changed.

Run it with the old key still listed in ``LOKET_IDENTITY_OLD_KEYS`` (or
``SECRET_KEY_FALLBACKS``); once it reports nothing left under an old key, the old key
can be removed (docs/OPERATIONS.md, "Changing the identity key"). It can run again at
any time: a dossier already under the current key is left as it is.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from dossiers.models import Dossier
from dossiers.portal import vouched

#: Dossiers read and written per transaction.
BATCH = 500


class Command(BaseCommand):
    help = "Move proven identities on dossiers to the current identity key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would change; write nothing.",
        )

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        moved = current = unreadable = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                rows = list(
                    Dossier.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .exclude(vouched_national_id="")
                    .order_by("pk")
                    .only("pk", "vouched_person", "vouched_national_id")[:BATCH]
                )
                if not rows:
                    break
                last_pk = rows[-1].pk
                changed = []
                for dossier in rows:
                    changes = vouched.rekeyed_fields(
                        dossier.vouched_person, dossier.vouched_national_id
                    )
                    if changes is None:
                        unreadable += 1
                    elif not changes:
                        current += 1
                    else:
                        for name, value in changes.items():
                            setattr(dossier, name, value)
                        changed.append(dossier)
                moved += len(changed)
                if changed and not dry_run:
                    Dossier.objects.bulk_update(
                        changed, ["vouched_person", "vouched_national_id"], batch_size=BATCH
                    )
        verb = "Would move" if dry_run else "Moved"
        self.stdout.write(
            f"{verb} {moved} dossiers to the current identity key; "
            f"{current} were under it already; {unreadable} cannot be read with any "
            "configured key."
        )
        if unreadable:
            self.stderr.write(
                "Some sealed national register numbers cannot be read: list the key they "
                "were sealed with in LOKET_IDENTITY_OLD_KEYS and run this again."
            )
