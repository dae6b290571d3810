"""What a restore must bring back, as JSON: every dossier's answers and the bytes of its
files (as SHA-256), and the public media files.

``python -m tests.core.state`` prints it for the database and storages that the settings
in the environment point to; the backup tests compare it with the same taken in-process
before the backup.
"""

import hashlib
import json


def installation_state() -> dict:
    from django.core.files.storage import storages

    from core.backups import storage_files
    from dossiers.models import Dossier

    dossiers = {}
    for dossier in Dossier.objects.prefetch_related("attachments").order_by("reference"):
        files = {}
        for attachment in dossier.attachments.all():
            with attachment.file.open("rb") as handle:
                files[attachment.file.name] = hashlib.sha256(handle.read()).hexdigest()
        dossiers[dossier.reference] = {
            "answers": dossier.answers,
            "status": dossier.status,
            "applicant_email": dossier.applicant_email,
            "files": files,
        }
    public = storages["default"]
    media = {}
    for name in storage_files(public):
        with public.open(name, "rb") as handle:
            media[name] = hashlib.sha256(handle.read()).hexdigest()
    return {"dossiers": dossiers, "media": media}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(installation_state(), sort_keys=True))
