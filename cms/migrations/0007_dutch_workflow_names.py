"""Give Wagtail's default moderation workflow a Dutch name.

Wagtail names the workflow it creates after the group ("Moderators approval"), so the
Dutch admin offered "Stuur door naar Moderators approval". Names are data, not
messages: rename them once; a municipality that renamed them keeps its own names.
"""

from django.db import migrations

ENGLISH = "Moderators approval"
DUTCH = "Goedkeuring door de moderatoren"


def to_dutch(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=ENGLISH).update(name=DUTCH)
    apps.get_model("wagtailcore", "Task").objects.filter(name=ENGLISH).update(name=DUTCH)


def to_english(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=DUTCH).update(name=ENGLISH)
    apps.get_model("wagtailcore", "Task").objects.filter(name=DUTCH).update(name=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_service_page_appointments"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(to_dutch, to_english)]
